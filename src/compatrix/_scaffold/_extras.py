"""Suites proposed from a project's optional-dependency extras (pure).

An extra that names one package is a candidate. When that package is a wrapper (an
instrumentation package whose own ``instruments`` extra names the framework it instruments,
as OpenTelemetry's ``opentelemetry-instrumentation-*`` do), the suite tests the framework,
not the wrapper; the framework's bounds from the wrapper's metadata are kept. The bounds of
a requirement are kept too: the highest ``>=`` becomes ``min-version``, every other bound
(``<2``, ``!=1.3``, ``~=`` as its upper bound) becomes ``include``. Every extra that is not
proposed gets a line saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix._config import factor_conflicts, project_table, suite_name_problems
from compatrix._lock import parse_version

__all__ = [
    "ProposedSuite",
    "choose_suites",
    "comment",
    "extra_candidates",
    "instruments_of",
    "propose_suites",
]

_NOT_INTEGRATIONS = frozenset(
    {
        "all",
        "cov",
        "coverage",
        "dev",
        "develop",
        "development",
        "doc",
        "docs",
        "full",
        "lint",
        "linting",
        "test",
        "testing",
        "tests",
        "type",
        "types",
        "typing",
    }
)
"""Extras that hold tooling, not an integration: never proposed as suites."""

INSTRUMENTS = "instruments"
"""The extra of an instrumentation wrapper that names what it instruments."""
INSTRUMENTS_ANY = "instruments-any"
"""The extra of a newer wrapper that names alternatives, any one of which it instruments
(``httpx`` or another distribution of the same module)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def comment(text: str) -> str:
    """Text safe on one comment line."""
    return _CONTROL.sub(" ", text).strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """An extra naming one package: a suite unless the user says otherwise."""

    extra: str
    """As written in pyproject.toml (on one line)."""
    name: str
    """The suite name: the extra, normalized."""
    requirement: Requirement


@dataclass(frozen=True, slots=True, kw_only=True)
class ProposedSuite:
    """A suite proposed from an optional-dependency extra."""

    name: str
    extra: str
    """The extra as written in pyproject.toml (on one line)."""
    package: str
    """The requirement without version: ``httpx`` or ``strawberry-graphql[fastapi]``."""
    min_version: str | None
    """From a ``>=`` lower bound (the highest, when there are several)."""
    include: str | None = None
    """The requirement's other bounds (``<3.1,!=2.0.1``), or None."""
    source: str
    """The extra's requirement, normalized."""
    wrapper: ProposedSuite | None = None
    """When ``package`` is what the extra's package instruments: the suite testing the
    wrapper itself instead."""


def extra_candidates(
    pyproject: Mapping[str, Any] | None,
) -> tuple[tuple[Candidate, ...], tuple[str, ...]]:
    """The extras that name one package, and why each other extra is not one (a line each)."""
    project = project_table(pyproject)
    own = canonicalize_name(str(project.get("name", "")))
    extras = project.get("optional-dependencies")
    if not isinstance(extras, Mapping):
        return (), ()
    candidates: list[Candidate] = []
    skipped: list[str] = []
    tooling: list[str] = []
    for extra, requirements in extras.items():
        name = canonicalize_name(str(extra))
        if name in _NOT_INTEGRATIONS:
            tooling.append(str(extra))
            continue
        if not isinstance(requirements, list) or not all(isinstance(r, str) for r in requirements):
            skipped.append(f"{extra}: not a list of requirements")
            continue
        if len(requirements) != 1:
            if not requirements:
                skipped.append(f"{extra}: no requirement")
            else:
                names = ", ".join(_name(r) for r in requirements)
                skipped.append(
                    f"{extra}: {len(requirements)} requirements ({names}); a suite tests one "
                    "package: add the one to test by hand, with the others as its deps"
                )
            continue
        try:
            requirement = Requirement(requirements[0])
        except InvalidRequirement:
            skipped.append(f"{extra}: invalid requirement {requirements[0]!r}")
            continue
        if requirement.url is not None:
            skipped.append(f"{extra}: a URL requirement, not a package from the index")
            continue
        if canonicalize_name(requirement.name) == own:
            skipped.append(f"{extra}: names the project itself")
            continue
        candidates.append(Candidate(extra=comment(str(extra)), name=name, requirement=requirement))
    if tooling:
        skipped.append(f"{', '.join(tooling)}: tooling, not an integration")
    return tuple(candidates), tuple(comment(line) for line in skipped)


def _name(text: str) -> str:
    try:
        return Requirement(text).name
    except InvalidRequirement:
        return repr(text)


def instruments_of(requires_dist: Collection[str]) -> tuple[Requirement, ...]:
    """The requirements of a wrapper's ``instruments`` extra, else of its
    ``instruments-any`` extra, from its Requires-Dist."""
    return _extra_requirements(requires_dist, INSTRUMENTS) or _extra_requirements(
        requires_dist, INSTRUMENTS_ANY
    )


