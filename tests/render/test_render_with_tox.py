"""The rendered files as real tox reads them: env list, deps, set_env and pass_env."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from compatrix._render import render_pyproject_tox, render_tox_ini, render_tox_toml
from compatrix._selection._model import Env, Matrix

from .scenarios import (
    USER_INI,
    USER_PYPROJECT_LEGACY,
    USER_PYPROJECT_LEGACY_BASIC,
    USER_PYPROJECT_NATIVE,
    USER_PYPROJECT_NATIVE_NO_ENV_LIST,
    USER_TOML,
    USER_TOML_MULTILINE,
    full,
)

TOX = Path(sys.executable).with_name("tox")


def _tox(cwd: Path, *args: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TOX")}
    result = subprocess.run(
        [str(TOX), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _expected_set_env(matrix: Matrix) -> dict[str, dict[str, str]]:
    expected: dict[str, dict[str, str]] = {}
    for suite_matrix in matrix.suites:
        suite = suite_matrix.suite
        values = {"TESTPATH": suite.test_path} if suite.test_path else {}
        values.update(suite.setenv)
        for env in suite_matrix.envs:
            expected[env.name] = values
    return expected


@pytest.mark.parametrize(
    ("name", "existing", "user_envs", "base"),
    [
        pytest.param("tox.ini", None, {}, {"deps": ["pytest"]}, id="ini-skeleton"),
        pytest.param(
            "tox.ini",
            USER_INI,
            {"lint": ["ruff"], "py39-unit": None, "py312-unit": None},
            {"deps": ["pytest", "pytest-cov"], "set_env": {"PYTHONDONTWRITEBYTECODE": "1"}},
            id="ini-user-file",
        ),
        pytest.param("tox.toml", None, {}, {"deps": ["pytest"]}, id="toml-skeleton"),
        pytest.param(
            "tox.toml",
            USER_TOML,
            {"lint": ["ruff"], "type": ["mypy"]},
            {
                "deps": ["pytest", "pytest-cov"],
                "set_env": {"PYTHONDONTWRITEBYTECODE": "1"},
                "pass_env": ["CI"],
            },
            id="toml-user-file",
        ),
        pytest.param(
            "tox.toml",
            USER_TOML_MULTILINE,
            {"lint": None, "type": None},
            {"deps": [], "set_env": {"A": "1", "B": "2"}},
            id="toml-multi-line-base-set-env-array",
        ),
        pytest.param(
            "pyproject.toml",
            USER_PYPROJECT_NATIVE,
            {"lint": ["ruff"], "type": ["mypy"]},
            {
                "deps": ["pytest", "pytest-cov"],
                "set_env": {"PYTHONDONTWRITEBYTECODE": "1"},
                "pass_env": ["CI"],
            },
            id="pyproject-native",
        ),
        pytest.param(
            "pyproject.toml",
            USER_PYPROJECT_NATIVE_NO_ENV_LIST,
            {},
            {"deps": ["pytest"]},
            id="pyproject-native-without-env-list",
        ),
        pytest.param(
            "pyproject.toml",
            USER_PYPROJECT_LEGACY,
            {"lint": ["ruff"], "py39-unit": None, "py312-unit": None},
            {"deps": ["pytest", "pytest-cov"], "set_env": {"PYTHONDONTWRITEBYTECODE": "1"}},
            id="pyproject-legacy-literal-string",
        ),
        pytest.param(
            "pyproject.toml",
            USER_PYPROJECT_LEGACY_BASIC,
            {"lint": ["ruff"], "py39-unit": None, "py312-unit": None},
            {"deps": ["pytest", "pytest-cov"], "set_env": {"PYTHONDONTWRITEBYTECODE": "1"}},
            id="pyproject-legacy-basic-string",
        ),
    ],
)
def test_tox_sees_exactly_the_generated_envs(
    tmp_path: Path,
    name: str,
    existing: str | None,
    user_envs: dict[str, list[str] | None],
    base: dict[str, Any],
) -> None:
    matrix, config = full(name)
    if name == "pyproject.toml":
        text = render_pyproject_tox(existing, matrix, config, path=name)
    elif name.endswith(".toml"):
        text = render_tox_toml(existing, matrix, config)
    else:
        text = render_tox_ini(existing, matrix, config)
    (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    generated = [env.name for env in matrix.envs]

    listed = _tox(tmp_path, "-l").split()
    assert listed == [*user_envs, *generated]

    shown = json.loads(
        _tox(
            tmp_path, "config", "-e", "ALL", "-k", "deps", "set_env", "pass_env", "--format", "json"
        )
    )["env"]
    shown.pop(".pkg", None)  # the packaging env of a pyproject.toml with a [project] table
    assert sorted(shown) == sorted([*user_envs, *generated])
    base_deps = base["deps"]
    base_set_env = base.get("set_env", {})
    base_pass_env = base.get("pass_env", [])
    set_env = _expected_set_env(matrix)
    for env in matrix.envs:
        config_of = shown[env.name]
        assert config_of["deps"] == [*base_deps, env.requirement, *env.deps], env.name
        wanted = {**base_set_env, **set_env[env.name]}
        got = {k: v for k, v in config_of["set_env"].items() if k in {*wanted, "TESTPATH"}}
        assert got == wanted, env.name
        passenv = [*base_pass_env, *matrix.suites[0].suite.passenv] if "httpx" in env.name else []
        assert set(passenv) <= set(config_of["pass_env"]), env.name
        if "httpx" not in env.name:
            assert "HTTPX_TOKEN" not in config_of["pass_env"], env.name
    # The user's envs get none of the generated lines.
    for user_env, own_deps in user_envs.items():
        config_of = shown[user_env]
        assert config_of["deps"] == (base_deps if own_deps is None else own_deps), user_env
        assert "TESTPATH" not in config_of["set_env"], user_env
        assert "HTTPX_TOKEN" not in config_of["pass_env"], user_env


def _with_aliases(matrix: Matrix) -> tuple[Matrix, list[Env]]:
    """``matrix`` with httpx's latest pick (0.28.1) also as ``-pinned_latest`` envs."""
    httpx = matrix.suites[0]
    aliases = [
        replace(env, name=env.name.replace("-v0.28.1", "-pinned_latest"), alias=True)
        for env in httpx.envs
        if env.version == Version("0.28.1") and env.python.factor in {"py3.9", "py3.14"}
    ]
    suites = (replace(httpx, aliases=tuple(aliases)), *matrix.suites[1:])
    return Matrix(suites=suites), aliases


@pytest.mark.parametrize("name", ["tox.ini", "tox.toml"])
def test_pinned_latest_envs_run_by_name_but_are_not_listed(tmp_path: Path, name: str) -> None:
    matrix, config = full(name)
    matrix, aliases = _with_aliases(matrix)
    render = render_tox_toml if name.endswith(".toml") else render_tox_ini
    (tmp_path / name).write_text(render(None, matrix, config), encoding="utf-8", newline="")
    listed = _tox(tmp_path, "-l").split()
    assert listed == [env.name for env in matrix.envs]
    names = [env.name for env in aliases]
    assert names == ["py3.9-httpx-pinned_latest", "py3.14-httpx-pinned_latest"]
    shown = json.loads(
        _tox(tmp_path, "config", "-e", ",".join(names), "-k", "deps", "set_env", "--format", "json")
    )["env"]
    for alias in aliases:
        assert shown[alias.name]["deps"] == ["pytest", "httpx==0.28.1", *alias.deps]
        assert shown[alias.name]["set_env"]["TESTPATH"] == "tests/integrations/httpx"
        assert "UV_PRERELEASE" not in shown[alias.name]["set_env"]
