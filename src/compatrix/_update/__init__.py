"""``compatrix update``: read the index, pick, fetch what the picks need, build the new lock.

The pipeline: fetch the project pages of the packages in scope (concurrently, one HTTP
client) → summarise them as facts → run selection → fetch core metadata for picks that
lack it → run selection again, until nothing more is wanted. The result is a new
:class:`Lock`; nothing is written here (the caller writes the lock and the outputs together).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from packaging.version import Version

from compatrix._config import Config, Suite
from compatrix._lock import CoreMetadata, Lock, MetadataStatus, PackageFacts, cutoff_of, read_lock
from compatrix._selection import (
    Matrix,
    SuiteMatrix,
    build_matrix,
    lock_date,
    suite_considered,
    suite_metadata_wanted,
)
from compatrix._support import SupportCache
from compatrix.errors import LockError, UsageError

if TYPE_CHECKING:
    from compatrix._index import Cache, DistFile, IndexClient, Progress, ProjectPage

__all__ = ["MAX_ROUNDS", "UpdateRequest", "UpdateResult", "run_update"]

MAX_ROUNDS = 5
"""Selection/metadata rounds; two are usual (a pick's metadata rarely changes the picks)."""

T = TypeVar("T")


class Counter(Protocol):
    """Counts work as it completes (the command line shows it as progress)."""

    def add(self, count: int = 1) -> None: ...
    def advance(self, count: int = 1) -> None: ...


class ProgressDisplay(Protocol):
    """Where an update shows its progress: one counter per phase."""

    def progress(self, label: str) -> AbstractContextManager[Counter]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateRequest:
    """What the command line asked for."""

    now: datetime
    """The time recorded as ``fetched-at`` (the caller's clock)."""
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    as_of: date | None = None
    offline: bool = False
    index_url: str | None = None
    jobs: int | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    environ: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateResult:
    """The new lock (not yet written) and what it took to build it."""

    lock: Lock
    stats: str = ""
    matrix: Matrix | None = None
    """``build_matrix(config, lock)``, when the update's own selection already is that
    matrix (every suite selected from the same facts, picks and Pythons); else None."""
    unchanged: bool = False
    """The new lock equals the lock read at the start (so it need not be written)."""


class _ProgressHub:
    """Routes the client's progress events to whichever counter is showing."""

    def __init__(self) -> None:
        self.pages: Counter | None = None
        self.metadata: Counter | None = None

    def __call__(self, event: Progress) -> None:
        counter = self.pages if event.kind == "page" else self.metadata
        if counter is not None:
            counter.advance()


ClientFactory = Callable[[Config, "UpdateRequest", "Callable[[Progress], None]"], "IndexClient"]
"""Builds the run's index client (tests pass one talking to a loopback server)."""


def run_update(
    config: Config,
    request: UpdateRequest,
    *,
    ui: ProgressDisplay | None = None,
    client_factory: ClientFactory | None = None,
) -> UpdateResult:
    """Build the new lock for ``config``. Raises on any failure before anything is written."""
    previous = read_lock(config.lock_path, missing_ok=True) or Lock()
    suites = _suites_in_scope(config, request)
    partial = bool(request.only or request.skip)
    if partial and request.as_of != previous.as_of:
        have = previous.as_of.isoformat() if previous.as_of else "none"
        msg = (
            f"--as-of applies to the whole lock (the lock's is {have}): "
            "update every suite, without --only or --skip"
        )
        raise UsageError(msg)
    packages = tuple(sorted({s.package for s in suites}))
    select = _Selector(config, previous, request.as_of)
    if request.offline:
        facts = _offline_facts(config, previous, packages, request.as_of)
        lock, matrix = _finish(config, previous, facts, select=select, full=not partial)
        return UpdateResult(
            lock=lock,
            stats=f"re-picked {len(packages)} packages from the lock, no request made",
            matrix=matrix,
            unchanged=lock == previous,
        )
    import asyncio  # noqa: PLC0415 - only an update that reads the index needs it

    hub = _ProgressHub()
    client = (client_factory or _default_client)(config, request, hub)
    started = time.perf_counter()
    facts = asyncio.run(_fetch(previous, packages, request, client, select, ui=ui, hub=hub))
    lock, matrix = _finish(config, previous, facts, select=select, full=not partial)
    counters = client.counters
    elapsed = time.perf_counter() - started
    stats = (
        f"{len(packages)} project pages ({counters.not_modified} unchanged), "
        f"{counters.requests} requests ({counters.retries} retried, "
        f"{counters.cache_hits} answered from the cache) in {elapsed:.1f} s"
    )
    return UpdateResult(
        lock=lock,
        stats=stats,
        matrix=matrix,
        unchanged=lock == previous,
    )


def _suites_in_scope(config: Config, request: UpdateRequest) -> tuple[Suite, ...]:
    only = set(request.only)
    skip = set(request.skip)
    return tuple(s for s in config.suites if (not only or s.name in only) and s.name not in skip)


def _default_client(
    config: Config, request: UpdateRequest, progress: Callable[[Progress], None]
) -> IndexClient:
    from compatrix._index import Cache, IndexClient, resolve_index_url  # noqa: PLC0415

    cache: Cache
    if request.no_cache:
        cache = Cache.disabled()
    elif request.cache_dir is not None:
        cache = Cache(request.cache_dir)
    else:
        cache = Cache.default(request.environ)
    return IndexClient(
        resolve_index_url(request.index_url, config.index_url, request.environ),
        jobs=request.jobs or config.jobs,
        timeout=config.timeout,
        retries=config.retries,
        cache=cache,
        env=request.environ,
        progress=progress,
        clock=lambda: request.now,
    )


# --- offline ------------------------------------------------------------------------------


def _offline_facts(
    config: Config, previous: Lock, packages: Sequence[str], as_of: date | None
) -> dict[str, PackageFacts]:
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
        facts = {p: _cut(f, as_of) for p, f in facts.items()}
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


def _cut(facts: PackageFacts, as_of: date) -> PackageFacts:
    """The facts as of the end of ``as_of``, from facts recorded later.

    Releases uploaded later (or with no upload time) are left out. Files added to an older
    release later are not known individually, so such a release keeps all its files.
    """
    cutoff = cutoff_of(as_of)
    kept = tuple(r for r in facts.releases if r.uploaded is not None and r.uploaded < cutoff)
    return replace(facts, releases=kept)


# --- online -------------------------------------------------------------------------------


async def _all(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Run concurrently; on the first failure cancel the rest and raise it."""
    import asyncio  # noqa: PLC0415

    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


class _Listed:
    """Is a wheel still listed for a release on a page? The page's files are grouped by
    release when first asked (most updates never ask)."""

    def __init__(self, page: ProjectPage, as_of: date | None) -> None:
        self.page = page
        self.as_of = as_of
        self.groups: Mapping[Any, tuple[DistFile, ...]] | None = None

    def __call__(self, version: str, wheel: str) -> bool:
        from compatrix._index import group_files, release_key  # noqa: PLC0415

        if self.groups is None:
            self.groups = group_files(self.page, as_of=self.as_of)
        return any(f.filename == wheel for f in self.groups.get(release_key(version), ()))


async def _fetch(
    previous: Lock,
    packages: Sequence[str],
    request: UpdateRequest,
    client: IndexClient,
    select: _Selector,
    *,
    ui: ProgressDisplay | None,
    hub: _ProgressHub,
) -> dict[str, PackageFacts]:
    async with client:
        with _counter(ui, "project pages") as hub.pages:
            if hub.pages is not None:
                hub.pages.add(len(packages))
            fetched = await _all(client.fetch_page(name) for name in packages)
        pages = dict(zip(packages, fetched, strict=True))
        facts: dict[str, PackageFacts] = {}
        for name, page in pages.items():
            facts[name] = _carry_metadata(
                trim(select.config, page.facts(as_of=request.as_of)),
                previous.packages.get(name),
                _Listed(page.page, request.as_of),
            )
        with _counter(ui, "core metadata") as hub.metadata:
            for _ in range(MAX_ROUNDS):
                matrix = select(facts)
                wanted = _wanted(select, matrix, facts)
                if not wanted:
                    break
                if hub.metadata is not None:
                    hub.metadata.add(len(wanted))
                results = await _all(
                    client.fetch_metadata(pages[name].page, version, as_of=request.as_of)
                    for name, version in wanted
                )
                facts = _apply_metadata(facts, wanted, results)
    return facts


def _counter(ui: ProgressDisplay | None, label: str) -> AbstractContextManager[Counter | None]:
    return ui.progress(label) if ui is not None else nullcontext(None)


def _carry_metadata(
    facts: PackageFacts, before: PackageFacts | None, listed: Callable[[str, str], bool]
) -> PackageFacts:
    """Reuse metadata recorded earlier when the wheel it was read from is still listed.

    Metadata of a wheel never changes, so this saves a request per pick on every update
    (and on CI, where there is no cache).
    """
    if before is None:
        return facts
    known = {
        r.version: r.metadata
        for r in before.releases
        if r.metadata is not None and r.metadata_status == "ok"
    }
    if not known:
        return facts
    releases = []
    for release in facts.releases:
        metadata = known.get(release.version)
        if metadata is not None and listed(release.version, metadata.wheel):
            releases.append(replace(release, metadata=metadata, metadata_status="ok"))
        else:
            releases.append(release)
    return replace(facts, releases=tuple(releases))


class _Selector:
    """Selection for the suites whose packages are being refreshed, across the rounds of
    one update.

    Calling it with the facts gathered so far gives the matrix of the suites in scope,
    exactly as ``build_matrix`` gives it for the previous lock with those facts. A suite is
    selected again only when its package's facts changed since the last call: metadata
    fetched in a round changes a few packages, and the last round's matrix is the final
    one. What is learnt of Python support is shared by every call.
    """

    def __init__(self, config: Config, previous: Lock, as_of: date | None) -> None:
        self.config = config
        self.previous = previous
        self.as_of = as_of
        self.support = SupportCache()
        self.done: dict[str, tuple[PackageFacts, date | None, SuiteMatrix]] = {}

    def lock(self, facts: Mapping[str, PackageFacts]) -> Lock:
        """The previous lock with the facts gathered so far."""
        return replace(self.previous, as_of=self.as_of).with_packages(facts)

    def __call__(self, facts: Mapping[str, PackageFacts]) -> Matrix:
        lock = self.lock(facts)
        day = lock_date(lock)
        names = [s.name for s in self.config.suites if s.package in facts]
        stale = []
        for suite in self.config.suites:
            if suite.package in facts:
                known = self.done.get(suite.name)
                if known is None or known[0] is not facts[suite.package] or known[1] != day:
                    stale.append(suite.name)
        if stale:
            fresh = build_matrix(self.config, lock, suites=stale, support=self.support)
            for suite_matrix in fresh.suites:
                suite = suite_matrix.suite
                self.done[suite.name] = (facts[suite.package], day, suite_matrix)
        return Matrix(suites=tuple(self.done[name][2] for name in names))


def _wanted(
    select: _Selector, matrix: Matrix, facts: Mapping[str, PackageFacts]
) -> list[tuple[str, str]]:
    lock = select.lock(facts)
    wanted: dict[tuple[str, str], None] = {}
    for suite_matrix in matrix.suites:
        package = suite_matrix.suite.package
        versions = suite_metadata_wanted(select.config, lock, suite_matrix, support=select.support)
        for version in versions:
            wanted.setdefault((package, version), None)
    return sorted(wanted)


def _apply_metadata(
    facts: Mapping[str, PackageFacts],
    wanted: Sequence[tuple[str, str]],
    results: Sequence[tuple[CoreMetadata | None, MetadataStatus]],
) -> dict[str, PackageFacts]:
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


# --- the new lock -------------------------------------------------------------------------


def _finish(
    config: Config,
    previous: Lock,
    facts: Mapping[str, PackageFacts],
    *,
    select: _Selector,
    full: bool,
) -> tuple[Lock, Matrix | None]:
    """The new lock: refreshed facts, picks remembered, metadata kept only where used.

    With it, the selection's matrix when that is also the new lock's matrix (see
    :attr:`UpdateResult.matrix`), else None.
    """
    as_of = select.as_of
    matrix = select(facts)
    picked: dict[str, set[str]] = {}
    picks = dict(previous.picks)
    for suite_matrix in matrix.suites:
        selection = suite_matrix.selection
        picks[suite_matrix.suite.name] = selection.remembered
        picked.setdefault(suite_matrix.suite.package, set()).update(
            str(p.version) for p in selection.picks
        )
    keep = {name: set(versions) for name, versions in picked.items()}
    for suite_matrix in matrix.suites:
        package = suite_matrix.suite.package
        if package in facts:
            keep[package] |= _decisive_metadata(
                select, suite_matrix, facts, picked.get(package, set())
            )
    packages = dict(previous.packages)
    for name, package_facts in facts.items():
        packages[name] = _strip_metadata(package_facts, keep.get(name, set()))
    if full:
        wanted_packages = {s.package for s in config.suites}
        packages = {n: f for n, f in packages.items() if n in wanted_packages}
        names = {s.name for s in config.suites}
        picks = {s: v for s, v in picks.items() if s in names}
    lock = Lock(as_of=as_of, packages=packages, picks=picks)
    return lock, (matrix if _same_matrix(config, previous, facts, lock, as_of) else None)


def _same_matrix(
    config: Config,
    previous: Lock,
    facts: Mapping[str, PackageFacts],
    lock: Lock,
    as_of: date | None,
) -> bool:
    """Would ``build_matrix(config, lock)`` select from exactly what the update's selection
    (every suite, over ``previous`` with ``facts``) selected from?

    Then it is that matrix: selection is a function of the suite, its package's facts,
    its remembered picks, the Pythons of the lock's date and the lock's time.
    """
    if any(s.package not in facts for s in config.suites):
        return False
    if lock_date(lock) != lock_date(replace(previous, as_of=as_of).with_packages(facts)):
        return False
    return all(
        lock.packages.get(s.package) is facts[s.package]
        and lock.picks.get(s.name, ()) == previous.picks.get(s.name, ())
        for s in config.suites
    )


def _decisive_metadata(
    select: _Selector,
    suite_matrix: SuiteMatrix,
    all_facts: Mapping[str, PackageFacts],
    picked: set[str],
) -> set[str]:
    """Releases, not picked, whose known metadata may be why they cannot be tested.

    Metadata is fetched for picks; when it shows a pick supports none of the project's
    Pythons (a Requires-Python the page lacked, Python 2-only classifiers), selection
    moves on. That metadata must stay in the lock, or the next selection would pick the
    release again.
    """
    facts = all_facts[suite_matrix.suite.package]
    fetched = {
        r.version
        for r in facts.releases
        if r.metadata_status != "not-fetched" and r.version not in picked
    }
    if not fetched:
        return set()  # the records are built only when something needs checking
    lock = select.lock(all_facts)
    considered = suite_considered(select.config, lock, suite_matrix, support=select.support)
    return {
        item.version
        for item in considered
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
