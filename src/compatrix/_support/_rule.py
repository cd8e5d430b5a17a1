"""The Python-support rule: which of the project's Pythons a release supports, and why.

docs/selection.md ("Which Pythons a release supports") states it: the evidence is weighed
strongest first (Requires-Python, the wheels, the upload date against CPython's first
betas, the classifiers), then the suite's own restriction applies, then each free-threaded
build follows its regular build. :meth:`SupportRule.judge` weighs it once per set of facts
that decide it and returns the findings (:class:`Support`); selection reads which Pythons
are supported from them, ``explain`` and ``report`` word them as evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, partial
from typing import NamedTuple, get_args

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from compatrix._config import PythonRule, matches
from compatrix._lock import MetadataStatus, Release, parse_version
from compatrix._pythons import PythonVersion, classifier_python, cpython_release
from compatrix._support._findings import (
    Finding,
    FindingKind,
    PythonFindings,
    Strength,
    Support,
)
from compatrix._support._wheels import (
    Tag,
    Wheels,
    free_threaded_wheel,
    is_pure,
    wheels_for,
)

__all__ = [
    "HEURISTICS",
    "Evidence",
    "Probed",
    "Restriction",
    "SupportCache",
    "SupportRule",
]

STALE_AFTER = timedelta(days=365)
"""Classifiers are stale when a newer Python had been out this long when the minor came out."""

_PATCHES = 31
"""Patch releases ``compatrix._config.admits`` tries: a Python is admitted when any is."""
_PYTHON2_RE = re.compile(r"^Programming Language :: Python :: 2(?:\.(\d+))?(?: :: Only)?$")
_PYTHON3_RE = re.compile(r"^Programming Language :: Python :: 3(?:\.\d+)?(?: :: Only)?$")
_DASH = "\u2013"

# Findings that say the same of every Python and every release: made once.
_PURE_WHEEL = Finding("pure-wheel", "for")
_SDIST = Finding("sdist", "for")
_SDIST_NO_WHEEL_FOR_IT = Finding("sdist-no-wheel-for-it", "for")
_NO_FILES = Finding("no-files", "against")
_CLASSIFIER = Finding("classifier", "for")
_NO_CLASSIFIERS_OF_MAJOR = Finding("no-classifiers-of-major", "note")
_UNKNOWN: dict[MetadataStatus, Finding] = {
    "no-wheel": Finding("classifiers-unknown-no-wheel", "note"),
    "unavailable": Finding("classifiers-unknown-unavailable", "note"),
}
_STRENGTH_ORDER: dict[Strength, int] = {s: i for i, s in enumerate(get_args(Strength))}
"""Strongest first, as :data:`Strength` lists them."""
_REGULAR_BUILD_SUPPORTED = Finding("regular-build-supported", "for")
_NO_FREE_THREADED_WHEEL = Finding("no-free-threaded-wheel", "against")


@dataclass(frozen=True, slots=True)
class Restriction:
    """A suite's Python restriction as the rule applies it (:meth:`SupportRule.restriction`)."""

    text: str
    """How evidence names it: ``suite restriction '<3.13' (for versions '<1')``."""
    admits: frozenset[PythonVersion]
    """The project's regular Pythons it admits."""


HEURISTICS: frozenset[FindingKind] = frozenset(
    {"uploaded-before-first-beta", "classifiers-exclude", "python-2-only", "needs-build"}
)
"""Findings against a Python that guess from metadata; recorded evidence (a probe, the
suite's ``add-python``) outweighs them. The others (Requires-Python, the files, the suite's
restriction) are what installers and the config enforce. ``needs-build`` (the env's
resolution takes an sdist of a package that ships compiled wheels) is outweighed where the
env is resolved: a probe that imports, or the package in the config's ``allow-builds``,
lets the env be pinned with the sdist built."""


@dataclass(frozen=True, slots=True)
class Probed:
    """What ``compatrix probe`` saw for a release on one regular Python."""

    python: PythonVersion
    imports: bool
    day: date
    detail: str = ""
    inferred_from: str = ""
    """For a release without a probe of its own on this Python: the newer patch of its
    minor whose failed probe stands for it (``2.4.8``); empty for its own probe."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Recorded evidence about a release, beyond its metadata: probes and the suite's
    ``add-python`` (Python -> reason)."""

    probes: tuple[Probed, ...] = ()
    added: tuple[tuple[PythonVersion, str], ...] = ()


