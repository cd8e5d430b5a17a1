"""The package-index client: project pages and core metadata over HTTP (async)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from types import TracebackType
from typing import Literal
from urllib.parse import quote

import httpx
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix._index._auth import PYPI_SIMPLE, find_credentials, redact_url
from compatrix._index._body import MiB
from compatrix._index._cache import Cache, CachedPage
from compatrix._index._http import (
    Backoff,
    HttpSession,
    Limit,
    NoRanges,
    WheelMissing,
    origin,
    url_problem,
)
from compatrix._index._metadata import (
    InvalidCoreMetadata,
    metadata_candidates,
    parse_core_metadata,
    parse_json_metadata,
)
from compatrix._index._pages import DistFile, ProjectPage, media_kind, parse_project_page
from compatrix._index._reduce import ReleaseKey, facts_from_page, group_files, release_key
from compatrix._index._wheel import TAIL_SIZE, WheelProblem, read_wheel_metadata
from compatrix._lock import CoreMetadata, MetadataStatus, PackageFacts
from compatrix._text import plural
from compatrix.errors import PackageIndexError

__all__ = [
    "ACCEPT",
    "MAX_METADATA_SIZE",
    "MAX_PAGE_SIZE",
    "METADATA_RELEASES",
    "Backoff",
    "FetchedPage",
    "IndexClient",
    "IndexCounters",
    "Progress",
]

ACCEPT = (
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
    "text/html;q=0.01"
)
METADATA_ATTEMPTS = 3
"""Wheels of one release tried for core metadata: the best one and two next-best."""
METADATA_RELEASES = 500
"""Releases of one project whose core metadata one run reads at most. Selection asks for
its picks' (a handful per suite), but a page whose every release is a new major would
have it ask for each; the releases past this many are recorded as unavailable."""
MAX_PAGE_SIZE = 64 * MiB
"""The largest project page read, decompressed (``[index] max-page-mib``). PyPI's largest
pages are a few MiB (aiohttp, grpcio: 4 MiB for about 11,000 files)."""
MAX_METADATA_SIZE = 8 * MiB
"""The largest core metadata file read, decompressed (``[index] max-metadata-mib``). Real
METADATA files are at most a few hundred KiB, most of it the long description."""

_PROJECT_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexCounters:
    """What one client did so far."""

    requests: int = 0
    """HTTP requests sent, retries and redirects included."""
    retries: int = 0
    not_modified: int = 0
    """Pages revalidated by a 304 response."""
    cache_hits: int = 0
    """Pages and metadata served from the cache, and remembered metadata 404s."""
    bytes_received: int = 0
    """Response bytes as transferred (compressed)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Progress:
    """Reported to the progress callback when a page or a release's metadata is done."""

    kind: Literal["page", "metadata"]
    name: str
    version: str | None = None
    from_cache: bool = False
    status: MetadataStatus | None = None
    """For metadata: ``ok``, ``no-wheel`` or ``unavailable``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchedPage:
    """A project page as fetched, ready to be summarised."""

    page: ProjectPage
    index_url: str
    """The index URL without credentials (what the lock records)."""
    fetched_at: datetime
    from_cache: bool
    """True when the index answered 304 and the cached page was used."""

    def facts(self, *, as_of: date | None = None) -> PackageFacts:
        """The page's :class:`PackageFacts` (see :func:`facts_from_page`)."""
        return facts_from_page(
            self.page, index_url=self.index_url, fetched_at=self.fetched_at, as_of=as_of
        )


