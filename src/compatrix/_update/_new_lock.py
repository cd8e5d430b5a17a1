"""The lock an update writes: the refreshed facts, the picks remembered, and core metadata
kept only where selection uses it."""

from __future__ import annotations

from dataclasses import replace

from compatrix._config import Config
from compatrix._lock import Lock, PackageFacts
from compatrix._selection import SuiteMatrix, suite_considered
from compatrix._support import SupportCache
from compatrix._update._rounds import Selected

__all__ = ["new_lock"]


def new_lock(
    config: Config, previous: Lock, selected: Selected, *, full: bool, support: SupportCache
) -> Lock:
    """The new lock: refreshed facts, picks remembered, metadata kept only where used.

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
    if full:
        wanted_packages = {s.package for s in config.suites}
        packages = {n: f for n, f in packages.items() if n in wanted_packages}
        names = {s.name for s in config.suites}
        picks = {s: v for s, v in picks.items() if s in names}
    return Lock(as_of=selected.lock.as_of, packages=packages, picks=picks)


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
        for item in suite_considered(config, lock, suite_matrix, support=support)
        if item.version in fetched and item.reason == "no-supported-python"
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