class _Facts(NamedTuple):
    """The facts of a release, and of the suite, that decide its findings."""

    requires_python: str | None
    """The index's, else the core metadata's; None when blank."""
    sdist: bool
    wheel_tags: tuple[str, ...]
    betas_before: int
    """How many of the project Pythons' first betas came out on or before the upload day
    (all of them when the upload time is unknown): the others came out after it."""
    classifiers: tuple[str, ...] | None
    """None when the core metadata is not known."""
    metadata_status: MetadataStatus
    classifiers_current: bool
    restriction: Restriction | None
    evidence: Evidence | None


@dataclass(frozen=True, slots=True)
class _Python:
    """One regular Python of the project, with what the rule needs to know of it."""

    python: PythonVersion
    index: int
    """Its place among the project's regular Pythons (and in :class:`Wheels`' tuples)."""
    first_beta: date | None
    beta_rank: int | None
    """The place of its first beta among the project Pythons' first betas, oldest first."""
    free_threaded: PythonVersion | None
    """Its free-threaded build, when that gets a verdict too."""
    patches: tuple[Version, ...]
    """``X.Y.0`` to ``X.Y.30``: the releases ``compatrix._config.admits`` tries."""
    before_first_beta: Finding
    """Against it, for a release uploaded before its first beta (made once)."""


class _Weighing:
    """The findings of one regular Python while steps 1 to 4 gather them."""

    __slots__ = ("classifiers_exclude", "findings", "python")

    def __init__(self, python: _Python) -> None:
        self.python = python
        self.findings: list[Finding] = []
        self.classifiers_exclude: Finding | None = None
        """Against the Python by its classifiers: it counts unless they are stale (see
        :func:`_unless_stale`)."""

    @property
    def against(self) -> bool:
        return any(f.strength == "against" for f in self.findings)


