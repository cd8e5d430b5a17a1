"""The project's own Pythons: the range, and how Pythons are written in the config."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from compatrix._config._fields import Kind
from compatrix._config._kinds import specifier_problem
from compatrix._config._problems import KeyPath, Problems, describe_value
from compatrix._pythons import CPYTHON, PythonVersion, cpython_release

__all__ = [
    "FreeThreaded",
    "ProjectPythons",
    "PythonRange",
    "admits",
    "known_pythons",
    "matches",
    "python_or_problem",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonRange:
    """The project's own Python range.

    ``listed`` is an explicit list (from config, or the project's ``Programming Language ::
    Python :: 3.X`` classifiers); ``specifier`` is ``requires-python``. Both may be set: the
    range is then the listed Pythons the specifier admits.
    """

    specifier: SpecifierSet | None = None
    listed: tuple[PythonVersion, ...] | None = None
    source: str = "config"
    """Where the range came from, for messages: ``config`` or ``pyproject.toml``."""

    def resolve(self, today: date) -> tuple[PythonVersion, ...]:
        """The concrete Pythons, oldest first.

        Without a listed set, every CPython in the table released (final) by ``today`` that
        the specifier admits. ``today`` comes from the lock, never the clock.
        """
        if self.listed is not None:
            candidates = sorted(set(self.listed))
        else:
            candidates = [r.version for r in CPYTHON if r.final <= today]
        return tuple(p for p in candidates if self.admits(p))

    def admits(self, python: PythonVersion) -> bool:
        """Whether the specifier (if any) allows ``python``: Requires-Python semantics for
        a range read from pyproject.toml, feature-version semantics for the config's own."""
        if self.specifier is None:
            return True
        if self.source == "config":
            return matches(self.specifier, python)
        return admits(self.specifier, python)

    def includes(self, python: PythonVersion) -> bool:
        """Whether ``python`` is in the range (listed, when there is a list, and admitted)."""
        if self.listed is not None and python not in self.listed:
            return False
        return self.admits(python)


def admits(specifier: SpecifierSet, python: PythonVersion) -> bool:
    """Requires-Python semantics: True when ``specifier`` admits some ``X.Y.*`` of
    ``python`` (``>=3.8.1`` admits 3.8; ``>3.7`` admits 3.7, since 3.7.1 > 3.7)."""
    base = f"{python.major}.{python.minor}"
    return any(Version(f"{base}.{patch}") in specifier for patch in range(31))


def matches(specifier: SpecifierSet, python: PythonVersion) -> bool:
    """Config semantics: the feature version itself is in ``specifier``.

    A Python specifier written in compatrix's config names feature versions: ``>3.7``
    means 3.8 and newer, ``!=3.9`` leaves out 3.9, ``<=3.11`` keeps 3.11.
    """
    return Version(f"{python.major}.{python.minor}") in specifier


def known_pythons() -> str:
    """``CPython 3.5 to 3.15``: the Pythons of compatrix's table, for messages."""
    versions = [release.version for release in CPYTHON]
    return f"CPython {min(versions)} to {max(versions)}"


def python_or_problem(text: str, *, factor: bool, free_threaded: bool) -> PythonVersion | str:
    """A Python named in the config, or why it is not one.

    ``factor``: written as a tox factor (``py3.12``, ``py3.14t``), else as a version
    (``3.12``). ``free_threaded``: whether ``t`` builds may be named.
    """
    python = PythonVersion.match(text, factor=factor)
    if python is None:
        if factor:
            return f"unknown Python {text!r} (expected py3.X or py3.Xt, like py3.12 or py3.14t)"
        forms = "3.X or 3.Xt, like '3.12' or '3.14t'" if free_threaded else "3.X, like '3.12'"
        return f"invalid Python {text!r} (expected {forms})"
    release = cpython_release(python)
    if release is None:
        return f"unknown Python {text!r} (compatrix knows {known_pythons()})"
    if python.free_threaded and not free_threaded:
        return f"{text!r} is a free-threaded build: list free-threaded Pythons in free-threaded"
    if python.free_threaded and release.free_threading == "none":
        return f"CPython {python.regular} has no free-threaded build ({text!r})"
    return python


def _listed_pythons(
    value: Sequence[object], at: KeyPath, problems: Problems, *, free_threaded: bool
) -> list[PythonVersion] | None:
    """The Pythons of a ``["3.9", "3.10"]`` array, each once; None when one is invalid."""
    example = "'3.14'" if free_threaded else "'3.12'"
    listed: list[PythonVersion] = []
    valid = True
    for index, item in enumerate(value):
        if not isinstance(item, str):
            got = describe_value(item)
            problems.add(at / index, f"expected a Python (like {example}), got {got}")
            valid = False
            continue
        python = python_or_problem(item, factor=False, free_threaded=free_threaded)
        if isinstance(python, str):
            problems.add(at / index, python)
            valid = False
            continue
        if free_threaded:
            release = cpython_release(python)
            if release is not None and release.free_threading == "none":
                problems.add(at / index, f"CPython {python.regular} has no free-threaded build")
                valid = False
                continue
            python = python.regular
        if python in listed:
            problems.add(at / index, f"{item!r} is listed twice")
            valid = False
        else:
            listed.append(python)
    return listed if valid else None


class ProjectPythons(Kind[PythonRange]):
    """``python``: a Python specifier, or an array of Pythons."""

    __slots__ = ()
    DOC = "string (Python specifier) or array of strings"
    EXPECTED = "a Python specifier (like '>=3.9') or an array of Pythons (like ['3.9', '3.10'])"

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {"type": "string", "pattern": r"^3\.[0-9]+$"},
                },
            ]
        }

    def parse(self, value: object, at: KeyPath, problems: Problems) -> PythonRange | None:
        if isinstance(value, str):
            problem = specifier_problem(value)
            if problem is not None:
                problems.add(at, problem)
                return None
            return PythonRange(specifier=SpecifierSet(value), source="config")
        if not isinstance(value, (list, tuple)):
            return self.wrong_type(value, at, problems)
        if not value:
            problems.add(at, "must not be empty")
            return None
        listed = _listed_pythons(value, at, problems, free_threaded=False)
        return None if listed is None else PythonRange(listed=tuple(sorted(listed)))


class FreeThreaded(Kind[bool | tuple[PythonVersion, ...]]):
    """``free-threaded``: true (every supported build of the range), or feature versions."""

    __slots__ = ()
    DOC = "bool or array of strings"
    EXPECTED = "a boolean or an array of Pythons (like ['3.14'])"

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "boolean"},
                {
                    "type": "array",
                    "uniqueItems": True,
                    "items": {"type": "string", "pattern": r"^3\.[0-9]+t?$"},
                },
            ]
        }

    def parse(
        self, value: object, at: KeyPath, problems: Problems
    ) -> bool | tuple[PythonVersion, ...] | None:
        if isinstance(value, bool):
            return value
        if not isinstance(value, (list, tuple)):
            return self.wrong_type(value, at, problems)
        listed = _listed_pythons(value, at, problems, free_threaded=True)
        return None if listed is None else tuple(sorted(listed))

    def toml(self, value: Any) -> object:
        # The field's default (nothing listed) stands for an absent key: the builds then
        # come from pyproject.toml's classifiers.
        return None
