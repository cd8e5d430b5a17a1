"""Which releases of a package one suite tests, and on which Pythons.

:func:`select_suite` is a pure function of the suite, the package's facts, the project's
Pythons and the lock's time; docs/selection.md describes the algorithm step by step.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from itertools import pairwise
from typing import TypeVar, overload

from packaging.version import Version

from compatrix._config import PythonPolicy, PythonRule, Suite
from compatrix._gc import fast_constructor
from compatrix._lock import PackageFacts, Release, cutoff_of, format_time, parse_version
from compatrix._pythons import PythonVersion
from compatrix._selection._model import Considered, Pick, PickRole, SkipReason, SuiteSelection
from compatrix._support import Judge, PythonVerdict, SupportCache

__all__ = ["metadata_wanted", "select_suite"]

_ROLE_ORDER: tuple[PickRole, ...] = (
    "lowest",
    "latest",
    "newest-of-major",
    "spaced",
    "kept",
    "prerelease",
)


def _minor_key(version: Version) -> tuple[int, int, int]:
    """``(epoch, major, minor)``."""
    release = version.release
    return (version.epoch, release[0], release[1] if len(release) > 1 else 0)


def _age(delta: timedelta) -> str:
    """``3 days 4 h``, ``5 h 12 min``: a release's age for humans."""
    if delta.days >= 1:
        unit = "day" if delta.days == 1 else "days"
        return f"{delta.days} {unit} {delta.seconds // 3600} h"
    seconds = max(int(delta.total_seconds()), 0)
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def _days(delta: timedelta) -> str:
    days = delta / timedelta(days=1)
    shown = f"{days:g}"
    return f"{shown} day" if shown == "1" else f"{shown} days"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Skip:
    reason: SkipReason
    detail: str


_LISTED_WITHOUT_FILES = _Skip(reason="no-files", detail="listed without files")
_NOT_INSTALLABLE = _Skip(reason="no-files", detail="no sdist or wheel pip could install")
_DEV_RELEASE = _Skip(reason="post-or-dev-release", detail="dev release")
_POST_RELEASE = _Skip(reason="post-or-dev-release", detail="post-release")


class _Unsupported:
    """``no-supported-python``: the release supports none of the project's Pythons, judged
    with the suite's ``rule`` and ``since`` (its minor's first upload, None unless its
    classifiers are known). The detail (the evidence against the oldest and the newest) is
    made when read."""

    __slots__ = ("_judge", "release", "rule", "since")
    reason: SkipReason = "no-supported-python"

    def __init__(
        self, judge: Judge, release: Release, rule: PythonRule | None, since: date | None
    ) -> None:
        self._judge = judge
        self.release = release
        self.rule = rule
        self.since = since

    @property
    def detail(self) -> str:
        return _no_python_detail(self._judge, self.release, self.rule)


class _Gate:
    """The first reason, from the project page and the config alone, not to consider a
    release. Made once per suite: the details that do not depend on the release are made
    once too."""

    __slots__ = (
        "below",
        "cooldown",
        "cutoff",
        "exclude",
        "include",
        "min_version",
        "not_included",
        "now",
    )

    def __init__(self, suite: Suite, *, now: datetime, cutoff: datetime | None) -> None:
        self.now = now
        self.cutoff = cutoff
        self.cooldown = suite.policy.cooldown
        self.min_version = suite.min_version
        self.below = _Skip(
            reason="below-min-version", detail=f"below min-version {self.min_version}"
        )
        self.include = suite.include
        self.not_included = _Skip(reason="not-included", detail=f"not in include '{self.include}'")
        self.exclude = suite.exclude

    def __call__(self, release: Release) -> _Skip | None:
        version = release.parsed
        if version is None:
            return _Skip(reason="invalid-version", detail=f"{release.version!r} is not PEP 440")
        if not (release.sdist or release.wheel_tags):
            return _LISTED_WITHOUT_FILES if release.files == 0 else _NOT_INSTALLABLE
        if release.yanked:
            why = f": {release.yanked_reason}" if release.yanked_reason else ""
            return _Skip(reason="yanked", detail=f"yanked{why}")
        if version.is_devrelease:
            return _DEV_RELEASE
        if version.is_postrelease:
            return _POST_RELEASE
        if self.min_version is not None and version < self.min_version:
            return self.below
        if self.include is not None and not self.include.contains(version, prereleases=True):
            return self.not_included
        for rule in self.exclude:
            if rule.versions.contains(version, prereleases=True):
                return _Skip(reason="excluded", detail=rule.reason)
        uploaded = release.uploaded
        cutoff = self.cutoff
        if cutoff is not None:
            if uploaded is None:
                return _Skip(reason="after-as-of", detail="no upload time, and as-of is set")
            if uploaded >= cutoff:
                as_of = (cutoff - timedelta(days=1)).date().isoformat()
                detail = f"uploaded {format_time(uploaded)}, after as-of {as_of}"
                return _Skip(reason="after-as-of", detail=detail)
        now = self.now
        if uploaded is not None and now - uploaded < self.cooldown:
            detail = (
                f"uploaded {format_time(uploaded)}, {_age(now - uploaded)} before "
                f"{format_time(now)}; cooldown is {_days(self.cooldown)}"
            )
            return _Skip(reason="cooldown", detail=detail)
        return None