class SupportRule:
    """The rule for one set of project Pythons, with what it learnt during one run.

    Answers are memoized by the facts that decide them (:class:`_Facts`); so are the parsed
    Requires-Python specifiers, their answers per Python, the wheel tags and classifiers.
    """

    def __init__(
        self, pythons: Sequence[PythonVersion], free_threaded: Sequence[PythonVersion]
    ) -> None:
        self.key = (tuple(pythons), tuple(free_threaded))
        """What decides every answer: two rules with equal keys answer alike."""
        self.regular: tuple[PythonVersion, ...] = tuple(sorted({p.regular for p in pythons}))
        """The regular builds of the project's Pythons, oldest first."""
        features = {p.regular for p in free_threaded}
        first_betas = {p: _first_beta(p) for p in self.regular}
        self._betas = sorted({d for d in first_betas.values() if d is not None})
        self._pythons = tuple(
            _Python(
                python=p,
                index=k,
                first_beta=first_betas[p],
                beta_rank=_rank(self._betas, first_betas[p]),
                free_threaded=(
                    PythonVersion(p.major, p.minor, free_threaded=True) if p in features else None
                ),
                patches=tuple(Version(f"{p.major}.{p.minor}.{n}") for n in range(_PATCHES)),
                before_first_beta=Finding(
                    "uploaded-before-first-beta", "against", first_beta=first_betas[p]
                ),
            )
            for k, p in enumerate(self.regular)
        )
        self._weighed = cache(self._weigh)
        self._specifier = cache(_specifier)
        self._requires_python_findings = cache(self._requires_python_of)
        self._wheels_of = cache(partial(wheels_for, regular=self.regular))
        self._classifier_pythons = cache(_classifier_pythons)

    def restriction(self, rule: PythonRule) -> Restriction:
        """A suite's Python restriction (one entry of its ``python`` table), made once per
        suite: :meth:`judge` applies it."""
        admits = frozenset(p for p in self.regular if matches(rule.pythons, p))
        return Restriction(text=restriction_text(rule), admits=admits)

    def judge(
        self,
        release: Release,
        restriction: Restriction | None = None,
        *,
        since: date | None = None,
        evidence: Evidence | None = None,
    ) -> Support:
        """Which Pythons ``release`` supports under the suite ``restriction``, with the findings.

        ``since`` is the first upload of the release's (major, minor): it tells classifiers
        that were current when the minor came out from stale ones. ``evidence`` (probes,
        the suite's ``add-python``) outweighs the heuristics.
        """
        return self._weighed(self._facts(release, restriction, since, evidence))

    def _facts(
        self,
        release: Release,
        restriction: Restriction | None,
        since: date | None,
        evidence: Evidence | None = None,
    ) -> _Facts:
        betas = self._betas
        uploaded = release.uploaded
        before = len(betas) if uploaded is None else bisect_right(betas, uploaded.date())
        metadata = release.metadata
        classifiers = None if metadata is None else metadata.classifiers
        requires_python = release.requires_python
        if (requires_python is None or not requires_python.strip()) and metadata is not None:
            requires_python = metadata.requires_python
        if requires_python is not None:
            requires_python = requires_python.strip() or None
        return _Facts(
            requires_python,
            release.sdist,
            release.wheel_tags,
            before,
            classifiers,
            release.metadata_status,
            self._classifiers_current(classifiers, since),
            restriction,
            evidence if evidence is not None and (evidence.probes or evidence.added) else None,
        )

    # --- the rule ------------------------------------------------------------------------

    def _weigh(self, facts: _Facts) -> Support:
        """The rule, step by step; each step weighs one kind of evidence for every Python."""
        weighing = [_Weighing(python) for python in self._pythons]
        text = facts.requires_python
        specifier = None
        if text is not None:  # Step 1: Requires-Python.
            specifier = self._specifier(text)
            for w, finding in zip(weighing, self._requires_python_findings(text), strict=True):
                w.findings.append(finding)
        wheels = self._wheels_of(facts.wheel_tags)
        _files(weighing, wheels, sdist=facts.sdist)
        classifiers = self._classifiers_of(facts.classifiers)
        _upload_date(weighing, wheels, classifiers, betas_before=facts.betas_before)
        if classifiers is None:
            unknown = _UNKNOWN.get(facts.metadata_status)
            if unknown is not None:
                for w in weighing:
                    w.findings.append(unknown)
        else:
            only = _python2_only(facts.classifiers, facts.wheel_tags)
            _classifiers(weighing, wheels, classifiers, only, requires_python=specifier)
            _unless_stale(weighing, classifiers, current=facts.classifiers_current)
        found: list[PythonFindings] = []
        for w, restricted in zip(weighing, _restricted(weighing, facts.restriction), strict=True):
            regular = _recorded(restricted, facts.evidence)
            found.append(regular)
            build = w.python.free_threaded
            if build is not None:
                found.append(_free_threaded(build, regular, wheels.tags))
        return Support.of(tuple(found))

    def _requires_python_of(self, text: str) -> tuple[Finding, ...]:
        """Step 1, per regular Python (asked once per Requires-Python text): a Python the
        release's Requires-Python does not admit is unsupported."""
        specifier = self._specifier(text)
        if specifier is None:
            return (Finding("requires-python-invalid", "note", text),) * len(self._pythons)
        admits = Finding("requires-python-admits", "for", text)
        excludes = Finding("requires-python-excludes", "against", text)
        return tuple(admits if _admits(specifier, p) else excludes for p in self._pythons)

    def _classifiers_current(self, raw: tuple[str, ...] | None, since: date | None) -> bool:
        """Were the release's Python 3 classifiers up to date when its minor came out?

        ``since`` is the first upload of the release's (major, minor). The classifiers
        were current then unless the Python after the newest one they list had been
        released for :data:`STALE_AFTER` already. A maintenance release of an old minor
        (Django 1.8.19, listing up to 3.5, from 2018) keeps the classifiers of its
        minor (1.8, from 2015: current); a minor first released in 2023 that lists only up
        to 3.8 has stale ones.
        """
        if raw is None or since is None:
            return False
        listed = [c for c in self._classifiers_of(raw) or () if c.major == 3]
        if not listed:
            return False
        following = cpython_release(PythonVersion(3, listed[-1].minor + 1))
        return following is None or since < following.final + STALE_AFTER

    # --- memoized pieces -----------------------------------------------------------------

    def _classifiers_of(self, raw: tuple[str, ...] | None) -> tuple[PythonVersion, ...] | None:
        """The ``Python :: X.Y`` classifiers' Pythons, oldest first; None when unknown."""
        return None if raw is None else self._classifier_pythons(raw)


