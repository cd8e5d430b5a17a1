"""Which of the project's Pythons a release supports, and the evidence for each verdict.

Evidence is weighed strongest first (docs/selection.md): Requires-Python, the wheels a
release ships, its upload date against CPython's first betas, its Python classifiers, and
finally the suite's own Python restriction. Every verdict keeps the facts that decided it,
so ``explain`` can show why a Python is or is not tested.

Selection asks two questions of thousands of releases: does a release support any of the
project's Pythons (each minor's patches, newest first, up to its candidate), and with what
evidence (only when ``explain`` or ``report`` reads it). A :class:`Judge` answers both for
one set of Pythons; the first answer is memoized by the facts that decide it, which repeat
from release to release.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from compatrix._config import PythonRule, matches
from compatrix._lock import Release, parse_version
from compatrix._pythons import PythonVersion, cpython_release

__all__ = ["Judge", "PythonVerdict", "SupportCache", "python_verdicts", "verdicts_with"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonVerdict:
    """Whether a release supports one of the project's Pythons, and the evidence."""

    python: PythonVersion
    supported: bool
    tested: bool
    """True when an env tests this Python (chosen by the suite's Python policy)."""
    evidence: tuple[str, ...]
    """Human-readable facts, strongest first (``Requires-Python '>=3.9' excludes 3.8``)."""

    @property
    def lead(self) -> str:
        """The strongest piece of evidence; ``unsupported`` when there is none."""
        return self.evidence[0] if self.evidence else "unsupported"


_CLASSIFIER_RE = re.compile(r"^Programming Language :: Python :: (\d+)\.(\d+)$")
_INTERPRETER_RE = re.compile(r"^(py|cp)(\d)(\d*)$")
_PATCHES = 31
"""Patch releases ``compatrix._config._model.admits`` tries: a Python is admitted when any is."""
# An en dash joins ranges in evidence: 3.8 to 3.12 reads "3.8\u20133.12".
_DASH = "\u2013"


@dataclass(frozen=True, slots=True)
class _Tag:
    """One expanded ``interpreter-abi`` pair of a wheel."""

    kind: str
    """``py`` (generic Python) or ``cp`` (CPython)."""
    major: int
    minor: int | None
    """None for a major-only tag such as ``py3``."""
    abi: str
    text: str


def _expand(wheel_tags: Sequence[str]) -> tuple[_Tag, ...]:
    """The wheel tags, compressed sets (``py2.py3-none``) expanded.

    Interpreters other than CPython and generic Python (PyPy, GraalPy) are left out: their
    wheels never install on CPython.
    """
    out: list[_Tag] = []
    for pair in wheel_tags:
        interpreters, sep, abis = pair.partition("-")
        if not sep:
            continue
        for interpreter in interpreters.split("."):
            match = _INTERPRETER_RE.match(interpreter)
            if match is None:
                continue
            minor = int(match[3]) if match[3] else None
            for abi in abis.split("."):
                out.append(_Tag(match[1], int(match[2]), minor, abi, f"{interpreter}-{abi}"))
    return tuple(out)


def _is_pure(tag: _Tag, python: PythonVersion) -> bool:
    """A pure-Python wheel (abi ``none``) for ``py3``, ``py2.py3`` or ``pyXY`` with XY <= p."""
    return (
        tag.kind == "py"
        and tag.abi == "none"
        and tag.major == python.major
        and (tag.minor is None or tag.minor <= python.minor)
    )


def _is_exact(tag: _Tag, python: PythonVersion) -> bool:
    """A CPython wheel built for exactly this feature version (``cp312-...``)."""
    return tag.kind == "cp" and tag.major == python.major and tag.minor == python.minor


def _installs_on(tag: _Tag, python: PythonVersion) -> bool:
    """Does a wheel with this tag install on the regular (GIL) build of ``python``?"""
    if _is_pure(tag, python):
        return True
    if tag.kind != "cp" or tag.major != python.major or tag.minor is None:
        return False
    if tag.abi == "abi3":
        return tag.minor <= python.minor
    if tag.minor != python.minor:
        return False
    return tag.abi in {"none", f"cp{python.nodot}", f"cp{python.nodot}m", f"cp{python.nodot}d"}