def _no_python_detail(judge: Judge, release: Release, restriction: PythonRule | None) -> str:
    """The first piece of evidence against the oldest and the newest regular Python."""
    regular = judge.regular
    if not regular:
        return "the project has no Pythons"
    ends = [regular[0]] if len(regular) == 1 else [regular[0], regular[-1]]
    reasons = [f"{p}: {judge.lead_evidence(release, p, restriction)}" for p in ends]
    return "; ".join(reasons)


# --- picks among candidates -------------------------------------------------------------


def _anchors(candidates: Sequence[Version], remembered: Sequence[str]) -> set[int]:
    """Indices of candidates that stand for an earlier pick.

    An earlier pick is an anchor while it is still a candidate, or when a newer patch of
    its (major, minor) is now the candidate for that minor.
    """
    index = {version: i for i, version in enumerate(candidates)}
    by_minor = {_minor_key(version): i for i, version in enumerate(candidates)}
    anchors: set[int] = set()
    for text in remembered:
        version = parse_version(text)
        if version is None:
            continue
        if version in index:
            anchors.add(index[version])
            continue
        i = by_minor.get(_minor_key(version))
        if i is not None and candidates[i] > version:
            anchors.add(i)
    return anchors


def _apportion(gaps: Sequence[tuple[int, int]], free: int) -> list[int]:
    """Give ``free`` slots to the gaps, each time to the one with the widest spacing."""
    slots = [0] * len(gaps)
    for _ in range(free):
        best: int | None = None
        for g, (a, b) in enumerate(gaps):
            if slots[g] >= b - a - 1:
                continue  # every index inside the gap is taken
            if best is None:
                best = g
                continue
            length_best = gaps[best][1] - gaps[best][0]
            # L_g / (s_g + 1) > L_best / (s_best + 1), exactly; ties stay with the lower gap.
            if (b - a) * (slots[best] + 1) > length_best * (slots[g] + 1):
                best = g
        if best is None:
            break
        slots[best] += 1
    return slots


def _fill_gap(a: int, b: int, slots: int, anchors: set[int]) -> dict[int, PickRole]:
    """The ``slots`` picks strictly inside (a, b): kept anchors, else rounded ideals.

    The ideal positions ``a + j * (b - a) / (slots + 1)`` are exact: kept as integers
    scaled by ``slots + 1``, and so are the distances to them.
    """
    length = b - a
    scale = slots + 1
    ideals = [a * scale + length * j for j in range(1, slots + 1)]

    def rounded(ideal: int) -> int:  # half up
        return (2 * ideal + scale) // (2 * scale)

    inside = sorted(i for i in anchors if a < i < b)
    pairs = sorted(
        (abs(anchor * scale - ideal), j, anchor)
        for j, ideal in enumerate(ideals)
        for anchor in inside
        if 2 * abs(anchor * scale - ideal) <= length  # within half the spacing
    )
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for _, j, anchor in pairs:
        if j in assigned or anchor in used:
            continue
        assigned[j] = anchor
        used.add(anchor)
    # An anchor is "kept" when plain spacing would have picked another candidate.
    chosen: dict[int, PickRole] = {
        anchor: "spaced" if anchor == rounded(ideals[j]) else "kept"
        for j, anchor in assigned.items()
    }
    for j, ideal in enumerate(ideals):
        if j in assigned:
            continue
        position = rounded(ideal)
        if position in chosen:
            free = [i for i in range(a + 1, b) if i not in chosen]
            position = min(free, key=lambda i: (abs(i * scale - ideal), i))
        chosen[position] = "spaced"
    return chosen


