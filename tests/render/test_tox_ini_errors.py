"""tox.ini files compatrix refuses to update, and matrices it refuses to write.

Config values that cannot be written are config problems (tests/config/test_output_rules.py).
"""

from __future__ import annotations

import pytest

from compatrix._render import render_tox_ini
from compatrix.errors import OutputError

from .builders import config, matrix, picks, rule, suite
from .scenarios import full

BEGIN = "    # >>> compatrix: {}"
END = "    # <<< compatrix: {}"


def _ini(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("existing", "line", "message"),
    [
        pytest.param(
            _ini("[tox]", "env_list =", BEGIN.format("env_list"), "    lint", "", "[testenv]"),
            3,
            "region 'env_list' begins here but never ends",
            id="begin-without-end",
        ),
        pytest.param(
            _ini("[tox]", "env_list =", "    lint", END.format("env_list")),
            4,
            "end of region 'env_list' without a matching begin marker",
            id="end-without-begin",
        ),
        pytest.param(
            _ini(
                "[tox]",
                "env_list =",
                BEGIN.format("env_list"),
                END.format("env_list"),
                BEGIN.format("env_list"),
                END.format("env_list"),
            ),
            5,
            "region 'env_list' appears a second time (first on line 3)",
            id="duplicate",
        ),
        pytest.param(
            _ini(
                "[testenv]",
                "deps =",
                BEGIN.format("deps"),
                BEGIN.format("set_env"),
                END.format("set_env"),
                END.format("deps"),
            ),
            4,
            "region 'set_env' begins before region 'deps' (begun on line 3) ends",
            id="nested",
        ),
        pytest.param(
            _ini("[testenv]", "deps =", BEGIN.format("dep"), END.format("dep")),
            3,
            "unknown compatrix region 'dep'",
            id="unknown-name",
        ),
        pytest.param(
            _ini("[tox]", "env_list =", BEGIN.format("deps"), END.format("deps")),
            3,
            "the 'deps' region must be inside the value of deps in [testenv], "
            "but it is in env_list of [tox]",
            id="wrong-key",
        ),
        pytest.param(
            _ini("[testenv:lint]", "deps =", BEGIN.format("deps"), END.format("deps")),
            3,
            "but it is in deps of [testenv:lint]",
            id="wrong-section",
        ),
        pytest.param(
            _ini("[testenv]", BEGIN.format("deps"), END.format("deps"), "deps = pytest"),
            2,
            "but it is outside any value",
            id="before-any-key",
        ),
        pytest.param(
            _ini("[testenv]", "deps =", BEGIN.format("deps"), "set_env =", END.format("deps")),
            3,
            "but it ends on line 5, in another value",
            id="spans-two-values",
        ),
        pytest.param(
            _ini("[tox]", "envlist = a", "env_list = b"),
            3,
            "[tox] sets both 'envlist' (line 2) and 'env_list'; keep one",
            id="two-spellings-of-one-key",
        ),
    ],
)
def test_broken_markers_are_refused_with_file_and_line(
    existing: str, line: int, message: str
) -> None:
    matrix_, config_ = full()
    with pytest.raises(OutputError) as raised:
        render_tox_ini(existing, matrix_, config_, path="ci/tox.ini")
    assert str(raised.value).startswith(f"ci/tox.ini:{line}: ")
    assert message in str(raised.value)


@pytest.mark.parametrize(
    "existing",
    [
        pytest.param("deps = pytest\n", id="no-section-header"),
        pytest.param("[tox]\n[tox]\n", id="duplicate-section"),
        pytest.param("[testenv]\ndeps = a\ndeps = b\n", id="duplicate-key"),
    ],
)
def test_files_tox_cannot_read_are_refused(existing: str) -> None:
    matrix_, config_ = full()
    with pytest.raises(OutputError, match=r"^tox\.ini: cannot read it as an ini file: "):
        render_tox_ini(existing, matrix_, config_)


def test_an_env_name_tox_cannot_read_as_factors_is_refused() -> None:
    # A local version ("+") is not a valid tox factor: tox would apply the line to every env.
    sm = picks(suite("foo"), {"1.0+local": "3.12"})
    with pytest.raises(OutputError, match=r"'v1\.0\+local' is not usable as a tox factor"):
        render_tox_ini(None, matrix(sm), config(sm))


def test_overlapping_suite_names_trip_the_condition_check() -> None:
    # Config validation rejects "openai" next to "openai-base"; rendering double-checks
    # every condition against all envs, so such a matrix never reaches tox.ini.
    openai = picks(suite("openai", deps=[rule("*", "tiktoken")]), {"1.0.0": "3.12"})
    openai_base = picks(suite("openai-base", "openai"), {"1.0.0": "3.12"})
    with pytest.raises(AssertionError, match=r"would select \['py3\.12-openai-base-v1\.0\.0'\]"):
        render_tox_ini(None, matrix(openai, openai_base), config(openai, openai_base))


def test_env_deps_that_contradict_the_rules_are_a_bug() -> None:
    from dataclasses import replace

    sm = picks(suite("foo", deps=[rule("*", "bar")]), {"1.0": "3.12"})
    broken = replace(sm, envs=(replace(sm.envs[0], deps=()),))
    with pytest.raises(AssertionError, match="lists deps"):
        render_tox_ini(None, matrix(broken), config(broken))
