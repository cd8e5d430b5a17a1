"""The configuration, as typed, validated, frozen data.

Reading and validation (``load_config``, ``Config.from_dict``, implemented in
``_config_load.py``) turn TOML into these objects; every later step takes them as input.
Every option is declared once in ``_options.py``; the reference in ``docs/config.md`` and
``docs/compatrix.schema.json`` are generated from those declarations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

from compatrix._pythons import CPYTHON, PythonVersion, cpython_release

__all__ = [
    "Config",
    "DepRule",
    "ExcludeRule",
    "PythonPolicy",
    "PythonRange",
    "PythonRule",
    "Service",
    "Suite",
    "SuitePolicy",
    "ToxSettings",
    "WorkflowSettings",
    "load_config",
]

PythonPolicy = Literal["spread", "all", "oldest-newest", "newest"]
"""Which of a pick's supported Pythons get an env.

``spread`` (default): the oldest, the second newest and the newest. ``all``: every one.
``oldest-newest``: the two ends. ``newest``: only the newest.
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonRange:
    """The project's own Python range.

    ``listed`` is an explicit list (from config, or the project's ``Programming Language ::
    Python :: 3.X`` classifiers); ``specifier`` is ``requires-python``. Both may be set: the
    range is then the listed Pythons the specifier admits.
    """

    specifier: SpecifierSet | None = None
    listed: tuple[PythonVersion, ...] | None = None
    source: str = "config"
    """Where the range came from, for messages: ``config`` or ``pyproject.toml``."""

    def resolve(self, today: date) -> tuple[PythonVersion, ...]:
        """The concrete Pythons, oldest first.

        Without a listed set, every CPython in the table released (final) by ``today`` that
        the specifier admits. ``today`` comes from the lock, never the clock.
        """
        if self.listed is not None:
            candidates = sorted(set(self.listed))
        else:
            candidates = [r.version for r in CPYTHON if r.final <= today]
        return tuple(p for p in candidates if self.admits(p))

    def admits(self, python: PythonVersion) -> bool:
        """Whether the specifier (if any) allows ``python``: Requires-Python semantics for
        a range read from pyproject.toml, feature-version semantics for the config's own."""
        if self.specifier is None:
            return True
        if self.source == "config":
            return matches(self.specifier, python)
        return admits(self.specifier, python)


def admits(specifier: SpecifierSet, python: PythonVersion) -> bool:
    """Requires-Python semantics: True when ``specifier`` admits some ``X.Y.*`` of
    ``python`` (``>=3.8.1`` admits 3.8; ``>3.7`` admits 3.7, since 3.7.1 > 3.7)."""
    base = f"{python.major}.{python.minor}"
    return any(Version(f"{base}.{patch}") in specifier for patch in range(31))


def matches(specifier: SpecifierSet, python: PythonVersion) -> bool:
    """Config semantics: the feature version itself is in ``specifier``.

    A Python specifier written in compatrix's config names feature versions: ``>3.7``
    means 3.8 and newer, ``!=3.9`` leaves out 3.9, ``<=3.11`` keeps 3.11.
    """
    return Version(f"{python.major}.{python.minor}") in specifier