def _choose(
    candidates: Sequence[Version],
    num_versions: int,
    remembered: Sequence[str] | None,
    *,
    each_major: bool = True,
) -> dict[int, list[PickRole]]:
    """Indices of the candidates to pick, with their roles (docs/selection.md, "Picks")."""
    n = len(candidates)
    if n == 0:
        return {}
    roles: dict[int, list[PickRole]] = {0: ["lowest"]}
    roles.setdefault(n - 1, []).append("latest")
    newest_of_major: dict[tuple[int, int], int] = {}
    for i, version in enumerate(candidates):
        newest_of_major[(version.epoch, version.major)] = i
    if each_major and len(newest_of_major) > 1:
        for i in newest_of_major.values():
            roles.setdefault(i, []).append("newest-of-major")
    if n <= num_versions:
        for i in range(n):
            roles.setdefault(i, ["spaced"])
        return roles
    mandatory = sorted(roles)
    free = num_versions - len(mandatory)
    if free <= 0:
        return roles
    gaps = list(pairwise(mandatory))
    anchors = _anchors(candidates, remembered) if remembered else set()
    for (a, b), slots in zip(gaps, _apportion(gaps, free), strict=True):
        if slots:
            for i, role in _fill_gap(a, b, slots, anchors).items():
                roles[i] = [role]
    return roles


# --- Pythons per pick -------------------------------------------------------------------


def _tested(supported: Sequence[PythonVersion], policy: PythonPolicy) -> tuple[PythonVersion, ...]:
    """The Pythons a pick is tested on, by the suite's policy, of those it supports."""
    regular = [p for p in supported if not p.free_threaded]
    if not regular:
        return ()
    if policy == "all":
        chosen = set(regular)
    elif policy == "oldest-newest":
        chosen = {regular[0], regular[-1]}
    elif policy == "newest":
        chosen = {regular[-1]}
    else:
        chosen = {regular[0], *regular[-2:]}
    chosen.update(p for p in supported if p.free_threaded and p.regular in chosen)
    return tuple(sorted(chosen))


def _marked(
    judge: Judge,
    release: Release,
    rule: PythonRule | None,
    since: date | None,
    tested: Sequence[PythonVersion],
) -> tuple[PythonVerdict, ...]:
    """A pick's verdicts with their evidence, the tested Pythons marked."""
    return tuple(
        PythonVerdict(
            python=v.python, supported=v.supported, tested=v.python in tested, evidence=v.evidence
        )
        for v in judge.verdicts(release, rule, since=since)
    )


# --- the whole suite --------------------------------------------------------------------


_considered = fast_constructor(Considered)
"""``Considered(...)``: selection keeps one for every release of every suite's package."""

T = TypeVar("T")


class Lazy(Sequence[T]):
    """A tuple made on first read: a selection's per-release records, a pick's verdicts.

    Generating the matrix never reads them; ``explain`` and ``report`` do. Equal to any
    sequence with the same items (a tuple, in tests), and hashed like that tuple.
    """

    __slots__ = ("_items", "_make")

    def __init__(self, make: Callable[[], tuple[T, ...]]) -> None:
        self._make: Callable[[], tuple[T, ...]] | None = make
        self._items: tuple[T, ...] = ()

    def _all(self) -> tuple[T, ...]:
        if self._make is not None:
            self._items = self._make()
            self._make = None
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())  # a tuple's: equal to a tuple, hashed like one

    def __repr__(self) -> str:
        return repr(self._all())


def _ruled_out_by_metadata(
    release: Release,
    rule: PythonRule | None,
    since: date | None,
    supports_any: Callable[..., bool],
) -> bool:
    """True when the release would support some Python but for its core metadata."""
    if release.metadata is None:
        return False
    unknown = replace(release, metadata=None, metadata_status="not-fetched")
    return supports_any(unknown, rule, since=since)


