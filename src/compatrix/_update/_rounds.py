"""Selection over the facts an update gathers, round after round: each round of core
metadata changes the facts of a few packages, and only their suites are selected again."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from compatrix._config import Config
from compatrix._lock import Lock, PackageFacts
from compatrix._selection import Matrix, build_matrix, suite_metadata_wanted
from compatrix._support import SupportCache

__all__ = ["Selected", "metadata_wanted", "reselect", "select"]


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Selected:
    """The facts gathered for the packages in scope, and their suites selected from them.

    Its repr is short: asyncio formats the result of the task that gathers it (when it
    checks its interrupt handler), and the full repr would spell out every release.
    """

    facts: Mapping[str, PackageFacts]
    lock: Lock
    """The lock read at the start (with the update's as-of date) with these facts."""
    matrix: Matrix
    """The suites whose package is in ``facts``, selected from ``lock``, in config order."""

    def __repr__(self) -> str:
        return f"<Selected: {len(self.facts)} packages, {len(self.matrix.suites)} suites>"


def select(
    config: Config, lock: Lock, facts: Mapping[str, PackageFacts], *, support: SupportCache
) -> Selected:
    """Select every suite whose package is in ``facts``, from ``lock`` with those facts."""
    with_facts = lock.with_packages(facts)
    names = [s.name for s in config.suites if s.package in facts]
    matrix = build_matrix(config, with_facts, suites=names, support=support)
    return Selected(facts=facts, lock=with_facts, matrix=matrix)


def reselect(
    config: Config,
    selected: Selected,
    facts: Mapping[str, PackageFacts],
    *,
    changed: Collection[str],
    support: SupportCache,
) -> Selected:
    """``selected`` once the facts of the ``changed`` packages are those of ``facts``.

    Only the suites of those packages are selected again: a suite's selection reads its
    package's facts, its remembered picks and the lock's time and Pythons, and a round of
    metadata changes nothing else.
    """
    lock = selected.lock.with_packages(facts)
    names = [s.suite.name for s in selected.matrix.suites if s.suite.package in changed]
    fresh = {
        s.suite.name: s for s in build_matrix(config, lock, suites=names, support=support).suites
    }
    matrix = Matrix(suites=tuple(fresh.get(s.suite.name, s) for s in selected.matrix.suites))
    return Selected(facts=facts, lock=lock, matrix=matrix)


def metadata_wanted(
    config: Config, selected: Selected, *, support: SupportCache
) -> list[tuple[str, str]]:
    """``(package, version)`` of every release whose core metadata a selection wants and
    that was not fetched yet, sorted."""
    wanted: dict[tuple[str, str], None] = {}
    for suite_matrix in selected.matrix.suites:
        package = suite_matrix.suite.package
        versions = suite_metadata_wanted(config, selected.lock, suite_matrix, support=support)
        for version in versions:
            wanted.setdefault((package, version), None)
    return sorted(wanted)
