"""The configuration, as typed, validated, frozen data; every option declared once.

Each option is a field declared with :func:`~compatrix._config._fields.option` (its
default, its help, and its kind when the field's type does not say it). The tables of
``compatrix.toml`` follow from these dataclasses: :class:`Config` is the top level, its
dataclass fields are ``[index]``, ``[tox]``, ``[workflows]`` and ``[defaults]``, and
``[suites.NAME]`` and ``[suites.NAME.services.NAME]`` are :class:`Suite` and
:class:`Service`. Reading (``_load.py``) turns TOML into these objects; every later step
takes them as input. The reference in ``docs/config.md`` and ``docs/compatrix.schema.json``
are generated from the declarations (``tools/generate_docs.py``).
"""

# option() and embedded() return dataclasses.field(...) (as field() does, RUF009 does not
# know them).
# ruff: noqa: RUF009

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

from compatrix._config._fields import (
    Int,
    ListOf,
    NamedTables,
    Table,
    TableOf,
    Text,
    embedded,
    option,
)
from compatrix._config._kinds import (
    DURATION,
    ENV_TABLE,
    Days,
    InstallSource,
    Package,
    PackageName,
    RequirementText,
    Seconds,
    Specifier,
    Suites,
    Url,
    VersionText,
)
from compatrix._config._python_range import FreeThreaded, ProjectPythons, PythonRange
from compatrix._config._suite_rules import (
    DepRule,
    DepRules,
    ExcludeRule,
    ExcludeRules,
    PythonRestriction,
    PythonRule,
)
from compatrix._pythons import PythonVersion, cpython_release

__all__ = [
    "BudgetSettings",
    "Config",
    "PinPolicy",
    "PythonPolicy",
    "Service",
    "Suite",
    "SuitePolicy",
    "ToxSettings",
    "WorkflowSettings",
]

PythonPolicy = Literal["spread", "all", "oldest-newest", "newest"]
"""Which of a pick's supported Pythons get an env.

``spread`` (default): the oldest, the second newest and the newest. ``all``: every one.
``oldest-newest``: the two ends. ``newest``: only the newest.
"""

PinPolicy = Literal["era", "lock-time", "off"]
"""How a suite's pinned envs are pinned (docs/pins.md): ``era`` resolves each env as the
index stood when its pick was current (default), ``lock-time`` as it stood on the lock's
day, ``off`` pins nothing.
"""