@dataclass(slots=True)
class SupportCache:
    """The rules of one run, one per set of project Pythons, with what each learnt."""

    rules: dict[tuple[tuple[PythonVersion, ...], tuple[PythonVersion, ...]], SupportRule] = field(
        default_factory=dict
    )

    def rule(
        self, pythons: Sequence[PythonVersion], free_threaded: Sequence[PythonVersion]
    ) -> SupportRule:
        """The rule for these project Pythons, made once per run."""
        key = (tuple(pythons), tuple(free_threaded))
        rule = self.rules.get(key)
        if rule is None:
            rule = self.rules[key] = SupportRule(pythons, free_threaded)
        return rule


def _admits(specifier: SpecifierSet, python: _Python) -> bool:
    """``compatrix._config.admits(specifier, python)``."""
    patches = python.patches
    return any(patches[p] in specifier for p in deciding_patches(specifier, python.python))


def _files(weighing: Sequence[_Weighing], wheels: Wheels, *, sdist: bool) -> None:
    """Step 2: an sdist installs anywhere; without one, a Python needs a wheel for it."""
    if sdist:
        otherwise = _SDIST_NO_WHEEL_FOR_IT if wheels.tags else _SDIST
    elif not wheels.tags:
        otherwise = _NO_FILES
    elif wheels.any_pure_abi:
        otherwise = Finding("no-wheel-for-python", "against", wheels.described)
    else:
        otherwise = Finding("only-binary-wheels", "against", wheels.described)
    for w in weighing:
        installs = wheels.installs[w.python.index]
        if installs is None:
            w.findings.append(otherwise)
        elif installs.pure:
            w.findings.append(_PURE_WHEEL)
        else:
            kind: FindingKind = "abi3-wheel" if installs.tag.abi == "abi3" else "wheel"
            w.findings.append(Finding(kind, "for", installs.tag.text))


def _upload_date(
    weighing: Sequence[_Weighing],
    wheels: Wheels,
    classifiers: tuple[PythonVersion, ...] | None,
    *,
    betas_before: int,
) -> None:
    """Step 3: a release uploaded before a Python's first beta was not made for it, unless
    a wheel built for exactly that Python or a classifier listing it says otherwise."""
    for w in weighing:
        python = w.python
        if python.beta_rank is None or python.beta_rank < betas_before:
            continue
        exact = wheels.exact[python.index]
        if exact is not None:
            kind: FindingKind = "uploaded-before-first-beta-but-wheel"
            w.findings.append(Finding(kind, "note", wheel=exact, first_beta=python.first_beta))
        elif classifiers is not None and python.python in classifiers:
            kind = "uploaded-before-first-beta-but-classifier"
            w.findings.append(Finding(kind, "note", first_beta=python.first_beta))
        else:
            w.findings.append(python.before_first_beta)


def _classifiers(
    weighing: Sequence[_Weighing],
    wheels: Wheels,
    classifiers: tuple[PythonVersion, ...],
    python2_only: str | None,
    *,
    requires_python: SpecifierSet | None,
) -> None:
    """Step 4: what the classifiers of the Python's major version say of it (an exclusion
    is set aside: :func:`_unless_stale` decides whether it counts)."""
    # Per major version: the Pythons the classifiers list, and their span (made once).
    of_major: dict[int, tuple[tuple[PythonVersion, ...], str]] = {}
    for w in weighing:
        python = w.python.python
        if python2_only is not None and python.major == 3:
            w.findings.append(Finding("python-2-only", "against", python2_only))
        if python.major not in of_major:
            listed = tuple(c for c in classifiers if c.major == python.major)
            of_major[python.major] = (listed, _span(listed) if listed else "")
        listed, span = of_major[python.major]
        exact = wheels.exact[w.python.index]
        if not listed:
            w.findings.append(_NO_CLASSIFIERS_OF_MAJOR)
        elif python in listed:
            w.findings.append(_CLASSIFIER)
        elif python > listed[-1] and exact is not None:
            kind: FindingKind = "classifiers-exclude-but-wheel"
            w.findings.append(Finding(kind, "note", span, exact))
        elif python > listed[-1] or (python < listed[0] and requires_python is None):
            w.classifiers_exclude = Finding("classifiers-exclude", "against", span)
        elif python < listed[0]:
            kind = "classifiers-leave-it-to-requires-python"
            w.findings.append(Finding(kind, "note", span))
        else:
            w.findings.append(Finding("classifiers-around", "for", span))


