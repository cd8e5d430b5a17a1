"""The binary search itself: pure, over the releases from a good one to a bad one and
the outcomes known so far. Running an env is the caller's business."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from packaging.version import Version

from compatrix._results import Outcome
from compatrix.errors import UsageError

__all__ = ["Verdict", "max_runs", "next_release", "search", "verdict"]


def _passes(outcome: Outcome) -> bool:
    return outcome == "passed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    last_good: Version
    first_bad: Version


def _bounds(releases: Sequence[Version], outcomes: Mapping[Version, Outcome]) -> tuple[int, int]:
    """(index of the last good, index of the first bad) that the known outcomes prove: the
    lowest failing release, and the highest passing release below it."""
    bad = next(
        (i for i, v in enumerate(releases) if v in outcomes and not _passes(outcomes[v])), None
    )
    if bad is None:
        msg = f"{releases[-1]} passes: no release from {releases[0]} to {releases[-1]} fails"
        raise UsageError(msg)
    good = max(
        (i for i, v in enumerate(releases[:bad]) if v in outcomes and _passes(outcomes[v])),
        default=None,
    )
    if good is None:
        msg = f"{releases[bad]} fails, and no release below it in the range passes"
        raise UsageError(msg)
    return good, bad


def next_release(
    releases: Sequence[Version], outcomes: Mapping[Version, Outcome]
) -> Version | None:
    """The release to run next, or None when the break is found.

    ``releases`` run from the good end to the bad end, oldest first. The two ends are run
    first when their outcome is not known (the bad end first); then each run halves the
    releases between the last good and the first bad.
    """
    for end in (releases[-1], releases[0]):
        if end not in outcomes:
            return end
    good, bad = _bounds(releases, outcomes)
    if bad - good <= 1:
        return None
    return releases[(good + bad) // 2]


def verdict(releases: Sequence[Version], outcomes: Mapping[Version, Outcome]) -> Verdict:
    """The last good and first bad release, once :func:`next_release` is None."""
    good, bad = _bounds(releases, outcomes)
    return Verdict(last_good=releases[good], first_bad=releases[bad])


def max_runs(count: int) -> int:
    """The most runs a search over ``count`` releases (both ends included) takes:
    ⌈log₂ count⌉ + 2 (the two ends, then one run per halving)."""
    return math.ceil(math.log2(count)) + 2 if count > 1 else 2


def search(
    releases: Sequence[Version],
    outcomes: Mapping[Version, Outcome],
    run: Callable[[Version], Outcome],
) -> tuple[Verdict, tuple[tuple[Version, Outcome], ...]]:
    """Run releases until the break is found: the verdict, and the runs made (in order).

    ``outcomes`` are those known before (recorded results, an earlier interrupted
    bisect); ``run`` runs one release and returns its outcome (the caller records it).
    """
    known = dict(outcomes)
    runs: list[tuple[Version, Outcome]] = []
    while (version := next_release(releases, known)) is not None:
        outcome = run(version)
        known[version] = outcome
        runs.append((version, outcome))
    return verdict(releases, known), tuple(runs)
