"""The facts an update gathers for the packages in scope: from the lock (``--offline``) or
from the project pages, and the core metadata fetched for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from packaging.version import Version

from compatrix._config import Config
from compatrix._lock import CoreMetadata, Lock, MetadataStatus, PackageFacts, cutoff_of
from compatrix.errors import LockError, UsageError

if TYPE_CHECKING:
    from compatrix._index import ProjectPage

__all__ = [
    "carry_metadata",
    "cut",
    "offline_facts",
    "releases_floor",
    "trim",
    "with_metadata",
]


def offline_facts(
    config: Config, previous: Lock, packages: Sequence[str], as_of: date | None
) -> dict[str, PackageFacts]:
    """The facts the lock already has, trimmed to the config and cut to ``as_of``."""
    missing = [p for p in packages if p not in previous.packages]
    if missing:
        msg = (
            f"--offline, but the lock has no facts for {', '.join(repr(p) for p in missing)}: "
            "run `compatrix update` without --offline"
        )
        raise LockError(msg)
    facts = {p: trim(config, previous.packages[p]) for p in packages}
    if as_of is not None and as_of != previous.as_of:
        if previous.as_of is not None and as_of > previous.as_of:
            msg = (
                f"--as-of {as_of.isoformat()} is later than the lock's own as-of date "
                f"{previous.as_of.isoformat()}: the lock knows nothing newer"
            )
            raise UsageError(msg)
        facts = {p: cut(f, as_of) for p, f in facts.items()}
    return facts


def releases_floor(config: Config, package: str) -> Version | None:
    """The lowest release the suites testing ``package`` may pick: the lowest of their
    min-versions, or None when one of them has none."""
    floors = [s.min_version for s in config.suites if s.package == package]
    if not floors or None in floors:
        return None
    return min(f for f in floors if f is not None)


def trim(config: Config, facts: PackageFacts) -> PackageFacts:
    """The facts without the releases no suite may pick (below every min-version).

    Such releases are never candidates; leaving them out makes the lock smaller and every
    later step faster. Facts already trimmed above what the config now needs are left as
    they are: ``build_matrix`` then says to run ``compatrix update``.
    """
    floor = releases_floor(config, facts.name)
    recorded = facts.releases_from
    if floor is None or (recorded is not None and floor <= recorded):
        return facts
    kept = tuple(r for r in facts.releases if r.parsed is not None and r.parsed >= floor)
    return replace(facts, releases=kept, releases_from=floor)


def cut(facts: PackageFacts, as_of: date) -> PackageFacts:
    """The facts as of the end of ``as_of``, from facts recorded later.

    Releases uploaded later (or with no upload time) are left out. Files added to an older
    release later are not known individually, so such a release keeps all its files.
    """
    cutoff = cutoff_of(as_of)
    kept = tuple(r for r in facts.releases if r.uploaded is not None and r.uploaded < cutoff)
    return replace(facts, releases=kept)


def carry_metadata(
    facts: PackageFacts, before: PackageFacts | None, page: ProjectPage, as_of: date | None
) -> PackageFacts:
    """Reuse metadata recorded earlier when the wheel it was read from is still listed on
    the project ``page`` (as of the end of ``as_of``).

    Metadata of a wheel never changes, so this saves a request per pick on every update
    (and on CI, where there is no cache). Only metadata read from the same index is
    reused: another index's wheel of the same name is another file.
    """
    if before is None or before.index != facts.index:
        return facts
    known = {
        r.version: r.metadata
        for r in before.releases
        if r.metadata is not None and r.metadata_status == "ok"
    }
    carried = {r.version: known[r.version] for r in facts.releases if r.version in known}
    if not carried:
        return facts
    from compatrix._index import group_files, release_key  # noqa: PLC0415 - the page's files

    groups = group_files(page, as_of=as_of)
    releases = []
    for release in facts.releases:
        metadata = carried.get(release.version)
        listed = metadata is not None and any(
            f.filename == metadata.wheel for f in groups.get(release_key(release.version), ())
        )
        if metadata is not None and listed:
            releases.append(replace(release, metadata=metadata, metadata_status="ok"))
        else:
            releases.append(release)
    return replace(facts, releases=tuple(releases))


def with_metadata(
    facts: Mapping[str, PackageFacts],
    wanted: Sequence[tuple[str, str]],
    results: Sequence[tuple[CoreMetadata | None, MetadataStatus]],
) -> dict[str, PackageFacts]:
    """The facts with the metadata fetched for each ``(package, version)`` of ``wanted``."""
    by_package: dict[str, dict[str, tuple[CoreMetadata | None, MetadataStatus]]] = {}
    for (name, version), result in zip(wanted, results, strict=True):
        by_package.setdefault(name, {})[version] = result
    out = dict(facts)
    for name, updates in by_package.items():
        releases = []
        for release in facts[name].releases:
            update = updates.get(release.version)
            if update is None:
                releases.append(release)
            else:
                metadata, status = update
                releases.append(replace(release, metadata=metadata, metadata_status=status))
        out[name] = replace(facts[name], releases=tuple(releases))
    return out