def _per_python(what: str) -> TableOf[str]:
    """A table of Python (``3.7``, ``3.14t``) -> ``what``."""
    return TableOf(
        value=Text(),
        type_doc=f"table: Python → {what}",
        key_pattern=r"3\.[0-9]+t?",
        key_what="a Python (like '3.7' or '3.14t')",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """``[suites.NAME.services.NAME]``: a service container a suite's CI jobs need (GitHub
    Actions ``services``)."""

    name: str
    image: str = option(required=True, help="The container image (`redis:7`).")
    ports: tuple[str, ...] = option(
        default=(),
        kind=ListOf(
            item=Text(
                what="a port mapping (like '6379' or '5432:5432')",
                pattern=r"([^\s:/]+:)?([0-9]+:)?[0-9]+(/(tcp|udp|sctp))?",
            ),
            plural="port mappings",
        ),
        help='Published ports (`"5432:5432"`).',
    )
    env: Mapping[str, str] = option(
        default_factory=dict, kind=ENV_TABLE, help="The container's environment variables."
    )
    health_cmd: str | None = option(
        default=None, help="Health check command; jobs wait until it succeeds."
    )
    health_interval: str = option(default="10s", kind=DURATION, help="Time between health checks.")
    health_timeout: str = option(
        default="5s", kind=DURATION, help="Time one health check may take."
    )
    health_retries: int = option(
        default=5,
        kind=Int(minimum=1),
        help="Failed health checks before the container counts as unhealthy.",
    )
    options: str | None = option(
        default=None, help="Extra `docker create` options, after the health-check options."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SuitePolicy:
    """``[defaults]``: selection policies of every suite; a suite's table overrides them."""

    num_versions: int = option(
        default=4,
        kind=Int(minimum=2, maximum=1000),
        help="How many final releases to pick (lowest, latest and evenly spaced ones).",
    )
    prereleases: bool = option(
        default=True,
        help="Also test the newest prerelease when it is newer than the latest final release.",
    )
    prerelease_max_age: timedelta = option(
        default=timedelta(days=180),
        kind=Days(minimum=1),
        help="A prerelease older than this (at the lock's time) is not tested.",
    )
    cooldown: timedelta = option(
        default=timedelta(days=2),
        kind=Days(minimum=0),
        help="Releases younger than this (at the lock's time) are not picked yet.",
    )
    python_policy: PythonPolicy = option(
        default="spread",
        help=(
            "Which of a pick's supported Pythons get an env: `spread` the oldest, the second "
            "newest and the newest; `all`; `oldest-newest`; `newest`."
        ),
    )
    each_major: bool | None = option(
        default=None,
        default_doc="detected",
        help=(
            "Also pick the newest release of every major version (these may exceed "
            "`num-versions`). Unset: on, except for majors that are years (calendar "
            "versioning, or a jump to it, detected from upload dates; `explain` says so)."
        ),
    )
    stable_picks: bool = option(
        default=True,
        help="Keep earlier middle picks while they stay valid, so updates do not reshuffle.",
    )
    latest_env: bool = option(
        default=True, help="Add a `-latest` env that installs the newest release when it runs."
    )
    pinned_latest: bool = option(
        default=False,
        help=(
            "Also render a `-pinned_latest` env per Python of the latest pick, pinned to it "
            "(toxgen's `-latest`): run it by name (`tox -e py3.12-SUITE-pinned_latest`); it "
            "is not in `env_list`, and CI does not run it."
        ),
    )
    group: str = option(default="default", help="The CI group (one workflow per group).")
    pins: PinPolicy = option(
        default="era",
        help=(
            "How each pinned env's dependencies are pinned (constraint files, see "
            "[pins](pins.md)): `era` resolves them as the index stood when the pick was "
            "current, `lock-time` as it stood on the lock's day, `off` pins nothing."
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Suite:
    """``[suites.NAME]``: one test suite, a package tested in several versions. Its table
    also takes every key of ``[defaults]`` (``policy``)."""

    name: str
    """The table key: used in env names (``py3.12-NAME-v1.2.3``)."""
    policy: SuitePolicy = embedded(SuitePolicy)
    package: NormalizedName = option(
        required=True,
        kind=Package(),
        help=(
            "The package to test, with optional extras (`strawberry-graphql[fastapi,flask]`); "
            "no version, marker or URL."
        ),
    )
    """PEP 503-normalized name of the package on the index."""
    requirement: str
    """How the package is installed, without version: ``httpx`` or ``gql[all]``."""
    extras: tuple[str, ...] = ()
    min_version: Version | None = option(
        default=None, kind=VersionText(), help="The lowest supported version."
    )
    include: SpecifierSet | None = option(
        default=None,
        kind=Specifier(),
        help="Only versions in this specifier set are picked (`!=2.0.0a1,!=2.0.0a2`).",
    )
    exclude: tuple[ExcludeRule, ...] = option(
        default=(),
        kind=ExcludeRules(),
        help="Versions never picked, each with the reason `explain` shows.",
    )
    deps: tuple[DepRule, ...] = option(
        default=(),
        kind=DepRules(),
        help="Extra requirements of the envs each rule applies to (see [deps rules](#deps-rules)).",
    )
    python: tuple[PythonRule, ...] = option(
        default=(),
        kind=PythonRestriction(),
        help=(
            "Restricts the Pythons. A table maps package-version specifiers to Python "
            "specifiers: the first key matching a version applies; no match, no restriction."
        ),
    )
    add_python: Mapping[str, str] = option(
        default_factory=dict,
        kind=_per_python("reason"),
        help=(
            "Pythons to test although the upload-date or classifier heuristics rule them "
            'out (`"3.13" = "installs and passes, checked 2026-12"`): the reason is shown '
            "in `explain`. Requires-Python, the files and `python` still apply."
        ),
    )
    smoke: str | None = option(
        default=None,
        help=(
            "A command `compatrix probe` runs in its throwaway env after importing the "
            "package (`python -c 'import flask; flask.Flask(__name__)'`); it must exit 0."
        ),
    )
    test_path: str | None = option(
        default=None,
        help=(
            "Rendered as `NAME: TESTPATH=<test-path>` in `setenv`; your tox `commands` must "
            "read it (`{env:TESTPATH:tests}`), and `generate`, `update` and `check` warn when "
            "they do not."
        ),
    )
    allow_empty: bool = option(
        default=False,
        help=(
            "Accept that no release can be tested (the suite then has no envs). Without it, "
            "`update`, `generate` and `check` fail when the suite's own keys rule out every "
            "release, and `update` fails when the suite loses every pick it had (see "
            "[nothing to test](selection.md#nothing-to-test))."
        ),
    )
    setenv: Mapping[str, str] = option(
        default_factory=dict,
        kind=ENV_TABLE,
        help="Extra environment variables of the suite's envs.",
    )
    passenv: tuple[str, ...] = option(
        default=(),
        kind=ListOf(
            item=Text(
                what="an environment variable name, '*' allowed",
                pattern=r"[A-Za-z_*][A-Za-z0-9_*]*",
            ),
            plural="strings",
        ),
        help="Environment variables passed through to the suite's envs (`*` matches any text).",
    )
    services: tuple[Service, ...] = option(
        default=(),
        kind=NamedTables(
            table=Table(Service),
            type_doc="table: name → service table",
            key_pattern=r"[A-Za-z_][A-Za-z0-9_-]*",
            key_what=(
                "a service name (letters, digits, '_' and '-', starting with a letter or '_')"
            ),
        ),
        help="Service containers the suite's CI jobs need (see below).",
    )

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
class IndexSettings:
    """``[index]``: how the package index is read."""

    jobs: int = option(
        default=50,
        kind=Int(minimum=1),
        help="Most concurrent requests to the index (`--jobs` overrides).",
    )
    timeout: float = option(
        default=30.0,
        kind=Seconds(),
        help=(
            "Most seconds one attempt at a request may take, from connecting to the last byte "
            "of the answer, redirects included; a retry gets as long again."
        ),
    )
    retries: int = option(
        default=4,
        kind=Int(minimum=0),
        help="Retries of a request after a connection error, a 5xx or a 429 answer.",
    )
    max_page_mib: int = option(
        default=64,
        kind=Int(minimum=1),
        help="Largest project page read, in MiB once decompressed; a larger one is an error.",
    )
    max_metadata_mib: int = option(
        default=8,
        kind=Int(minimum=1),
        help="Largest core metadata file read, in MiB once decompressed; a larger one is an error.",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ToxSettings:
    """``[tox]``: where and how the tox configuration is rendered."""

    file: Path = option(
        default=Path("tox.ini"),
        help=(
            "The tox configuration compatrix renders into: tox.ini, or a `.toml` file in "
            "tox.toml's format, or `pyproject.toml` (its `[tool.tox]` table, native or "
            "`legacy_tox_ini`)."
        ),
    )
    """``tox.ini``, ``tox.toml`` or ``pyproject.toml`` (absolute once loaded)."""
    format: Literal["ini", "toml", "pyproject"] = "ini"
    """From the file's name: ``pyproject`` for pyproject.toml, else its suffix."""
    test_path_variable: str = option(
        default="TESTPATH",
        kind=Text(
            what="an identifier (letters, digits and '_', not starting with a digit)",
            type_doc="string (identifier)",
            pattern=r"[A-Za-z_][A-Za-z0-9_]*",
        ),
        help="The variable (in `setenv`) set to a suite's `test-path`.",
    )
    constraints: Path = option(
        default=Path("constraints"),
        help=(
            "Where the constraint file of each pinned env is written "
            "(`{constraints}/{env_name}.txt`, see [pins](pins.md))."
        ),
    )
    """Absolute once loaded."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowSettings:
    """``[workflows]``: GitHub Actions workflows rendered from the matrix (one per group)."""

    enabled: bool = option(default=False, help="Render GitHub Actions workflows, one per group.")
    directory: Path = option(default=Path(".github/workflows"), help="Where workflows are written.")
    """Absolute once loaded."""
    name_prefix: str = option(
        default="test-",
        kind=Text(
            what="a file name prefix (letters, digits, '.', '_' and '-')",
            pattern=r"[A-Za-z0-9._-]*",
            allow_empty=True,
        ),
        help="A group's workflow file is `{name-prefix}{group-slug}.yml`.",
    )
    runs_on: str = option(
        default="ubuntu-latest",
        help="The runner of the jobs (except the Pythons in `python-runs-on`).",
    )
    jobs_per: Literal["python", "suite", "env"] = option(
        default="python",
        help="One matrix entry per group and Python, per suite and Python, or per env.",
    )
    """One job per group x Python (default), per group x suite x Python, or per env."""
    max_jobs: int = option(
        default=256, kind=Int(minimum=1, maximum=256), help="A matrix with more entries is split."
    )
    actions: Mapping[str, str] = option(
        default_factory=dict,
        kind=TableOf(
            value=Text(
                what="an action reference (like 'actions/checkout@<sha> # v5.0.0')",
                pattern=r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[A-Za-z0-9_./-]+( +#.*)?",
            ),
            type_doc="table: action → reference",
            key_pattern=r"[A-Za-z0-9_-]+",
            key_what="an action name (letters, digits, '_' and '-')",
        ),
        default_doc="built-in pins",
        help='Overrides of the pinned actions: `checkout = "actions/checkout@<sha> # v5.0.0"`.',
    )
    """Action -> ``owner/repo@sha # tag`` overrides of the built-in pins."""
    tox_requirement: str = option(
        default="tox>=4.48",
        kind=RequirementText(project="tox", example="tox>=4.48"),
        help="How jobs install tox.",
    )
    tox_uv: bool = option(default=True, help="Also install tox-uv.")
    extra_envs: Mapping[str, tuple[str, ...]] = option(
        default_factory=dict,
        kind=TableOf(
            value=ListOf(
                item=Text(
                    what="a tox env name (letters, digits, '.', '_' and '-')",
                    pattern=r"[A-Za-z0-9._-]+",
                ),
                plural="tox env names",
            ),
            type_doc="table: group → array of env names",
        ),
        help=(
            "Hand-written tox envs (outside compatrix's regions) a group's workflow also runs; "
            "a group may have only these."
        ),
    )
    """Group -> hand-written tox envs (outside compatrix's regions) its workflow also runs."""
    branches: tuple[str, ...] = option(
        default=("main",),
        kind=ListOf(
            item=Text(
                what="a branch name or pattern (letters, digits and '._/*+!-')",
                pattern=r"[A-Za-z0-9._/*+!-]+",
            ),
            plural="branch names",
        ),
        help=(
            "Pushes to these branches run the workflows (GitHub branch patterns allowed); "
            "pull requests and manual runs (`workflow_dispatch`) always do."
        ),
    )
    python_runs_on: Mapping[str, str] = option(
        default_factory=lambda: {"3.7": "ubuntu-22.04"},
        kind=_per_python("runner"),
        help=(
            "The runner of a Python's jobs instead of `runs-on` (`3.14t` falls back to "
            "`3.14`). setup-python has no 3.7 for ubuntu-latest (24.04). Setting the table "
            "replaces the default."
        ),
    )
    python_container: Mapping[str, str] = option(
        default_factory=lambda: {"3.5": "python:3.5", "3.6": "python:3.6"},
        kind=_per_python("image"),
        help=(
            "A container image a Python's jobs run in, for Pythons setup-python no longer "
            "installs; tox runs on the image's own Python. Setting the table replaces the "
            "default."
        ),
    )
    tox_python: str = option(
        default="3.13",
        kind=Text(
            what="a Python feature version (like '3.13')",
            type_doc="string (Python)",
            pattern=r"3\.[0-9]+",
        ),
        help="The Python tox itself runs on, installed next to each job's Python.",
    )
    container_tox_requirement: str = option(
        default="tox",
        kind=RequirementText(project="tox", example="tox<4"),
        help=(
            "How jobs in a `python-container` install tox, with the container's Python "
            "(pip picks the newest tox that supports it); tox-uv is not installed there."
        ),
    )
    compatrix_install: str | None = option(
        default=None,
        kind=InstallSource(),
        default_doc="written by `init`",
        help=(
            "How the weekly update workflow (`compatrix-update.yml`) installs compatrix: a "
            "requirement (`compatrix==0.2.0`), a git or https URL (`compatrix @ "
            "git+https://github.com/compatrix/compatrix@v0.2.0`) or the relative path of a "
            "wheel in the repository. `generate` and `update` keep the workflow's "
            "`COMPATRIX_INSTALL` line equal to it; unset, that line is left alone."
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetSettings:
    """``[budget]``: the most envs the matrix may have, in total and per CI group."""

    max_envs: int | None = option(
        default=None,
        kind=Int(minimum=1),
        default_doc="no limit",
        help=(
            "The most envs in all (pinned and `-latest`; `-pinned_latest` envs do not count). "
            "Over it, the Pythons of each pick are trimmed first, then middle picks."
        ),
    )
    groups: Mapping[str, int] = option(
        default_factory=dict,
        kind=TableOf(
            value=Int(minimum=1),
            type_doc="table: group → int ≥ 1",
            key_pattern=r".+",
            key_what="a group name",
        ),
        help="The most envs of each group's suites, trimmed the same way, before `max-envs`.",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """The whole validated configuration: the top level of ``compatrix.toml`` (or
    ``[tool.compatrix]`` in pyproject.toml)."""

    path: Path
    """The file it was read from (``compatrix.toml`` or ``pyproject.toml``)."""
    root: Path
    """The directory relative paths are resolved against (the config file's directory)."""
    python: PythonRange = option(
        kind=ProjectPythons(),
        default_doc="from `pyproject.toml`",
        help=(
            "The project's own Pythons. A specifier: every CPython released (final) by the "
            'lock\'s date that it admits. An array (`["3.9", "3.10"]`): exactly those. '
            "Default: `project.requires-python` and the `Programming Language :: Python :: "
            "3.X` classifiers of `pyproject.toml` (both: the listed ones the specifier admits)."
        ),
    )
    free_threaded: tuple[PythonVersion, ...] = option(
        default=(),
        kind=FreeThreaded(),
        default_doc="from `pyproject.toml`",
        help=(
            "Also test free-threaded builds (`3.14t`). `true`: every Python of the range whose "
            'free-threaded build is supported (3.14 on); an array (`["3.14"]`): those of the '
            "range. Default: `true` when `pyproject.toml` has the classifier `Programming "
            "Language :: Python :: Free Threading :: 3 - Stable` or `4 - Resilient`."
        ),
    )
    """Feature versions whose free-threaded build the project supports (``3.14`` -> 3.14t),
    as listed in ``free-threaded = ["3.14"]``. Use :meth:`free_threaded_builds`, which also
    covers ``free_threaded_all``."""
    free_threaded_all: bool = False
    """``free-threaded = true`` (or the pyproject.toml classifier): every Python of the
    resolved range whose free-threaded build is ``supported`` in ``CPYTHON``. Kept as a flag
    because an open range is resolved only against the lock's date."""
    index_url: str | None = option(
        default=None,
        kind=Url(),
        default_doc="PyPI (`https://pypi.org/simple/`)",
        help=(
            "The package index's Simple API root. Overridden by `--index-url`, then by "
            "`COMPATRIX_INDEX_URL`, `UV_DEFAULT_INDEX`, `UV_INDEX_URL` and `PIP_INDEX_URL`."
        ),
    )
    pins_index_url: str | None = option(
        default=None,
        kind=Url(),
        default_doc="`index-url`",
        help=(
            "The index pinned envs are resolved against, when the facts come from one that "
            "holds only the suites' packages (a recorded copy, a partial mirror). Overridden "
            "by `--pins-index-url`. A record of pins stays current while this stays the "
            "same, whatever index the facts are read from (docs/pins.md)."
        ),
    )
    allow_builds: tuple[NormalizedName, ...] = option(
        default=(),
        kind=ListOf(item=PackageName(), plural="package names"),
        help=(
            "Packages whose sdists build on your CI (an optional C extension, a compiler on "
            "the runners): a pinned env that installs one from its sdist is installable, "
            'where otherwise "its sdist needs a build" rules it out (docs/pins.md). '
            "Changing the list resolves every pinned env again."
        ),
    )
    """Normalised names (PEP 503) of packages whose sdists pinned envs may build."""
    lock_path: Path = option(key="lock", default=Path("compatrix.lock"), help="The lock file.")
    """Absolute once loaded."""
    results_path: Path = option(
        key="results",
        default=Path("compatrix-results.json"),
        help="The results file `compatrix results` records test outcomes in.",
    )
    """Absolute once loaded."""
    index: IndexSettings = option(
        default_factory=IndexSettings, help="How the package index is read."
    )
    tox: ToxSettings = option(
        default_factory=ToxSettings, help="Where and how tox envs are rendered."
    )
    workflows: WorkflowSettings = option(
        default_factory=WorkflowSettings,
        help="GitHub Actions workflows rendered from the matrix.",
    )
    defaults: SuitePolicy = option(
        default_factory=SuitePolicy, help="Defaults of every suite's selection policies."
    )
    suites: tuple[Suite, ...] = option(
        default=(), kind=Suites(Table(Suite)), help="The test suites, one table per suite."
    )
    budget: BudgetSettings = option(
        default_factory=BudgetSettings,
        help="An env budget: the matrix trimmed to at most so many envs (docs/selection.md).",
    )

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