def _extra_requirements(requires_dist: Collection[str], extra: str) -> tuple[Requirement, ...]:
    found = []
    for text in requires_dist:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        marker = requirement.marker
        if marker is None or not marker.evaluate({"extra": extra}):
            continue
        if marker.evaluate({"extra": "no-such-extra"}):
            continue  # not conditional on the extra
        requirement.marker = None
        found.append(requirement)
    return tuple(found)


def propose_suites(
    pyproject: Mapping[str, Any] | None,
    instruments: Mapping[str, tuple[Requirement, ...]] | None = None,
) -> tuple[tuple[ProposedSuite, ...], tuple[str, ...]]:
    """Suites for the extras that name one package, and why other extras were not proposed.

    ``instruments`` maps a (normalized) package name to what its ``instruments`` (or
    ``instruments-any``) extra requires, for the packages the index was asked about: a
    package that instruments exactly one other, or several of which one is named like the
    extra, is proposed as that one, with the wrapper as the suite's deps (testing the
    wrapper itself stays the suite's alternative).
    """
    candidates, skipped_lines = extra_candidates(pyproject)
    skipped = list(skipped_lines)
    proposed: list[ProposedSuite] = []
    for candidate in candidates:
        problems = suite_name_problems(candidate.name)
        if problems:
            skipped.append(f"{candidate.extra}: {problems[0]}")
            continue
        conflicts = factor_conflicts([*(s.name for s in proposed), candidate.name])
        if conflicts:
            skipped.append(f"{candidate.extra}: {conflicts[0][1]}")
            continue
        suite = _suite(candidate, candidate.requirement)
        wrapped = (instruments or {}).get(canonicalize_name(candidate.requirement.name), ())
        named = [r for r in wrapped if canonicalize_name(r.name) == candidate.name]
        if len(wrapped) > 1 and len(named) == 1:
            wrapped = (named[0],)  # of the packages it instruments, the one the extra names
        if len(wrapped) == 1:
            suite = _suite(candidate, wrapped[0], wrapper=suite)
        elif len(wrapped) > 1:
            names = ", ".join(r.name for r in wrapped)
            skipped.append(
                f"{candidate.extra}: {candidate.requirement.name} instruments {len(wrapped)} "
                f"packages ({names}): add a suite for the one to test by hand"
            )
            continue
        proposed.append(suite)
    return tuple(proposed), tuple(comment(line) for line in skipped)


def _suite(
    candidate: Candidate, requirement: Requirement, *, wrapper: ProposedSuite | None = None
) -> ProposedSuite:
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    minimum, include = _bounds(requirement.specifier)
    source = str(candidate.requirement)
    if wrapper is not None:
        source += f", which instruments {requirement}"
    return ProposedSuite(
        name=candidate.name,
        extra=candidate.extra,
        package=requirement.name + extras,
        min_version=minimum,
        include=include,
        source=comment(source),
        wrapper=wrapper,
    )


def _bounds(specifiers: SpecifierSet) -> tuple[str | None, str | None]:
    """(min-version, include): the highest ``>=`` (or ``~=``) version, and every other
    bound as a specifier set."""
    lows: list[Version] = []
    rest: list[str] = []
    for specifier in sorted(specifiers, key=str):
        version = parse_version(specifier.version)
        if specifier.operator == ">=" and version is not None:
            lows.append(version)
        elif specifier.operator == "~=" and version is not None and len(version.release) > 1:
            lows.append(version)
            upper = [*version.release[:-2], version.release[-2] + 1]
            rest.append(f"<{'.'.join(map(str, upper))}")
        else:
            rest.append(str(specifier))
    minimum = str(max(lows)) if lows else None
    return minimum, ",".join(sorted(set(rest))) or None


def choose_suites(
    proposal: tuple[tuple[ProposedSuite, ...], tuple[str, ...]],
    *,
    only: Collection[str] | None = None,
    wrappers: bool = False,
    ask: Callable[[ProposedSuite], str] | None = None,
) -> tuple[tuple[ProposedSuite, ...], tuple[str, ...]]:
    """The user's choice among the proposed suites.

    ``only``: the extras (normalized names) to keep; ``wrappers``: test the wrapper packages
    themselves instead of what they instrument; ``ask``: a question per suite answering
    ``"y"`` (keep), ``"n"`` (leave out) or ``"w"`` (the wrapper). Suites left out are listed
    among the skipped extras.
    """
    suites, skipped = proposal
    chosen: list[ProposedSuite] = []
    left_out: list[str] = []
    for suite in suites:
        if only is not None and suite.name not in only:
            left_out.append(f"{suite.extra}: not chosen (--extras)")
            continue
        answer = "w" if wrappers and suite.wrapper is not None else "y"
        if ask is not None:
            answer = ask(suite)
        if answer == "n":
            left_out.append(f"{suite.extra}: not chosen")
        elif answer == "w" and suite.wrapper is not None:
            chosen.append(suite.wrapper)
        else:
            chosen.append(suite)
    return tuple(chosen), (*skipped, *left_out)