@dataclass(frozen=True, slots=True, kw_only=True)
class DepRule:
    """One ``deps`` entry: extra requirements for the envs it applies to.

    ``key`` is the rule as written: ``"*"``, a specifier on the package version
    (``">=0.16,<0.17"``), a list of Pythons (``"py3.8,py3.9"``), or both
    (``">=4.0,<5.0; py3.6,py3.7"``).
    """

    key: str
    versions: SpecifierSet | None = None
    """Applies when the package version is in this set (prereleases included)."""
    pythons: frozenset[PythonVersion] | None = None
    """Applies on these Pythons (free-threaded builds named explicitly, ``py3.14t``)."""
    requirements: tuple[str, ...] = ()
    """PEP 508 requirement strings, validated, as written."""

    def applies(self, version: Version, python: PythonVersion) -> bool:
        """Does this rule apply to an env testing ``version`` on ``python``?"""
        if self.versions is not None and not self.versions.contains(version, prereleases=True):
            return False
        return self.pythons is None or python in self.pythons


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonRule:
    """A suite's Python restriction: for package versions in ``versions`` (all when None),
    test only on Pythons ``pythons`` admits. The first rule whose ``versions`` match wins."""

    versions: SpecifierSet | None
    pythons: SpecifierSet
    key: str = "python"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExcludeRule:
    """Versions never to pick (an exact version or a specifier), and why."""

    key: str
    versions: SpecifierSet
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """A service container a suite's CI jobs need (GitHub Actions ``services``)."""

    name: str
    image: str
    ports: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    health_cmd: str | None = None
    health_interval: str = "10s"
    health_timeout: str = "5s"
    health_retries: int = 5
    options: str | None = None
    """Extra ``docker create`` options, appended after the health-check options."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SuitePolicy:
    """Selection policies; set under ``[defaults]`` and overridable per suite."""

    num_versions: int = 4
    """How many final releases to pick (>= 2), besides the newest of each major."""
    prereleases: bool = True
    """Test the newest prerelease when it is newer than the latest final release."""
    prerelease_max_age: timedelta = timedelta(days=180)
    """A prerelease older than this (against the lock's time) is not tested."""
    cooldown: timedelta = timedelta(days=2)
    """Minimum release age: releases younger than this are not picked yet."""
    python_policy: PythonPolicy = "spread"
    each_major: bool = True
    """Also pick the newest release of every major (off for calendar versioning)."""
    stable_picks: bool = True
    """Keep earlier middle picks while they stay valid (see docs/selection.md)."""
    latest_env: bool = True
    """Add a ``-latest`` env that installs the newest release at run time."""
    group: str = "default"
    """CI group: one workflow (or job family) per group."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Suite:
    """One test suite: a package tested in several versions."""

    name: str
    """The table key: used in env names (``py3.12-NAME-v1.2.3``)."""
    package: NormalizedName
    """PEP 503-normalized name of the package on the index."""
    requirement: str
    """How the package is installed, without version: ``httpx`` or ``gql[all]``."""
    extras: tuple[str, ...] = ()
    min_version: Version | None = None
    include: SpecifierSet | None = None
    exclude: tuple[ExcludeRule, ...] = ()
    deps: tuple[DepRule, ...] = ()
    python: tuple[PythonRule, ...] = ()
    policy: SuitePolicy = field(default_factory=SuitePolicy)
    test_path: str | None = None
    setenv: Mapping[str, str] = field(default_factory=dict)
    passenv: tuple[str, ...] = ()
    services: tuple[Service, ...] = ()

    @property
    def factors(self) -> tuple[str, ...]:
        """The tox factors of the suite name (``openai-base`` -> ``openai``, ``base``)."""
        return tuple(self.name.split("-"))

    def python_restriction(self, version: Version) -> PythonRule | None:
        """The first ``python`` rule whose version specifier matches ``version``."""
        for rule in self.python:
            if rule.versions is None or rule.versions.contains(version, prereleases=True):
                return rule
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ToxSettings:
    """Where and how the tox configuration is rendered."""

    file: Path
    """``tox.ini`` or ``tox.toml`` (absolute)."""
    format: Literal["ini", "toml"] = "ini"
    test_path_variable: str = "TESTPATH"
    """The variable set (in ``setenv``) to a suite's ``test-path``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowSettings:
    """GitHub Actions workflows rendered from the matrix (one per group)."""

    enabled: bool = False
    directory: Path = Path(".github/workflows")
    """Absolute once loaded."""
    name_prefix: str = "test-"
    runs_on: str = "ubuntu-latest"
    jobs_per: Literal["python", "suite", "env"] = "python"
    """One job per group x Python (default), per group x suite x Python, or per env."""
    max_jobs: int = 256
    actions: Mapping[str, str] = field(default_factory=dict)
    """Action -> ``owner/repo@sha # tag`` overrides of the built-in pins."""
    tox_requirement: str = "tox>=4.48"
    tox_uv: bool = True
    extra_envs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Group -> hand-written tox envs (outside compatrix's regions) its workflow also runs."""
    branches: tuple[str, ...] = ("main",)
    """Branches (or patterns) whose pushes run the workflows; pull requests always do."""
    python_runs_on: Mapping[str, str] = field(default_factory=lambda: {"3.7": "ubuntu-22.04"})
    """Python (``3.7``, ``3.14t``) -> the runner of its jobs, instead of ``runs_on``."""
    python_container: Mapping[str, str] = field(
        default_factory=lambda: {"3.5": "python:3.5", "3.6": "python:3.6"}
    )
    """Python -> a container image its jobs run in (that image's Python runs tox)."""
    tox_python: str = "3.13"
    """The Python tox itself runs on in jobs that set up Python with setup-python."""
    container_tox_requirement: str = "tox"
    """How jobs in a container install tox (with the container's Python)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """The whole validated configuration."""

    path: Path
    """The file it was read from (``compatrix.toml`` or ``pyproject.toml``)."""
    root: Path
    """The directory relative paths are resolved against (the config file's directory)."""
    python: PythonRange
    free_threaded: tuple[PythonVersion, ...] = ()
    """Feature versions whose free-threaded build the project supports (``3.14`` -> 3.14t),
    as listed in ``free-threaded = ["3.14"]``. Use :meth:`free_threaded_builds`, which also
    covers ``free_threaded_all``."""
    free_threaded_all: bool = False
    """``free-threaded = true`` (or the pyproject.toml classifier): every Python of the
    resolved range whose free-threaded build is ``supported`` in ``CPYTHON``. Kept as a flag
    because an open range is resolved only against the lock's date."""
    index_url: str | None = None
    jobs: int = 50
    timeout: float = 30.0
    retries: int = 4
    max_page_mib: int = 64
    max_metadata_mib: int = 8
    lock_path: Path = Path("compatrix.lock")
    """Absolute once loaded."""
    tox: ToxSettings = field(default_factory=lambda: ToxSettings(file=Path("tox.ini")))
    workflows: WorkflowSettings = field(default_factory=WorkflowSettings)
    defaults: SuitePolicy = field(default_factory=SuitePolicy)
    suites: tuple[Suite, ...] = ()

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        path: Path,
        root: Path | None = None,
        pyproject: Mapping[str, Any] | None = None,
    ) -> Config:
        """Validate parsed TOML into a Config; raise ``ConfigError`` with every problem.

        ``data`` is the document (or its ``[tool.compatrix]`` table when ``path`` is a
        ``pyproject.toml``, and problems are then named ``tool.compatrix.…``). ``root``
        (default: ``path``'s directory) anchors relative paths. ``pyproject`` is the
        project's parsed ``pyproject.toml``, the source of the default Python range and
        free-threading; None when there is none.
        """
        # _config_load imports this module: import it when first needed.
        from compatrix._config._load import config_from_dict  # noqa: PLC0415

        return config_from_dict(data, path=path, root=root, pyproject=pyproject)

    def free_threaded_builds(self, pythons: Iterable[PythonVersion]) -> tuple[PythonVersion, ...]:
        """The free-threaded builds (``3.14t``) to test, given the resolved range ``pythons``.

        ``free-threaded = true``: one per Python of the range whose free-threaded build is
        ``supported``. A list: those of the listed feature versions that are in the range.
        """
        regular = sorted({python.regular for python in pythons})
        if self.free_threaded_all:
            chosen = [p for p in regular if _free_threading(p) == "supported"]
        else:
            chosen = [p for p in regular if p in self.free_threaded]
        return tuple(PythonVersion(p.major, p.minor, free_threaded=True) for p in chosen)

    def pythons(self, today: date) -> tuple[PythonVersion, ...]:
        """The project's Pythons on ``today`` (the lock's date), free-threaded builds
        included, oldest first (``3.13``, ``3.14``, ``3.14t``)."""
        regular = self.python.resolve(today)
        return tuple(sorted((*regular, *self.free_threaded_builds(regular))))

    def label(self, path: Path) -> str:
        """``path`` relative to the config's directory when inside it, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def suite(self, name: str) -> Suite | None:
        for suite in self.suites:
            if suite.name == name:
                return suite
        return None

    @property
    def packages(self) -> tuple[NormalizedName, ...]:
        """Every package the suites test, sorted, without duplicates."""
        return tuple(sorted({s.package for s in self.suites}))


def _free_threading(python: PythonVersion) -> str:
    release = cpython_release(python)
    return "none" if release is None else release.free_threading


def load_config(path: Path | None = None, *, directory: Path | None = None) -> Config:
    """Find, read and validate the configuration (see ``_config_load.load_config``)."""
    from compatrix._config._load import load_config as load  # noqa: PLC0415

    return load(path, directory=directory)
