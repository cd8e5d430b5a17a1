"""TOML strings as compatrix writes them (compatrix.toml from ``init``, tox.toml)."""

from __future__ import annotations

import pytest

from compatrix._toml import toml_string, tomllib


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param(">=3.10", '">=3.10"', id="plain"),
        pytest.param('say "hi"', '"say \\"hi\\""', id="quotes"),
        pytest.param("C:\\tests", '"C:\\\\tests"', id="backslash"),
        pytest.param("t\u00e9st \U0001f40d", '"t\u00e9st \U0001f40d"', id="non-ascii-as-is"),
        pytest.param("a\tb\nc", '"a\\u0009b\\u000Ac"', id="control-characters"),
        pytest.param("del\x7f", '"del\\u007F"', id="delete"),
        pytest.param("", '""', id="empty"),
    ],
)
def test_toml_string(value: str, written: str) -> None:
    assert toml_string(value) == written
    assert tomllib.loads(f"key = {written}") == {"key": value}
