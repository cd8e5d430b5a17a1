"""Python versions as compatrix reasons about them, and the CPython release table.

The table is data kept in one place, ``cpython.toml`` beside this module: add an entry
there when a new CPython is scheduled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from compatrix._toml import data_date, read_package_data

__all__ = [
    "CPYTHON",
    "CPythonRelease",
    "PythonVersion",
    "classifier_python",
    "cpython_release",
    "read_cpython_table",
]

_PYTHON_RE = re.compile(r"(?P<py>py)?(?P<major>[0-9]+)\.(?P<minor>[0-9]+)(?P<t>t?)")
_CLASSIFIER_RE = re.compile(r"Programming Language :: Python :: ([0-9]+)\.([0-9]+)")


@dataclass(frozen=True, slots=True, order=True)
class PythonVersion:
    """A CPython feature version such as ``3.12``, or its free-threaded build ``3.14t``.

    Ordering is by version, with the free-threaded build right after its regular build.
    """

    major: int
    minor: int
    free_threaded: bool = False

    @classmethod
    def parse(cls, text: str) -> PythonVersion:
        """Parse ``3.12``, ``3.14t``, ``py3.12`` or ``py3.14t``; raise ValueError otherwise."""
        python = cls.match(text.strip())
        if python is None:
            msg = f"not a Python version: {text!r} (expected something like '3.12' or '3.14t')"
            raise ValueError(msg)
        return python

    @classmethod
    def match(cls, text: str, *, factor: bool | None = None) -> PythonVersion | None:
        """``text`` as a Python, or None when it is not written as one.

        ``factor``: True accepts only the tox factor form (``py3.12``, ``py3.14t``), False
        only the version form (``3.12``, ``3.14t``), None either. Whether CPython has that
        version is not checked (see :func:`cpython_release`).
        """
        found = _PYTHON_RE.fullmatch(text)
        if found is None or (factor is not None and bool(found["py"]) != factor):
            return None
        return cls(int(found["major"]), int(found["minor"]), bool(found["t"]))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}{'t' if self.free_threaded else ''}"

    @property
    def factor(self) -> str:
        """The tox factor naming this Python: ``py3.12``, ``py3.14t``."""
        return f"py{self}"

    @property
    def regular(self) -> PythonVersion:
        """The regular (GIL) build of the same feature version."""
        return PythonVersion(self.major, self.minor)

    @property
    def nodot(self) -> str:
        """``312`` for 3.12: the digits used in wheel tags (``cp312``)."""
        return f"{self.major}{self.minor}"


def classifier_python(classifier: str) -> PythonVersion | None:
    """The Python a ``Programming Language :: Python :: X.Y`` classifier names (whitespace
    around it ignored), or None for any other classifier."""
    found = _CLASSIFIER_RE.fullmatch(classifier.strip())
    return None if found is None else PythonVersion(int(found[1]), int(found[2]))


FreeThreading = Literal["none", "experimental", "supported"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CPythonRelease:
    """Dates of one CPython feature version. ``final`` may be a scheduled date."""

    version: PythonVersion
    first_beta: date
    final: date
    end_of_life: date
    free_threading: FreeThreading = "none"


def read_cpython_table(data: Mapping[str, Any], *, source: str) -> tuple[CPythonRelease, ...]:
    """The ``[[cpython]]`` tables of ``data``, checked; ValueError names what is wrong."""
    entries = data.get("cpython")
    if not isinstance(entries, list) or not entries:
        msg = f"{source}: expected [[cpython]] tables"
        raise ValueError(msg)
    table = tuple(
        _cpython_release(entry, f"{source}: cpython[{i}]") for i, entry in enumerate(entries)
    )
    versions = [release.version for release in table]
    if versions != sorted(set(versions)):
        msg = f"{source}: the versions must be listed oldest first, each once"
        raise ValueError(msg)
    return table


_CPYTHON_KEYS = frozenset({"version", "first-beta", "final", "end-of-life", "free-threading"})
_FEATURE_VERSION = re.compile(r"[0-9]+\.[0-9]+")


def _cpython_release(entry: object, where: str) -> CPythonRelease:
    if not isinstance(entry, dict):
        msg = f"{where}: expected a table"
        raise ValueError(msg)
    unknown = sorted(set(entry) - _CPYTHON_KEYS)
    if unknown:
        msg = f"{where}: unknown key {unknown[0]!r}"
        raise ValueError(msg)
    text = entry.get("version")
    if not isinstance(text, str) or not _FEATURE_VERSION.fullmatch(text):
        msg = f'{where}.version: expected a feature version like "3.12", got {text!r}'
        raise ValueError(msg)
    dates = ("first-beta", "final", "end-of-life")
    first_beta, final, end_of_life = (data_date(entry.get(k), f"{where}.{k}") for k in dates)
    if not first_beta < final < end_of_life:
        msg = f"{where}: expected first-beta < final < end-of-life"
        raise ValueError(msg)
    free_threading = entry.get("free-threading", "none")
    if free_threading not in get_args(FreeThreading):
        msg = f"{where}.free-threading: expected 'experimental' or 'supported'"
        raise ValueError(msg)
    return CPythonRelease(
        version=PythonVersion.parse(text),
        first_beta=first_beta,
        final=final,
        end_of_life=end_of_life,
        free_threading=free_threading,
    )


CPYTHON = read_cpython_table(
    read_package_data("compatrix._pythons", "cpython.toml"), source="cpython.toml"
)
"""Every CPython feature version compatrix knows, oldest first (``cpython.toml``)."""
_BY_VERSION: Mapping[PythonVersion, CPythonRelease] = {r.version: r for r in CPYTHON}


def cpython_release(version: PythonVersion) -> CPythonRelease | None:
    """The table entry for ``version`` (free-threaded builds map to their feature version)."""
    return _BY_VERSION.get(version.regular)