def _free_threaded_wheel(tag: _Tag, python: PythonVersion) -> bool:
    """A wheel for the free-threaded build: ``cpXY-cpXYt``, or ``abi3t`` (3.15+)."""
    if tag.kind != "cp" or tag.major != python.major or tag.minor is None:
        return False
    if tag.abi == "abi3t":
        return (python.major, python.minor) >= (3, 15) and tag.minor <= python.minor
    return tag.minor == python.minor and tag.abi == f"cp{python.nodot}t"


def _describe_binaries(tags: Sequence[_Tag]) -> str:
    """The binary wheels, summarised: a run of CPython versions, abi3 and the rest.

    For example ``cp38\u2013cp311, cp39-abi3, cp313t``.
    """
    exact: set[tuple[int, int]] = set()
    others: set[str] = set()
    for tag in tags:
        if tag.kind == "cp" and tag.minor is not None and tag.abi.startswith(f"cp{tag.major}"):
            if tag.abi.endswith("t"):
                others.add(f"cp{tag.major}{tag.minor}t")
            else:
                exact.add((tag.major, tag.minor))
        else:
            others.add(tag.text)
    parts: list[str] = []
    runs: list[list[tuple[int, int]]] = []
    for version in sorted(exact):
        if runs and runs[-1][-1] == (version[0], version[1] - 1):
            runs[-1].append(version)
        else:
            runs.append([version])
    for run in runs:
        first, last = run[0], run[-1]
        name = f"cp{first[0]}{first[1]}"
        parts.append(name if first == last else f"{name}{_DASH}cp{last[0]}{last[1]}")
    parts.extend(sorted(others))
    return ", ".join(parts)


def _requires_python(release: Release) -> str | None:
    """Requires-Python from the index, else from the core metadata; blank counts as none."""
    text = release.requires_python
    if (text is None or not text.strip()) and release.metadata is not None:
        text = release.metadata.requires_python
    if text is None or not text.strip():
        return None
    return text.strip()


_PYTHON2_RE = re.compile(r"^Programming Language :: Python :: 2(?:\.(\d+))?(?: :: Only)?$")
_PYTHON3_RE = re.compile(r"^Programming Language :: Python :: 3(?:\.\d+)?(?: :: Only)?$")


def _python2_only(release: Release) -> str | None:
    """``Python 2.7`` when the release declares Python 2 and nothing of Python 3.

    Unlike a list of old Python 3 versions, which is often just not kept up to date, a
    release that names only Python 2 (``Python :: 2.7``, ``Python :: 2 :: Only``) and
    neither ``Python :: 3`` nor a 3.X, and ships no wheel for Python 3, does not run on it.
    """
    if release.metadata is None:
        return None
    classifiers = [c.strip() for c in release.metadata.classifiers]
    if any(_PYTHON3_RE.match(c) for c in classifiers):
        return None
    declared = [m for c in classifiers if (m := _PYTHON2_RE.match(c)) is not None]
    if not declared:
        return None
    if any(tag.startswith(("py3", "cp3")) for tag in release.wheel_tags):
        return None
    minors = sorted({int(m[1]) for m in declared if m[1] is not None})
    if not minors:
        return "Python 2"
    if len(minors) == 1:
        return f"Python 2.{minors[0]}"
    return f"Python 2.{minors[0]}\u20132.{minors[-1]}"


def _classifier_pythons(classifiers: Sequence[str]) -> tuple[PythonVersion, ...]:
    """The ``Python :: X.Y`` classifiers' Pythons, oldest first."""
    found = {
        PythonVersion(int(m[1]), int(m[2]))
        for c in classifiers
        if (m := _CLASSIFIER_RE.match(c.strip())) is not None
    }
    return tuple(sorted(found))


@dataclass(slots=True)
class SupportCache:
    """Parsed Requires-Python specifiers, their answers and the judges of one selection run.

    Most releases of a package share a handful of Requires-Python strings; parsing each
    once and asking once per Python keeps selection over thousands of releases fast.
    """

    specifiers: dict[str, SpecifierSet | None] = field(default_factory=dict)
    answers: dict[tuple[str, PythonVersion], bool] = field(default_factory=dict)
    judges: dict[tuple[tuple[PythonVersion, ...], tuple[PythonVersion, ...]], Judge] = field(
        default_factory=dict
    )
    patches: dict[PythonVersion, tuple[Version, ...]] = field(default_factory=dict)
    """``X.Y.0`` to ``X.Y.30`` per Python, as ``compatrix._config._model.admits`` tries them."""

    def specifier(self, text: str) -> SpecifierSet | None:
        """``SpecifierSet(text)``, or None when it is invalid."""
        return _specifier(self.specifiers, text)

    def admits(self, text: str, specifier: SpecifierSet, python: PythonVersion) -> bool:
        """``admits(specifier, python)`` of the config, asked once per text and Python."""
        return _admits(self.answers, self.patches, text, specifier, python)

    def judge(
        self, pythons: Sequence[PythonVersion], free_threaded: Sequence[PythonVersion]
    ) -> Judge:
        """The :class:`Judge` for these project Pythons, made once per run."""
        key = (tuple(pythons), tuple(free_threaded))
        judge = self.judges.get(key)
        if judge is None:
            judge = self.judges[key] = Judge(
                specifiers=self.specifiers,
                answers=self.answers,
                patches=self.patches,
                pythons=key[0],
                free_threaded=key[1],
            )
        return judge


