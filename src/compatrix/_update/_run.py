"""``compatrix update`` as a pipeline of named steps (see the package's docstring)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, AsyncExitStack, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from compatrix._config import Config, Suite
from compatrix._lock import EnvResolution, Lock, PackageFacts, as_of_text, cutoff_of, read_lock
from compatrix._selection import Matrix, SelectionMemo, build_matrix
from compatrix._support import SupportCache
from compatrix._update._facts import carry_metadata, offline_facts, trim, with_metadata
from compatrix._update._guards import refuse_empty_pages, refuse_vanishing_suites
from compatrix._update._rounds import Selected, metadata_wanted, new_lock, select
from compatrix._update._unchanged import as_of_facts, keep_unchanged
from compatrix.errors import UsageError

if TYPE_CHECKING:
    from compatrix._index import Cache, FetchedPage, IndexClient, Progress
    from compatrix._update._pins import PinRound

__all__ = [
    "ClientFactory",
    "Counter",
    "ProgressDisplay",
    "UpdateRequest",
    "UpdateResult",
    "run_update",
]


_PIN_JOBS = 8
"""uv processes at once (each mostly waits on the index; more only contend for the cache)."""

T = TypeVar("T")


class Counter(Protocol):
    """Counts work as it completes (the command line shows it as progress)."""

    def add(self, count: int = 1) -> None: ...
    def advance(self, count: int = 1) -> None: ...


class ProgressDisplay(Protocol):
    """Where an update shows its progress (one counter per phase) and its warnings."""

    def progress(self, label: str) -> AbstractContextManager[Counter]: ...
    def warn(self, text: str) -> None: ...


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
    pins_index_url: str | None = None
    """The index envs are resolved against, when not the one the facts are read from."""
    jobs: int | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    environ: Mapping[str, str] = field(default_factory=dict)
    accept_empty: tuple[str, ...] = ()
    """Packages whose page may list no file, and whose suites may lose every pick, although
    the lock had some (``--accept-empty``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateResult:
    """The new lock (not yet written), its matrix, and what it took to build them."""

    lock: Lock
    matrix: Matrix
    """``build_matrix(config, lock)``: what the outputs are rendered from."""
    stats: str = ""
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


_CONFIRMATIONS = 3
"""How many times at most an update that pins goes its next update's way again (once, but
for a pick that moves again from the picks it wrote; past that, it warns)."""


ClientFactory = Callable[[Config, "UpdateRequest", "Callable[[Progress], None]"], "IndexClient"]
"""Builds the run's index client (tests pass one talking to a loopback server)."""


def run_update(
    config: Config,
    request: UpdateRequest,
    *,
    ui: ProgressDisplay | None = None,
    client_factory: ClientFactory | None = None,
) -> UpdateResult:
    """Build the new lock for ``config`` and its matrix. Raises on any failure; writes nothing.

    The steps: the facts of the packages in scope (from the index, or from the lock with
    ``--offline``) and their suites selected, with core metadata fetched round after round
    while selection wants some → the new lock → the new lock's matrix.
    """
    previous = read_lock(config.lock_path, missing_ok=True) or Lock()
    partial = bool(request.only or request.skip)
    if partial and request.as_of != previous.as_of:
        have = as_of_text(previous.as_of) if previous.as_of else "none"
        msg = (
            f"--as-of applies to the whole lock (the lock's is {have}): "
            "update every suite, without --only or --skip"
        )
        raise UsageError(msg)
    in_scope = _suites_in_scope(config, request)
    packages = tuple(sorted({s.package for s in in_scope}))
    base = replace(previous, as_of=request.as_of)
    if not request.offline:  # the suites in scope are resolved again (records reused)
        names = {s.name for s in in_scope}
        kept = {e: r for e, r in previous.resolutions.items() if r.suite not in names}
        base = replace(base, resolutions=kept)
    support = SupportCache()
    memo = SelectionMemo()
    if request.offline:
        facts = offline_facts(config, previous, packages, request.as_of)
        selected = select(config, base, facts, support=support, memo=memo)
        lock = new_lock(config, previous, selected, full=not partial, support=support)
        stats = f"re-picked {len(packages)} packages from the lock, no request made"
    else:
        import asyncio  # noqa: PLC0415 - only an update that reads the index needs it

        hub = _ProgressHub()
        client = (client_factory or _default_client)(config, request, hub)
        started = time.perf_counter()
        try:
            selected = asyncio.run(
                _fetch_and_select(
                    config,
                    base,
                    packages,
                    request,
                    client,
                    previous=previous,
                    full=not partial,
                    support=support,
                    memo=memo,
                    ui=ui,
                    hub=hub,
                )
            )
        finally:
            if ui is not None:  # what the index gave that did not stop the run, even if it failed
                for warning in client.warnings:
                    ui.warn(warning)
        lock = new_lock(config, previous, selected, full=not partial, support=support)
        if ui is not None and lock.resolutions:
            from compatrix._update._pins import build_warnings  # noqa: PLC0415 - only when pinning

            for warning in build_warnings(lock.resolutions, allowed=config.allow_builds):
                ui.warn(warning)
        counters = client.counters
        stats = (
            f"{len(packages)} project pages ({counters.not_modified} unchanged), "
            f"{counters.requests} requests ({counters.retries} retried, "
            f"{counters.cache_hits} answered from the cache) in "
            f"{time.perf_counter() - started:.1f} s"
        )
    lock = keep_unchanged(config, previous, lock, support=support, memo=memo)
    matrix = build_matrix(config, lock, support=support, memo=memo)
    refuse_vanishing_suites(
        config,
        previous,
        matrix,
        in_scope={s.name for s in in_scope},
        accepted=request.accept_empty,
    )
    return UpdateResult(lock=lock, matrix=matrix, stats=stats, unchanged=lock == previous)


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
        jobs=request.jobs or config.index.jobs,
        timeout=config.index.timeout,
        retries=config.index.retries,
        max_page_size=config.index.max_page_mib * 1024 * 1024,
        max_metadata_size=config.index.max_metadata_mib * 1024 * 1024,
        cache=cache,
        env=request.environ,
        progress=progress,
        clock=lambda: request.now,
    )