class IndexClient:
    """Reads project pages and core metadata from one Simple API index.

    One instance (one HTTP client, one connection pool) serves a whole run; use it as an
    async context manager. At most ``jobs`` requests are in flight. Each attempt at a
    request (connecting, redirects, reading the whole body) must end within ``timeout``
    seconds, and bodies are read decompressed up to ``max_page_size`` (project pages) or
    ``max_metadata_size`` (core metadata) bytes: a larger one is an error. Connect errors,
    timeouts, truncated bodies, 5xx and 429 responses are retried ``retries`` times with
    exponential backoff (``Retry-After`` honoured); other 4xx are not. ``offline=True``
    turns every request into an error. Credentials come from the index URL's userinfo or
    the netrc file (``$NETRC``) and are sent only to the index's host.

    What does not stop the run (a page's skipped files, a newer minor API version, a
    wheel's unusable METADATA) is collected in :attr:`warnings` for the caller to show.

    ``clock`` gives the time recorded as a page's ``fetched_at`` (a run passes its start
    time); ``wall_clock`` the current time, which ``Retry-After`` dates are measured
    against.
    """

    def __init__(
        self,
        index_url: str = PYPI_SIMPLE,
        *,
        jobs: int = 50,
        timeout: float = 30.0,
        retries: int = 4,
        max_page_size: int = MAX_PAGE_SIZE,
        max_metadata_size: int = MAX_METADATA_SIZE,
        max_metadata_releases: int = METADATA_RELEASES,
        cache: Cache | None = None,
        offline: bool = False,
        env: Mapping[str, str] | None = None,
        progress: Callable[[Progress], None] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], datetime] = _utcnow,
        wall_clock: Callable[[], datetime] = _utcnow,
        backoff: Backoff | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if jobs < 1:
            msg = f"jobs must be at least 1, got {jobs}"
            raise ValueError(msg)
        if timeout <= 0:
            msg = f"timeout must be positive, got {timeout}"
            raise ValueError(msg)
        if retries < 0:
            msg = f"retries must not be negative, got {retries}"
            raise ValueError(msg)
        if max_page_size < 1 or max_metadata_size < 1:
            msg = "max_page_size and max_metadata_size must be at least 1"
            raise ValueError(msg)
        self._env: Mapping[str, str] = os.environ if env is None else env
        url, self._credentials = find_credentials(index_url, self._env)
        self._index_url = url if url.endswith("/") else url + "/"
        self._page_limit = Limit(max_page_size, "the project page", "max-page-mib")
        self._metadata_limit = Limit(max_metadata_size, "the core metadata", "max-metadata-mib")
        self._metadata_releases = max_metadata_releases
        self._metadata_asked: dict[str, int] = {}
        self._cache = cache if cache is not None else Cache.default(self._env)
        self._progress = progress
        self._clock = clock
        self._session = HttpSession(
            jobs=jobs,
            timeout=timeout,
            retries=retries,
            offline=offline,
            env=self._env,
            credentials=self._credentials,
            sleep=sleep,
            wall_clock=wall_clock,
            backoff=backoff,
            transport=transport,
        )
        self._missing: set[str] = set()
        self._no_ranges: set[str] = set()
        """Origins (``scheme://host:port``) found not to answer range requests."""
        self._json_api: dict[str, bool] = {}
        """Per project: whether the index's per-version JSON API answers (None: unknown)."""
        self._json_locks: dict[str, asyncio.Lock] = {}
        self._unread: dict[tuple[str, str], bool] = {}
        """Releases left without metadata, and whether they have wheels."""
        self._warnings: dict[str, None] = {}
        self._extras_memo: dict[str, tuple[str, ...] | None] = {}
        self._groups: dict[
            tuple[int, date | None], tuple[ProjectPage, dict[ReleaseKey, tuple[DistFile, ...]]]
        ] = {}
        self._not_modified = 0
        self._cache_hits = 0

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> IndexClient:
        await self._session.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._session.aclose()

    # --- public ------------------------------------------------------------------------

    @property
    def index_url(self) -> str:
        """The index URL, with a trailing slash and without credentials."""
        return self._index_url

    @property
    def warnings(self) -> tuple[str, ...]:
        """What did not stop the run so far, sorted, each once: the pages' warnings
        (:attr:`ProjectPage.warnings`) and core metadata that was ignored; then, when some
        releases were left without core metadata, one line counting them."""
        unread = self._unread_warning()
        return tuple(sorted(self._warnings)) + ((unread,) if unread else ())

    def _unread_warning(self) -> str | None:
        if not self._unread:
            return None
        with_wheels = sum(self._unread.values())
        without = len(self._unread) - with_wheels
        reasons = []
        if with_wheels:
            reasons.append(f"{with_wheels} with no .metadata file and no readable wheel")
        if without:
            reasons.append(f"{without} with no wheel and no answer from a per-version JSON API")
        return (
            f"core metadata of {plural(len(self._unread), 'release')} wanted by selection could "
            f"not be read ({', '.join(reasons)}): their Pythons are judged without classifiers"
        )

    @property
    def counters(self) -> IndexCounters:
        return IndexCounters(
            requests=self._session.requests,
            retries=self._session.retried,
            not_modified=self._not_modified,
            cache_hits=self._cache_hits,
            bytes_received=self._session.bytes_received,
        )

    def page_url(self, name: str) -> str:
        """The project page URL of ``name`` (normalized, trailing slash)."""
        if _PROJECT_NAME.fullmatch(name) is None:
            msg = f"invalid project name {name!r}"
            raise PackageIndexError(msg)
        return f"{self._index_url}{quote(canonicalize_name(name))}/"

    async def fetch_page(self, name: str) -> FetchedPage:
        """Fetch and parse the project page of ``name``.

        A cached page is revalidated with ``If-None-Match`` and reused on 304. Raises
        :class:`PackageIndexError` for an unknown project, a failure after retries, or a
        malformed page.
        """
        url = self.page_url(name)
        project = canonicalize_name(name)
        cached = self._cache.get_page(url)
        if cached is not None and len(cached.body) > self._page_limit.size:
            cached = None  # stored under a larger limit
        headers = {"Accept": ACCEPT}
        if cached is not None and _is_token(cached.etag):
            headers["If-None-Match"] = cached.etag
        response = await self._session.get(url, headers, self._page_limit)
        fetched_at = self._clock()
        status = response.status
        serial_header = response.headers.get("X-PyPI-Last-Serial")
        revalidated = cached if status == 304 else None
        from_cache = revalidated is not None
        if revalidated is not None:
            self._not_modified += 1
            self._cache_hits += 1
            body, content_type = revalidated.body, revalidated.content_type
            final_url, serial = revalidated.final_url, serial_header or revalidated.serial
        else:
            if status in (404, 410):
                msg = f"package {name!r} not found on index {redact_url(self._index_url)}"
                raise PackageIndexError(msg)
            if status in (401, 403):
                raise self._refused(url, status)
            if status != 200:
                msg = f"cannot fetch {redact_url(url)}: unexpected HTTP {status}"
                raise PackageIndexError(msg)
            content_type = response.headers.get("Content-Type", "")
            if media_kind(content_type) is None:
                msg = (
                    f"{redact_url(url)} answered with Content-Type {content_type!r}, not a "
                    f"Simple API project page: is {redact_url(self._index_url)} a Simple API "
                    "index?"
                )
                raise PackageIndexError(msg)
            body, final_url, serial = response.body, response.url, serial_header
        page = parse_project_page(
            body, content_type=content_type, url=final_url, project=project, last_serial=serial
        )
        etag = response.headers.get("ETag")
        if not from_cache and etag and _is_token(etag):  # sent back as a header: ASCII only
            self._cache.put_page(
                CachedPage(
                    url=url,
                    final_url=final_url,
                    etag=etag,
                    content_type=content_type,
                    body=body,
                    serial=serial_header,
                )
            )
        self._warn(*page.warnings)
        self._report(Progress(kind="page", name=project, from_cache=from_cache))
        return FetchedPage(
            page=page, index_url=self._index_url, fetched_at=fetched_at, from_cache=from_cache
        )

    async def fetch_metadata(
        self, page: ProjectPage, version: str | Version, *, as_of: date | None = None
    ) -> tuple[CoreMetadata | None, MetadataStatus]:
        """The core metadata of one release, and its status.

        From the first source that has it (uploaded before the end of ``as_of``, when
        given):

        1. ``{wheel url}.metadata`` (PEP 658) of the release's best wheel, whether the page
           advertises it or not, verifying the advertised sha256; on 404 (or a file that
           cannot be used) the same of up to two next-best wheels;
        2. the METADATA inside those wheels, read with range requests
           (:func:`read_wheel_metadata`), unless their host ignores range requests;
        3. for a release without wheels but with an sdist, the index's per-version JSON
           API (``{root}/pypi/{name}/{version}/json``, where the index URL is
           ``{root}/simple/``), when the index has one: the first answer for a project
           shows whether it does, for the run.

        ``ok`` with the metadata; else ``no-wheel`` when the release has no wheel,
        ``unavailable`` when every tried wheel's metadata is missing or unusable (not core
        metadata, of another wheel, a single-use field repeated, a value too long, a wheel
        that cannot be read: each such file gives a warning), and for every release of a
        project past the first ``max_metadata_releases`` asked for in this run (with a
        warning). Releases left without metadata are counted in one warning
        (:attr:`warnings`).

        Metadata is cached by its advertised sha256, else by index and URL (the
        ``.metadata`` file's, the wheel's, the JSON document's), and 404s are remembered
        for 7 days.
        """
        files = self._release_files(page, as_of).get(release_key(version), ())
        candidates = metadata_candidates(files)
        sdists = sorted((f for f in files if f.kind == "sdist"), key=_sdist_order)
        metadata: CoreMetadata | None = None
        if candidates or sdists:
            # Counted before the first await: the releases asked first are the ones read.
            asked = self._metadata_asked.get(page.name, 0)
            self._metadata_asked[page.name] = asked + 1
            if asked >= self._metadata_releases:
                self._warn(
                    f"{page.name}: core metadata was wanted for more than "
                    f"{self._metadata_releases} releases; the others are recorded as "
                    "unavailable"
                )
            elif candidates:
                metadata = await self._wheels_metadata(candidates[:METADATA_ATTEMPTS])
            else:
                metadata = await self._release_json(page.name, str(version), sdists[0])
        key = (page.name, str(version))
        status: MetadataStatus
        if metadata is not None:
            status = "ok"
            self._unread.pop(key, None)
        else:
            status = "unavailable" if candidates else "no-wheel"
            self._unread[key] = bool(candidates)
        self._report(Progress(kind="metadata", name=page.name, version=str(version), status=status))
        return metadata, status

    async def fetch_metadata_file(self, wheel: DistFile) -> bytes | None:
        """The raw METADATA of ``wheel`` from its PEP 658 ``.metadata`` file (checked against
        the sha256 the page advertises), else from inside the wheel (range requests), for
        callers that need more than :class:`CoreMetadata` keeps (``init`` reads
        Requires-Dist); None when neither can be read."""
        url = wheel.url + ".metadata"
        if not url.startswith(("https://", "http://")) or url_problem(url) is not None:
            return None
        response = await self._session.get(url, {}, self._metadata_limit)
        if response.status in (403, 404, 410):
            # No .metadata file: the METADATA inside the wheel, with range requests.
            return await self._read_metadata_in_wheel(
                wheel, f"{self._index_url} {redact_url(wheel.url)}"
            )
        if response.status != 200:
            msg = f"cannot fetch core metadata {redact_url(url)}: HTTP {response.status}"
            raise PackageIndexError(msg)
        digest = wheel.core_metadata if isinstance(wheel.core_metadata, str) else None
        if digest is not None and hashlib.sha256(response.body).hexdigest() != digest:
            msg = (
                f"core metadata at {redact_url(url)} does not match the sha256 the index advertised"
            )
            raise PackageIndexError(msg)
        return response.body

    # --- internals ---------------------------------------------------------------------

    def _warn(self, *messages: str) -> None:
        for message in messages:
            self._warnings[message] = None

    def _report(self, event: Progress) -> None:
        if self._progress is not None:
            self._progress(event)

    def _release_files(
        self, page: ProjectPage, as_of: date | None
    ) -> dict[ReleaseKey, tuple[DistFile, ...]]:
        """The page's files by release, grouped once per page and cutoff."""
        memo = self._groups.get((id(page), as_of))
        if memo is not None and memo[0] is page:
            return memo[1]
        groups = group_files(page, as_of=as_of)
        self._groups[id(page), as_of] = (page, groups)  # the page is kept: its id stays valid
        return groups

    def _cached_metadata(
        self,
        parse: Callable[[bytes], CoreMetadata],
        *,
        sha256: str | None = None,
        source: str | None = None,
    ) -> CoreMetadata | None:
        """Metadata the cache holds under ``sha256`` or ``source``, parsed; None on a miss
        (an entry that no longer parses is a miss)."""
        cached = self._cache.get_metadata(sha256=sha256, source=source)
        if cached is None:
            return None
        try:
            metadata = parse(cached)
        except PackageIndexError:
            return None
        self._cache_hits += 1
        return metadata

    def _refused(self, url: str, status: int) -> PackageIndexError:
        if self._credentials is None:
            hint = "no credentials were found in the index URL or the netrc file"
        else:
            hint = f"check the credentials (from {self._credentials.source})"
        return PackageIndexError(f"access to {redact_url(url)} refused (HTTP {status}): {hint}")

    async def _wheels_metadata(self, wheels: Sequence[DistFile]) -> CoreMetadata | None:
        """The metadata of the first of ``wheels`` that gives it: their ``.metadata``
        files first, then the wheels themselves."""
        for inside in (False, True):
            for wheel in wheels:
                metadata = await self._wheel_metadata(wheel, inside=inside)
                if metadata is not None:
                    return metadata
        return None

    async def _wheel_metadata(self, wheel: DistFile, *, inside: bool) -> CoreMetadata | None:
        """The metadata of ``wheel`` from its ``.metadata`` file, or (``inside``) from the
        METADATA inside it; None (with a warning when the file is at fault) when it cannot
        be read. Cached, and a missing file remembered, by its source."""
        url = wheel.url if inside else wheel.url + ".metadata"
        digest = wheel.core_metadata if isinstance(wheel.core_metadata, str) else None
        # What was read from this index at this URL: never what another index served
        # for a wheel its page claims has the same sha256.
        source = f"{self._index_url} {redact_url(url)}"

        def parse(data: bytes) -> CoreMetadata:
            return parse_core_metadata(
                data,
                url=url,
                wheel=wheel.filename,
                advertised=wheel.core_metadata is not False,
                extras_memo=self._extras_memo,
            )

        metadata = self._cached_metadata(parse, sha256=digest, source=source)
        if metadata is not None:
            return metadata
        if source in self._missing or self._cache.is_missing(source):
            self._cache_hits += 1
            return None
        read = self._read_metadata_in_wheel if inside else self._read_metadata_file
        data = await read(wheel, source)
        if data is None:
            return None
        try:
            metadata = parse(data)
        except InvalidCoreMetadata as exc:
            # Only this wheel is at fault: the release's next wheel is tried. Not
            # remembered on disk, so the warning stays until the index is fixed.
            self._warn(f"ignored {exc}")
            self._missing.add(source)
            return None
        self._cache.put_metadata(data, sha256=digest, source=None if digest else source)
        return metadata

    async def _read_metadata_file(self, wheel: DistFile, source: str) -> bytes | None:
        """The bytes of ``wheel``'s ``.metadata`` file (PEP 658), checked against the
        advertised sha256; None when there is none."""
        url = wheel.url + ".metadata"
        if not url.startswith(("https://", "http://")):
            return None
        problem = url_problem(url)
        if problem is not None:
            self._warn(f"cannot read core metadata at {redact_url(url)!r}: {problem}")
            self._missing.add(source)
            return None
        response = await self._session.get(url, {}, self._metadata_limit)
        status = response.status
        if status in (404, 410) or (status == 403 and wheel.core_metadata is False):
            self._missing.add(source)
            self._cache.remember_missing(source, url=redact_url(url))
            return None
        if status != 200:
            msg = f"cannot fetch core metadata {redact_url(url)}: HTTP {status}"
            raise PackageIndexError(msg)
        digest = wheel.core_metadata if isinstance(wheel.core_metadata, str) else None
        if digest is not None and (actual := hashlib.sha256(response.body).hexdigest()) != digest:
            msg = (
                f"core metadata at {redact_url(url)} does not match the sha256 the index "
                f"advertised (expected {digest}, got {actual})"
            )
            raise PackageIndexError(msg)
        return response.body

    async def _read_metadata_in_wheel(self, wheel: DistFile, source: str) -> bytes | None:
        """The bytes of the METADATA inside ``wheel`` (checked against the advertised
        sha256), read with range requests; None (with a warning when the wheel is at
        fault) when they cannot be read."""
        url = wheel.url
        digest = wheel.core_metadata if isinstance(wheel.core_metadata, str) else None
        project, version = wheel.filename[:-4].split("-")[:2]
        host = origin(url)
        if host is None or host in self._no_ranges or url_problem(url) is not None:
            return None  # a URL that cannot be fetched was warned about with its .metadata
        size: list[int] = []

        async def read(start: int, length: int) -> bytes:
            body, total = await self._session.read_range(url, start, length)
            if total != size[0]:
                msg = f"its size changed between two requests ({size[0]}, then {total} bytes)"
                raise WheelProblem(msg)
            return body

        try:
            tail, total = await self._session.read_range(url, None, TAIL_SIZE)
            size.append(total)
            data = await read_wheel_metadata(
                read,
                tail=tail,
                size=total,
                project=project,
                version=version,
                limit=self._metadata_limit.size,
            )
        except WheelMissing:
            self._missing.add(source)
            self._cache.remember_missing(source, url=redact_url(url))
            return None
        except NoRanges as exc:
            if host not in self._no_ranges:
                self._no_ranges.add(host)
                self._warn(
                    f"{host} does not answer range requests as compatrix needs ({exc}): "
                    "core metadata is not read out of its wheels in this run"
                )
            return None
        except WheelProblem as exc:
            # Not remembered on disk, like unusable METADATA: warned about until fixed.
            self._warn(f"cannot read core metadata out of {redact_url(url)}: {exc}")
            self._missing.add(source)
            return None
        if digest is not None and hashlib.sha256(data).hexdigest() != digest:
            self._warn(
                f"ignored the METADATA in {redact_url(url)}: it does not match the sha256 "
                f"the index advertised for its .metadata file ({digest})"
            )
            self._missing.add(source)
            return None
        return data

    async def _release_json(
        self, project: str, version: str, sdist: DistFile
    ) -> CoreMetadata | None:
        """The metadata of an sdist-only release from the index's per-version JSON API,
        when the index has one (see :meth:`fetch_metadata`)."""
        if not self._index_url.endswith("/simple/") or self._json_api.get(project) is False:
            return None
        root = self._index_url[: -len("simple/")]
        url = f"{root}pypi/{quote(project)}/{quote(version, safe='')}/json"
        source = f"{self._index_url} {url}"

        def parse(data: bytes) -> CoreMetadata:
            return parse_json_metadata(
                data,
                url=url,
                sdist=sdist.filename,
                project=project,
                version=version,
                extras_memo=self._extras_memo,
            )

        metadata = self._cached_metadata(parse, source=source)
        if metadata is not None:
            return metadata
        if self._cache.is_missing(source):
            self._cache_hits += 1
            self._json_api[project] = False
            return None
        if self._json_api.get(project) is None:
            # The first request for a project shows whether the API is there: the others
            # wait for it.
            async with self._json_locks.setdefault(project, asyncio.Lock()):
                if self._json_api.get(project) is None:
                    return await self._fetch_release_json(project, url, source, parse)
        if self._json_api.get(project) is False:
            return None
        return await self._fetch_release_json(project, url, source, parse)

    async def _fetch_release_json(
        self, project: str, url: str, source: str, parse: Callable[[bytes], CoreMetadata]
    ) -> CoreMetadata | None:
        try:
            answer = await self._session.get(
                url, {"Accept": "application/json"}, self._metadata_limit
            )
        except PackageIndexError as exc:
            self._json_api[project] = False
            self._warn(f"{project}: the index's JSON API is not used in this run: {exc}")
            return None
        if answer.status != 200:
            # 404 for a release the project page lists: no such API (on this index, or for
            # this project). Whatever the status, the API is optional.
            self._json_api[project] = False
            if answer.status in (404, 410):
                self._cache.remember_missing(source, url=url)
            return None
        try:
            metadata = parse(answer.body)
        except InvalidCoreMetadata as exc:
            self._warn(f"ignored {exc}")
            self._json_api.setdefault(project, False)
            return None
        self._json_api[project] = True
        self._cache.put_metadata(answer.body, source=source)
        return metadata


def _sdist_order(file: DistFile) -> tuple[bool, str]:
    """Non-yanked first, then by file name."""
    return (file.yanked, file.filename)


def _is_token(value: str) -> bool:
    return value.isascii() and value.isprintable() and len(value) <= 1000