class _FirstUploads:
    """The day a version's (epoch, major, minor) first appeared among the recorded
    releases; the table is made on the first question (most suites never ask)."""

    __slots__ = ("_first", "_releases")

    def __init__(self, releases: Sequence[Release]) -> None:
        self._releases = releases
        self._first: dict[tuple[int, int, int], date] | None = None

    def __call__(self, version: Version) -> date | None:
        if self._first is None:
            first: dict[tuple[int, int, int], date] = {}
            for release in self._releases:
                if release.parsed is not None and release.uploaded is not None:
                    key = _minor_key(release.parsed)
                    day = release.uploaded.date()
                    if key not in first or day < first[key]:
                        first[key] = day
            self._first = first
        return self._first.get(_minor_key(version))


def _first_at_or_above(releases: Sequence[Release], minimum: Version | None) -> int:
    """The index of the first release at or above ``minimum`` (releases are in version
    order, legacy versions last; 0 without a minimum)."""
    if minimum is None:
        return 0
    valid = len(releases)
    while valid and releases[valid - 1].parsed is None:
        valid -= 1
    return bisect_left(releases, minimum, hi=valid, key=_parsed)


def _parsed(release: Release) -> Version:
    parsed = release.parsed
    assert parsed is not None
    return parsed


def select_suite(
    suite: Suite,
    facts: PackageFacts,
    *,
    pythons: Sequence[PythonVersion],
    free_threaded: Sequence[PythonVersion],
    now: datetime,
    as_of: date | None,
    remembered: Sequence[str],
    support: SupportCache | None = None,
) -> SuiteSelection:
    """Pick the releases of ``facts`` that ``suite`` tests, and their Pythons.

    ``now`` is the lock's reference time (never the clock); ``remembered`` the versions
    picked at the last update, kept where they still fit (``stable-picks``). ``support``
    shares what is learnt of Python support across the suites of one run.
    """
    policy = suite.policy
    cutoff = cutoff_of(as_of) if as_of is not None else None
    judge = (support if support is not None else SupportCache()).judge(pythons, free_threaded)
    supports_any = judge.supports_any
    gate = _Gate(suite, now=now, cutoff=cutoff)
    restricted = bool(suite.python)
    releases = facts.releases
    skips: dict[int, _Skip | _Unsupported] = {}
    first_of_minor = _FirstUploads(releases)

    def version(i: int) -> Version:
        parsed = releases[i].parsed
        assert parsed is not None
        return parsed

    # Releases below min-version cannot be candidates or the prerelease: start after
    # them. Their records (whose first reason may be another, such as yanked) are made
    # by the same gate when someone reads them.
    start = _first_at_or_above(releases, suite.min_version)
    valid = len(releases)
    while valid > start and releases[valid - 1].parsed is None:
        valid -= 1
    for i in range(valid, len(releases)):  # legacy versions, last in the facts
        invalid = gate(releases[i])
        assert invalid is not None
        skips[i] = invalid

    def judge_release(i: int) -> _Skip | _Unsupported | None:
        """Why release ``i`` cannot be tested, by the gate and its Pythons; None: it can."""
        release = releases[i]
        skip = gate(release)
        if skip is not None:
            return skip
        rule = suite.python_restriction(version(i)) if restricted else None
        # Only known classifiers need the minor's first upload (to tell stale from current).
        since = None if release.metadata is None else first_of_minor(version(i))
        if not supports_any(release, rule, since=since):
            return _Unsupported(judge, release, rule, since)
        return None

    def judge_final(
        i: int, ruled_out: int | None
    ) -> tuple[_Skip | _Unsupported | None, int | None]:
        """Why final release ``i`` is not its minor's candidate (None: it is), walking the
        minor's patches newest first; ``ruled_out`` is the newest patch seen so far that
        its own metadata rules out, and is returned updated."""
        skip = judge_release(i)
        if isinstance(skip, _Unsupported):
            if ruled_out is None and _ruled_out_by_metadata(
                skip.release, skip.rule, skip.since, supports_any
            ):
                ruled_out = i
            return skip, ruled_out
        if skip is not None:
            return skip, ruled_out
        # A release its own metadata rules out speaks for the older patches of its minor
        # whose metadata is not known: they are not candidates in its place (else every
        # update would walk down the patches one metadata request at a time).
        if ruled_out is not None and releases[i].metadata is None:
            detail = (
                f"{releases[ruled_out].version}, a newer patch, supports none of the "
                "project's Pythons by its metadata"
            )
            return _Skip(reason="no-supported-python", detail=detail), ruled_out
        return None, ruled_out

    # Each (major, minor) newest first: its newest patch that passes every check is its
    # candidate. The older patches' reasons are only worked out when the records are read.
    newest_first: list[int] = []
    prereleases: list[int] = []
    older: list[tuple[int, int | None, list[int]]] = []
    i = valid - 1
    while i >= start:
        key = _minor_key(version(i))
        candidate: int | None = None
        ruled_out: int | None = None
        waiting: list[int] = []
        while i >= start and _minor_key(version(i)) == key:
            if version(i).is_prerelease:
                skip = judge_release(i)
                if skip is None:
                    prereleases.append(i)
                else:
                    skips[i] = skip
            elif candidate is not None:
                waiting.append(i)
            else:
                found, ruled_out = judge_final(i, ruled_out)
                if found is None:
                    candidate = i
                else:
                    skips[i] = found
            i -= 1
        if candidate is not None:
            newest_first.append(candidate)
            if waiting:
                older.append((candidate, ruled_out, waiting))
    candidates = newest_first[::-1]
    prereleases.reverse()

    memory = remembered if policy.stable_picks else None
    chosen = _choose(
        [version(i) for i in candidates],
        policy.num_versions,
        memory,
        each_major=policy.each_major,
    )
    roles: dict[int, list[PickRole]] = {candidates[k]: r for k, r in chosen.items()}
    not_chosen = _Skip(
        reason="not-chosen",
        detail=f"a candidate; num-versions {policy.num_versions} chose others",
    )
    for i in candidates:
        if i not in roles:
            skips[i] = not_chosen

    prerelease = _prerelease(
        releases,
        prereleases,
        latest_final=version(candidates[-1]) if candidates else None,
        suite=suite,
        now=now,
        skips=skips,
    )
    if prerelease is not None:
        roles[prerelease] = ["prerelease"]

    picks: dict[int, Pick] = {}
    for i in sorted(roles, key=version):
        rule = suite.python_restriction(version(i)) if restricted else None
        since = first_of_minor(version(i))
        tested = _tested(judge.supported(releases[i], rule, since=since), policy.python_policy)
        ordered = tuple(r for r in _ROLE_ORDER if r in roles[i])
        picks[i] = Pick(
            version=version(i),
            roles=ordered,
            pythons=tested,
            verdicts=Lazy(partial(_marked, judge, releases[i], rule, since, tested)),
            uploaded=releases[i].uploaded,
        )

    def records() -> tuple[Considered, ...]:
        for newest, newer_ruled_out, waiting in older:
            not_newest = _Skip(
                reason="not-newest-patch",
                detail=f"{releases[newest].version} is the newest patch of its minor",
            )
            ruled_out = newer_ruled_out
            for i in waiting:
                skip, ruled_out = judge_final(i, ruled_out)
                skips[i] = not_newest if skip is None else skip
        older.clear()
        out = []
        for i, release in enumerate(releases):
            pick = picks.get(i)
            if pick is not None:
                out.append(
                    _considered(
                        version=release.version,
                        uploaded=release.uploaded,
                        picked=True,
                        reason=None,
                        detail=", ".join(pick.roles),
                    )
                )
                continue
            skip = skips.get(i) if i >= start else gate(release)
            assert skip is not None
            out.append(
                _considered(
                    version=release.version,
                    uploaded=release.uploaded,
                    picked=False,
                    reason=skip.reason,
                    detail=skip.detail,
                )
            )
        return tuple(out)

    considered = Lazy(records)
    final_picks = [i for i in picks if i != prerelease]
    return SuiteSelection(
        suite=suite.name,
        picks=tuple(picks.values()),
        latest=picks[final_picks[-1]] if final_picks else None,
        considered=considered,
        remembered=tuple(releases[i].version for i in final_picks),
        warnings=_warnings(suite, facts, [version(i) for i in candidates], considered, picks),
    )


