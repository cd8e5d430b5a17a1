"""How the project's Python range resolves, by where it was written."""

from __future__ import annotations

from datetime import date

import pytest
from packaging.specifiers import SpecifierSet

from compatrix._config._model import PythonRange
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
