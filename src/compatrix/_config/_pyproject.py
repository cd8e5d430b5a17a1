"""The project's Pythons when the config does not list them: from pyproject.toml.

``python`` defaults to ``project.requires-python`` and the ``Programming Language ::
Python :: 3.X`` classifiers; ``free-threaded`` to ``true`` when a Free Threading classifier
says the project supports it. Either way the range must hold some Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from packaging.specifiers import SpecifierSet

from compatrix._config._problems import KeyPath, Problems, describe_value
from compatrix._config._python_range import PythonRange, known_pythons
from compatrix._pythons import CPYTHON, PythonVersion, classifier_python, cpython_release

__all__ = ["PYPROJECT_NAME", "free_threaded_setting", "project_python_range", "project_table"]

PYPROJECT_NAME = "pyproject.toml"

_FREE_THREADING_CLASSIFIERS = frozenset(
    {
        "Programming Language :: Python :: Free Threading :: 3 - Stable",
        "Programming Language :: Python :: Free Threading :: 4 - Resilient",
    }
)
_PYTHON_EXAMPLE = 'set it, for example python = ">=3.9"'


def project_python_range(
    configured: PythonRange | None,
    *,
    given: bool,
    pyproject: Mapping[str, Any] | None,
    at: KeyPath,
    problems: Problems,
    in_pyproject: bool,
) -> PythonRange | None:
    """The range: ``configured`` when the config sets ``python`` (``given``; None when
    invalid), else the one pyproject.toml gives. None after reporting why there is none."""
    if given:
        if configured is None:
            return None  # invalid: reported
        python_range = configured
    else:
        if pyproject is None:
            problems.add(
                at,
                f"not set, and there is no {PYPROJECT_NAME} to take the project's Python "
                f"range from; {_PYTHON_EXAMPLE}",
            )
            return None
        label = "" if in_pyproject else f"{PYPROJECT_NAME}: "
        found, valid = _pyproject_range(pyproject, label, problems)
        if not valid:
            return None  # reported
        if found is None:
            problems.add(
                at,
                f"not set, and {PYPROJECT_NAME} has neither project.requires-python nor "
                f"'Programming Language :: Python :: 3.X' classifiers; {_PYTHON_EXAMPLE}",
            )
            return None
        python_range = found
    problem = _empty_range_problem(python_range)
    if problem is not None:
        problems.add(at, problem)
        return None
    return python_range


def free_threaded_setting(
    configured: bool | tuple[PythonVersion, ...] | None,
    *,
    given: bool,
    pyproject: Mapping[str, Any] | None,
    python_range: PythonRange | None,
    at: KeyPath,
    problems: Problems,
) -> tuple[tuple[PythonVersion, ...], bool]:
    """(listed feature versions, all) from ``free-threaded`` (``configured``, None when
    invalid) or, when the config does not set it, the pyproject.toml classifiers."""
    if not given:
        classifiers = _classifiers(project_table(pyproject))
        return (), bool(_FREE_THREADING_CLASSIFIERS & set(classifiers))
    if configured is None:
        return (), False  # invalid: reported
    if isinstance(configured, bool):
        return (), configured
    if python_range is not None:
        for python in configured:
            if not python_range.includes(python):
                problems.add(at, f"{python} is not in the project's Python range")
    return configured, False


def _pyproject_range(
    pyproject: Mapping[str, Any], label: str, problems: Problems
) -> tuple[PythonRange | None, bool]:
    """(range, valid): the range from ``project.requires-python`` and the Python
    classifiers, None when there are neither; not valid when they are invalid (reported)."""
    project = project_table(pyproject)
    specifier = None
    requires_python = project.get("requires-python")
    if requires_python is not None:
        where = f"{label}project.requires-python"
        if not isinstance(requires_python, str):
            problems.add(
                where, f"expected a specifier string, got {describe_value(requires_python)}"
            )
            return None, False
        try:
            specifier = SpecifierSet(requires_python)
        except ValueError:
            problems.add(where, f"invalid specifier {requires_python!r}")
            return None, False
    listed = sorted(
        {python for python in _classifier_pythons(project) if cpython_release(python) is not None}
    )
    if specifier is None and not listed:
        return None, True
    return PythonRange(
        specifier=specifier, listed=tuple(listed) or None, source=PYPROJECT_NAME
    ), True


def project_table(pyproject: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """pyproject.toml's ``[project]`` table; empty when there is none."""
    project = (pyproject or {}).get("project")
    return project if isinstance(project, Mapping) else {}


def _classifiers(project: Mapping[str, Any]) -> list[str]:
    classifiers = project.get("classifiers")
    if not isinstance(classifiers, list):
        return []
    return [c.strip() for c in classifiers if isinstance(c, str)]


def _classifier_pythons(project: Mapping[str, Any]) -> list[PythonVersion]:
    listed = (classifier_python(classifier) for classifier in _classifiers(project))
    return [python for python in listed if python is not None and python.major == 3]


def _empty_range_problem(python_range: PythonRange) -> str | None:
    """Why the range can never hold a Python, or None."""
    specifier = python_range.specifier
    if python_range.listed is not None:
        if python_range.resolve(date.max):
            return None
        listed = ", ".join(str(p) for p in python_range.listed)
        return (
            f"the Python classifiers of {python_range.source} ({listed}) and its "
            f"requires-python {str(specifier)!r} have no Python in common"
        )
    assert specifier is not None
    if any(python_range.admits(release.version) for release in CPYTHON):
        return None
    where = (
        "" if python_range.source == "config" else f" (requires-python of {python_range.source})"
    )
    return f"{str(specifier)!r}{where} admits no Python compatrix knows ({known_pythons()})"
