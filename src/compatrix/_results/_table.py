"""The supported-versions table: for each suite and Python, which release ranges the
recorded results prove to pass, which failed, which are untested; and whether the
declared minimum (``min-version``, the project's own requirement bounds) is proven.

Pure: the results, the lock's releases and the declared bounds in, plain data out;
:mod:`._markdown` words it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix._config import Config, Suite
from compatrix._lock import Lock
from compatrix._pythons import PythonVersion
from compatrix._results._model import Result, Results

__all__ = [
    "DeclaredFloor",
    "PythonRow",
    "Span",
    "SuiteTable",
    "SupportTable",
    "declared_floors",
    "support_table",
]

Status = Literal["passed", "failed", "untested"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """Consecutive releases with one status: from ``first`` to ``last`` (both included),
    ``count`` releases, ``tested`` of them run. A passed or failed span is bounded by tested
    releases; the untested releases inside it are assumed to behave as its ends."""

    status: Status
    first: Version
    last: Version
    count: int
    tested: int

    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first} to {self.last}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonRow:
    python: PythonVersion
    spans: tuple[Span, ...]
    """Oldest release first, covering every release of the suite."""

    @property
    def proven_floor(self) -> Version | None:
        """The lowest release that passed on this Python."""
        return next((s.first for s in self.spans if s.status == "passed"), None)

    def of(self, status: Status) -> tuple[Span, ...]:
        return tuple(span for span in self.spans if span.status == status)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredFloor:
    """A declared lowest version: the suite's ``min-version`` or a requirement on the
    package in pyproject.toml (``where`` names it)."""

    where: str
    version: Version


@dataclass(frozen=True, slots=True, kw_only=True)
class SuiteTable:
    suite: str
    package: str
    rows: tuple[PythonRow, ...]
    declared: tuple[DeclaredFloor, ...]
    findings: tuple[str, ...]
    """Where a declared minimum is not proven, one sentence each."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportTable:
    suites: tuple[SuiteTable, ...]
    ignored: tuple[str, ...]
    """Recorded results the table leaves out, and why (stale suites, unknown versions)."""


_LOWER = frozenset({">=", "==", "~=", "==="})


def declared_floors(pyproject: Mapping[str, Any] | None, package: str) -> tuple[DeclaredFloor, ...]:
    """The lower bounds pyproject.toml puts on ``package``: in ``project.dependencies`` and
    in each extra of ``project.optional-dependencies``."""
    project = (pyproject or {}).get("project")
    if not isinstance(project, dict):
        return ()
    groups: list[tuple[str, object]] = [("dependencies", project.get("dependencies"))]
    extras = project.get("optional-dependencies")
    if isinstance(extras, dict):
        groups += [(f"extra {name!r}", value) for name, value in extras.items()]
    found: list[DeclaredFloor] = []
    for where, value in groups:
        for text in value if isinstance(value, list) else ():
            try:
                requirement = Requirement(text) if isinstance(text, str) else None
            except InvalidRequirement:
                continue
            if requirement is None or canonicalize_name(requirement.name) != package:
                continue
            bounds = [
                Version(re.sub(r"\.\*$", "", s.version))
                for s in requirement.specifier
                if s.operator in _LOWER
            ]
            if bounds:
                found.append(DeclaredFloor(where=f"pyproject.toml {where}", version=max(bounds)))
    return tuple(found)


def _releases(lock: Lock, suite: Suite) -> list[Version]:
    """The final, not yanked releases of the suite's package in the lock that its config
    lets it test: from ``min-version`` on, in ``include``, not in ``exclude``."""
    facts = lock.packages.get(suite.package)
    versions = [
        r.parsed
        for r in (facts.releases if facts is not None else ())
        if r.parsed is not None and not r.yanked and not r.parsed.is_prerelease
    ]
    return sorted(v for v in versions if _covered(suite, v))


def _covered(suite: Suite, version: Version) -> bool:
    if suite.min_version is not None and version < suite.min_version:
        return False
    if suite.include is not None and not suite.include.contains(version, prereleases=True):
        return False
    return not any(rule.versions.contains(version, prereleases=True) for rule in suite.exclude)