def _specifier(specifiers: dict[str, SpecifierSet | None], text: str) -> SpecifierSet | None:
    if text not in specifiers:
        try:
            specifiers[text] = SpecifierSet(text)
        except InvalidSpecifier:
            specifiers[text] = None
    return specifiers[text]


def _admits(
    answers: dict[tuple[str, PythonVersion], bool],
    patches: dict[PythonVersion, tuple[Version, ...]],
    text: str,
    specifier: SpecifierSet,
    python: PythonVersion,
) -> bool:
    key = (text, python)
    answer = answers.get(key)
    if answer is None:
        versions = patches.get(python)
        if versions is None:
            base = f"{python.major}.{python.minor}"
            versions = patches[python] = tuple(
                Version(f"{base}.{patch}") for patch in range(_PATCHES)
            )
        answer = answers[key] = any(
            versions[patch] in specifier for patch in _deciding_patches(specifier, python)
        )
    return answer


def _deciding_patches(specifier: SpecifierSet, python: PythonVersion) -> list[int]:
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


class _Wheels:
    """What one set of wheel tags says about each of the project's regular Pythons."""

    __slots__ = ("_described", "any_pure_abi", "exact", "install", "tags")

    def __init__(self, wheel_tags: Sequence[str], regular: Sequence[PythonVersion]) -> None:
        tags = _expand(wheel_tags)
        self.tags = tags
        self.install: dict[PythonVersion, str | None] = {}
        """The supporting evidence of a wheel that installs on the Python, else None."""
        self.exact: dict[PythonVersion, str | None] = {}
        """The first wheel built for exactly the Python (``cp312-cp312``), else None."""
        for python in regular:
            installs = [t for t in tags if _installs_on(t, python)]
            line: str | None = None
            if any(_is_pure(t, python) for t in installs):
                line = "pure-Python wheel"
            elif installs:
                kind = "abi3 wheel" if installs[0].abi == "abi3" else "wheel"
                line = f"{kind} {installs[0].text}"
            self.install[python] = line
            self.exact[python] = next((t.text for t in tags if _is_exact(t, python)), None)
        self.any_pure_abi = any(t.kind == "py" and t.abi == "none" for t in tags)
        self._described: str | None = None

    @property
    def described(self) -> str:
        if self._described is None:
            self._described = _describe_binaries(self.tags)
        return self._described


@dataclass(slots=True)
class _Evidence:
    """What is known of one regular Python while the evidence is weighed."""

    against: list[str]
    support: list[str]
    notes: list[str]
    classifier_against: str | None = None


_EligibilityKey = tuple[
    "str | None", bool, tuple[str, ...], int, "tuple[str | None, tuple[str, ...]] | None", bool
]

STALE_AFTER = timedelta(days=365)
"""Classifiers are stale when a newer Python had been out this long when the minor came out."""


