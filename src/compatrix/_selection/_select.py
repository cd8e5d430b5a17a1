"""Which releases of a package one suite tests, and on which Pythons.

:func:`select_suite` is a pure function of the suite, the package's facts, the project's
Pythons (through their :class:`SupportRule`) and the lock's time; docs/selection.md
describes the algorithm step by step. :func:`considered` says, for every release, why it
was picked or not: ``explain``, ``report`` and ``update`` ask for it when they need it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import groupby
from typing import get_args

from packaging.version import Version

from compatrix._config import PythonRule, Suite
from compatrix._lock import NEEDS_BUILD, PackageFacts, Probe, Release
from compatrix._pythons import PythonVersion
from compatrix._selection._gate import Gate, Skip, age, days
from compatrix._selection._model import (
    Considered,
    NothingToTest,
    Pick,
    PickRole,
    SkipReason,
    SuiteSelection,
)
from compatrix._selection._picks import choose, minor_key, tested
from compatrix._selection._probed import recorded_evidence
from compatrix._selection._scheme import Scheme, detect_scheme
from compatrix._support import (
    Evidence,
    Finding,
    FindingKind,
    PythonFindings,
    Restriction,
    Support,
    SupportRule,
    lead,
)
from compatrix._time import format_time

__all__ = ["Blocked", "considered", "select_suite"]

Blocked = Mapping[Version, Mapping[PythonVersion, str]]
"""Per version, the Pythons its env cannot be installed on, and why (from the lock's
resolutions): selection treats them as unsupported."""

_ROLE_ORDER: tuple[PickRole, ...] = get_args(PickRole)
"""A pick's roles are listed in the order :data:`PickRole` names them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _NoPython:
    """``no-supported-python``: the release supports none of the project's Pythons."""

    release: Release
    support: Support
    since: date | None


_WhyNot = Skip | _NoPython | None
"""Why a release cannot be tested; None when it can."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Judge:
    """Judges the releases of one suite's package: the gate, then the Python support."""

    suite: Suite
    releases: tuple[Release, ...]
    gate: Gate
    rule: SupportRule
    restrictions: tuple[tuple[PythonRule, Restriction], ...]
    """The suite's Python restrictions, each as the support rule applies it."""
    start: int
    """The first release at or above min-version: those below are never candidates."""
    evidence: Mapping[str, Evidence]
    """Recorded evidence per version (probes, with the suite's ``add-python``)."""
    added: Evidence | None
    """The suite's ``add-python``, for versions without probes."""
    valid: int
    """The releases from here on are legacy versions, which PEP 440 cannot parse."""
    minors: tuple[tuple[int, int, int] | None, ...]
    """Each release's ``(epoch, major, minor)``; None for a legacy version."""
    prerelease: tuple[bool, ...]
    """Whether each release is a prerelease (or a dev release of one); False for a legacy
    version."""
    blocked: Blocked

    def version(self, i: int) -> Version:
        parsed = self.releases[i].parsed
        assert parsed is not None
        return parsed

    def since(self, i: int) -> date | None:
        """The first upload of release ``i``'s minor, when its classifiers are known (the
        rule tells stale classifiers by it); None otherwise."""
        if self.releases[i].metadata is None:
            return None
        # Releases are in version order: the minor's releases are next to each other.
        minors = self.minors
        key = minors[i]
        lo = hi = i
        while lo > 0 and minors[lo - 1] == key:
            lo -= 1
        while hi + 1 < self.valid and minors[hi + 1] == key:
            hi += 1
        uploads = [r.uploaded for r in self.releases[lo : hi + 1] if r.uploaded is not None]
        return min(uploads).date() if uploads else None

    def restriction(self, i: int) -> Restriction | None:
        """The suite's Python restriction for release ``i``."""
        if not self.restrictions:
            return None
        found = self.suite.python_restriction(self.version(i))
        return next((r for rule, r in self.restrictions if rule is found), None)

    def support(self, i: int) -> Support:
        """Which Pythons release ``i`` supports, the suite's restriction applied, its
        recorded evidence weighed and the Pythons its env cannot be installed on ruled out."""
        support = self.rule.judge(
            self.releases[i], self.restriction(i), since=self.since(i), evidence=self.recorded(i)
        )
        if not self.blocked:
            return support
        blocked = self.blocked.get(self.version(i))
        return support if not blocked else _not_installable(support, blocked)

    def recorded(self, i: int) -> Evidence | None:
        """Recorded evidence about release ``i``: its probes, the suite's ``add-python``."""
        return self.evidence.get(self.releases[i].version, self.added)

    def __call__(self, i: int) -> _WhyNot:
        """Why release ``i`` cannot be tested, by the gate and its Pythons; None: it can."""
        skip = self.gate(self.releases[i])
        if skip is not None:
            return skip
        support = self.support(i)
        if not support.any_regular:
            return _NoPython(release=self.releases[i], support=support, since=self.since(i))
        return None

    def final(self, i: int, ruled_out: int | None) -> tuple[_WhyNot, int | None]:
        """Why final release ``i`` is not its minor's candidate (None: it may be), its minor's
        patches walked newest first; ``ruled_out`` is the newest patch seen so far that its
        own metadata rules out, returned updated."""
        why = self(i)
        if isinstance(why, _NoPython):
            if ruled_out is None and self._ruled_out_by_metadata(i):
                ruled_out = i
            return why, ruled_out
        if why is not None:
            return why, ruled_out
        # A release its own metadata rules out speaks for the older patches of its minor
        # whose metadata is not known: they are not candidates in its place (else every
        # update would walk down the patches one metadata request at a time).
        if ruled_out is not None and self.releases[i].metadata is None:
            detail = (
                f"{self.releases[ruled_out].version}, a newer patch, supports none of the "
                "project's Pythons by its metadata"
            )
            return Skip(reason="no-supported-python", detail=detail), ruled_out
        return None, ruled_out

    def _ruled_out_by_metadata(self, i: int) -> bool:
        """Would release ``i`` support some Python but for its core metadata?"""
        release = self.releases[i]
        if release.metadata is None:
            return False
        unknown = replace(release, metadata=None, metadata_status="not-fetched")
        support = self.rule.judge(
            unknown, self.restriction(i), since=self.since(i), evidence=self.recorded(i)
        )
        return support.any_regular


