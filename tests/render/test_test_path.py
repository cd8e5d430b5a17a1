"""A suite's test-path is read only by the user's tox commands: compatrix says when they
never read it (compatrix._render._test_path)."""

from __future__ import annotations

import pytest

from compatrix._render._test_path import unread_test_path

from .builders import config, picks, suite

_INI_NOT_READ = "[testenv]\ndeps = pytest\ncommands = pytest {posargs}\n"
_TOML_NOT_READ = '[env_run_base]\ncommands = [["pytest", "{posargs}"]]\n'


@pytest.mark.parametrize(
    ("tox_file", "text", "variable", "warned"),
    [
        pytest.param(
            "tox.ini",
            "[testenv]\ncommands = pytest {env:TESTPATH} {posargs}\n",
            "TESTPATH",
            False,
            id="ini-env-substitution",
        ),
        pytest.param(
            "tox.ini",
            "[testenv]\ncommands =\n    pytest {env:TESTPATH:tests}\n",
            "TESTPATH",
            False,
            id="ini-with-default-on-a-continuation-line",
        ),
        pytest.param(
            "tox.ini",
            "[testenv]\ncommands = bash -c 'pytest ${TESTPATH}'\n",
            "TESTPATH",
            False,
            id="ini-shell-variable",
        ),
        pytest.param(
            "tox.ini",
            "[testenv]\ncommands = {[base]commands}\n[base]\ncommands = pytest {env:TESTPATH}\n",
            "TESTPATH",
            False,
            id="ini-section-reference",
        ),
        pytest.param(
            "tox.ini",
            "[testenv]\ncommands = pytest {env:TESTPATH:{env:_TESTPATH}}\n",
            "_TESTPATH",
            False,
            id="ini-sentry-nested-default",
        ),
        pytest.param("tox.ini", _INI_NOT_READ, "TESTPATH", True, id="ini-not-read"),
        pytest.param(
            "tox.ini",
            "[testenv]\ncommands = pytest {env:TESTPATHS}\n",
            "TESTPATH",
            True,
            id="ini-another-variable",
        ),
        pytest.param(
            "tox.ini",
            "[testenv:lint]\ncommands = pytest {env:TESTPATH}\n",
            "TESTPATH",
            True,
            id="ini-only-another-section-reads-it",
        ),
        pytest.param("tox.ini", "[tox]\nenv_list = a\n", "TESTPATH", True, id="ini-no-commands"),
        pytest.param(
            "tox.toml",
            '[env_run_base]\ncommands = [["pytest", "{env:TESTPATH}"]]\n',
            "TESTPATH",
            False,
            id="toml-env-substitution",
        ),
        pytest.param(
            "tox.toml",
            '[env_run_base]\ncommands = [["pytest", { replace = "env", name = "TESTPATH" }]]\n',
            "TESTPATH",
            False,
            id="toml-replace-table",
        ),
        pytest.param("tox.toml", _TOML_NOT_READ, "TESTPATH", True, id="toml-not-read"),
    ],
)
def test_commands_that_never_read_the_test_path_are_reported(
    tox_file: str, text: str, variable: str, warned: bool
) -> None:
    suite_matrix = picks(suite("httpx", test_path="tests/httpx"), {"0.28.1": "3.12"})
    the_config = config(suite_matrix, tox_file=tox_file, test_path_variable=variable)
    warnings = unread_test_path(the_config, text)
    assert bool(warnings) == warned
    if warned:
        assert warnings[0].startswith(f"{tox_file}: ")
        assert f"{{env:{variable}:tests}}" in warnings[0]
        assert "test-path (httpx) is ignored" in warnings[0]


def test_no_test_path_no_warning() -> None:
    suite_matrix = picks(suite("httpx"), {"0.28.1": "3.12"})
    assert unread_test_path(config(suite_matrix), _INI_NOT_READ) == ()