class Judge:
    """Judges releases against one set of project Pythons, for one selection run.

    Made by :meth:`SupportCache.judge`. :meth:`supports_any` is memoized by the facts the
    answer depends on (Requires-Python, sdist, wheel tags, classifiers and which first
    betas precede the upload day), so asking it of every release costs little.
    """

    __slots__ = (
        "_answers",
        "_classifiers",
        "_eligible",
        "_last_beta",
        "_matches",
        "_patches",
        "_rank",
        "_specifiers",
        "_thresholds",
        "_wheels",
        "first_beta",
        "free_threaded",
        "regular",
    )

    def __init__(
        self,
        *,
        specifiers: dict[str, SpecifierSet | None],
        answers: dict[tuple[str, PythonVersion], bool],
        patches: dict[PythonVersion, tuple[Version, ...]],
        pythons: Sequence[PythonVersion],
        free_threaded: Sequence[PythonVersion],
    ) -> None:
        # The cache's tables, not the cache: a judge and its cache form no reference cycle.
        self._specifiers = specifiers
        self._answers = answers
        self._patches = patches
        self.regular: tuple[PythonVersion, ...] = tuple(sorted({p.regular for p in pythons}))
        """The regular builds of the project's Pythons, oldest first."""
        features = sorted({p.regular for p in free_threaded})
        self.free_threaded: tuple[PythonVersion, ...] = tuple(
            f for f in features if f in self.regular
        )
        """The feature versions whose free-threaded build gets a verdict."""
        self.first_beta: dict[PythonVersion, date | None] = {}
        for python in self.regular:
            known = cpython_release(python)
            self.first_beta[python] = known.first_beta if known is not None else None
        betas = sorted({d for d in self.first_beta.values() if d is not None})
        self._thresholds = betas
        self._last_beta = betas[-1] if betas else None
        # An upload day d falls in "bucket" bisect_right(betas, d): the Pythons whose first
        # beta is after d are those whose rank (index in betas) is >= the bucket.
        self._rank = {
            p: (betas.index(d) if d is not None else -1) for p, d in self.first_beta.items()
        }
        self._wheels: dict[tuple[str, ...], _Wheels] = {}
        self._classifiers: dict[tuple[str, ...], tuple[PythonVersion, ...]] = {}
        self._eligible: dict[_EligibilityKey, tuple[PythonVersion, ...]] = {}
        self._matches: dict[tuple[int, PythonVersion], tuple[SpecifierSet, bool]] = {}

    # --- memoized pieces ---------------------------------------------------------------

    def _wheels_of(self, wheel_tags: tuple[str, ...]) -> _Wheels:
        found = self._wheels.get(wheel_tags)
        if found is None:
            found = self._wheels[wheel_tags] = _Wheels(wheel_tags, self.regular)
        return found

    def _classifiers_of(self, release: Release) -> tuple[PythonVersion, ...] | None:
        """The ``Python :: 3.X`` classifiers when the metadata is known, oldest first."""
        if release.metadata is None:
            return None
        raw = release.metadata.classifiers
        found = self._classifiers.get(raw)
        if found is None:
            found = self._classifiers[raw] = _classifier_pythons(raw)
        return found

    def specifier(self, text: str) -> SpecifierSet | None:
        """``SpecifierSet(text)``, or None when it is invalid."""
        return _specifier(self._specifiers, text)

    def admits(self, text: str, specifier: SpecifierSet, python: PythonVersion) -> bool:
        """``admits(specifier, python)`` of the config, asked once per text and Python."""
        return _admits(self._answers, self._patches, text, specifier, python)

    def matches(self, restriction: PythonRule, python: PythonVersion) -> bool:
        """Does the suite restriction admit ``python`` (``compatrix._config._model.matches``)?"""
        specifier = restriction.pythons
        # By identity: hashing a SpecifierSet costs more than asking it. The memo keeps the
        # specifier alive, so its id stands for it alone.
        key = (id(specifier), python)
        known = self._matches.get(key)
        if known is None or known[0] is not specifier:
            known = self._matches[key] = (specifier, matches(specifier, python))
        return known[1]

    # --- does a release support any Python? --------------------------------------------

    def classifiers_current(self, release: Release, since: date | None) -> bool:
        """Were the release's Python 3 classifiers up to date when its minor came out?

        ``since`` is the first upload of the release's (major, minor). The classifiers
        were current then unless the Python after the newest one they list had been
        released for :data:`STALE_AFTER` already. A maintenance release of an old minor
        (Django 1.8.19, listing up to 3.5, from 2018) keeps the classifiers of its
        minor (1.8, from 2015: current); a minor first released in 2023 that lists only up
        to 3.8 has stale ones.
        """
        classifiers = self._classifiers_of(release)
        if not classifiers or since is None:
            return False
        listed = [c for c in classifiers if c.major == 3]
        if not listed:
            return False
        following = cpython_release(PythonVersion(3, listed[-1].minor + 1))
        return following is None or since < following.final + STALE_AFTER

    def supports_any(
        self, release: Release, restriction: PythonRule | None, *, since: date | None = None
    ) -> bool:
        """True when :meth:`verdicts` would support some regular Python of the project
        (``since``: the first upload of the release's minor, see
        :meth:`classifiers_current`)."""
        found = self._eligible_for(release, since)
        if restriction is None:
            return bool(found)
        return any(self.matches(restriction, p) for p in found)

    def supported(
        self, release: Release, restriction: PythonRule | None, *, since: date | None = None
    ) -> tuple[PythonVersion, ...]:
        """The Pythons :meth:`verdicts` supports, oldest first, free-threaded builds
        included, without weighing the evidence."""
        found = self._eligible_for(release, since)
        if restriction is not None:
            found = tuple(p for p in found if self.matches(restriction, p))
        if not self.free_threaded:
            return found
        tags = self._wheels_of(release.wheel_tags).tags
        builds = [
            PythonVersion(f.major, f.minor, free_threaded=True)
            for f in self.free_threaded
            if f in found and any(_free_threaded_wheel(t, f) or _is_pure(t, f) for t in tags)
        ]
        return tuple(sorted((*found, *builds)))

    def _eligible_for(self, release: Release, since: date | None) -> tuple[PythonVersion, ...]:
        """The regular Pythons supported before the suite restriction applies, memoized
        by the facts that decide them."""
        # Which first betas precede the upload day: bisect_right(betas, day).
        uploaded = release.uploaded
        last = self._last_beta
        if uploaded is None or last is None:
            bucket = len(self._thresholds)
        else:
            day = uploaded.date()
            bucket = len(self._thresholds) if day >= last else bisect_right(self._thresholds, day)
        metadata = release.metadata
        key: _EligibilityKey = (
            release.requires_python,
            release.sdist,
            release.wheel_tags,
            bucket,
            None if metadata is None else (metadata.requires_python, metadata.classifiers),
            current := self.classifiers_current(release, since),
        )
        found = self._eligible.get(key)
        if found is None:
            found = self._eligible[key] = self._supported(release, bucket, current=current)
        return found

    def _supported(
        self, release: Release, bucket: int, *, current: bool
    ) -> tuple[PythonVersion, ...]:
        """The regular Pythons supported before the suite restriction applies."""
        if _python2_only(release) is not None:
            return ()  # every Python compatrix knows is a Python 3
        rp = _requires_python(release)
        specifier = self.specifier(rp) if rp is not None else None
        wheels = self._wheels_of(release.wheel_tags)
        classifiers = self._classifiers_of(release)
        sdist = release.sdist
        allowed: list[PythonVersion] = []
        for python in self.regular:
            if specifier is not None and rp is not None and not self.admits(rp, specifier, python):
                continue
            if not sdist and wheels.install[python] is None:
                continue
            if (
                self._rank[python] >= bucket
                and wheels.exact[python] is None
                and not (classifiers is not None and python in classifiers)
            ):
                continue
            allowed.append(python)
        if not allowed or classifiers is None:
            return tuple(allowed)
        kept = [
            p for p in allowed if not self._classifier_against(p, classifiers, specifier, wheels)
        ]
        # Classifiers that would rule out every Python left are ignored as stale, unless
        # they were current when the release's minor came out.
        if kept or current:
            return tuple(kept)
        return tuple(allowed)

    @staticmethod
    def _classifier_against(
        python: PythonVersion,
        classifiers: tuple[PythonVersion, ...],
        specifier: SpecifierSet | None,
        wheels: _Wheels,
    ) -> bool:
        listed = [c for c in classifiers if c.major == python.major]
        if not listed or python in listed:
            return False
        if python > listed[-1]:
            return wheels.exact[python] is None
        if python < listed[0]:
            return specifier is None
        return False

    # --- the evidence ------------------------------------------------------------------

    def verdicts(
        self, release: Release, restriction: PythonRule | None, *, since: date | None = None
    ) -> tuple[PythonVerdict, ...]:
        """Every verdict with its evidence (see :func:`python_verdicts`)."""
        weigher = _Weigher(self, release)
        regular = self.regular
        evidence = {p: weigher.regular(p) for p in regular}
        for p in regular:
            weigher.classify(p, evidence[p])

        allowed = [p for p in regular if not evidence[p].against]
        would_empty = bool(allowed) and all(evidence[p].classifier_against for p in allowed)
        current = would_empty and self.classifiers_current(release, since)
        stale = would_empty and not current
        for p in allowed if would_empty else ():
            span = _span(weigher.listed(p))
            if stale:
                evidence[p].notes.append(f"classifiers list only {span}: ignored as stale")
            else:
                assert since is not None
                evidence[p].notes.append(
                    f"classifiers list only {span}, current when this minor came out "
                    f"({since.isoformat()}): trusted"
                )
        for p in regular:
            against = evidence[p].classifier_against
            if against is not None and not stale:
                evidence[p].against.append(against)

        where = _restriction_text(restriction) if restriction is not None else ""
        verdicts: dict[PythonVersion, PythonVerdict] = {}
        for p in regular:
            ev = evidence[p]
            lines = [*ev.against, *ev.support, *ev.notes]
            supported = not ev.against
            if restriction is not None:
                if self.matches(restriction, p):
                    lines.append(f"{where} admits {p}")
                else:
                    lines.insert(0, f"{where} excludes {p}")
                    supported = False
            verdicts[p] = PythonVerdict(
                python=p, supported=supported, tested=False, evidence=tuple(lines)
            )

        tags = weigher.wheels.tags
        for feature in self.free_threaded:
            build = PythonVersion(feature.major, feature.minor, free_threaded=True)
            verdicts[build] = _free_threaded_verdict(build, verdicts[feature], tags)
        return tuple(verdicts[p] for p in sorted(verdicts))

    def lead_evidence(
        self, release: Release, python: PythonVersion, restriction: PythonRule | None
    ) -> str:
        """The first piece of evidence of ``python``'s verdict, for a release that supports
        none of the project's Pythons (``supports_any`` is False): the reason it is out."""
        if restriction is not None and not self.matches(restriction, python):
            return f"{_restriction_text(restriction)} excludes {python}"
        weigher = _Weigher(self, release)
        ev = weigher.regular(python)
        if ev.against:
            return ev.against[0]
        weigher.classify(python, ev)
        if ev.classifier_against is not None:
            return ev.classifier_against
        # Not reached when the release supports no Python; answer from the full verdicts.
        verdict = next(v for v in self.verdicts(release, restriction) if v.python == python)
        return verdict.lead


