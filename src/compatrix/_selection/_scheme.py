"""Version schemes: calendar versioning, where every major is a year (attrs 19.x … 26.x,
sanic 18.12 … 25.12), and a jump from semantic to calendar majors
(mysql-connector-python 9.x → 26.x). docs/selection.md, "Calendar versioning"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

__all__ = ["CALENDAR_MIN_MAJORS", "JUMP", "Scheme", "detect_scheme"]

CALENDAR_MIN_MAJORS = 3
"""Consecutive year majors it takes to call a package calendar-versioned."""
JUMP = 5
"""How far a major must leap over the one before it to start a calendar scheme alone."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Scheme:
    """Which majors of a package are years."""

    calendar: frozenset[tuple[int, int]] = frozenset()
    """``(epoch, major)`` of the majors that are years: no ``newest-of-major`` pick."""
    note: str | None = None
    """What was detected, for ``explain``."""


def _is_year(major: int, first_upload: datetime) -> bool:
    """Is ``major`` the year (``2024`` or ``24``) its first release came out, give or take
    one? Two-digit years count from 10 on, so that 1.x of 2001 is not a year."""
    year = first_upload.year
    years = {year - 1, year, year + 1}
    return major in years or (major >= 10 and major + 2000 in years)


def detect_scheme(releases: Iterable[tuple[tuple[int, int], datetime | None]]) -> Scheme:
    """The scheme of a package from its final releases: each one's ``(epoch, major)`` and
    upload time.

    Calendar: every major, at least :data:`CALENDAR_MIN_MAJORS` of them, is the year of its
    first upload. A jump: the newest majors are such years and the first of them leaps at
    least :data:`JUMP` over the major before it, which is not one.
    """
    first: dict[tuple[int, int], datetime | None] = {}
    for key, uploaded in releases:
        known = first.get(key)
        if key not in first or (uploaded is not None and (known is None or uploaded < known)):
            first[key] = uploaded
    majors = sorted(first)
    years = [
        uploaded is not None and _is_year(major, uploaded)
        for (_, major), uploaded in ((k, first[k]) for k in majors)
    ]
    if len(majors) >= CALENDAR_MIN_MAJORS and all(years):
        low, high = majors[0][1], majors[-1][1]
        return Scheme(
            calendar=frozenset(majors),
            note=(
                f"calendar versioning detected: every major ({low} … {high}) is the year of its "
                "first release, so the newest release of each major is not picked "
                "(each-major = true turns it back on)"
            ),
        )
    tail = len(years)
    while tail and years[tail - 1]:
        tail -= 1
    if 0 < tail < len(years) and majors[tail][0] == majors[tail - 1][0]:
        before, after = majors[tail - 1][1], majors[tail][1]
        if after - before >= JUMP:
            calendar = frozenset(majors[tail:])
            return Scheme(
                calendar=calendar,
                note=(
                    f"version scheme jump detected: {before}.x → {after}.x, and from {after} on "
                    "every major is the year of its first release; those years get no "
                    "newest-of-major pick (each-major = true turns it back on)"
                ),
            )
    return Scheme()
