"""What resolving each pinned env found, as the lock records it (``resolutions``).

An env's record says which day's index it was resolved with, whether it installs without
a build on its Python, and its pins. ``inputs`` is a digest of everything the resolution
depended on: while it stays the same, the next update reuses the record instead of
resolving again, and ``check`` tells a record that no longer matches the config.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["NEEDS_BUILD", "EnvResolution", "ResolutionStatus"]

ResolutionStatus = Literal["ok", "not-installable"]

NEEDS_BUILD = "its sdist needs a build"
"""How a ``not-installable`` reason ends when only building an sdist stood in the way: a
guess (the package ships compiled wheels; its extension may be optional) that a probe of
the pick on the Python outweighs, so ``compatrix probe`` probes such Pythons."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvResolution:
    """One pinned env, resolved."""

    suite: str
    version: str
    """The pick's version, as the lock writes versions."""
    python: str
    """The env's Python: ``3.12`` or ``3.14t``."""
    inputs: str
    """sha256 of the resolution's inputs (see ``compatrix._resolve``)."""
    cut: date | None
    """The index was taken as it stood at the end of this day (UTC)."""
    why: str
    """Why that day: the pick's era, or a later day and what the era could not satisfy."""
    status: ResolutionStatus
    pins: tuple[str, ...] = ()
    """``name==version`` of every distribution installed, sorted by name (``ok``)."""
    reason: str = ""
    """Why the env cannot be installed without a build (``not-installable``)."""