class _Weigher:
    """Weighs the evidence of one release; lives for one :meth:`Judge.verdicts` call."""

    __slots__ = (
        "bucket",
        "classifiers",
        "invalid_requires_python",
        "judge",
        "python2_only",
        "release",
        "requires_python",
        "specifier",
        "wheels",
    )

    def __init__(self, judge: Judge, release: Release) -> None:
        self.judge = judge
        self.release = release
        self.wheels = judge._wheels_of(release.wheel_tags)
        self.requires_python = _requires_python(release)
        self.specifier: SpecifierSet | None = None
        if self.requires_python is not None:
            self.specifier = judge.specifier(self.requires_python)
        self.invalid_requires_python = self.requires_python is not None and self.specifier is None
        self.classifiers = judge._classifiers_of(release)
        self.python2_only = _python2_only(release)

    def listed(self, python: PythonVersion) -> tuple[PythonVersion, ...]:
        """The classifiers' Pythons of the same major version (``2.7`` says nothing of 3.X)."""
        return tuple(c for c in self.classifiers or () if c.major == python.major)

    def regular(self, python: PythonVersion) -> _Evidence:
        """Evidence from Requires-Python, wheels and the upload date (steps 1 to 3)."""
        ev = _Evidence(against=[], support=[], notes=[])
        rp = self.requires_python
        if self.specifier is not None and rp is not None:
            if self.judge.admits(rp, self.specifier, python):
                ev.support.append(f"Requires-Python '{rp}' admits {python}")
            else:
                ev.against.append(f"Requires-Python '{rp}' excludes {python}")
        elif self.invalid_requires_python:
            ev.notes.append(f"Requires-Python '{rp}' is invalid: ignored")

        wheels = self.wheels
        installs = wheels.install[python]
        if installs is not None:
            ev.support.append(installs)
        elif self.release.sdist:
            ev.support.append("sdist (no wheel for it)" if wheels.tags else "sdist")
        elif not wheels.tags:
            ev.against.append("no sdist or wheel")
        elif wheels.any_pure_abi:
            ev.against.append(f"no sdist and no wheel for {python} (wheels: {wheels.described})")
        else:
            ev.against.append(f"only binary wheels for {wheels.described}")

        first_beta = self.judge.first_beta[python]
        uploaded = self.release.uploaded
        if first_beta is not None and uploaded is not None and uploaded.date() < first_beta:
            early = (
                f"uploaded {uploaded.date().isoformat()}, before {python}'s first beta "
                f"{first_beta.isoformat()}"
            )
            exact = wheels.exact[python]
            if exact is not None:
                ev.notes.append(f"{early}, but wheel {exact} targets {python}")
            elif self.classifiers is not None and python in self.classifiers:
                ev.notes.append(f"{early}, but its classifiers list {python}")
            else:
                ev.against.append(early)
        only = self.python2_only
        if only is not None and python.major == 3:
            ev.against.append(f"classifiers declare {only} only")
        return ev

    def classify(self, python: PythonVersion, ev: _Evidence) -> None:
        """Step 4: what the classifiers say of ``python`` (recorded, applied later)."""
        status = self.release.metadata_status
        if self.classifiers is None:
            if status == "no-wheel":
                ev.notes.append("no wheel: classifiers unknown")
            elif status == "unavailable":
                ev.notes.append("metadata unavailable: classifiers unknown")
            return
        listed = self.listed(python)
        if not listed:
            ev.notes.append(f"no Python {python.major}.X classifiers")
            return
        span = _span(listed)
        if python in listed:
            ev.support.append(f"classifier {python}")
        elif python > listed[-1]:
            exact = self.wheels.exact[python]
            if exact is not None:
                ev.notes.append(f"classifiers list {span}, but wheel {exact} targets {python}")
            else:
                ev.classifier_against = f"classifiers list {span}, not {python}"
        elif python < listed[0]:
            if self.specifier is None:
                ev.classifier_against = f"classifiers list {span}, not {python}"
            else:
                ev.notes.append(f"classifiers list {span}; Requires-Python decides {python}")
        else:
            ev.support.append(f"classifiers list {span}")


