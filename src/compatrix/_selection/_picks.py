"""Which candidates a suite picks (docs/selection.md, "Picks"), and on which Pythons each
is tested (its ``python-policy``)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from packaging.version import Version

from compatrix._config import PythonPolicy
from compatrix._lock import parse_version
from compatrix._pythons import PythonVersion
from compatrix._selection._model import PickRole

__all__ = ["choose", "minor_key", "tested"]


def minor_key(version: Version) -> tuple[int, int, int]:
    """``(epoch, major, minor)``."""
    release = version.release
    return (version.epoch, release[0], release[1] if len(release) > 1 else 0)


def _anchors(candidates: Sequence[Version], remembered: Sequence[str]) -> set[int]:
    """Indices of candidates that stand for an earlier pick.

    An earlier pick is an anchor while it is still a candidate, or when a newer patch of
    its (major, minor) is now the candidate for that minor.
    """
    index = {version: i for i, version in enumerate(candidates)}
    by_minor = {minor_key(version): i for i, version in enumerate(candidates)}
    anchors: set[int] = set()
    for text in remembered:
        version = parse_version(text)
        if version is None:
            continue
        if version in index:
            anchors.add(index[version])
            continue
        i = by_minor.get(minor_key(version))
        if i is not None and candidates[i] > version:
            anchors.add(i)
    return anchors


def _apportion(gaps: Sequence[tuple[int, int]], free: int) -> list[int]:
    """Give ``free`` slots to the gaps, each time to the one with the widest spacing."""
    slots = [0] * len(gaps)
    for _ in range(free):
        best: int | None = None
        for g, (a, b) in enumerate(gaps):
            if slots[g] >= b - a - 1:
                continue  # every index inside the gap is taken
            if best is None:
                best = g
                continue
            length_best = gaps[best][1] - gaps[best][0]
            # L_g / (s_g + 1) > L_best / (s_best + 1), exactly; ties stay with the lower gap.
            if (b - a) * (slots[best] + 1) > length_best * (slots[g] + 1):
                best = g
        if best is None:
            break
        slots[best] += 1
    return slots


def _fill_gap(a: int, b: int, slots: int, anchors: set[int]) -> dict[int, PickRole]:
    """The ``slots`` picks strictly inside (a, b): kept anchors, else rounded ideals.

    The ideal positions ``a + j * (b - a) / (slots + 1)`` are exact: kept as integers
    scaled by ``slots + 1``, and so are the distances to them.
    """
    length = b - a
    scale = slots + 1
    ideals = [a * scale + length * j for j in range(1, slots + 1)]

    def rounded(ideal: int) -> int:  # half up
        return (2 * ideal + scale) // (2 * scale)

    inside = sorted(i for i in anchors if a < i < b)
    pairs = sorted(
        (abs(anchor * scale - ideal), j, anchor)
        for j, ideal in enumerate(ideals)
        for anchor in inside
        if 2 * abs(anchor * scale - ideal) <= length  # within half the spacing
    )
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for _, j, anchor in pairs:
        if j in assigned or anchor in used:
            continue
        assigned[j] = anchor
        used.add(anchor)
    # An anchor is "kept" when plain spacing would have picked another candidate.
    chosen: dict[int, PickRole] = {
        anchor: "spaced" if anchor == rounded(ideals[j]) else "kept"
        for j, anchor in assigned.items()
    }
    for j, ideal in enumerate(ideals):
        if j in assigned:
            continue
        position = rounded(ideal)
        if position in chosen:
            free = [i for i in range(a + 1, b) if i not in chosen]
            position = min(free, key=lambda i: (abs(i * scale - ideal), i))
        chosen[position] = "spaced"
    return chosen


def choose(
    candidates: Sequence[Version],
    num_versions: int,
    remembered: Sequence[str] | None,
    *,
    each_major: bool = True,
) -> dict[int, list[PickRole]]:
    """Indices of the candidates to pick, with their roles (docs/selection.md, "Picks")."""
    n = len(candidates)
    if n == 0:
        return {}
    roles: dict[int, list[PickRole]] = {0: ["lowest"]}
    roles.setdefault(n - 1, []).append("latest")
    newest_of_major: dict[tuple[int, int], int] = {}
    for i, version in enumerate(candidates):
        newest_of_major[(version.epoch, version.major)] = i
    if each_major and len(newest_of_major) > 1:
        for i in newest_of_major.values():
            roles.setdefault(i, []).append("newest-of-major")
    if n <= num_versions:
        for i in range(n):
            roles.setdefault(i, ["spaced"])
        return roles
    mandatory = sorted(roles)
    free = num_versions - len(mandatory)
    if free <= 0:
        return roles
    gaps = list(pairwise(mandatory))
    anchors = _anchors(candidates, remembered) if remembered else set()
    for (a, b), slots in zip(gaps, _apportion(gaps, free), strict=True):
        if slots:
            for i, role in _fill_gap(a, b, slots, anchors).items():
                roles[i] = [role]
    return roles


def tested(supported: Sequence[PythonVersion], policy: PythonPolicy) -> tuple[PythonVersion, ...]:
    """The Pythons a pick is tested on, by the suite's policy, of those it supports."""
    regular = [p for p in supported if not p.free_threaded]
    if not regular:
        return ()
    if policy == "all":
        chosen = set(regular)
    elif policy == "oldest-newest":
        chosen = {regular[0], regular[-1]}
    elif policy == "newest":
        chosen = {regular[-1]}
    else:
        chosen = {regular[0], *regular[-2:]}
    chosen.update(p for p in supported if p.free_threaded and p.regular in chosen)
    return tuple(sorted(chosen))
