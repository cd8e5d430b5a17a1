"""Python versions as compatrix reasons about them, and the CPython release table.

The table is data kept in one place: extend ``CPYTHON`` when a new CPython is scheduled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "CPYTHON",
    "CPythonRelease",
    "FreeThreading",
    "PythonVersion",
    "cpython_release",
]

_PYTHON_RE = re.compile(r"(?P<py>py)?(?P<major>[0-9]+)\.(?P<minor>[0-9]+)(?P<t>t?)")


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


FreeThreading = Literal["none", "experimental", "supported"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CPythonRelease:
    """Dates of one CPython feature version. ``final`` may be a scheduled date."""

    version: PythonVersion
    first_beta: date
    final: date
    end_of_life: date
    free_threading: FreeThreading = "none"


def _py(minor: int) -> PythonVersion:
    return PythonVersion(3, minor)


# Sources: the release-schedule PEPs (478, 494, 537, 569, 596, 619, 664, 693, 719, 745, 790)
# and the devguide's version table. End-of-life dates are the scheduled ones.
CPYTHON: tuple[CPythonRelease, ...] = (
    CPythonRelease(
        version=_py(5),
        first_beta=date(2015, 5, 24),
        final=date(2015, 9, 13),
        end_of_life=date(2020, 9, 30),
    ),
    CPythonRelease(
        version=_py(6),
        first_beta=date(2016, 9, 12),
        final=date(2016, 12, 23),
        end_of_life=date(2021, 12, 23),
    ),
    CPythonRelease(
        version=_py(7),
        first_beta=date(2018, 1, 31),
        final=date(2018, 6, 27),
        end_of_life=date(2023, 6, 27),
    ),
    CPythonRelease(
        version=_py(8),
        first_beta=date(2019, 6, 4),
        final=date(2019, 10, 14),
        end_of_life=date(2024, 10, 7),
    ),
    CPythonRelease(
        version=_py(9),
        first_beta=date(2020, 5, 18),
        final=date(2020, 10, 5),
        end_of_life=date(2025, 10, 31),
    ),
    CPythonRelease(
        version=_py(10),
        first_beta=date(2021, 5, 3),
        final=date(2021, 10, 4),
        end_of_life=date(2026, 10, 31),
    ),
    CPythonRelease(
        version=_py(11),
        first_beta=date(2022, 5, 8),
        final=date(2022, 10, 24),
        end_of_life=date(2027, 10, 31),
    ),
    CPythonRelease(
        version=_py(12),
        first_beta=date(2023, 5, 22),
        final=date(2023, 10, 2),
        end_of_life=date(2028, 10, 31),
    ),
    CPythonRelease(
        version=_py(13),
        first_beta=date(2024, 5, 8),
        final=date(2024, 10, 7),
        end_of_life=date(2029, 10, 31),
        free_threading="experimental",
    ),
    CPythonRelease(
        version=_py(14),
        first_beta=date(2025, 5, 7),
        final=date(2025, 10, 7),
        end_of_life=date(2030, 10, 31),
        free_threading="supported",
    ),
    CPythonRelease(
        version=_py(15),
        first_beta=date(2026, 5, 7),
        final=date(2026, 10, 1),
        end_of_life=date(2031, 10, 31),
        free_threading="supported",
    ),
)


def cpython_release(version: PythonVersion) -> CPythonRelease | None:
    """The table entry for ``version`` (free-threaded builds map to their feature version)."""
    regular = version.regular
    for release in CPYTHON:
        if release.version == regular:
            return release
    return None
