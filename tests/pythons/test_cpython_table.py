"""The CPython release table, read from ``cpython.toml``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from compatrix._pythons import CPYTHON, CPythonRelease, PythonVersion, read_cpython_table


def test_the_shipped_table() -> None:
    assert [str(release.version) for release in CPYTHON] == [f"3.{m}" for m in range(5, 16)]
    assert CPYTHON[-2] == CPythonRelease(
        version=PythonVersion(3, 14),
        first_beta=date(2025, 5, 7),
        final=date(2025, 10, 7),
        end_of_life=date(2030, 10, 31),
        free_threading="supported",
    )
    assert [r.free_threading for r in CPYTHON if r.free_threading != "none"] == [
        "experimental",
        "supported",
        "supported",
    ]


def _entry(**changes: object) -> dict[str, Any]:
    entry = {
        "version": "3.12",
        "first-beta": date(2023, 5, 22),
        "final": date(2023, 10, 2),
        "end-of-life": date(2028, 10, 31),
    }
    return {**entry, **changes}


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        pytest.param([], "cpython.toml: expected [[cpython]] tables", id="empty"),
        pytest.param(
            [_entry(version="3.12t")],
            """cpython.toml: cpython[0].version: expected a feature version like "3.12", """
            "got '3.12t'",
            id="free-threaded-version",
        ),
        pytest.param(
            [_entry(version=3.12)],
            """cpython.toml: cpython[0].version: expected a feature version like "3.12", """
            "got 3.12",
            id="version-not-a-string",
        ),
        pytest.param(
            [_entry(final="2023-10-02")],
            "cpython.toml: cpython[0].final: expected a date (YYYY-MM-DD), got '2023-10-02'",
            id="date-as-text",
        ),
        pytest.param(
            [_entry(final=datetime(2023, 10, 2, 12))],
            "cpython.toml: cpython[0].final: expected a date (YYYY-MM-DD), "
            "got datetime.datetime(2023, 10, 2, 12, 0)",
            id="date-with-time",
        ),
        pytest.param(
            [_entry(final=date(2023, 5, 1))],
            "cpython.toml: cpython[0]: expected first-beta < final < end-of-life",
            id="final-before-beta",
        ),
        pytest.param(
            [_entry(**{"free-threading": "yes"})],
            "cpython.toml: cpython[0].free-threading: expected 'experimental' or 'supported'",
            id="free-threading",
        ),
        pytest.param(
            [_entry(eol="2028")],
            "cpython.toml: cpython[0]: unknown key 'eol'",
            id="unknown-key",
        ),
        pytest.param(
            [_entry(), _entry(version="3.11")],
            "cpython.toml: the versions must be listed oldest first, each once",
            id="out-of-order",
        ),
        pytest.param(
            [_entry(), _entry()],
            "cpython.toml: the versions must be listed oldest first, each once",
            id="twice",
        ),
    ],
)
def test_a_broken_table_names_the_problem(entries: list[dict[str, Any]], problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        read_cpython_table({"cpython": entries}, source="cpython.toml")
    assert str(caught.value) == problem
