"""Facts recorded only when they change: an update that finds what the lock already says
leaves the package's entry as it was, ``fetched-at`` and ``serial`` included
(docs/lock-format.md, "What changes it")."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from compatrix._config import Config
from compatrix._lock import Lock, PackageFacts
from compatrix._selection import Matrix, SelectionMemo, build_matrix
from compatrix._support import SupportCache

__all__ = ["as_of_facts", "keep_unchanged"]


def as_of_facts(facts: PackageFacts, now: datetime, as_of_cutoff: datetime) -> PackageFacts:
    """Facts read under ``--as-of``: they describe the index at the cutoff, so that is
    their time (when it is past), and the index's serial of today is not theirs to keep.
    Two locks made with the same ``--as-of`` are then the same bytes."""
    return replace(facts, fetched_at=min(now, as_of_cutoff), serial=None)


def _same_facts(new: PackageFacts, old: PackageFacts) -> bool:
    """Equal but for when they were read and the index's serial."""
    return replace(new, fetched_at=old.fetched_at, serial=old.serial) == old


def _decisions(matrix: Matrix) -> dict[str, object]:
    """What a matrix decides, per suite: its picks (roles, Pythons) and its envs."""
    return {
        suite.suite.name: (
            tuple((p.version, p.roles, p.pythons) for p in suite.selection.picks),
            suite.selection.remembered,
            suite.envs,
        )
        for suite in matrix.suites
    }


def keep_unchanged(
    config: Config, previous: Lock, lock: Lock, *, support: SupportCache, memo: SelectionMemo
) -> Lock:
    """``lock`` with every package whose facts the previous lock already had as it was
    recorded there, so that an update with no new facts leaves the lock byte-identical.

    Without ``as-of``, a package's ``fetched-at`` is the "now" of its cooldown and
    prerelease age, and the newest one the date the project's Pythons are resolved on. The
    earlier entry is kept only where the matrix is the same with it: a release whose
    cooldown ended, a prerelease grown too old or a new CPython in the range is a change,
    and then the package's new time is recorded.
    """
    if lock.as_of != previous.as_of:
        return lock
    kept: dict[str, PackageFacts] = {}
    for name, facts in lock.packages.items():
        before = previous.packages.get(name)
        if before is not None and facts != before and _same_facts(facts, before):
            kept[name] = before
    if not kept:
        return lock
    if lock.as_of is not None:
        return lock.with_packages(kept)  # the as-of cutoff is "now": the times decide nothing
    wanted = _decisions(build_matrix(config, lock, support=support, memo=memo))
    for _ in range(2):
        candidate = lock.with_packages(kept)
        found = _decisions(build_matrix(config, candidate, support=support, memo=memo))
        differ = {s.package for s in config.suites if found.get(s.name) != wanted.get(s.name)}
        if not differ:
            return candidate
        kept = {name: facts for name, facts in kept.items() if name not in differ}
    candidate = lock.with_packages(kept)
    if _decisions(build_matrix(config, candidate, support=support, memo=memo)) == wanted:
        return candidate
    return lock