def _unless_stale(
    weighing: Sequence[_Weighing], classifiers: tuple[PythonVersion, ...], *, current: bool
) -> None:
    """Classifiers that would rule out every Python the first steps allow are ignored as
    stale, unless they were current when the release's minor came out."""
    allowed = [w for w in weighing if not w.against]
    would_empty = bool(allowed) and all(w.classifiers_exclude is not None for w in allowed)
    stale = would_empty and not current
    kind: FindingKind = "classifiers-stale" if stale else "classifiers-current"
    for w in allowed if would_empty else ():
        listed = tuple(c for c in classifiers if c.major == w.python.python.major)
        w.findings.append(Finding(kind, "note", _span(listed)))
    for w in weighing:
        if w.classifiers_exclude is not None and not stale:
            w.findings.append(w.classifiers_exclude)


def _restricted(
    weighing: Sequence[_Weighing], restriction: Restriction | None
) -> list[PythonFindings]:
    """Each regular Python's findings, strongest first (against it, for it, the notes), the
    suite's restriction applied: it comes first when it excludes the Python, else last."""
    if restriction is not None:  # the same two findings for every Python
        admits = Finding("restriction-admits", "for", restriction.text)
        excludes = Finding("restriction-excludes", "against", restriction.text)
    out = []
    for w in weighing:
        python = w.python.python
        findings = sorted(w.findings, key=lambda f: _STRENGTH_ORDER[f.strength])
        if restriction is not None and python in restriction.admits:
            findings.append(admits)
        elif restriction is not None:
            findings.insert(0, excludes)
        supported = not findings or findings[0].strength != "against"
        out.append(PythonFindings(python=python, supported=supported, findings=tuple(findings)))
    return out


def _recorded(found: PythonFindings, evidence: Evidence | None) -> PythonFindings:
    """A regular Python's findings with the recorded evidence weighed in: a probe that
    imports, or the suite's ``add-python``, outweighs the heuristics against the Python
    (the finding names the first as its cause); a probe that fails rules the Python out,
    and so does a newer patch's failed probe standing for this release (``inferred_from``)."""
    if evidence is None:
        return found
    python = found.python
    probe = next((p for p in evidence.probes if p.python == python), None)
    reason = next((r for p, r in evidence.added if p == python), None)
    if probe is None and reason is None:
        return found
    findings = list(found.findings)
    overruled = [f for f in findings if f.strength == "against" and f.kind in HEURISTICS]
    cause = overruled[0] if overruled else None
    recorded: list[Finding] = []
    if reason is not None:
        recorded.append(Finding("added-by-config", "for", reason, cause=cause))
    if probe is not None and probe.imports:
        recorded.append(Finding("probed-imports", "for", probe.day.isoformat(), cause=cause))
    if recorded:  # the heuristics are outweighed: each names what it outweighs
        findings = [f for f in findings if f not in overruled]
    if probe is not None and not probe.imports and probe.inferred_from:
        subject = f"{probe.inferred_from} on {probe.day.isoformat()}"
        recorded.append(
            Finding("probed-fails-newer-patch", "against", subject, detail=probe.detail)
        )
    elif probe is not None and not probe.imports:
        recorded.append(
            Finding("probed-fails", "against", probe.day.isoformat(), detail=probe.detail)
        )
    against = [f for f in findings if f.strength == "against"]
    rest = [f for f in findings if f.strength != "against"]
    ordered = [f for f in recorded if f.strength == "against"] + against
    ordered += [f for f in recorded if f.strength == "for"] + rest
    ordered += [f for f in recorded if f.strength == "note"]
    supported = not ordered or ordered[0].strength != "against"
    return PythonFindings(python=python, supported=supported, findings=tuple(ordered))