def _restriction_text(rule: PythonRule) -> str:
    if rule.versions is None:
        return f"suite restriction '{rule.pythons}'"
    return f"suite restriction '{rule.pythons}' (for versions '{rule.versions}')"


def python_verdicts(
    release: Release,
    *,
    pythons: Sequence[PythonVersion],
    free_threaded: Sequence[PythonVersion],
    restriction: PythonRule | None,
    since: date | None = None,
) -> tuple[PythonVerdict, ...]:
    """Whether ``release`` supports each of the project's Pythons, with the evidence.

    One verdict per regular Python in ``pythons``, plus one per free-threaded build of the
    feature versions in ``free_threaded`` that are in ``pythons``; oldest first, a
    free-threaded build right after its regular build. ``tested`` is always False here:
    selection decides which supported Pythons are tested. ``since`` is the first upload of
    the release's (major, minor), which tells stale classifiers from current ones.
    """
    return verdicts_with(
        release,
        pythons=pythons,
        free_threaded=free_threaded,
        restriction=restriction,
        cache=SupportCache(),
        since=since,
    )


def verdicts_with(
    release: Release,
    *,
    pythons: Sequence[PythonVersion],
    free_threaded: Sequence[PythonVersion],
    restriction: PythonRule | None,
    cache: SupportCache,
    since: date | None = None,
) -> tuple[PythonVerdict, ...]:
    """:func:`python_verdicts` sharing ``cache`` across the releases of one run."""
    return cache.judge(pythons, free_threaded).verdicts(release, restriction, since=since)


def _free_threaded_verdict(
    build: PythonVersion, base: PythonVerdict, tags: Sequence[_Tag]
) -> PythonVerdict:
    feature = build.regular
    if not base.supported:
        why = f": {base.evidence[0]}" if base.evidence else ""
        return PythonVerdict(
            python=build,
            supported=False,
            tested=False,
            evidence=(f"{feature} is not supported{why}",),
        )
    wheel = next((t for t in tags if _free_threaded_wheel(t, feature)), None)
    if wheel is not None:
        kind = "abi3t wheel" if wheel.abi == "abi3t" else "free-threaded wheel"
        line = f"{kind} {wheel.text}"
    elif any(_is_pure(t, feature) for t in tags):
        line = "pure-Python wheel"
    else:
        line = f"no free-threaded (cp{feature.nodot}t) or pure-Python wheel"
        return PythonVerdict(python=build, supported=False, tested=False, evidence=(line,))
    return PythonVerdict(
        python=build,
        supported=True,
        tested=False,
        evidence=(line, f"{feature} is supported"),
    )