def _not_installable(support: Support, blocked: Mapping[PythonVersion, str]) -> Support:
    """``support`` with the Pythons in ``blocked`` (a free-threaded build's regular build
    too) unsupported, the resolution's reason as their strongest finding."""
    pythons = []
    for found in support.pythons:
        reason = blocked.get(found.python)
        if reason is None and found.python.free_threaded:
            reason = blocked.get(found.python.regular)
        if reason is None:
            pythons.append(found)
            continue
        kind: FindingKind = "needs-build" if reason.endswith(NEEDS_BUILD) else "not-installable"
        finding = Finding(kind=kind, strength="against", subject=reason)
        pythons.append(
            PythonFindings(
                python=found.python, supported=False, findings=(finding, *found.findings)
            )
        )
    return Support.of(tuple(pythons))


def _judge(
    suite: Suite,
    facts: PackageFacts,
    *,
    rule: SupportRule,
    now: datetime,
    as_of: date | None,
    probes: Mapping[str, Mapping[str, Probe]],
    blocked: Blocked,
) -> _Judge:
    releases = facts.releases
    valid = len(releases)
    while valid and releases[valid - 1].parsed is None:
        valid -= 1
    start = 0
    if suite.min_version is not None:
        start = bisect_left(releases, suite.min_version, hi=valid, key=_parsed)
    gate = Gate(suite, now=now, as_of=as_of)
    # A failed probe speaks for the older patches of its minor among the releases the gate
    # lets through only: an excluded or yanked release's does not.
    passed = tuple(r for r in releases[:valid] if gate(r) is None) if probes else ()
    evidence, added = recorded_evidence(suite, probes, passed)
    minors, prerelease = _shapes(releases)
    return _Judge(
        suite=suite,
        releases=releases,
        gate=gate,
        rule=rule,
        restrictions=tuple((python, rule.restriction(python)) for python in suite.python),
        start=start,
        evidence=evidence,
        added=added,
        valid=valid,
        minors=minors,
        prerelease=prerelease,
        blocked=blocked,
    )


def _parsed(release: Release) -> Version:
    parsed = release.parsed
    assert parsed is not None
    return parsed


