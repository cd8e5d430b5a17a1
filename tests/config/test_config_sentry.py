"""The Sentry Python SDK's test matrix config (toxgen's) is expressible without loss.

``data/sentry-test-matrix-config.json`` is toxgen's configuration as data (61 suites, their
minimum versions, CI groups and the SDK's own Pythons). ``data/sentry-subset.toml`` is a
hand-written compatrix.toml for seven representative suites; the whole config is also
translated mechanically. Either way, every value must come back as the reference says.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix._config import Config, PythonRange, PythonRule, Suite, load_config
from compatrix._pythons import PythonVersion

DATA = Path(__file__).parent / "data"
REFERENCE: dict[str, Any] = json.loads(
    (DATA / "sentry-test-matrix-config.json").read_text(encoding="utf-8")
)
SUITES: dict[str, dict[str, Any]] = REFERENCE["test_suite_config"]
SUBSET = ("httpx", "redis", "openai-base", "strawberry", "pymongo", "starlite", "django")
PY = PythonVersion.parse


def _integration(name: str) -> str:
    return SUITES[name].get("integration_name", name)


def _group(name: str) -> str:
    (group,) = [group for group, members in REFERENCE["groups"].items() if name in members]
    return group


def check_suite(suite: Suite, config: Config) -> None:
    """``suite`` holds exactly what the reference says of it."""
    reference = SUITES[suite.name]
    package = Requirement(reference["package"])
    assert suite.package == canonicalize_name(package.name)
    assert suite.extras == tuple(sorted(package.extras))
    assert [(rule.key, rule.requirements) for rule in suite.deps] == [
        (key, tuple(requirements)) for key, requirements in reference.get("deps", {}).items()
    ]
    python = reference.get("python")
    if python is None:
        assert suite.python == ()
    elif isinstance(python, str):
        assert suite.python == (PythonRule(versions=None, pythons=SpecifierSet(python)),)
    else:
        assert suite.python == tuple(
            PythonRule(versions=SpecifierSet(key), pythons=SpecifierSet(value), key=key)
            for key, value in python.items()
        )
    include = reference.get("include")
    assert suite.include == (SpecifierSet(include) if include is not None else None)
    assert suite.policy.num_versions == reference.get("num_versions", config.defaults.num_versions)
    min_version = REFERENCE["min_versions"].get(_integration(suite.name))
    assert suite.min_version == (Version(min_version) if min_version is not None else None)
    assert suite.policy.group == _group(suite.name)
    assert suite.test_path == f"tests/integrations/{_integration(suite.name)}"


def test_the_subset_loads_with_the_reference_values(tmp_path: Path) -> None:
    config_path = tmp_path / "compatrix.toml"
    config_path.write_text((DATA / "sentry-subset.toml").read_text(encoding="utf-8"))
    config = load_config(directory=tmp_path)
    assert tuple(suite.name for suite in config.suites) == SUBSET
    for suite in config.suites:
        check_suite(suite, config)
    assert config.python == PythonRange(
        listed=tuple(PY(p) for p in REFERENCE["project_python_classifiers"]), source="config"
    )
    assert config.free_threaded == (PY("3.14"),)
    assert config.workflows.extra_envs["Common"][-1] == "py3.14t-common"


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> Config:
    directory = tmp_path_factory.mktemp("sentry")
    (directory / "compatrix.toml").write_text((DATA / "sentry-subset.toml").read_text())
    return load_config(directory=directory)


@pytest.mark.parametrize(
    ("suite", "version", "python", "keys"),
    [
        pytest.param("httpx", "0.16.1", "3.8", ["*", "<0.24", ">=0.16,<0.17"], id="httpx-0.16"),
        pytest.param("httpx", "0.28.1", "3.12", ["*", ">=0.28,<0.29"], id="httpx-0.28"),
        pytest.param(
            "redis",
            "4.6.0",
            "3.8",
            [
                "*",
                ">=4.0,<5.0",
                "py3.6,py3.7,py3.8",
                "py3.7,py3.8,py3.9,py3.10,py3.11,py3.12,py3.13,py3.14,py3.14t",
            ],
            id="redis-4-on-3.8",
        ),
        pytest.param("redis", "6.0.0", "3.6", ["*", "py3.6,py3.7,py3.8"], id="redis-6-on-3.6"),
        pytest.param(
            "redis",
            "6.0.0",
            "3.14t",
            ["*", "py3.7,py3.8,py3.9,py3.10,py3.11,py3.12,py3.13,py3.14,py3.14t"],
            id="redis-free-threaded",
        ),
        pytest.param(
            "django",
            "3.0.14",
            "3.14t",
            ["*", ">=3.0", "<3.1", "<3.3", "py3.14,py3.14t"],
            id="django-3.0-free-threaded",
        ),
        pytest.param("django", "5.2", "3.13", ["*", ">=3.0"], id="django-5.2"),
        pytest.param("strawberry", "0.262.5", "3.12", ["*", "<=0.262.5"], id="strawberry-bound"),
        pytest.param("openai-base", "1.54.0rc1", "3.12", ["*", "<1.55"], id="openai-prerelease"),
    ],
)
def test_subset_deps_rules_apply(
    subset: Config, suite: str, version: str, python: str, keys: list[str]
) -> None:
    found = subset.suite(suite)
    assert found is not None
    applying = [rule.key for rule in found.deps if rule.applies(Version(version), PY(python))]
    assert sorted(applying) == sorted(keys)


@pytest.mark.parametrize(
    ("suite", "version", "pythons"),
    [
        pytest.param("pymongo", "3.5.0", "<3.7", id="pymongo-old"),
        pytest.param("pymongo", "4.0", None, id="pymongo-unrestricted"),
        pytest.param("openai-base", "1.0.0", ">=3.8", id="openai-1"),
        pytest.param("openai-base", "2.3.0", ">=3.9", id="openai-2.3"),
        pytest.param("starlite", "1.51.0", "<=3.11", id="starlite-every-version"),
        pytest.param("httpx", "0.27.2", None, id="httpx-before-0.28"),
    ],
)
def test_subset_python_restrictions(
    subset: Config, suite: str, version: str, pythons: str | None
) -> None:
    found = subset.suite(suite)
    assert found is not None
    rule = found.python_restriction(Version(version))
    assert (rule.pythons if rule is not None else None) == (
        SpecifierSet(pythons) if pythons is not None else None
    )


def test_starlite_include_leaves_out_the_litestar_alphas(subset: Config) -> None:
    starlite = subset.suite("starlite")
    assert starlite is not None
    assert starlite.include is not None
    included = [
        v
        for v in ("1.51.16", "2.0.0a1", "2.0.0a2")
        if starlite.include.contains(v, prereleases=True)
    ]
    assert included == ["1.51.16"]


# --- the whole reference, translated mechanically --------------------------------------------


def _toml(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string of this ASCII data is a TOML basic string
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def translate(reference: dict[str, Any]) -> str:
    """toxgen's config as compatrix.toml: one suite per TEST_SUITE_CONFIG entry."""
    lines = [
        f"python = {_toml(reference['project_python_classifiers'])}",
        'free-threaded = ["3.14"]',
    ]
    for name, suite in reference["test_suite_config"].items():
        integration = suite.get("integration_name", name)
        lines += ["", f"[suites.{name}]", f"package = {_toml(suite['package'])}"]
        if integration in reference["min_versions"]:
            lines.append(f"min-version = {_toml(reference['min_versions'][integration])}")
        for key, option in (("include", "include"), ("num_versions", "num-versions")):
            if key in suite:
                lines.append(f"{option} = {_toml(suite[key])}")
        if "python" in suite:
            lines.append(f"python = {_toml(suite['python'])}")
        lines.append(f"group = {_toml(_group(name))}")
        lines.append(f"test-path = {_toml(f'tests/integrations/{integration}')}")
        if "deps" in suite:
            lines += [f"[suites.{name}.deps]"]
            lines += [f"{_toml(rule)} = {_toml(reqs)}" for rule, reqs in suite["deps"].items()]
    return "\n".join(lines) + "\n"


def test_the_whole_reference_translates(tmp_path: Path) -> None:
    known = {"package", "deps", "python", "include", "num_versions", "integration_name"}
    assert {key for suite in SUITES.values() for key in suite} == known
    (tmp_path / "compatrix.toml").write_text(translate(REFERENCE))
    config = load_config(directory=tmp_path)
    assert [suite.name for suite in config.suites] == list(SUITES)
    for suite in config.suites:
        check_suite(suite, config)


def test_every_reference_group_has_a_home() -> None:
    """Groups hold generated suites (their ``group``) or hand-written envs (``extra-envs``)."""
    for group, members in REFERENCE["groups"].items():
        for member in members:
            assert (member in SUITES) != (member in REFERENCE["not_generated"]), (group, member)
