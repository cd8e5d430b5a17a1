"""The factor condition of each generated deps line: compact, and exact under tox's rules."""

from __future__ import annotations

import pytest
from tox.config.loader.ini.factor import filter_for_env

from compatrix._config import DepRule
from compatrix._render._factors import build_plan
from compatrix._selection._model import SuiteMatrix

from .builders import config, matrix, picks, rule, suite

HTTPX = {"0.16.1": "3.8 3.9", "0.20.0": "3.8 3.12", "0.28.1": "3.9 3.13 3.14 3.14t", None: "3.14"}
REDIS = {"4.6.0": "3.6 3.7 3.12", "5.0.1": "3.7 3.12 3.13"}


def _conditions(suite_matrix: SuiteMatrix) -> dict[str, str]:
    """Requirement -> the condition of its line."""
    plan = build_plan(matrix(suite_matrix), config(suite_matrix))
    return {line.value: line.condition for line in plan.suites[0].deps}


@pytest.mark.parametrize(
    ("name", "versions", "dep_rule", "expected"),
    [
        pytest.param("httpx", HTTPX, rule("*", "x"), "httpx", id="star"),
        pytest.param("httpx", HTTPX, rule(">=0.1", "x"), "httpx", id="version-rule-for-all"),
        pytest.param(
            "httpx",
            HTTPX,
            rule("<0.21", "x"),
            "httpx-v0.16.1,httpx-v0.20.0",
            id="version-rule-some-versions",
        ),
        pytest.param(
            "httpx",
            HTTPX,
            rule(">=0.28", "x"),
            "httpx-v0.28.1,httpx-latest",
            id="version-rule-with-latest",
        ),
        pytest.param(
            "httpx",
            {**HTTPX, "1.0.0rc1": "3.14"},
            rule(">=1.0.0rc1", "x"),
            "httpx-v1.0.0rc1",
            id="version-rule-prerelease-not-latest",
        ),
        pytest.param(
            "httpx",
            HTTPX,
            rule("py3.8,py3.9,py3.11", "x"),
            "py3.8-httpx,py3.9-httpx",
            id="python-rule-existing-pythons-only",
        ),
        pytest.param(
            "httpx", HTTPX, rule("py3.14t", "x"), "py3.14t-httpx", id="python-rule-free-threaded"
        ),
        pytest.param(
            "httpx", HTTPX, rule("py3.14", "x"), "py3.14-httpx", id="python-rule-not-free-threaded"
        ),
        pytest.param(
            "redis",
            REDIS,
            rule(">=4.0,<5.0; py3.6,py3.7", "x"),
            "py3.6-redis,py3.7-redis-v4.6.0",
            id="combined-rule",
        ),
        pytest.param(
            "redis",
            REDIS,
            rule(">=5; py3.7,py3.12,py3.13", "x"),
            "redis-v5.0.1",
            id="combined-rule-covering-a-whole-version",
        ),
        pytest.param(
            "redis",
            REDIS,
            rule(">=4; py3.6,py3.7,py3.12,py3.13", "x"),
            "redis",
            id="combined-rule-covering-everything",
        ),
        pytest.param(
            "openai-base",
            {"1.0.0": "3.12", "2.0.0": "3.13", None: "3.13"},
            rule(">=2", "x"),
            "openai-base-v2.0.0,openai-base-latest",
            id="hyphenated-suite",
        ),
    ],
)
def test_condition(
    name: str, versions: dict[str | None, str], dep_rule: DepRule, expected: str
) -> None:
    suite_matrix = picks(suite(name, deps=[dep_rule]), versions)
    condition = _conditions(suite_matrix)["x"]
    assert condition == expected
    # tox's own factor filter agrees: the line applies to exactly the envs the rule covers.
    for env in suite_matrix.envs:
        applies = "x" in env.deps
        assert filter_for_env(f"{condition}: x", env.name) == ("x" if applies else ""), env.name


def test_rules_that_apply_to_no_env_are_left_out() -> None:
    suite_matrix = picks(suite("httpx", deps=[rule("<0.1", "old"), rule("py3.6", "py36")]), HTTPX)
    assert _conditions(suite_matrix) == {
        "httpx==0.16.1": "httpx-v0.16.1",
        "httpx==0.20.0": "httpx-v0.20.0",
        "httpx==0.28.1": "httpx-v0.28.1",
        "httpx": "httpx-latest",
    }


def test_latest_env_follows_the_latest_pick() -> None:
    # The -latest env gets a version rule when the newest known release is in it.
    suite_matrix = picks(
        suite("httpx", deps=[rule(">=0.29", "new"), rule("<0.29", "old")]),
        {"0.16.1": "3.9", None: "3.12"},
        latest="0.29.0",
    )
    assert _conditions(suite_matrix) == {
        "httpx==0.16.1": "httpx-v0.16.1",
        "httpx": "httpx-latest",
        "new": "httpx-latest",
        "old": "httpx-v0.16.1",
    }


def test_extras_and_markers_are_kept_as_written() -> None:
    suite_matrix = picks(
        suite("gql", "gql[all]", deps=[rule("*", 'aiohttp>=3; python_version < "3.13"')]),
        {"3.5.0": "3.12", None: "3.13"},
    )
    assert _conditions(suite_matrix) == {
        "gql[all]==3.5.0": "gql-v3.5.0",
        "gql[all]": "gql-latest",
        'aiohttp>=3; python_version < "3.13"': "gql",
    }


@pytest.mark.parametrize(
    ("setenv", "expected"),
    [
        pytest.param(
            None,
            [("httpx-v1.0.0rc1", "UV_PRERELEASE=allow")],
            id="prerelease-envs-allow-prereleases",
        ),
        pytest.param(
            {"UV_PRERELEASE": "explicit"},
            [("httpx", "UV_PRERELEASE=explicit")],
            id="the-suite-setenv-decides",
        ),
    ],
)
def test_prerelease_envs_let_tox_uv_install_prereleases(
    setenv: dict[str, str] | None, expected: list[tuple[str, str]]
) -> None:
    the_suite = suite("httpx", setenv=setenv)
    suite_matrix = picks(the_suite, {**HTTPX, "1.0.0rc1": "3.13 3.14"})
    plan = build_plan(matrix(suite_matrix), config(suite_matrix))
    pins = ("UV_CONSTRAINT=", "PIP_CONSTRAINT=")  # the constraint lines are tested apart
    lines = [
        (line.condition, line.value)
        for line in plan.suites[0].setenv
        if not line.value.startswith(pins)
    ]
    assert lines == expected
    for line in plan.suites[0].setenv:
        for env in suite_matrix.envs:
            selected = filter_for_env(f"{line.condition}: x", env.name) == "x"
            assert selected == (env.name in line.envs)