def _shapes(
    releases: Sequence[Release],
) -> tuple[tuple[tuple[int, int, int] | None, ...], tuple[bool, ...]]:
    """Each release's ``(epoch, major, minor)`` (None for a legacy version) and whether it
    is a prerelease (False for a legacy version), in one pass over the releases."""
    minors: list[tuple[int, int, int] | None] = []
    prerelease: list[bool] = []
    for release in releases:
        version = release.parsed
        if version is None:
            minors.append(None)
            prerelease.append(False)
        else:
            minors.append(minor_key(version))
            prerelease.append(version.is_prerelease)
    return tuple(minors), tuple(prerelease)


# --- the walk: one candidate per minor --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Minor:
    """A minor whose candidate has older patches, not judged while walking."""

    candidate: int
    ruled_out: int | None
    """The newest patch its own metadata rules out, when one newer than the candidate is."""
    older: tuple[int, ...]
    """Its older final patches, newest first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Walk:
    """What walking every minor's releases newest first found."""

    candidates: tuple[int, ...]
    """Each minor's newest final release that passes every check, oldest first."""
    prereleases: tuple[int, ...]
    """Prereleases that pass every check, oldest first."""
    judged: Mapping[int, _WhyNot]
    """Why each release judged and left out is not a candidate."""
    minors: tuple[_Minor, ...]


def _walk(judge: _Judge) -> _Walk:
    """Each (major, minor), newest first: its newest patch that passes every check is its
    candidate, and the older patches are left for :func:`considered` to judge."""
    judged: dict[int, _WhyNot] = {}
    candidates: list[int] = []
    prereleases: list[int] = []
    minors: list[_Minor] = []
    newest_first = range(judge.valid - 1, judge.start - 1, -1)
    for _, minor in groupby(newest_first, key=judge.minors.__getitem__):
        candidate: int | None = None
        ruled_out: int | None = None
        older: list[int] = []
        for i in minor:
            if judge.prerelease[i]:
                why = judge(i)
                if why is None:
                    prereleases.append(i)
                else:
                    judged[i] = why
            elif candidate is not None:
                older.append(i)
            else:
                why, ruled_out = judge.final(i, ruled_out)
                if why is None:
                    candidate = i
                else:
                    judged[i] = why
        if candidate is not None:
            candidates.append(candidate)
            if older:
                minors.append(_Minor(candidate=candidate, ruled_out=ruled_out, older=tuple(older)))
    return _Walk(
        candidates=tuple(reversed(candidates)),
        prereleases=tuple(reversed(prereleases)),
        judged=judged,
        minors=tuple(minors),
    )


def _walk_suite(judge: _Judge) -> tuple[_Walk, tuple[str, ...]]:
    """The walk, with prereleases standing in for final releases when there are none
    (docs/selection.md, "Packages with only prereleases"), and a note saying so."""
    walk = _walk(judge)
    if walk.candidates or not walk.prereleases or not judge.suite.policy.prereleases:
        return walk, ()
    newest: dict[tuple[int, int, int], int] = {}
    for i in walk.prereleases:  # oldest first: the newest of each minor is kept
        newest[minor_key(judge.version(i))] = i
    judged = dict(walk.judged)
    for i in walk.prereleases:
        stands = newest[minor_key(judge.version(i))]
        if stands != i:
            detail = f"{judge.releases[stands].version} is the newest prerelease of its minor"
            judged[i] = Skip(reason="not-newest-patch", detail=detail)
    sampled = _Walk(
        candidates=tuple(sorted(newest.values())),
        prereleases=(),
        judged=judged,
        minors=walk.minors,
    )
    note = (
        f"{judge.suite.package} has no final release that can be tested: its prereleases are "
        "picked as final releases are (the newest of each minor)"
    )
    return sampled, (note,)


# --- the prerelease ---------------------------------------------------------------------


def _prerelease(judge: _Judge, walk: _Walk, *, now: datetime) -> tuple[int | None, dict[int, Skip]]:
    """The prerelease to test, if any (the newest, when newer than every candidate and
    young enough), and why each other prerelease that passes every check is not."""
    if not walk.prereleases:
        return None, {}
    *older, newest = walk.prereleases
    skipped: dict[int, Skip] = {}
    for i in older:
        if judge.suite.policy.prereleases:
            detail = f"{judge.releases[newest].version} is newer"
            skipped[i] = Skip(reason="older-prerelease", detail=detail)
        else:
            skipped[i] = Skip(reason="prereleases-disabled", detail="prereleases = false")
    why = _prerelease_skip(judge, walk, newest, now=now)
    if why is not None:
        skipped[newest] = why
        return None, skipped
    return newest, skipped