# --- online -------------------------------------------------------------------------------


async def _fetch_and_select(
    config: Config,
    base: Lock,
    packages: Sequence[str],
    request: UpdateRequest,
    client: IndexClient,
    *,
    previous: Lock,
    full: bool,
    support: SupportCache,
    memo: SelectionMemo,
    ui: ProgressDisplay | None,
    hub: _ProgressHub,
) -> Selected:
    """Project pages → facts → selection, then rounds of core metadata → selection, and
    rounds of pins → selection (each followed by the metadata its new picks want)."""
    pinning = any(s.policy.pins != "off" for s in config.suites)
    pins_client = client
    if pinning and request.pins_index_url is not None:  # resolutions' pages from there
        pins_request = replace(request, index_url=request.pins_index_url)
        pins_client = _default_client(config, pins_request, lambda event: None)
    async with AsyncExitStack() as clients:
        await clients.enter_async_context(client)
        if pins_client is not client:
            await clients.enter_async_context(pins_client)
        with _counter(ui, "project pages") as hub.pages:
            if hub.pages is not None:
                hub.pages.add(len(packages))
            found = await _all(client.fetch_page(name) for name in packages)
        pages = dict(zip(packages, found, strict=True))
        refuse_empty_pages(base, pages, accepted=request.accept_empty)
        facts = _summarise(config, base, pages, request.as_of, now=request.now)

        async def rounds(selected: Selected, records: Lock) -> Selected:
            """Metadata rounds, then pin rounds (reusing ``records``' current ones) until
            no env is left to resolve: an env that does not install changes its suite's
            picks, and the new picks' envs are resolved in the next round. Each round
            resolves envs not resolved before, of finitely many, so the rounds end."""
            resolved: dict[str, EnvResolution] = {}
            while True:
                selected = await _metadata_rounds(
                    config,
                    selected,
                    pages,
                    request,
                    client,
                    support=support,
                    memo=memo,
                    ui=ui,
                    hub=hub,
                )
                if not pinning:
                    return selected
                pinned = await _pin_round(
                    config,
                    selected,
                    previous=records,
                    resolved=resolved,
                    request=request,
                    client=client if request.pins_index_url is None else pins_client,
                    support=support,
                    memo=memo,
                    ui=ui,
                )
                selected, resolved = pinned.selected, dict(pinned.resolved)
                if not pinned.new:
                    return selected

        selected = await rounds(select(config, base, facts, support=support, memo=memo), previous)
        if not pinning:
            return selected
        # The next update starts from the picks this one writes (stable picks) and keeps the
        # records of the envs it visits, so the records of a pick that a later round moved
        # away from would go then. Going the next update's way once more, reusing the
        # records of this run and of the lock, makes the lock this update writes the one
        # the next would write from the same index. When that pass ends on the picks it
        # started from, a next pass would start where it did: the lock is settled.
        written = new_lock(config, previous, selected, full=full, support=support)
        for _ in range(_CONFIRMATIONS):
            start = replace(written, resolutions=base.resolutions)
            start_facts = _summarise(config, start, pages, request.as_of, now=request.now)
            reuse = replace(written, resolutions={**previous.resolutions, **written.resolutions})
            selected = await rounds(
                select(config, start, start_facts, support=support, memo=memo), reuse
            )
            rewritten = new_lock(config, previous, selected, full=full, support=support)
            if replace(rewritten, resolutions={}) == replace(written, resolutions={}):
                break
            written = rewritten
        else:
            if ui is not None:
                ui.warn(
                    f"the picks still moved after {_CONFIRMATIONS} passes selecting again "
                    "from the picks this update writes: the next update may change the "
                    "lock without new facts"
                )
    return selected