def _prerelease(
    releases: Sequence[Release],
    ascending: Sequence[int],
    *,
    latest_final: Version | None,
    suite: Suite,
    now: datetime,
    skips: dict[int, _Skip | _Unsupported],
) -> int | None:
    """The prerelease to test, if any; every other prerelease gets its skip reason."""
    if not ascending:
        return None
    policy = suite.policy
    newest = ascending[-1]
    for i in ascending[:-1]:
        if policy.prereleases:
            detail = f"{releases[newest].version} is newer"
            skips[i] = _Skip(reason="older-prerelease", detail=detail)
        else:
            skips[i] = _Skip(reason="prereleases-disabled", detail="prereleases = false")
    release = releases[newest]
    parsed = release.parsed
    assert parsed is not None
    if not policy.prereleases:
        skips[newest] = _Skip(reason="prereleases-disabled", detail="prereleases = false")
        return None
    if latest_final is not None and parsed <= latest_final:
        detail = f"not newer than the latest final release {latest_final}"
        skips[newest] = _Skip(reason="prerelease-not-newer", detail=detail)
        return None
    max_age = policy.prerelease_max_age
    if release.uploaded is None:
        detail = "upload time unknown, so its age is unknown"
        skips[newest] = _Skip(reason="prerelease-too-old", detail=detail)
        return None
    if now - release.uploaded > max_age:
        detail = (
            f"uploaded {format_time(release.uploaded)}, {_age(now - release.uploaded)} "
            f"before {format_time(now)}; prerelease-max-age is {_days(max_age)}"
        )
        skips[newest] = _Skip(reason="prerelease-too-old", detail=detail)
        return None
    return newest


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


