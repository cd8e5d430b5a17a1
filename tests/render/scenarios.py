"""The matrices and user files the rendering tests share.

``full()`` exercises every kind of ``deps`` rule, a hyphenated suite with extras, a
prerelease, ``-latest`` envs and a free-threaded Python; ``changed()`` is the same project a
week later (new releases picked, one suite gone), for regeneration tests.
"""

from __future__ import annotations

from compatrix._config._model import Config
from compatrix._selection._model import Matrix, SuiteMatrix

from .builders import config, matrix, picks, rule, suite


def _httpx(versions: dict[str | None, str]) -> SuiteMatrix:
    httpx = suite(
        "httpx",
        deps=[
            rule("*", "anyio>=3,<5", "pytest-asyncio"),
            rule(">=0.16,<0.17", "pytest-httpx==0.10.0"),
            rule(">=0.28", "pytest-httpx==0.35.0"),
            rule("py3.8", "tokenizers<0.20.4"),
            rule(">=0.28; py3.13,py3.14t", "h2>=4"),
            rule("<0.10", "never-used"),
        ],
        test_path="tests/integrations/httpx",
        group="Network",
        passenv=["HTTPX_TOKEN"],
    )
    return picks(httpx, versions)


def _openai_base() -> SuiteMatrix:
    openai = suite(
        "openai-base",
        "openai[datalib]",
        setenv={"OPENAI_MODE": "test"},
        test_path="tests/integrations/openai",
        group="AI",
    )
    return picks(openai, {"1.0.0": "3.12", "1.99.9": "3.12 3.13", None: "3.13"})


def _redis() -> SuiteMatrix:
    redis = suite(
        "redis",
        deps=[
            rule(">=4.0,<5.0; py3.6,py3.7", "fakeredis<2.31.0"),
            rule(">=5; py3.12", "hiredis"),
        ],
    )
    return picks(redis, {"4.6.0": "3.6 3.7 3.12", "5.0.1": "3.7 3.12 3.13"})


def full(tox_file: str = "tox.ini") -> tuple[Matrix, Config]:
    suites = (
        _httpx(
            {
                "0.16.1": "3.8 3.9",
                "0.24.1": "3.8 3.12",
                "0.28.1": "3.9 3.13 3.14 3.14t",
                "1.0.0b1": "3.14",
                None: "3.9 3.14",
            }
        ),
        _openai_base(),
        _redis(),
    )
    return matrix(*suites), config(*suites, tox_file=tox_file)


def changed(tox_file: str = "tox.ini") -> tuple[Matrix, Config]:
    suites = (
        _httpx({"0.16.1": "3.8 3.9", "0.20.0": "3.8", "0.28.2": "3.9 3.14", None: "3.14"}),
        _redis(),
    )
    return matrix(*suites), config(*suites, tox_file=tox_file)


USER_INI = """\
# Project tox configuration.
[tox]
envlist = lint, py{39,312}-unit
skip_missing_interpreters = true

[testenv]
description = run the unit tests
deps =
    pytest
    pytest-cov
setenv = PYTHONDONTWRITEBYTECODE=1
commands = pytest {env:TESTPATH:tests} {posargs}

[testenv:lint]
skip_install = true
deps = ruff
commands = ruff check .
"""

USER_INI_WITHOUT_SECTIONS = """\
# Only a lint env so far.
[testenv:lint]
skip_install = true
deps = ruff
commands = ruff check .
"""

USER_INI_TOX_ONLY = "[tox]\nrequires = tox>=4.26"
"""No env list, no [testenv], and no line break at the end."""

USER_TOML = """\
requires = ["tox>=4.37"]
env_list = ["lint", "type"]

[env_run_base]
description = "unit tests"
deps = ["pytest", "pytest-cov"]
set_env = { PYTHONDONTWRITEBYTECODE = "1" }
pass_env = ["CI"]
commands = [["pytest", "{env:TESTPATH:tests}", { replace = "posargs", extend = true }]]

[env.lint]
skip_install = true
deps = ["ruff"]
commands = [["ruff", "check", "."]]

[env.type]
deps = ["mypy"]
commands = [["mypy", "src"]]
"""

USER_TOML_MULTILINE = """\
# tox configuration
env_list = [
    "lint",  # the linters
    "type"
    # "docs",
]

# the base of every env
[env_run_base]
set_env = [{ A = "1" }, { B = "2" }]
commands = [["pytest"]]
"""

USER_TOML_WITHOUT_ENV_LIST = """\
# the base of every env
[env_run_base]
deps = ["pytest"]
"""

USER_PYPROJECT_NATIVE = """\
[project]
name = "sample"
requires-python = ">=3.8"

[tool.tox]
requires = ["tox>=4.37"]
env_list = ["lint", "type"]

[tool.tox.env_run_base]
description = "unit tests"
deps = ["pytest", "pytest-cov"]
set_env = { PYTHONDONTWRITEBYTECODE = "1" }
pass_env = ["CI"]
commands = [["pytest", "{env:TESTPATH:tests}", { replace = "posargs", extend = true }]]

[tool.tox.env.lint]
skip_install = true
deps = ["ruff"]
commands = [["ruff", "check", "."]]

[tool.tox.env.type]
deps = ["mypy"]
commands = [["mypy", "src"]]

[tool.ruff]
line-length = 100
"""
"""USER_TOML as pyproject.toml's [tool.tox], between other tables."""

USER_PYPROJECT_NATIVE_NO_ENV_LIST = """\
[project]
name = "sample"

[tool.tox]
requires = ["tox>=4.37"]

[tool.tox.env_run_base]
deps = ["pytest"]
commands = [["pytest", "{env:TESTPATH:tests}"]]
"""

USER_PYPROJECT_LEGACY = (
    "[project]\nname = \"sample\"\n\n[tool.tox]\nlegacy_tox_ini = '''\n"
    + USER_INI
    + "'''\n\n[tool.ruff]\nline-length = 100\n"
)
"""USER_INI in a literal string."""

USER_PYPROJECT_LEGACY_BASIC = USER_PYPROJECT_LEGACY.replace("'''", '"""')
"""USER_INI in a basic string."""
