"""Small builders for the selection tests: releases, facts, suites, configs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix._config import (
    Config,
    DepRule,
    ExcludeRule,
    PythonRange,
    PythonRule,
    Suite,
    SuitePolicy,
)
from compatrix._lock import Probe
from compatrix._lock._facts import CoreMetadata, MetadataStatus, PackageFacts, Release
from compatrix._pythons import PythonVersion
from compatrix._selection._model import Considered, Pick, SuiteSelection
from compatrix._selection._select import considered as considered_releases
from compatrix._selection._select import select_suite
from compatrix._support import SupportRule

UTC = timezone.utc
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
"""The lock's time in these tests."""
RECENT = datetime(2026, 6, 1, tzinfo=UTC)
"""After every first beta in the CPython table: the date rule excludes nothing."""


def py(text: str) -> PythonVersion:
    return PythonVersion.parse(text)


def pys(text: str) -> tuple[PythonVersion, ...]:
    """``"3.8 3.9 3.14t"`` -> PythonVersions; ``"3.8-3.11"`` -> 3.8, 3.9, 3.10, 3.11."""
    out: list[PythonVersion] = []
    for part in text.split():
        if "-" in part:
            low, high = (py(p) for p in part.split("-"))
            out.extend(PythonVersion(low.major, m) for m in range(low.minor, high.minor + 1))
        else:
            out.append(py(part))
    return tuple(out)


def classifiers(*pythons: str) -> tuple[str, ...]:
    return tuple(f"Programming Language :: Python :: {p}" for p in pythons)


def release(
    version: str,
    *,
    uploaded: datetime | None = RECENT,
    requires_python: str | None = None,
    sdist: bool = True,
    wheels: Sequence[str] = ("py3-none",),
    yanked: bool = False,
    yanked_reason: str | None = None,
    files: int | None = None,
    classifiers: Sequence[str] | None = None,
    metadata_requires_python: str | None = None,
    metadata_status: MetadataStatus | None = None,
) -> Release:
    """A release; ``classifiers`` (a list, even empty) gives it known metadata."""
    metadata = None
    if classifiers is not None:
        metadata = CoreMetadata(
            wheel=f"pkg-{version}-py3-none-any.whl",
            sha256="00" * 32,
            advertised=True,
            requires_python=metadata_requires_python,
            classifiers=tuple(sorted(classifiers)),
            extras=(),
        )
    status: MetadataStatus = "ok" if metadata is not None else "not-fetched"
    return Release(
        version=version,
        uploaded=uploaded,
        yanked=yanked,
        yanked_reason=yanked_reason,
        requires_python=requires_python,
        sdist=sdist,
        wheel_tags=tuple(sorted(wheels)),
        files=(int(sdist) + len(wheels)) if files is None else files,
        metadata=metadata,
        metadata_status=metadata_status or status,
    )


def series(
    versions: Iterable[str],
    *,
    start: datetime = datetime(2025, 6, 1, tzinfo=UTC),
    step: timedelta = timedelta(days=7),
    **kwargs: Any,
) -> tuple[Release, ...]:
    """Releases uploaded one ``step`` apart from ``start``, in the order given."""
    return tuple(release(v, uploaded=start + step * n, **kwargs) for n, v in enumerate(versions))


def facts(*releases: Release, name: str = "pkg", fetched_at: datetime = NOW) -> PackageFacts:
    ordered = sorted(
        releases, key=lambda r: (r.parsed is None, r.parsed or Version("0"), r.version)
    )
    return PackageFacts(
        name=name,
        index="https://pypi.org/simple/",
        fetched_at=fetched_at,
        releases=tuple(ordered),
    )


