"""The day an env is resolved at: the pick's own era, moved later only as far as needed.

An old release was tested, when it was current, with the dependencies of its day; the
same release with today's dependencies often fails (Flask 2.0 with Werkzeug 3, Starlette
0.21's TestClient with httpx 0.28). So a pick is resolved as the index stood when it was
current: until the next minor release of its package appeared, plus a grace period for the
dependencies released alongside. When that cannot be satisfied (the project's own
requirements, or the Python, need something newer), later days are tried, in steps,
up to the lock's own day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from packaging.version import Version

from compatrix._config import PinPolicy
from compatrix._lock import Release

__all__ = ["GRACE", "STEPS", "Cut", "cuts"]

GRACE = timedelta(days=30)
"""How long after the next minor appeared the era still counts (its dependencies' own
releases of those weeks)."""

STEPS = (timedelta(days=90), timedelta(days=365), timedelta(days=730))
"""How much later than the era the next attempts are, when the era cannot be resolved."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cut:
    """A day to resolve at, and why that day."""

    day: date
    why: str


def _minor(version: Version) -> tuple[int, int, int]:
    release = version.release
    return (version.epoch, release[0], release[1] if len(release) > 1 else 0)


def _next_minor(version: Version, releases: Sequence[Release]) -> Release | None:
    """The first final release of a later (major, minor) than ``version``'s."""
    found: Release | None = None
    for release in releases:
        parsed = release.parsed
        if (
            parsed is None
            or parsed.is_prerelease
            or parsed.is_devrelease
            or release.uploaded is None
            or _minor(parsed) <= _minor(version)
        ):
            continue
        if found is None or release.uploaded < found.uploaded:  # type: ignore[operator]
            found = release
    return found


def cuts(
    version: Version, releases: Sequence[Release], *, policy: PinPolicy, lock_day: date
) -> tuple[Cut, ...]:
    """The days to try, in order, for an env of ``version`` (none for policy ``off``).

    ``releases`` are the package's releases as the lock records them; ``lock_day`` is the
    lock's day (its as-of date, else the day of the update), never the clock.
    """
    if policy == "off":
        return ()
    at_lock = Cut(day=lock_day, why=f"the lock's day {lock_day.isoformat()}")
    if policy == "lock-time":
        return (at_lock,)
    successor = _next_minor(version, releases)
    if successor is None or successor.uploaded is None:
        newest = Cut(day=lock_day, why=f"{version} is still current: the lock's day")
        return (newest,)
    appeared = successor.uploaded.date()
    why = f"{version}'s era: {successor.version} appeared {appeared.isoformat()}"
    own = next((r.uploaded for r in releases if r.parsed == version), None)
    if own is not None and own.date() > appeared:  # a patch released after the next minor
        appeared = own.date()
        why = f"{version}'s era: it appeared {appeared.isoformat()}, after {successor.version}"
    era = appeared + GRACE
    if era >= lock_day:
        return (at_lock,)
    found = [Cut(day=era, why=f"{why}, + {GRACE.days} days")]
    for step in STEPS:
        later = era + step
        if later >= lock_day:
            break
        found.append(Cut(day=later, why=f"{step.days} days after {version}'s era"))
    found.append(at_lock)
    return tuple(found)