def _prerelease_skip(judge: _Judge, walk: _Walk, i: int, *, now: datetime) -> Skip | None:
    """Why the newest prerelease ``i`` is not tested; None when it is."""
    policy = judge.suite.policy
    if not policy.prereleases:
        return Skip(reason="prereleases-disabled", detail="prereleases = false")
    latest_final = judge.version(walk.candidates[-1]) if walk.candidates else None
    if latest_final is not None and judge.version(i) <= latest_final:
        detail = f"not newer than the latest final release {latest_final}"
        return Skip(reason="prerelease-not-newer", detail=detail)
    uploaded = judge.releases[i].uploaded
    if uploaded is None:
        detail = "upload time unknown, so its age is unknown"
        return Skip(reason="prerelease-too-old", detail=detail)
    max_age = policy.prerelease_max_age
    if now - uploaded > max_age:
        detail = (
            f"uploaded {format_time(uploaded)}, {age(now - uploaded)} "
            f"before {format_time(now)}; prerelease-max-age is {days(max_age)}"
        )
        return Skip(reason="prerelease-too-old", detail=detail)
    return None


# --- the whole suite --------------------------------------------------------------------


def select_suite(
    suite: Suite,
    facts: PackageFacts,
    *,
    rule: SupportRule,
    now: datetime,
    as_of: date | None,
    remembered: Sequence[str],
    probes: Mapping[str, Mapping[str, Probe]] | None = None,
    blocked: Blocked | None = None,
) -> SuiteSelection:
    """Pick the releases of ``facts`` that ``suite`` tests, and their Pythons.

    ``rule`` judges Python support for the project's Pythons (its answers are shared by the
    suites of a run); ``now`` is the lock's reference time (never the clock); ``remembered``
    the versions picked at the last update, kept where they still fit (``stable-picks``);
    ``blocked`` the Pythons each version's env cannot be installed on.
    """
    judge = _judge(
        suite, facts, rule=rule, now=now, as_of=as_of, probes=probes or {}, blocked=blocked or {}
    )
    walk, notes = _walk_suite(judge)
    scheme = _scheme(judge)
    if scheme.note is not None and scheme.calendar:
        notes = (*notes, scheme.note)
    roles = _roles(judge, walk, remembered, scheme)
    prerelease, skipped = _prerelease(judge, walk, now=now)
    if prerelease is not None:
        roles[prerelease] = ("prerelease",)
    picks = {i: _pick(judge, i, roles[i]) for i in sorted(roles, key=judge.version)}
    finals = [i for i in picks if i != prerelease]
    warnings = _warnings(suite, facts, [judge.version(i) for i in walk.candidates])
    nothing = None
    if not picks:
        nothing = _nothing_to_test(judge, facts, _records(judge, walk, {}, skipped), as_of)
        warnings = tuple(dict.fromkeys((*warnings, nothing.reason)))  # min-version's may be it
    return SuiteSelection(
        suite=suite.name,
        picks=tuple(picks.values()),
        latest=picks[finals[-1]] if finals else None,
        remembered=tuple(judge.releases[i].version for i in finals),
        warnings=warnings,
        notes=notes,
        nothing=nothing,
    )


def _scheme(judge: _Judge) -> Scheme:
    """The package's version scheme, when ``each-major`` is left to it (not set)."""
    if judge.suite.policy.each_major is not None:
        return Scheme()
    finals = (
        (minor[:2], judge.releases[i].uploaded)
        for i in range(judge.start, judge.valid)
        if not judge.prerelease[i] and (minor := judge.minors[i]) is not None
    )
    return detect_scheme(finals)


def _roles(
    judge: _Judge, walk: _Walk, remembered: Sequence[str], scheme: Scheme
) -> dict[int, tuple[PickRole, ...]]:
    """The candidates picked, with their roles (docs/selection.md, "Picks")."""
    policy = judge.suite.policy
    chosen = choose(
        [judge.version(i) for i in walk.candidates],
        policy.num_versions,
        remembered if policy.stable_picks else None,
        each_major=policy.each_major is not False,
        calendar=scheme.calendar,
    )
    return {
        walk.candidates[k]: tuple(r for r in _ROLE_ORDER if r in roles)
        for k, roles in chosen.items()
    }


