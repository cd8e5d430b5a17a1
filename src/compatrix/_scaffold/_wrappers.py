"""What the candidates' packages instrument, asked of the package index (``init``'s only
network use): the Requires-Dist of each package's newest final release, from its wheel's
PEP 658 ``.metadata`` file, reduced to its ``instruments`` extra."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from email.parser import BytesHeaderParser

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from compatrix._index import IndexClient, metadata_candidates
from compatrix._lock import parse_version
from compatrix._scaffold._extras import instruments_of
from compatrix.errors import PackageIndexError

__all__ = ["find_instruments", "requires_dist"]


def requires_dist(metadata: bytes) -> tuple[str, ...]:
    """The Requires-Dist lines of a METADATA file."""
    message = BytesHeaderParser().parsebytes(metadata)
    return tuple(str(value) for value in message.get_all("Requires-Dist") or [])


async def _instruments(client: IndexClient, wanted: Requirement) -> tuple[Requirement, ...]:
    """What the newest release of ``wanted`` that its specifier admits instruments (finals
    first: instrumentation packages that publish only prereleases get their newest)."""
    name = wanted.name
    try:
        fetched = await client.fetch_page(name)
    except PackageIndexError as exc:
        if "not found on index" in str(exc):
            return ()  # a package from another index: proposed as written
        raise
    page = fetched.page
    versions = []
    for file in page.files:
        version = parse_version(file.version)
        if version is None or file.yanked:
            continue
        if wanted.specifier.contains(version, prereleases=True):
            versions.append(version)
    finals = [v for v in versions if not v.is_prerelease]
    if not versions:
        return ()
    newest = max(finals or versions)
    wheels = metadata_candidates(f for f in page.files if parse_version(f.version) == newest)
    for wheel in wheels[:2]:
        data = await client.fetch_metadata_file(wheel)
        if data is not None:
            return instruments_of(requires_dist(data))
    return ()


def find_instruments(
    requirements: Iterable[Requirement], *, index_url: str, env: Mapping[str, str]
) -> dict[str, tuple[Requirement, ...]]:
    """Package (normalized) -> what its ``instruments`` extra requires (empty when it has
    none, or the index does not know the package). Raises PackageIndexError when the index
    cannot be read."""
    wanted = {canonicalize_name(r.name): r for r in requirements}
    names = sorted(wanted)

    async def run() -> dict[str, tuple[Requirement, ...]]:
        async with IndexClient(index_url, jobs=8, retries=1, env=env) as client:
            found = await asyncio.gather(
                *(_instruments(client, wanted[n]) for n in names), return_exceptions=True
            )
        # Every lookup ends before one failure is reported: the first in name order, so
        # the same index fault gives the same message on every run.
        instruments: dict[str, tuple[Requirement, ...]] = {}
        for name, result in zip(names, found, strict=True):
            if isinstance(result, BaseException):
                raise result
            instruments[name] = result
        return instruments

    return asyncio.run(run())