def suite(
    *,
    name: str = "pkg",
    package: str = "pkg",
    requirement: str | None = None,
    min_version: str | None = None,
    include: str | None = None,
    exclude: dict[str, str] | None = None,
    python: str | dict[str, str] | None = None,
    deps: Mapping[str, Sequence[str]] | None = None,
    **policy: Any,
) -> Suite:
    """A suite; policy options by their Python names (``num_versions=3``)."""
    rules: tuple[PythonRule, ...] = ()
    if isinstance(python, str):
        rules = (PythonRule(versions=None, pythons=SpecifierSet(python)),)
    elif python is not None:
        rules = tuple(
            PythonRule(versions=SpecifierSet(k), pythons=SpecifierSet(v), key=k)
            for k, v in python.items()
        )
    return Suite(
        name=name,
        package=canonicalize_name(package),
        requirement=requirement or package,
        min_version=Version(min_version) if min_version else None,
        include=SpecifierSet(include) if include else None,
        exclude=tuple(
            ExcludeRule(key=k, versions=_versions(k), reason=v) for k, v in (exclude or {}).items()
        ),
        deps=tuple(dep_rule(k, v) for k, v in (deps or {}).items()),
        python=rules,
        policy=SuitePolicy(**policy),
    )


def _versions(key: str) -> SpecifierSet:
    return SpecifierSet(key if key[0] in "<>=!~" else f"=={key}")


def dep_rule(key: str, requirements: Sequence[str]) -> DepRule:
    """A ``deps`` rule from its key as written in the config."""
    versions_part, pythons_part = None, None
    if key != "*":
        if ";" in key:
            versions_part, pythons_part = (p.strip() for p in key.split(";"))
        elif key.startswith("py"):
            pythons_part = key
        else:
            versions_part = key
    return DepRule(
        key=key,
        versions=SpecifierSet(versions_part) if versions_part else None,
        pythons=frozenset(py(p) for p in pythons_part.split(",")) if pythons_part else None,
        requirements=tuple(requirements),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Selected:
    """A suite's selection, with why each release was picked or not."""

    selection: SuiteSelection
    considered: tuple[Considered, ...]

    @property
    def picks(self) -> tuple[Pick, ...]:
        return self.selection.picks

    @property
    def latest(self) -> Pick | None:
        return self.selection.latest

    @property
    def remembered(self) -> tuple[str, ...]:
        return self.selection.remembered

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.selection.warnings


def select(
    the_suite: Suite,
    *releases: Release,
    pythons: str = "3.8-3.14",
    free_threaded: str = "3.14",
    now: datetime = NOW,
    as_of: date | None = None,
    remembered: Sequence[str] = (),
    probes: Mapping[str, Mapping[str, Probe]] | None = None,
) -> Selected:
    """``select_suite`` of ``releases`` (in any order), and what else the tests read."""
    the_facts = facts(*releases)
    rule = SupportRule(pys(pythons), pys(free_threaded))
    selection = select_suite(
        the_suite,
        the_facts,
        rule=rule,
        now=now,
        as_of=as_of,
        remembered=remembered,
        probes=probes,
    )
    return Selected(
        selection=selection,
        considered=considered_releases(
            the_suite, the_facts, selection, rule=rule, now=now, as_of=as_of, probes=probes
        ),
    )


def picked(selection: Selected | SuiteSelection) -> list[str]:
    return [str(p.version) for p in selection.picks]


def reasons(selection: Selected) -> dict[str, str | None]:
    return {c.version: c.reason for c in selection.considered}


def considered(selection: Selected, version: str) -> tuple[str | None, str]:
    for c in selection.considered:
        if c.version == version:
            return c.reason, c.detail
    raise AssertionError(f"{version} not considered")


def config(
    *suites: Suite,
    python: str = ">=3.8,<3.15",
    free_threaded: Sequence[str] = (),
) -> Config:
    return Config(
        path=Path("/project/compatrix.toml"),
        root=Path("/project"),
        python=PythonRange(specifier=SpecifierSet(python)),
        free_threaded=tuple(py(p) for p in free_threaded),
        suites=suites,
    )