def _pick(judge: _Judge, i: int, roles: tuple[PickRole, ...]) -> Pick:
    """Release ``i`` picked: the Pythons it is tested on, with the rule's findings."""
    support = judge.support(i)
    return Pick(
        version=judge.version(i),
        roles=roles,
        pythons=tested(support.supported, judge.suite.policy.python_policy),
        support=support,
        since=judge.since(i),
        uploaded=judge.releases[i].uploaded,
    )


def _all_older(facts: PackageFacts, minimum: Version) -> bool:
    """Is there a valid version, and is every valid version older than ``minimum``?"""
    found = False
    for release in reversed(facts.releases):  # newest first, usually
        version = release.parsed
        if version is not None:
            if version >= minimum:
                return False
            found = True
    return found


def _warnings(suite: Suite, facts: PackageFacts, candidates: Sequence[Version]) -> tuple[str, ...]:
    """What min-version says against the releases there are."""
    minimum = suite.min_version
    if minimum is None:
        return ()
    if _all_older(facts, minimum):
        newest = max(r.parsed for r in facts.releases if r.parsed is not None)
        warning = (
            f"min-version {minimum} is newer than every release of {facts.name} "
            f"(the newest is {newest})"
        )
        return (warning,)
    if candidates and minor_key(candidates[0]) != minor_key(minimum):
        warning = (
            f"min-version is {minimum}, but the lowest release of {facts.name} that can be "
            f"tested is {candidates[0]} (`compatrix explain {suite.name}` says why)"
        )
        return (warning,)
    return ()


_CONFIG_REASONS: frozenset[SkipReason] = frozenset(
    {"below-min-version", "not-included", "excluded", "prereleases-disabled"}
)
"""Skip reasons that only the suite's own keys give."""
_EITHER_WAY: frozenset[SkipReason] = frozenset(
    {
        "invalid-version",
        "local-version",
        "post-or-dev-release",
        "not-newest-patch",
        "prerelease-not-newer",
        "older-prerelease",
        "not-chosen",
    }
)
"""Skip reasons that never decide whether a suite has something to test."""


def _nothing_to_test(
    judge: _Judge, facts: PackageFacts, records: Sequence[Considered], as_of: date | None
) -> NothingToTest:
    """Why no release of the suite's package can be tested: by its own keys (``config``),
    or by what the index lists (``index``)."""
    name = facts.name
    minimum = judge.suite.min_version
    if minimum is not None and _all_older(facts, minimum):
        newest = max(r.parsed for r in facts.releases if r.parsed is not None)
        reason = (
            f"min-version {minimum} is newer than every release of {name} (the newest is {newest})"
        )
        return NothingToTest(cause="config", reason=reason)
    counts = Counter(c.reason for c in records if c.reason is not None)
    summary = ", ".join(f"{n} {why}" for why, n in sorted(counts.items()))
    if not records:
        none = f"none was uploaded by as-of {as_of}" if as_of else "the index lists no releases"
        return NothingToTest(cause="index", reason=f"no release of {name} can be tested ({none})")
    restricted: dict[str, Restriction] = {}
    by_index = False
    for i, record in enumerate(records):
        if record.reason in _CONFIG_REASONS or record.reason in _EITHER_WAY:
            continue
        restriction = judge.restriction(i) if record.reason == "no-supported-python" else None
        if restriction is not None and not restriction.admits:
            restricted[restriction.text] = restriction
        else:
            by_index = True
    if by_index or not (restricted or counts.keys() & _CONFIG_REASONS):
        return NothingToTest(
            cause="index", reason=f"no release of {name} can be tested ({summary})"
        )
    if restricted and not counts.keys() & _CONFIG_REASONS:
        texts = " and the ".join(restricted)
        verb = "admits" if len(restricted) == 1 else "admit"
        reason = (
            f"no release of {name} can be tested: the {texts} {verb} none of the project's Pythons"
        )
    else:
        reason = (
            f"no release of {name} can be tested: the suite's min-version, include, exclude, "
            f"prereleases and python keys rule them all out ({summary})"
        )
    return NothingToTest(cause="config", reason=reason)


# --- why each release was picked or not -------------------------------------------------


