"""Every key parses into its typed value; absent keys take the documented defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from generate_docs import sections
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from compatrix._config import (
    Config,
    DepRule,
    ExcludeRule,
    PythonRange,
    PythonRule,
    Service,
    SuitePolicy,
    WorkflowSettings,
)
from compatrix._pythons import PythonVersion

CHECKOUT = "actions/checkout@0123456789abcdef0123456789abcdef01234567 # v5.0.0"

PY = PythonVersion.parse


@dataclass(frozen=True)
class Key:
    """One key set to a non-default value, where to read it back, and what to expect."""

    scope: str
    toml: str
    read: Callable[[Config], Any]
    expected: Any


def _suite(config: Config) -> Any:
    return config.suites[0]


KEYS = [
    pytest.param(
        Key(
            "project",
            'python = ">=3.9,<3.14"',
            lambda c: c.python,
            PythonRange(specifier=SpecifierSet(">=3.9,<3.14"), source="config"),
        ),
        id="python-specifier",
    ),
    pytest.param(
        Key(
            "project",
            'python = ["3.10", "3.9"]',
            lambda c: c.python,
            PythonRange(listed=(PY("3.9"), PY("3.10")), source="config"),
        ),
        id="python-list-sorted",
    ),
    pytest.param(
        Key(
            "project",
            'free-threaded = ["3.14", "3.13t"]',
            lambda c: (c.free_threaded, c.free_threaded_all),
            ((PY("3.13"), PY("3.14")), False),
        ),
        id="free-threaded-list",
    ),
    pytest.param(
        Key(
            "project",
            "free-threaded = true",
            lambda c: (c.free_threaded, c.free_threaded_all),
            ((), True),
        ),
        id="free-threaded-true",
    ),
    pytest.param(
        Key(
            "project",
            'index-url = "https://user:token@pypi.example/simple/"',
            lambda c: c.index_url,
            "https://user:token@pypi.example/simple/",
        ),
        id="index-url",
    ),
    pytest.param(
        Key(
            "project",
            'pins-index-url = "https://pypi.org/simple/"',
            lambda c: c.pins_index_url,
            "https://pypi.org/simple/",
        ),
        id="pins-index-url",
    ),
    pytest.param(
        Key(
            "project",
            'allow-builds = ["Logbook", "zope.interface", "coverage"]',
            lambda c: c.allow_builds,
            ("logbook", "zope-interface", "coverage"),
        ),
        id="allow-builds-normalised",
    ),
    pytest.param(
        Key(
            "project",
            'lock = "locks/matrix.lock"',
            lambda c: c.lock_path.relative_to(c.root),
            Path("locks/matrix.lock"),
        ),
        id="lock",
    ),
    pytest.param(
        Key(
            "project",
            'results = "ci/results.json"',
            lambda c: c.results_path.relative_to(c.root),
            Path("ci/results.json"),
        ),
        id="results",
    ),
    pytest.param(Key("index", "jobs = 8", lambda c: c.index.jobs, 8), id="index-jobs"),
    pytest.param(Key("index", "timeout = 2.5", lambda c: c.index.timeout, 2.5), id="index-timeout"),
    pytest.param(
        Key(
            "index",
            "timeout = 10",
            lambda c: (c.index.timeout, type(c.index.timeout)),
            (10.0, float),
        ),
        id="index-timeout-integer",
    ),
    pytest.param(Key("index", "retries = 0", lambda c: c.index.retries, 0), id="index-retries"),
    pytest.param(
        Key("index", "max-page-mib = 128", lambda c: c.index.max_page_mib, 128),
        id="index-max-page-mib",
    ),
    pytest.param(
        Key("index", "max-metadata-mib = 1", lambda c: c.index.max_metadata_mib, 1),
        id="index-max-metadata-mib",
    ),
    pytest.param(
        Key(
            "tox",
            'file = "ci/tox.toml"',
            lambda c: (c.tox.file.relative_to(c.root), c.tox.format),
            (Path("ci/tox.toml"), "toml"),
        ),
        id="tox-file-toml",
    ),
    pytest.param(
        Key("tox", 'test-path-variable = "TESTS"', lambda c: c.tox.test_path_variable, "TESTS"),
        id="tox-test-path-variable",
    ),
    pytest.param(
        Key(
            "tox",
            'constraints = "ci/pins"',
            lambda c: c.tox.constraints.relative_to(c.root),
            Path("ci/pins"),
        ),
        id="tox-constraints",
    ),
    pytest.param(
        Key("workflows", "enabled = true", lambda c: c.workflows.enabled, True),
        id="workflows-enabled",
    ),
    pytest.param(
        Key(
            "workflows",
            'directory = "ci"',
            lambda c: c.workflows.directory.relative_to(c.root),
            Path("ci"),
        ),
        id="workflows-directory",
    ),
    pytest.param(
        Key("workflows", 'name-prefix = ""', lambda c: c.workflows.name_prefix, ""),
        id="workflows-name-prefix-empty",
    ),
    pytest.param(
        Key("workflows", 'runs-on = "ubuntu-24.04"', lambda c: c.workflows.runs_on, "ubuntu-24.04"),
        id="workflows-runs-on",
    ),
    pytest.param(
        Key("workflows", 'jobs-per = "env"', lambda c: c.workflows.jobs_per, "env"),
        id="workflows-jobs-per",
    ),
    pytest.param(
        Key("workflows", "max-jobs = 1", lambda c: c.workflows.max_jobs, 1), id="workflows-max-jobs"
    ),
    pytest.param(
        Key(
            "workflows",
            f'actions = {{ checkout = "{CHECKOUT}" }}',
            lambda c: c.workflows.actions,
            {"checkout": CHECKOUT},
        ),
        id="workflows-actions",
    ),
    pytest.param(
        Key(
            "workflows",
            'tox-requirement = "tox[testing]>=4.50"',
            lambda c: c.workflows.tox_requirement,
            "tox[testing]>=4.50",
        ),
        id="workflows-tox-requirement",
    ),
    pytest.param(
        Key("workflows", "tox-uv = false", lambda c: c.workflows.tox_uv, False),
        id="workflows-tox-uv",
    ),
    pytest.param(
        Key(
            "workflows",
            'extra-envs = { Common = ["py3.8-common", "py3.14t-common"] }',
            lambda c: c.workflows.extra_envs,
            {"Common": ("py3.8-common", "py3.14t-common")},
        ),
        id="workflows-extra-envs",
    ),
    pytest.param(
        Key(
            "workflows",
            'branches = ["master", "release/*"]',
            lambda c: c.workflows.branches,
            ("master", "release/*"),
        ),
        id="workflows-branches",
    ),
    pytest.param(
        Key(
            "workflows",
            'python-runs-on = { "3.8" = "ubuntu-22.04", "3.14t" = "ubuntu-24.04-arm" }',
            lambda c: c.workflows.python_runs_on,
            {"3.8": "ubuntu-22.04", "3.14t": "ubuntu-24.04-arm"},
        ),
        id="workflows-python-runs-on-replaces-default",
    ),
    pytest.param(
        Key(
            "workflows",
            'python-container = { "3.7" = "python:3.7-bullseye" }',
            lambda c: c.workflows.python_container,
            {"3.7": "python:3.7-bullseye"},
        ),
        id="workflows-python-container-replaces-default",
    ),
    pytest.param(
        Key("workflows", 'tox-python = "3.12"', lambda c: c.workflows.tox_python, "3.12"),
        id="workflows-tox-python",
    ),
    pytest.param(
        Key(
            "workflows",
            'container-tox-requirement = "tox<4"',
            lambda c: c.workflows.container_tox_requirement,
            "tox<4",
        ),
        id="workflows-container-tox-requirement",
    ),
    pytest.param(
        Key(
            "workflows",
            'compatrix-install = "compatrix @ git+https://github.com/compatrix/compatrix@v0.1.0"',
            lambda c: c.workflows.compatrix_install,
            "compatrix @ git+https://github.com/compatrix/compatrix@v0.1.0",
        ),
        id="workflows-compatrix-install",
    ),
    pytest.param(
        Key("defaults", "num-versions = 2", lambda c: c.defaults.num_versions, 2),
        id="defaults-num-versions",
    ),
    pytest.param(
        Key("defaults", "prereleases = false", lambda c: c.defaults.prereleases, False),
        id="defaults-prereleases",
    ),
    pytest.param(
        Key(
            "defaults",
            "prerelease-max-age = 30",
            lambda c: c.defaults.prerelease_max_age,
            timedelta(days=30),
        ),
        id="defaults-prerelease-max-age",
    ),
    pytest.param(
        Key("defaults", "cooldown = 0", lambda c: c.defaults.cooldown, timedelta(0)),
        id="defaults-cooldown-zero",
    ),
    pytest.param(
        Key("defaults", 'python-policy = "all"', lambda c: c.defaults.python_policy, "all"),
        id="defaults-python-policy",
    ),
    pytest.param(
        Key("defaults", "each-major = false", lambda c: c.defaults.each_major, False),
        id="defaults-each-major",
    ),
    pytest.param(
        Key("defaults", "each-major = true", lambda c: c.defaults.each_major, True),
        id="defaults-each-major-on-overrides-detection",
    ),
    pytest.param(
        Key("defaults", "pinned-latest = true", lambda c: c.defaults.pinned_latest, True),
        id="defaults-pinned-latest",
    ),
    pytest.param(
        Key("budget", "max-envs = 50", lambda c: c.budget.max_envs, 50), id="budget-max-envs"
    ),
    pytest.param(
        Key("budget", "groups = { default = 10 }", lambda c: c.budget.groups, {"default": 10}),
        id="budget-groups",
    ),
    pytest.param(
        Key("defaults", "stable-picks = false", lambda c: c.defaults.stable_picks, False),
        id="defaults-stable-picks",
    ),
    pytest.param(
        Key("defaults", 'pins = "lock-time"', lambda c: c.defaults.pins, "lock-time"),
        id="defaults-pins",
    ),
    pytest.param(
        Key("defaults", "latest-env = false", lambda c: c.defaults.latest_env, False),
        id="defaults-latest-env",
    ),
    pytest.param(
        Key("defaults", 'group = "Web 1"', lambda c: c.defaults.group, "Web 1"), id="defaults-group"
    ),
    pytest.param(
        Key(
            "suite",
            'package = "Strawberry_GraphQL[flask,fastapi]"',
            lambda c: (_suite(c).package, _suite(c).requirement, _suite(c).extras),
            ("strawberry-graphql", "Strawberry_GraphQL[fastapi,flask]", ("fastapi", "flask")),
        ),
        id="suite-package-extras",
    ),
    pytest.param(
        Key("suite", 'min-version = "0.16"', lambda c: _suite(c).min_version, Version("0.16")),
        id="suite-min-version",
    ),
    pytest.param(
        Key(
            "suite",
            'include = "!=2.0.0a1,!=2.0.0a2"',
            lambda c: _suite(c).include,
            SpecifierSet("!=2.0.0a1,!=2.0.0a2"),
        ),
        id="suite-include",
    ),
    pytest.param(
        Key(
            "suite",
            'exclude = { "2.0.0" = "broken wheel", ">=3,<3.2" = "hangs" }',
            lambda c: _suite(c).exclude,
            (
                ExcludeRule(key="2.0.0", versions=SpecifierSet("==2.0.0"), reason="broken wheel"),
                ExcludeRule(key=">=3,<3.2", versions=SpecifierSet(">=3,<3.2"), reason="hangs"),
            ),
        ),
        id="suite-exclude",
    ),
    pytest.param(
        Key(
            "suite",
            'deps = { "*" = ["pytest-asyncio"], ">=4.0,<5.0; py3.8,py3.14t" = ["x<2"] }',
            lambda c: _suite(c).deps,
            (
                DepRule(key="*", requirements=("pytest-asyncio",)),
                DepRule(
                    key=">=4.0,<5.0; py3.8,py3.14t",
                    versions=SpecifierSet(">=4.0,<5.0"),
                    pythons=frozenset({PY("3.8"), PY("3.14t")}),
                    requirements=("x<2",),
                ),
            ),
        ),
        id="suite-deps",
    ),
    pytest.param(
        Key(
            "suite",
            'python = "<3.13"',
            lambda c: _suite(c).python,
            (PythonRule(versions=None, pythons=SpecifierSet("<3.13")),),
        ),
        id="suite-python-specifier",
    ),
    pytest.param(
        Key(
            "suite",
            'python = { ">0.0,<2.3" = ">=3.8", ">=2.3" = ">=3.9" }',
            lambda c: _suite(c).python,
            (
                PythonRule(
                    versions=SpecifierSet(">0.0,<2.3"),
                    pythons=SpecifierSet(">=3.8"),
                    key=">0.0,<2.3",
                ),
                PythonRule(
                    versions=SpecifierSet(">=2.3"), pythons=SpecifierSet(">=3.9"), key=">=2.3"
                ),
            ),
        ),
        id="suite-python-table",
    ),
    pytest.param(
        Key(
            "suite",
            'python = { "<2.3" = ">=3.8", "*" = ">=3.9" }',
            lambda c: (_suite(c).python, _suite(c).python_restriction(Version("2.3rc1"))),
            (
                (
                    PythonRule(
                        versions=SpecifierSet("<2.3"), pythons=SpecifierSet(">=3.8"), key="<2.3"
                    ),
                    PythonRule(versions=None, pythons=SpecifierSet(">=3.9"), key="*"),
                ),
                PythonRule(versions=None, pythons=SpecifierSet(">=3.9"), key="*"),
            ),
        ),
        id="suite-python-table-with-a-fallback",
    ),
    pytest.param(
        Key("suite", "num-versions = 2", lambda c: _suite(c).policy.num_versions, 2),
        id="suite-num-versions",
    ),
    pytest.param(
        Key(
            "suite",
            'test-path = "tests/integrations/httpx"',
            lambda c: _suite(c).test_path,
            "tests/integrations/httpx",
        ),
        id="suite-test-path",
    ),
    pytest.param(
        Key("suite", "allow-empty = true", lambda c: _suite(c).allow_empty, True),
        id="suite-allow-empty",
    ),
    pytest.param(
        Key(
            "suite",
            'setenv = { DJANGO_SETTINGS_MODULE = "app.settings", EMPTY = "" }',
            lambda c: _suite(c).setenv,
            {"DJANGO_SETTINGS_MODULE": "app.settings", "EMPTY": ""},
        ),
        id="suite-setenv",
    ),
    pytest.param(
        Key(
            "suite",
            'passenv = ["SENTRY_*", "HOME"]',
            lambda c: _suite(c).passenv,
            ("SENTRY_*", "HOME"),
        ),
        id="suite-passenv",
    ),
    pytest.param(
        Key(
            "suite",
            'add-python = { "3.13" = "installs and passes" }',
            lambda c: _suite(c).add_python,
            {"3.13": "installs and passes"},
        ),
        id="suite-add-python",
    ),
    pytest.param(
        Key(
            "suite",
            "smoke = \"python -c 'import httpx; httpx.Client()'\"",
            lambda c: _suite(c).smoke,
            "python -c 'import httpx; httpx.Client()'",
        ),
        id="suite-smoke",
    ),
    pytest.param(
        Key(
            "suite",
            'services = { cache = { image = "redis:7", ports = ["6379"] } }',
            lambda c: _suite(c).services,
            (Service(name="cache", image="redis:7", ports=("6379",)),),
        ),
        id="suite-services-inline",
    ),
    pytest.param(
        Key(
            "service", 'image = "postgres:16"', lambda c: _suite(c).services[0].image, "postgres:16"
        ),
        id="service-image",
    ),
    pytest.param(
        Key(
            "service",
            'ports = ["5432:5432", "6379/udp"]',
            lambda c: _suite(c).services[0].ports,
            ("5432:5432", "6379/udp"),
        ),
        id="service-ports",
    ),
    pytest.param(
        Key(
            "service",
            'env = { POSTGRES_PASSWORD = "sentry" }',
            lambda c: _suite(c).services[0].env,
            {"POSTGRES_PASSWORD": "sentry"},
        ),
        id="service-env",
    ),
    pytest.param(
        Key(
            "service",
            'health-cmd = "pg_isready"',
            lambda c: _suite(c).services[0].health_cmd,
            "pg_isready",
        ),
        id="service-health-cmd",
    ),
    pytest.param(
        Key(
            "service",
            'health-interval = "1m30s"',
            lambda c: _suite(c).services[0].health_interval,
            "1m30s",
        ),
        id="service-health-interval",
    ),
    pytest.param(
        Key(
            "service",
            'health-timeout = "500ms"',
            lambda c: _suite(c).services[0].health_timeout,
            "500ms",
        ),
        id="service-health-timeout",
    ),
    pytest.param(
        Key("service", "health-retries = 10", lambda c: _suite(c).services[0].health_retries, 10),
        id="service-health-retries",
    ),
    pytest.param(
        Key(
            "service",
            'options = "--tmpfs /var/lib/postgresql/data"',
            lambda c: _suite(c).services[0].options,
            "--tmpfs /var/lib/postgresql/data",
        ),
        id="service-options",
    ),
]

_HEADERS = {
    "project": "",
    "index": "[index]",
    "tox": "[tox]",
    "workflows": "[workflows]",
    "defaults": "[defaults]",
    "suite": "[suites.pkg]",
    "service": "[suites.pkg.services.db]",
    "budget": "[budget]",
}


def document(*keys: Key) -> str:
    """A config setting ``keys``, plus what every config needs (python, a suite, an image)."""
    lines: dict[str, list[str]] = {scope: [] for scope in _HEADERS}
    for key in keys:
        lines[key.scope].append(key.toml)
    if not any(line.startswith("python =") for line in lines["project"]):
        lines["project"].append('python = ">=3.9"')
    if not any(line.startswith("package =") for line in lines["suite"]):
        lines["suite"].append('package = "pkg"')
    if lines["service"] and not any(line.startswith("image =") for line in lines["service"]):
        lines["service"].append('image = "postgres:17"')
    parts = []
    for scope, header in _HEADERS.items():
        if lines[scope] or scope == "suite":
            parts.append("\n".join([header, *lines[scope]]).strip())
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("key", KEYS)
def test_key_parses(key: Key, load_toml: Callable[..., Config]) -> None:
    assert key.read(load_toml(document(key))) == key.expected


def test_every_key_at_once(load_toml: Callable[..., Config]) -> None:
    keys = [param.values[0] for param in KEYS]
    # One value per key (the last row of a key wins); inline services would clash with the
    # [suites.pkg.services.db] table of the service rows, and the budget row's group is the
    # suite's default group, which the [defaults] group row renames.
    unique = {(k.scope, k.toml.split("=")[0].strip()): k for k in keys}
    del unique["suite", "services"]
    del unique["budget", "groups"]
    config = load_toml(document(*unique.values()))
    for key in unique.values():
        assert key.read(config) == key.expected, key.toml


_SCOPES = {
    "the top level": "project",
    "[index]": "index",
    "[tox]": "tox",
    "[workflows]": "workflows",
    "[defaults]": "defaults",
    "[suites.NAME]": "suite",
    "[suites.NAME.services.NAME]": "service",
    "[budget]": "budget",
}


def test_every_option_has_a_row() -> None:
    """Adding an option without a row in KEYS fails here."""
    covered = set()
    for param in KEYS:
        key = param.values[0]
        covered.add((key.scope, key.toml.split("=")[0].strip()))
    wanted = {
        (_SCOPES[section.title], option.key)
        for section in sections()
        for option in section.table.options
        # Sections have rows of their own keys; a suite's policies are the [defaults] rows.
        if not option.kind.section and option.owner is section.table.cls
    }
    assert wanted - covered == set()


def test_suite_overrides_defaults(load_toml: Callable[..., Config]) -> None:
    config = load_toml(
        'python = ">=3.9"\n'
        '[defaults]\nnum-versions = 3\ncooldown = 7\ngroup = "Web"\n'
        '[suites.a]\npackage = "a"\nnum-versions = 6\n'
        '[suites.b]\npackage = "b"\ngroup = "DBs"\nprereleases = false\n'
    )
    a, b = config.suites
    assert a.policy == SuitePolicy(num_versions=6, cooldown=timedelta(days=7), group="Web")
    assert b.policy == SuitePolicy(
        num_versions=3, cooldown=timedelta(days=7), group="DBs", prereleases=False
    )


def test_defaults(load_toml: Callable[..., Config], tmp_path: Path) -> None:
    config = load_toml('python = ">=3.9"\n[suites.httpx]\npackage = "httpx"\n')
    assert (config.path, config.root) == (tmp_path / "compatrix.toml", tmp_path)
    assert config.free_threaded == ()
    assert config.free_threaded_all is False
    assert config.index_url is None
    assert (config.index.jobs, config.index.timeout, config.index.retries) == (50, 30.0, 4)
    assert config.lock_path == tmp_path / "compatrix.lock"
    assert (config.tox.file, config.tox.format) == (tmp_path / "tox.ini", "ini")
    assert config.tox.test_path_variable == "TESTPATH"
    assert config.workflows == WorkflowSettings(
        enabled=False,
        directory=tmp_path / ".github/workflows",
        name_prefix="test-",
        runs_on="ubuntu-latest",
        jobs_per="python",
        max_jobs=256,
        actions={},
        tox_requirement="tox>=4.48",
        tox_uv=True,
        extra_envs={},
    )
    policy = SuitePolicy(
        num_versions=4,
        prereleases=True,
        prerelease_max_age=timedelta(days=180),
        cooldown=timedelta(days=2),
        python_policy="spread",
        stable_picks=True,
        latest_env=True,
        group="default",
    )
    assert config.defaults == policy
    (suite,) = config.suites
    assert (suite.name, suite.package, suite.requirement, suite.extras) == (
        "httpx",
        "httpx",
        "httpx",
        (),
    )
    assert suite.policy == policy
    assert (suite.min_version, suite.include, suite.test_path) == (None, None, None)
    assert (suite.exclude, suite.deps, suite.python, suite.passenv, suite.services) == (
        (),
        (),
        (),
        (),
        (),
    )
    assert suite.setenv == {}


def test_service_defaults(load_toml: Callable[..., Config]) -> None:
    config = load_toml(
        'python = ">=3.9"\n[suites.redis]\npackage = "redis"\n'
        '[suites.redis.services.redis]\nimage = "redis:7"\n'
    )
    assert config.suites[0].services == (
        Service(
            name="redis",
            image="redis:7",
            ports=(),
            env={},
            health_cmd=None,
            health_interval="10s",
            health_timeout="5s",
            health_retries=5,
            options=None,
        ),
    )


def test_suites_keep_config_order(load_toml: Callable[..., Config]) -> None:
    config = load_toml(
        'python = ">=3.9"\n[suites.zeta]\npackage = "z"\n[suites.alpha]\npackage = "a"\n'
        '[suites.mid]\npackage = "z"\n'
    )
    assert [s.name for s in config.suites] == ["zeta", "alpha", "mid"]
    assert config.packages == ("a", "z")
    assert config.suite("alpha") is config.suites[1]


def test_absolute_paths_stay(load_toml: Callable[..., Config], tmp_path: Path) -> None:
    inside = tmp_path / "ci" / "compatrix.lock"  # outside the project: test_config_errors
    config = load_toml(f'python = ">=3.9"\nlock = {str(inside)!r}\n')
    assert config.lock_path == inside
