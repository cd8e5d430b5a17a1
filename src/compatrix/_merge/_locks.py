"""Three-way merge of two locks: facts per package, remembered picks per suite, resolutions
per env, probes per package."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from compatrix._lock import Lock, PackageFacts

__all__ = ["merge_locks"]

T = TypeVar("T")


def _pick(
    base: T | None, ours: T | None, theirs: T | None, *, both: Callable[[T, T], T]
) -> T | None:
    """The value of one key: the side that changed it, ``both`` when both sides did (a side
    that removed the key while the other changed it keeps the changed value)."""
    if theirs in (ours, base):
        return ours
    if ours == base:
        return theirs
    if ours is None:
        return theirs
    if theirs is None:
        return ours
    return both(ours, theirs)


def _newer(ours: PackageFacts, theirs: PackageFacts) -> PackageFacts:
    """The facts read last from the index (ours on a tie)."""
    return theirs if theirs.fetched_at > ours.fetched_at else ours


def _latest(lock: Lock) -> str:
    return max((facts.fetched_at.isoformat() for facts in lock.packages.values()), default="")


def merge_locks(base: Lock | None, ours: Lock, theirs: Lock) -> Lock:
    """The lock after merging ``theirs`` into ``ours``; ``base`` is their common ancestor's
    lock (None when it had none).

    A package or a suite's picks changed on one side only take that side's value. Changed on
    both, a package takes the facts fetched last from the index; the picks, an env's
    resolution, a package's probes and an ``as-of`` changed on both sides come from the lock
    updated last (ours on a tie).
    """
    base = base if base is not None else Lock()
    newer = theirs if _latest(theirs) > _latest(ours) else ours

    def side(_ours: T, _theirs: T) -> T:
        return _theirs if newer is theirs else _ours

    as_of: date | None = _pick(base.as_of, ours.as_of, theirs.as_of, both=side)
    return Lock(
        as_of=as_of,
        packages=_merged(base.packages, ours.packages, theirs.packages, _newer),
        picks=_merged(base.picks, ours.picks, theirs.picks, side),
        resolutions=_merged(base.resolutions, ours.resolutions, theirs.resolutions, side),
        probes=_merged(base.probes, ours.probes, theirs.probes, side),
    )


def _merged(
    base: Mapping[str, T], ours: Mapping[str, T], theirs: Mapping[str, T], both: Callable[[T, T], T]
) -> dict[str, T]:
    """Key by key: the side that changed a key's value, ``both`` when both sides did."""
    merged: dict[str, T] = {}
    for key in sorted({*ours, *theirs}):
        value = _pick(base.get(key), ours.get(key), theirs.get(key), both=both)
        if value is not None:
            merged[key] = value
    return merged