def considered(
    suite: Suite,
    facts: PackageFacts,
    selection: SuiteSelection,
    *,
    rule: SupportRule,
    now: datetime,
    as_of: date | None,
    probes: Mapping[str, Mapping[str, Probe]] | None = None,
    blocked: Blocked | None = None,
    versions: Collection[str] | None = None,
) -> tuple[Considered, ...]:
    """Every release of ``facts``, oldest first: picked (with its roles), or why not.

    ``selection`` is :func:`select_suite`'s for the same suite, facts, rule and time: the
    releases are judged again, the older patches of each minor too. ``versions``: only
    the records of these releases (``update`` asks about a few; the words of the others'
    reasons are not worked out).
    """
    judge = _judge(
        suite, facts, rule=rule, now=now, as_of=as_of, probes=probes or {}, blocked=blocked or {}
    )
    walk, _ = _walk_suite(judge)
    index = {judge.version(i): i for i in (*walk.candidates, *walk.prereleases)}
    picked = {index[pick.version]: pick.roles for pick in selection.picks}
    return _records(judge, walk, picked, _prerelease(judge, walk, now=now)[1], versions)


def _records(
    judge: _Judge,
    walk: _Walk,
    picked: Mapping[int, tuple[PickRole, ...]],
    prereleases_skipped: Mapping[int, Skip],
    versions: Collection[str] | None = None,
) -> tuple[Considered, ...]:
    """Every release (or those of ``versions``), picked or why not: the reasons found
    while walking, and those of each minor's older patches, judged now."""
    whys: dict[int, _WhyNot] = dict(walk.judged)
    for minor in walk.minors:
        newest = judge.releases[minor.candidate].version
        not_newest = Skip(
            reason="not-newest-patch", detail=f"{newest} is the newest patch of its minor"
        )
        ruled_out = minor.ruled_out
        for i in minor.older:
            why, ruled_out = judge.final(i, ruled_out)
            whys[i] = not_newest if why is None else why
    not_chosen = Skip(
        reason="not-chosen",
        detail=f"a candidate; num-versions {judge.suite.policy.num_versions} chose others",
    )
    for i in walk.candidates:
        if i not in picked:
            whys[i] = not_chosen
    whys.update(prereleases_skipped)

    out = []
    for i, release in enumerate(judge.releases):
        if versions is not None and release.version not in versions:
            continue
        roles = picked.get(i)
        if roles is not None:
            out.append(
                Considered(
                    version=release.version,
                    uploaded=release.uploaded,
                    picked=True,
                    reason=None,
                    detail=", ".join(roles),
                )
            )
            continue
        # Releases below min-version and legacy versions were not walked: the gate says.
        skip = whys[i] if i in whys else judge.gate(release)
        assert skip is not None
        reason: SkipReason = "no-supported-python"
        if isinstance(skip, _NoPython):
            detail = _no_python_detail(skip)
        else:
            reason, detail = skip.reason, skip.detail
        out.append(
            Considered(
                version=release.version,
                uploaded=release.uploaded,
                picked=False,
                reason=reason,
                detail=detail,
            )
        )
    return tuple(out)


_PROBED: frozenset[str] = frozenset({"probed-fails", "probed-fails-newer-patch"})


def _no_python_detail(skip: _NoPython) -> str:
    """The strongest evidence against the regular Pythons: the oldest and the newest of each
    span of consecutive Pythons whose strongest findings are of one kind (one kind
    throughout: the oldest and the newest Python), and each Python a failed probe ruled
    out (the heuristics alone would have kept it)."""
    regular = [p for p in skip.support.pythons if not p.python.free_threaded]
    if not regular:
        return "the project has no Pythons"
    shown: list[PythonFindings] = []
    for _, group in groupby(regular, key=_span_key):
        span = list(group)
        shown.extend(span if len(span) < 3 else (span[0], span[-1]))
    uploaded = skip.release.uploaded
    return "; ".join(f"{p.python}: {lead(p, uploaded=uploaded, since=skip.since)}" for p in shown)


def _span_key(found: PythonFindings) -> tuple[str | None, PythonVersion | None]:
    """Pythons whose strongest findings are of one kind share a span, but for failed probes."""
    kind = found.findings[0].kind if found.findings else None
    return kind, found.python if kind in _PROBED else None