def _warnings(
    suite: Suite,
    facts: PackageFacts,
    candidates: Sequence[Version],
    considered: Sequence[Considered],
    picks: dict[int, Pick],
) -> tuple[str, ...]:
    out: list[str] = []
    minimum = suite.min_version
    if minimum is not None and _all_older(facts, minimum):
        newest = max(r.parsed for r in facts.releases if r.parsed is not None)
        out.append(
            f"min-version {minimum} is newer than every release of {facts.name} "
            f"(the newest is {newest})"
        )
    elif minimum is not None and candidates and _minor_key(candidates[0]) != _minor_key(minimum):
        out.append(
            f"min-version is {minimum}, but the lowest release of {facts.name} that can be "
            f"tested is {candidates[0]}"
        )
    if not picks:
        counts = Counter(c.reason for c in considered if c.reason is not None)
        summary = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
        out.append(
            f"no release of {facts.name} can be tested"
            + (f" ({summary})" if summary else " (the index lists no releases)")
        )
    return tuple(out)


READ_AHEAD = 8
"""Candidates whose metadata is read ahead once a release was ruled out by its own."""


def metadata_wanted(selection: SuiteSelection, facts: PackageFacts) -> tuple[str, ...]:
    """Versions whose core metadata selection wants and that was not fetched yet.

    The picks'; and once some release was ruled out by its metadata alone (Python 2-only
    classifiers, a Requires-Python the page lacks), the next :data:`READ_AHEAD` candidates
    above the lowest pick too: releases next to one ruled out that way often are as well,
    and reading them at once saves an update round for each.
    """
    if not selection.picks:
        return ()
    # facts.release(v), for many v: the first release whose text or version matches.
    by_text: dict[str, int] = {}
    by_version: dict[Version, int] = {}
    for i, release in enumerate(facts.releases):
        by_text.setdefault(release.version, i)
        if release.parsed is not None:
            by_version.setdefault(release.parsed, i)
    wanted: list[str] = []
    for pick in selection.picks:
        text = str(pick.version)
        parsed = parse_version(text)
        matches = (by_text.get(text), by_version.get(parsed) if parsed is not None else None)
        found = [j for j in matches if j is not None]
        if not found:
            continue
        release = facts.releases[min(found)]
        if release.metadata_status == "not-fetched":
            wanted.append(release.version)
    if _any_ruled_out_by_metadata(selection, facts):
        lowest = selection.picks[0].version
        waiting = [
            c.version
            for c in selection.considered
            if c.reason == "not-chosen"
            and (v := parse_version(c.version)) is not None
            and v > lowest
        ]
        for text in waiting[:READ_AHEAD]:
            release = facts.releases[by_text[text]]
            if release.metadata_status == "not-fetched" and text not in wanted:
                wanted.append(text)
    return tuple(wanted)


def _any_ruled_out_by_metadata(selection: SuiteSelection, facts: PackageFacts) -> bool:
    """Was some release that is not a pick ruled out with its metadata known?"""
    picked = {str(p.version) for p in selection.picks}
    suspects = {r.version for r in facts.releases if r.metadata is not None} - picked
    if not suspects:
        return False  # the per-release records are not built for nothing
    return any(
        c.reason == "no-supported-python" and c.version in suspects for c in selection.considered
    )