def _free_threaded(
    build: PythonVersion, regular: PythonFindings, tags: Sequence[Tag]
) -> PythonFindings:
    """A free-threaded build follows its regular build, given a wheel that installs on it."""
    if not regular.supported:
        cause = regular.findings[0] if regular.findings else None
        unsupported = Finding("regular-build-unsupported", "against", cause=cause)
        return PythonFindings(python=build, supported=False, findings=(unsupported,))
    feature = regular.python
    wheel = next((t for t in tags if free_threaded_wheel(t, feature)), None)
    if wheel is not None:
        kind: FindingKind = "abi3t-wheel" if wheel.abi == "abi3t" else "free-threaded-wheel"
        found = (Finding(kind, "for", wheel.text), _REGULAR_BUILD_SUPPORTED)
        return PythonFindings(python=build, supported=True, findings=found)
    if any(is_pure(t, feature) for t in tags):
        found = (_PURE_WHEEL, _REGULAR_BUILD_SUPPORTED)
        return PythonFindings(python=build, supported=True, findings=found)
    return PythonFindings(python=build, supported=False, findings=(_NO_FREE_THREADED_WHEEL,))


def _specifier(text: str) -> SpecifierSet | None:
    """``SpecifierSet(text)``, or None when it is invalid."""
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def _rank(betas: list[date], first_beta: date | None) -> int | None:
    return betas.index(first_beta) if first_beta is not None else None


def _first_beta(python: PythonVersion) -> date | None:
    known = cpython_release(python)
    return known.first_beta if known is not None else None


def restriction_text(rule: PythonRule) -> str:
    """How evidence names a suite restriction."""
    if rule.versions is None:
        return f"suite restriction '{rule.pythons}'"
    return f"suite restriction '{rule.pythons}' (for versions '{rule.versions}')"


def deciding_patches(specifier: SpecifierSet, python: PythonVersion) -> list[int]:
    """The patch levels of ``python`` whose answers decide ``admits`` for ``specifier``.

    ``admits`` asks whether some ``X.Y.p``, ``p`` in 0..30, is in the specifier. Each
    specifier's answer for ``X.Y.p`` changes with ``p`` only at the patch level ``s`` its
    own version names (``>=3.8.5``, ``!=3.8.5``, ``<3.8.5rc1``) or right after it
    (``>3.8.5``, ``<=3.8.5.1``); a version of another feature release answers the same for
    every ``p``. So the answer over 0..30 is constant between those levels, and asking at
    0 and at each ``s`` and ``s + 1`` asks every stretch once: a handful of checks instead
    of 31 when the Python is excluded.
    """
    levels = {0}
    for spec in specifier:
        release = parse_version(spec.version.removesuffix(".*"))
        if release is None:
            return list(range(_PATCHES))  # an arbitrary-equality string: ask them all
        parts = release.release
        if parts[:2] == (python.major, python.minor):
            level = parts[2] if len(parts) > 2 else 0
            levels.update(p for p in (level, level + 1) if p < _PATCHES)
    return sorted(levels)


def _span(pythons: Sequence[PythonVersion]) -> str:
    return str(pythons[0]) if len(pythons) == 1 else f"{pythons[0]}{_DASH}{pythons[-1]}"


def _classifier_pythons(classifiers: Sequence[str]) -> tuple[PythonVersion, ...]:
    """The ``Python :: X.Y`` classifiers' Pythons, oldest first."""
    return tuple(sorted({p for c in classifiers if (p := classifier_python(c)) is not None}))


def _python2_only(classifiers: tuple[str, ...] | None, wheel_tags: tuple[str, ...]) -> str | None:
    """``Python 2.7`` when the release declares Python 2 and nothing of Python 3.

    Unlike a list of old Python 3 versions, which is often just not kept up to date, a
    release that names only Python 2 (``Python :: 2.7``, ``Python :: 2 :: Only``) and
    neither ``Python :: 3`` nor a 3.X, and ships no wheel for Python 3, does not run on it.
    """
    if classifiers is None:
        return None
    stripped = [c.strip() for c in classifiers]
    if any(_PYTHON3_RE.match(c) for c in stripped):
        return None
    declared = [m for c in stripped if (m := _PYTHON2_RE.match(c)) is not None]
    if not declared:
        return None
    if any(tag.startswith(("py3", "cp3")) for tag in wheel_tags):
        return None
    minors = sorted({int(m[1]) for m in declared if m[1] is not None})
    if not minors:
        return "Python 2"
    if len(minors) == 1:
        return f"Python 2.{minors[0]}"
    return f"Python 2.{minors[0]}{_DASH}2.{minors[-1]}"
