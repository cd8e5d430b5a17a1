"""The package-index client: project pages and core metadata over HTTP (async)."""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import os
import random
import re
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from types import TracebackType
from typing import Literal
from urllib.parse import quote

import httpx
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix import __version__
from compatrix._index._auth import PYPI_SIMPLE, Credentials, IndexAuth, find_credentials, redact_url
from compatrix._index._body import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    MiB,
    Undecodable,
    UnsupportedEncoding,
    describe_size,
    drain,
    read_body,
)
from compatrix._index._cache import Cache, CachedPage
from compatrix._index._metadata import (
    InvalidCoreMetadata,
    metadata_candidates,
    parse_core_metadata,
)
from compatrix._index._pages import (
    DistFile,
    ProjectPage,
    media_kind,
    parse_project_page,
    shorten,
)
from compatrix._index._reduce import ReleaseKey, facts_from_page, group_files, release_key
from compatrix._index._transport import ShardedTransport
from compatrix._lock import CoreMetadata, MetadataStatus, PackageFacts
from compatrix.errors import PackageIndexError

__all__ = [
    "ACCEPT",
    "MAX_METADATA_SIZE",
    "MAX_PAGE_SIZE",
    "MAX_REDIRECTS",
    "METADATA_RELEASES",
    "USER_AGENT",
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
USER_AGENT = f"compatrix/{__version__} (+https://github.com/compatrix/compatrix)"
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
MAX_REDIRECTS = 20
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_PROJECT_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True, kw_only=True)
class Backoff:
    """Delays between attempts: ``first * 2**n`` capped at ``maximum``, times a random
    factor in [0.5, 1.5) when ``jitter``. A ``Retry-After`` header (seconds or HTTP date)
    replaces the computed delay, capped at ``retry_after_max``."""

    first: float = 0.5
    maximum: float = 30.0
    retry_after_max: float = 120.0
    jitter: bool = True

    def delay(self, attempt: int, rand: float) -> float:
        value = min(self.maximum, self.first * 2.0**attempt)
        if self.jitter:
            value = min(self.maximum, value * (0.5 + rand))
        return value


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

    @property
    def serial(self) -> int | None:
        return self.page.serial

    def facts(self, *, as_of: date | None = None) -> PackageFacts:
        """The page's :class:`PackageFacts` (see :func:`facts_from_page`)."""
        return facts_from_page(
            self.page, index_url=self.index_url, fetched_at=self.fetched_at, as_of=as_of
        )


class _Incomplete(Exception):
    """A body shorter than its Content-Length."""


@dataclass(frozen=True, slots=True)
class _Limit:
    """How large a body may be, and what to say when it is larger."""

    size: int
    what: str
    option: str


