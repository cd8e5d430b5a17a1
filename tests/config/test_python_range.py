"""How the project's Python range resolves, by where it was written."""

from __future__ import annotations

from datetime import date

import pytest
from packaging.specifiers import SpecifierSet

from compatrix._config import PythonRange
from compatrix._pythons import PythonVersion

TODAY = date(2026, 11, 24)


def _names(found: tuple[PythonVersion, ...]) -> list[str]:
    return [str(p) for p in found]


@pytest.mark.parametrize(
    ("specifier", "source", "expected"),
    [
        pytest.param(">3.7", "config", "3.8 3.9 3.10 3.11 3.12 3.13 3.14 3.15", id="config-gt"),
        pytest.param(
            ">3.7", "pyproject.toml", "3.7 3.8 3.9 3.10 3.11 3.12 3.13 3.14 3.15", id="pyproject-gt"
        ),
        pytest.param(">=3.8.1,<3.10", "pyproject.toml", "3.8 3.9", id="pyproject-patch-bound"),
        pytest.param(">=3.8.1,<3.10", "config", "3.9", id="config-patch-bound"),
    ],
)
def test_specifier_semantics_follow_the_source(specifier: str, source: str, expected: str) -> None:
    python_range = PythonRange(specifier=SpecifierSet(specifier), source=source)
    assert _names(python_range.resolve(TODAY)) == expected.split()


def test_open_range_stops_at_the_newest_python_released_by_the_lock_date() -> None:
    python_range = PythonRange(specifier=SpecifierSet(">=3.12"))
    assert _names(python_range.resolve(date(2025, 10, 6))) == ["3.12", "3.13"]
    assert _names(python_range.resolve(date(2025, 10, 7))) == ["3.12", "3.13", "3.14"]


def test_listed_pythons_are_kept_as_listed_within_the_specifier() -> None:
    listed = tuple(PythonVersion.parse(p) for p in ("3.13", "3.8", "3.9"))
    python_range = PythonRange(specifier=SpecifierSet(">=3.9"), listed=listed, source="x")
    assert _names(python_range.resolve(TODAY)) == ["3.9", "3.13"]


@pytest.mark.parametrize(
    ("text", "factor", "expected"),
    [
        pytest.param("3.12", False, PythonVersion(3, 12), id="version"),
        pytest.param("3.14t", False, PythonVersion(3, 14, free_threaded=True), id="version-t"),
        pytest.param("py3.12", True, PythonVersion(3, 12), id="factor"),
        pytest.param("py3.14t", True, PythonVersion(3, 14, free_threaded=True), id="factor-t"),
        pytest.param("py3.12", None, PythonVersion(3, 12), id="either-form"),
        pytest.param("py3.12", False, None, id="factor-where-a-version-is-wanted"),
        pytest.param("3.12", True, None, id="version-where-a-factor-is-wanted"),
        pytest.param(" 3.12", None, None, id="space"),
        pytest.param("3", None, None, id="no-minor"),
        pytest.param("3.12x", None, None, id="suffix"),
        pytest.param("pypy3.10", None, None, id="pypy"),
    ],
)
def test_how_pythons_are_written(text: str, factor: bool | None, expected: object) -> None:
    assert PythonVersion.match(text, factor=factor) == expected


def test_parse_takes_either_form_around_spaces() -> None:
    assert PythonVersion.parse(" py3.14t\n") == PythonVersion(3, 14, free_threaded=True)
    with pytest.raises(ValueError, match="not a Python version: '3'"):
        PythonVersion.parse("3")
