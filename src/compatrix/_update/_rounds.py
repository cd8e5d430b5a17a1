"""Selection over the facts an update gathers, round after round (each round of core
metadata changes the facts of a few packages: only their suites are selected again), and
the new lock made from the last round."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from packaging.version import Version

from compatrix._config import Config
from compatrix._lock import Lock, PackageFacts, parse_version
from compatrix._selection import (
    Matrix,
    SelectionMemo,
    SuiteMatrix,
    build_matrix,
    suite_considered,
)
from compatrix._support import SupportCache

__all__ = ["READ_AHEAD", "Selected", "metadata_wanted", "new_lock", "select"]


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
    config: Config,
    lock: Lock,
    facts: Mapping[str, PackageFacts],
    *,
    support: SupportCache,
    memo: SelectionMemo,
) -> Selected:
    """Select every suite whose package is in ``facts``, from ``lock`` with those facts.

    Called round after round as core metadata and pins change the facts of a few
    packages; ``memo`` keeps the other suites' selections, whose inputs did not change.
    """
    with_facts = lock.with_packages(facts)
    names = [s.name for s in config.suites if s.package in facts]
    matrix = build_matrix(
        config, with_facts, suites=names, support=support, memo=memo, budget=False
    )
    return Selected(facts=facts, lock=with_facts, matrix=matrix)


READ_AHEAD = 8
"""Candidates whose metadata is read ahead once a release was ruled out by its own."""


def metadata_wanted(
    config: Config, selected: Selected, *, support: SupportCache
) -> list[tuple[str, str]]:
    """``(package, version)`` of every release whose core metadata a selection wants and
    that was not fetched yet, sorted.

    Each suite's picks'; and once some release was ruled out by its metadata alone (Python
    2-only classifiers, a Requires-Python the page lacks), the next :data:`READ_AHEAD`
    candidates above its lowest pick too: releases next to one ruled out that way often are
    as well, and reading them at once saves an update round for each.
    """
    wanted: set[tuple[str, str]] = set()
    for suite_matrix in selected.matrix.suites:
        versions = _wanted(config, selected.lock, suite_matrix, support=support)
        wanted.update((suite_matrix.suite.package, version) for version in versions)
    return sorted(wanted)


def _wanted(
    config: Config, lock: Lock, suite_matrix: SuiteMatrix, *, support: SupportCache
) -> list[str]:
    picks = suite_matrix.selection.picks
    if not picks:
        return []
    facts = lock.packages[suite_matrix.suite.package]
    # facts.release(v), for many v: the first release whose text or version matches.
    by_text: dict[str, int] = {}
    by_version: dict[Version, int] = {}
    for i, release in enumerate(facts.releases):
        by_text.setdefault(release.version, i)
        if release.parsed is not None:
            by_version.setdefault(release.parsed, i)
    wanted: list[str] = []
    for pick in picks:
        matches = (by_text.get(str(pick.version)), by_version.get(pick.version))
        found = [j for j in matches if j is not None]
        if found and facts.releases[min(found)].metadata_status == "not-fetched":
            wanted.append(facts.releases[min(found)].version)
    # Was some release that is not a pick ruled out with its metadata known?
    suspects = {r.version for r in facts.releases if r.metadata is not None}
    suspects -= {str(p.version) for p in picks}
    if not suspects:
        return wanted
    records = suite_considered(config, lock, suite_matrix, support=support)
    if not any(c.reason == "no-supported-python" and c.version in suspects for c in records):
        return wanted
    waiting = [
        c.version
        for c in records
        if c.reason == "not-chosen"
        and (v := parse_version(c.version)) is not None
        and v > picks[0].version
    ]
    for text in waiting[:READ_AHEAD]:
        if facts.releases[by_text[text]].metadata_status == "not-fetched" and text not in wanted:
            wanted.append(text)
    return wanted


def new_lock(
    config: Config, previous: Lock, selected: Selected, *, full: bool, support: SupportCache
) -> Lock:
    """The new lock: refreshed facts, picks remembered, metadata kept only where used, the
    records of the envs resolved (those of the suites not in scope kept).

    ``full``: every suite was in scope, so packages and suites the config no longer names
    are left out.
    """
    facts = selected.facts
    picked: dict[str, set[str]] = {}
    picks = dict(previous.picks)
    for suite_matrix in selected.matrix.suites:
        selection = suite_matrix.selection
        picks[suite_matrix.suite.name] = selection.remembered
        picked.setdefault(suite_matrix.suite.package, set()).update(
            str(p.version) for p in selection.picks
        )
    keep = {name: set(versions) for name, versions in picked.items()}
    for suite_matrix in selected.matrix.suites:
        package = suite_matrix.suite.package
        keep[package] |= _decisive_metadata(
            config, selected.lock, suite_matrix, picked[package], support=support
        )
    packages = dict(previous.packages)
    for name, package_facts in facts.items():
        packages[name] = _strip_metadata(package_facts, keep.get(name, set()))
    resolutions = dict(selected.lock.resolutions)
    if full:
        wanted_packages = {s.package for s in config.suites}
        packages = {n: f for n, f in packages.items() if n in wanted_packages}
        names = {s.name for s in config.suites}
        picks = {s: v for s, v in picks.items() if s in names}
        pinned = {s.name for s in config.suites if s.policy.pins != "off"}
        resolutions = {e: r for e, r in resolutions.items() if r.suite in pinned}
    return Lock(
        as_of=selected.lock.as_of,
        packages=packages,
        picks=picks,
        resolutions=resolutions,
        probes=previous.probes,
    )


def _decisive_metadata(
    config: Config,
    lock: Lock,
    suite_matrix: SuiteMatrix,
    picked: set[str],
    *,
    support: SupportCache,
) -> set[str]:
    """Releases, not picked, whose known metadata may be why they cannot be tested.

    Metadata is fetched for picks; when it shows a pick supports none of the project's
    Pythons (a Requires-Python the page lacked, Python 2-only classifiers), selection
    moves on. That metadata must stay in the lock, or the next selection would pick the
    release again.
    """
    facts = lock.packages[suite_matrix.suite.package]
    fetched = {
        r.version
        for r in facts.releases
        if r.metadata_status != "not-fetched" and r.version not in picked
    }
    if not fetched:
        return set()  # nothing to ask of the releases' records
    return {
        item.version
        for item in suite_considered(config, lock, suite_matrix, support=support, versions=fetched)
        if item.reason == "no-supported-python"
    }


def _strip_metadata(facts: PackageFacts, keep: set[str]) -> PackageFacts:
    """Keep metadata facts only for the releases in ``keep`` (the picks, and releases
    whose metadata rules them out), so the lock records what selection uses."""
    releases = []
    stripped = False
    for release in facts.releases:
        if release.version not in keep and release.metadata_status != "not-fetched":
            releases.append(replace(release, metadata=None, metadata_status="not-fetched"))
            stripped = True
        else:
            releases.append(release)
    return replace(facts, releases=tuple(releases)) if stripped else facts