@dataclass(frozen=True, slots=True)
class _Answer:
    """A response read within its limits."""

    status: int
    headers: httpx.Headers
    url: str
    """The final URL, after redirects."""
    body: bytes = b""
    """The decoded body of a 200 answer (other bodies are not kept)."""


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
        self._jobs = jobs
        self._timeout = timeout
        self._retries = retries
        self._page_limit = _Limit(max_page_size, "the project page", "max-page-mib")
        self._metadata_limit = _Limit(max_metadata_size, "the core metadata", "max-metadata-mib")
        self._metadata_releases = max_metadata_releases
        self._metadata_asked: dict[str, int] = {}
        self._cache = cache if cache is not None else Cache.default(self._env)
        self._offline = offline
        self._progress = progress
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._backoff = backoff if backoff is not None else Backoff()
        self._transport = transport
        self._random = random.Random()  # noqa: S311 - jitter, not cryptography
        self._http: httpx.AsyncClient | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self._missing: set[str] = set()
        self._warnings: dict[str, None] = {}
        self._extras_memo: dict[str, tuple[str, ...] | None] = {}
        self._groups: dict[
            tuple[int, date | None], tuple[ProjectPage, dict[ReleaseKey, tuple[DistFile, ...]]]
        ] = {}
        self._requests = 0
        self._retried = 0
        self._not_modified = 0
        self._cache_hits = 0
        self._bytes = 0

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> IndexClient:
        transport = self._transport or ShardedTransport(connections=self._jobs, env=self._env)
        auth = IndexAuth(self._credentials) if self._credentials is not None else None
        self._semaphore = asyncio.Semaphore(self._jobs)
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(None),  # one deadline per attempt instead (see _get)
            follow_redirects=False,  # followed by _attempt, which checks each target
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            auth=auth,
            trust_env=False,
            event_hooks={"request": [self._count_request]},
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _count_request(self, request: httpx.Request) -> None:
        self._requests += 1  # every request sent, redirects included

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # --- public ------------------------------------------------------------------------

    @property
    def index_url(self) -> str:
        """The index URL, with a trailing slash and without credentials."""
        return self._index_url

    @property
    def credentials(self) -> Credentials | None:
        return self._credentials

    @property
    def warnings(self) -> tuple[str, ...]:
        """What did not stop the run so far, sorted, each once: the pages' warnings
        (:attr:`ProjectPage.warnings`) and core metadata that was ignored."""
        return tuple(sorted(self._warnings))

    @property
    def counters(self) -> IndexCounters:
        return IndexCounters(
            requests=self._requests,
            retries=self._retried,
            not_modified=self._not_modified,
            cache_hits=self._cache_hits,
            bytes_received=self._bytes,
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
        response = await self._get(url, headers, self._page_limit)
        fetched_at = self._clock()
        status = response.status
        serial_header = response.headers.get("X-PyPI-Last-Serial")
        if status == 304 and cached is not None:
            self._not_modified += 1
            self._cache_hits += 1
            page = parse_project_page(
                cached.body,
                content_type=cached.content_type,
                url=cached.final_url,
                project=project,
                last_serial=serial_header or cached.serial,
            )
            self._warn(*page.warnings)
            self._report(Progress(kind="page", name=project, from_cache=True))
            return FetchedPage(
                page=page, index_url=self._index_url, fetched_at=fetched_at, from_cache=True
            )
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
                f"{redact_url(url)} answered with Content-Type {content_type!r}, not a Simple "
                f"API project page: is {redact_url(self._index_url)} a Simple API index?"
            )
            raise PackageIndexError(msg)
        final_url = response.url
        page = parse_project_page(
            response.body,
            content_type=content_type,
            url=final_url,
            project=project,
            last_serial=serial_header,
        )
        etag = response.headers.get("ETag")
        if etag and _is_token(etag):  # sent back as a header: printable ASCII only
            self._cache.put_page(
                CachedPage(
                    url=url,
                    final_url=final_url,
                    etag=etag,
                    content_type=content_type,
                    body=response.body,
                    serial=serial_header,
                )
            )
        self._warn(*page.warnings)
        self._report(Progress(kind="page", name=project))
        return FetchedPage(
            page=page, index_url=self._index_url, fetched_at=fetched_at, from_cache=False
        )

    async def fetch_metadata(
        self, page: ProjectPage, version: str | Version, *, as_of: date | None = None
    ) -> tuple[CoreMetadata | None, MetadataStatus]:
        """The core metadata of one release, and its status.

        Reads ``{wheel url}.metadata`` (PEP 658) of the release's best wheel, whether the
        page advertises it or not, verifying the advertised sha256; on 404 tries up to two
        next-best wheels. ``no-wheel`` when the release has no wheel (uploaded before the
        end of ``as_of``, when given), ``unavailable`` when every tried wheel's metadata is
        missing or unusable (not core metadata, of another wheel, a single-use field
        repeated: each such file gives a warning), and for every release of a project past
        the first ``max_metadata_releases`` asked for in this run (with a warning).
        Metadata is cached by its advertised sha256, else by index and URL, and 404s are
        remembered for 7 days.
        """
        files = self._release_files(page, as_of).get(release_key(version), ())
        candidates = metadata_candidates(files)
        result: tuple[CoreMetadata | None, MetadataStatus] = (None, "no-wheel")
        if candidates:
            result = (None, "unavailable")
            # Counted before the first await: the releases asked first are the ones read.
            asked = self._metadata_asked.get(page.name, 0)
            if asked >= self._metadata_releases:
                self._warn(
                    f"{page.name}: core metadata was wanted for more than "
                    f"{self._metadata_releases} releases; the others are recorded as "
                    "unavailable"
                )
                candidates = []
            self._metadata_asked[page.name] = asked + 1
            for wheel in candidates[:METADATA_ATTEMPTS]:
                metadata = await self._wheel_metadata(
                    wheel.url, wheel.filename, wheel.core_metadata
                )
                if metadata is not None:
                    result = (metadata, "ok")
                    break
        self._report(
            Progress(kind="metadata", name=page.name, version=str(version), status=result[1])
        )
        return result

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

    def _refused(self, url: str, status: int) -> PackageIndexError:
        if self._credentials is None:
            hint = "no credentials were found in the index URL or the netrc file"
        else:
            hint = f"check the credentials (from {self._credentials.source})"
        return PackageIndexError(f"access to {redact_url(url)} refused (HTTP {status}): {hint}")

    async def _wheel_metadata(
        self, wheel_url: str, filename: str, advertised: bool | str
    ) -> CoreMetadata | None:
        url = wheel_url + ".metadata"
        digest = advertised if isinstance(advertised, str) else None
        is_advertised = advertised is not False
        # What was read from this index at this URL: never what another index served
        # for a wheel its page claims has the same sha256.
        source = f"{self._index_url} {redact_url(url)}"

        def parse(data: bytes) -> CoreMetadata:
            return parse_core_metadata(
                data,
                url=url,
                wheel=filename,
                advertised=is_advertised,
                extras_memo=self._extras_memo,
            )

        cached = self._cache.get_metadata(sha256=digest, source=source)
        if cached is not None:
            try:
                metadata = parse(cached)
            except PackageIndexError:
                pass  # a bad entry is a miss
            else:
                self._cache_hits += 1
                return metadata
        if source in self._missing or self._cache.is_missing(source):
            self._cache_hits += 1
            return None
        if not url.startswith(("https://", "http://")):
            return None
        problem = _url_problem(url)
        if problem is not None:
            self._warn(f"cannot read core metadata at {redact_url(url)!r}: {problem}")
            self._missing.add(source)
            return None
        response = await self._get(url, {}, self._metadata_limit)
        status = response.status
        if status in (404, 410) or (status == 403 and not is_advertised):
            self._missing.add(source)
            self._cache.remember_missing(source, url=redact_url(url))
            return None
        if status != 200:
            msg = f"cannot fetch core metadata {redact_url(url)}: HTTP {status}"
            raise PackageIndexError(msg)
        data = response.body
        if digest is not None:
            actual = hashlib.sha256(data).hexdigest()
            if actual != digest:
                msg = (
                    f"core metadata at {redact_url(url)} does not match the sha256 the index "
                    f"advertised (expected {digest}, got {actual})"
                )
                raise PackageIndexError(msg)
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

    async def _get(self, url: str, headers: Mapping[str, str], limit: _Limit) -> _Answer:
        """GET with retries; returns the first answer that is not 5xx or 429 (with its
        body read, within ``limit``, when it is a 200)."""
        if self._offline:
            msg = f"cannot fetch {redact_url(url)}: network access is disabled (offline)"
            raise PackageIndexError(msg)
        http, semaphore = self._http, self._semaphore
        if http is None or semaphore is None:
            msg = "IndexClient used outside 'async with'"
            raise RuntimeError(msg)
        attempt = 0
        while True:
            delay: float | None = None
            try:
                async with semaphore:
                    # The whole attempt, from connecting to the body's last byte, within
                    # one deadline: httpx's timeouts bound each read, not the total.
                    answer = await asyncio.wait_for(
                        self._attempt(http, url, headers, limit), self._timeout
                    )
            except (_Incomplete, Undecodable) as exc:
                cause = str(exc)
            except (asyncio.TimeoutError, httpx.TimeoutException):
                cause = f"timed out after {self._timeout:g} s"
            except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.DecodingError) as exc:
                cause = _describe(exc)
                if _is_certificate_error(exc):
                    msg = f"cannot connect to {redact_url(url)}: {cause}"
                    raise PackageIndexError(msg) from None
            except httpx.HTTPError as exc:
                msg = f"cannot fetch {redact_url(url)}: {_describe(exc)}"
                raise PackageIndexError(msg) from None
            except BodyTooLarge:
                msg = (
                    f"cannot fetch {redact_url(url)}: {limit.what} is larger than "
                    f"{describe_size(limit.size)}, the limit set by [index] {limit.option}"
                )
                raise PackageIndexError(msg) from None
            except UnsupportedEncoding as exc:
                msg = f"cannot fetch {redact_url(url)}: {exc}"
                raise PackageIndexError(msg) from None
            else:
                status = answer.status
                if status != 429 and status < 500:
                    return answer
                cause = f"HTTP {status}"
                delay = self._retry_after(answer.headers)
            if attempt >= self._retries:
                tries = "1 attempt" if attempt == 0 else f"{attempt + 1} attempts"
                msg = f"cannot fetch {redact_url(url)}: {cause} (gave up after {tries})"
                raise PackageIndexError(msg)
            if delay is None:
                delay = self._backoff.delay(attempt, self._random.random())
            self._retried += 1
            await self._sleep(delay)
            attempt += 1

    async def _attempt(
        self, http: httpx.AsyncClient, url: str, headers: Mapping[str, str], limit: _Limit
    ) -> _Answer:
        """One attempt: follow redirects (checking each target), read a 200's body."""
        target: str | httpx.URL = url
        for _ in range(MAX_REDIRECTS + 1):
            problem = _url_problem(target)
            if problem is not None:
                if target is url:
                    msg = f"cannot fetch {shorten(repr(redact_url(url)))}: {problem}"
                else:
                    shown = shorten(repr(redact_url(str(target))), 200)
                    msg = f"cannot fetch {redact_url(url)}: it redirects to {shown}: {problem}"
                raise PackageIndexError(msg)
            request = http.build_request("GET", target, headers=headers)
            try:
                response = await http.send(request, stream=True)
            except (httpx.InvalidURL, httpx.RemoteProtocolError) as exc:
                # httpx reads a redirect's Location even when not following it.
                if isinstance(exc, httpx.RemoteProtocolError) and "location" not in str(exc):
                    raise
                problem = shorten("".join(c if c.isprintable() else "?" for c in str(exc)), 200)
                msg = f"cannot fetch {redact_url(url)}: it redirects to an invalid URL ({problem})"
                raise PackageIndexError(msg) from None
            try:
                status = response.status_code
                redirect = response.next_request
                if status in _REDIRECT_STATUSES and redirect is not None:
                    await drain(response)
                    target = redirect.url
                    continue
                if status != 200:
                    await drain(response)
                    return _Answer(status, response.headers, str(response.url))
                body = await read_body(response, limit.size)
                _check_complete(response)
                return _Answer(status, response.headers, str(response.url), body)
            finally:
                self._bytes += response.num_bytes_downloaded
                await response.aclose()
        msg = f"cannot fetch {redact_url(url)}: too many redirects"
        raise PackageIndexError(msg)

    def _retry_after(self, headers: httpx.Headers) -> float | None:
        value = headers.get("Retry-After")
        if value is None:
            return None
        value = value.strip()
        seconds: float
        if value.isascii() and value.isdigit():
            seconds = float(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            seconds = (when - self._wall_clock()).total_seconds()
        return max(0.0, min(seconds, self._backoff.retry_after_max))


def _check_complete(response: httpx.Response) -> None:
    expected = response.headers.get("Content-Length")
    if expected is None or not expected.isdigit() or response.status_code in (204, 304):
        return
    if response.request.method == "HEAD":
        return
    received = response.num_bytes_downloaded
    if received != int(expected):
        msg = f"incomplete body: got {received} of {expected} bytes"
        raise _Incomplete(msg)


def _is_token(value: str) -> bool:
    return value.isascii() and value.isprintable() and len(value) <= 1000


def _url_problem(url: str | httpx.URL) -> str | None:
    """Why ``url`` cannot be fetched (not http(s), no host, a port out of range), or None."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        port = parsed.port
    except (httpx.InvalidURL, ValueError) as exc:
        return f"not a valid URL ({exc})"
    if parsed.scheme not in {"http", "https"}:
        return "not an http or https URL"
    if not parsed.host:
        return "the URL has no host"
    if port is not None and not 0 < port < 65536:
        return f"port {port} is out of range"
    return None


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def _is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