def _spans(releases: list[Version], outcomes: Mapping[Version, Status]) -> tuple[Span, ...]:
    """Runs of releases: a passed (failed) span from one passing (failing) release to the
    last before a release that did otherwise; releases between differing outcomes, and
    before the first or after the last tested one, are untested."""
    tested = [i for i, v in enumerate(releases) if v in outcomes]
    status: list[Status] = ["untested"] * len(releases)
    for a, b in itertools.pairwise(tested):
        if outcomes[releases[a]] == outcomes[releases[b]]:
            for i in range(a, b + 1):
                status[i] = outcomes[releases[a]]
    for i in tested:
        status[i] = outcomes[releases[i]]
    spans: list[Span] = []
    start = 0
    for i in range(1, len(releases) + 1):
        if i == len(releases) or status[i] != status[start]:
            chunk = releases[start:i]
            spans.append(
                Span(
                    status=status[start],
                    first=chunk[0],
                    last=chunk[-1],
                    count=len(chunk),
                    tested=sum(1 for v in chunk if v in outcomes),
                )
            )
            start = i
    return tuple(spans)


def _findings(rows: Iterable[PythonRow], declared: Iterable[DeclaredFloor]) -> tuple[str, ...]:
    """One sentence per declared floor that is not proven on every Python of the table."""
    found = []
    rows = tuple(rows)
    for floor in declared:
        nothing = [str(row.python) for row in rows if row.proven_floor is None]
        higher = [
            f"{row.proven_floor} on {row.python}"
            for row in rows
            if row.proven_floor is not None and row.proven_floor > floor.version
        ]
        parts = []
        if higher:
            parts.append(f"the lowest release that passed is {', '.join(higher)}")
        if nothing:
            parts.append(f"nothing passed on {', '.join(nothing)}")
        if parts:
            found.append(f"{floor.where} declares {floor.version}: " + "; ".join(parts))
    return tuple(found)


def support_table(
    config: Config,
    lock: Lock,
    results: Results,
    *,
    pythons: Iterable[PythonVersion],
    pyproject: Mapping[str, Any] | None = None,
    suites: Iterable[str] | None = None,
) -> SupportTable:
    """The table of ``suites`` (default: every suite of the config), a row per Python of
    ``pythons`` and per Python with a result."""
    wanted = set(suites) if suites is not None else None
    ignored: list[str] = []
    for name, package in sorted(results.packages.items()):
        current = config.suite(name)
        if current is None:
            ignored.append(f"results of suite {name!r}: no such suite in {config.path.name}")
        elif current.package != package:
            ignored.append(
                f"results of suite {name!r}: recorded for package {package}, the suite now "
                f"tests {current.package}"
            )
    tables = []
    for suite in config.suites:
        if wanted is not None and suite.name not in wanted:
            continue
        if results.packages.get(suite.name, suite.package) != suite.package:
            recorded: tuple[Result, ...] = ()
        else:
            recorded = results.of_suite(suite.name)
        releases = _releases(lock, suite)
        known = set(releases)
        for result in recorded:
            if result.version not in known:
                ignored.append(
                    f"{suite.name} {result.version} on {result.python}: not a release of "
                    f"{suite.package} the table covers (not in the lock, a prerelease, yanked, "
                    "below min-version, outside include or excluded)"
                )
        row_pythons = sorted({*pythons, *(r.python for r in recorded)})
        rows = []
        for python in row_pythons:
            outcomes: dict[Version, Status] = {}
            for result in recorded:
                if result.python == python and result.version in known:
                    if result.outcome == "passed":
                        outcomes[result.version] = "passed"
                    elif result.outcome in ("failed", "error"):
                        outcomes[result.version] = "failed"
            rows.append(PythonRow(python=python, spans=_spans(releases, outcomes)))
        declared = list(declared_floors(pyproject, suite.package))
        if suite.min_version is not None:
            declared.insert(
                0,
                DeclaredFloor(where=f"suites.{suite.name}.min-version", version=suite.min_version),
            )
        tables.append(
            SuiteTable(
                suite=suite.name,
                package=suite.package,
                rows=tuple(r for r in rows if r.spans),
                declared=tuple(declared),
                findings=_findings([r for r in rows if r.spans], declared),
            )
        )
    return SupportTable(suites=tuple(tables), ignored=tuple(ignored))