async def _metadata_rounds(
    config: Config,
    selected: Selected,
    pages: Mapping[str, FetchedPage],
    request: UpdateRequest,
    client: IndexClient,
    *,
    support: SupportCache,
    memo: SelectionMemo,
    ui: ProgressDisplay | None,
    hub: _ProgressHub,
) -> Selected:
    """Fetch the core metadata selection wants and select again, until it wants none (one
    or two rounds are usual; each fetches releases not fetched before, so they end)."""
    with _counter(ui, "core metadata") as hub.metadata:
        while True:
            wanted = metadata_wanted(config, selected, support=support)
            if not wanted:
                break
            if hub.metadata is not None:
                hub.metadata.add(len(wanted))
            fetched = await _all(
                client.fetch_metadata(pages[name].page, version, as_of=request.as_of)
                for name, version in wanted
            )
            facts = with_metadata(selected.facts, wanted, fetched)
            selected = select(config, selected.lock, facts, support=support, memo=memo)
    return selected


async def _pin_round(
    config: Config,
    selected: Selected,
    *,
    previous: Lock,
    resolved: Mapping[str, EnvResolution],
    request: UpdateRequest,
    client: IndexClient,
    support: SupportCache,
    memo: SelectionMemo,
    ui: ProgressDisplay | None,
) -> PinRound:
    """One round of pins (``_pins``), the packages of the resolutions read with ``client``."""
    import asyncio  # noqa: PLC0415

    from compatrix._index import resolve_index_url  # noqa: PLC0415
    from compatrix._resolve import PinSettings  # noqa: PLC0415
    from compatrix._update._pins import pin_round  # noqa: PLC0415 - only when pinning

    index_url = request.pins_index_url or resolve_index_url(
        request.index_url, config.index_url, request.environ
    )
    settings = PinSettings(index_url=index_url, jobs=_PIN_JOBS, environ=request.environ)
    pages: dict[str, asyncio.Future[FetchedPage]] = {}

    async def facts_of(name: str) -> PackageFacts | None:
        if name not in pages:
            pages[name] = asyncio.ensure_future(client.fetch_page(name))
        return (await pages[name]).facts(as_of=None)

    with _counter(ui, "pinned envs") as counter:

        def counted(count: int) -> None:
            if counter is not None:
                counter.add(count)

        def done() -> None:
            if counter is not None:
                counter.advance()

        return await pin_round(
            config,
            selected,
            previous=previous.resolutions,
            resolved=resolved,
            settings=settings,
            facts_of=facts_of,
            support=support,
            memo=memo,
            counted=counted,
            done=done,
        )


def _summarise(
    config: Config,
    base: Lock,
    pages: Mapping[str, FetchedPage],
    as_of: date | None,
    *,
    now: datetime,
) -> dict[str, PackageFacts]:
    """Each page's facts, trimmed to the config, with the metadata the lock already had
    (under ``--as-of``, timed at the cutoff and without the index's serial of today)."""
    out = {}
    for name, page in pages.items():
        facts = page.facts(as_of=as_of)
        if as_of is not None:
            facts = as_of_facts(facts, now, cutoff_of(as_of))
        out[name] = carry_metadata(trim(config, facts), base.packages.get(name), page.page, as_of)
    return out


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


def _counter(ui: ProgressDisplay | None, label: str) -> AbstractContextManager[Counter | None]:
    return ui.progress(label) if ui is not None else nullcontext(None)
