"""The HTTP layer of the index client: one GET with a deadline per attempt, redirects
checked one by one, bodies read within a size limit, retries with backoff, and range
requests into a file."""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

from compatrix import __version__
from compatrix._index._auth import Credentials, IndexAuth, redact_url
from compatrix._index._body import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    Undecodable,
    UnsupportedEncoding,
    describe_size,
    drain,
    read_body,
)
from compatrix._index._transport import ShardedTransport
from compatrix._index._wheel import WheelProblem
from compatrix._text import plural, shorten
from compatrix.errors import PackageIndexError

__all__ = [
    "MAX_REDIRECTS",
    "USER_AGENT",
    "Answer",
    "Backoff",
    "HttpSession",
    "Limit",
    "NoRanges",
    "WheelMissing",
    "origin",
    "url_problem",
]

USER_AGENT = f"compatrix/{__version__} (+https://github.com/compatrix/compatrix)"
MAX_REDIRECTS = 20
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


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


class _Incomplete(Exception):
    """A body shorter than its Content-Length."""


@dataclass(frozen=True, slots=True)
class Limit:
    """How large a body may be, and what to say when it is larger."""

    size: int
    what: str
    option: str


@dataclass(frozen=True, slots=True)
class Answer:
    """A response read within its limits."""

    status: int
    headers: httpx.Headers
    url: str
    """The final URL, after redirects."""
    body: bytes = b""
    """The decoded body of a 200 answer (other bodies are not kept); of a range request,
    the body of a 200 or 206 answer."""
    unread: str | None = None
    """Why the body of a range request's 200 or 206 answer was not read (it is larger
    than asked, or encoded)."""


class HttpSession:
    """GET requests to one index and its file hosts, for one run.

    Use it as an async context manager. At most ``jobs`` requests are in flight. Each
    attempt at a request (connecting, redirects, reading the whole body) must end within
    ``timeout`` seconds. Connect errors, timeouts, truncated bodies, 5xx and 429 responses
    are retried ``retries`` times with exponential backoff (``Retry-After`` honoured, as
    measured against ``wall_clock``); other 4xx are not. ``offline=True`` turns every
    request into an error. ``credentials`` are sent only to the index's host.
    """

    def __init__(
        self,
        *,
        jobs: int,
        timeout: float,
        retries: int,
        offline: bool,
        env: Mapping[str, str],
        credentials: Credentials | None,
        sleep: Callable[[float], Awaitable[object]],
        wall_clock: Callable[[], datetime],
        backoff: Backoff | None,
        transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        self._jobs = jobs
        self._timeout = timeout
        self._retries = retries
        self._offline = offline
        self._env = env
        self._credentials = credentials
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._backoff = backoff if backoff is not None else Backoff()
        self._transport = transport
        self._random = random.Random()  # noqa: S311 - jitter, not cryptography
        self._http: httpx.AsyncClient | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self.requests = 0
        """HTTP requests sent, retries and redirects included."""
        self.retried = 0
        self.bytes_received = 0
        """Response bytes as transferred (compressed)."""

    async def __aenter__(self) -> HttpSession:
        transport = self._transport or ShardedTransport(connections=self._jobs, env=self._env)
        auth = IndexAuth(self._credentials) if self._credentials is not None else None
        self._semaphore = asyncio.Semaphore(self._jobs)
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(None),  # one deadline per attempt instead (see get)
            follow_redirects=False,  # followed by _attempt, which checks each target
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            auth=auth,
            trust_env=False,
            event_hooks={"request": [self._count_request]},
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _count_request(self, request: httpx.Request) -> None:
        self.requests += 1  # every request sent, redirects included

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def get(
        self, url: str, headers: Mapping[str, str], limit: Limit, *, ranged: bool = False
    ) -> Answer:
        """GET with retries; returns the first answer that is not 5xx or 429 (with its
        body read, within ``limit``, when it is a 200).

        ``ranged``: a range request. A 206's body is read too, and a 200 or 206 body
        larger than ``limit`` or encoded is not read but named in :attr:`Answer.unread`
        (a server that ignores ``Range`` sends the whole file: it is not downloaded).
        """
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
                        self._attempt(http, url, headers, limit, ranged=ranged), self._timeout
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
                tries = plural(attempt + 1, "attempt")
                msg = f"cannot fetch {redact_url(url)}: {cause} (gave up after {tries})"
                raise PackageIndexError(msg)
            if delay is None:
                delay = self._backoff.delay(attempt, self._random.random())
            self.retried += 1
            await self._sleep(delay)
            attempt += 1

    async def _attempt(
        self,
        http: httpx.AsyncClient,
        url: str,
        headers: Mapping[str, str],
        limit: Limit,
        *,
        ranged: bool = False,
    ) -> Answer:
        """One attempt: follow redirects (checking each target), read a 200's body (and a
        206's, for a range request)."""
        target: str | httpx.URL = url
        for _ in range(MAX_REDIRECTS + 1):
            problem = url_problem(target)
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
                if ranged and status in (200, 206):
                    return await self._read_range_body(response, limit)
                if status != 200:
                    await drain(response)
                    return Answer(status, response.headers, str(response.url))
                body = await read_body(response, limit.size)
                _check_complete(response)
                return Answer(status, response.headers, str(response.url), body)
            finally:
                self.bytes_received += response.num_bytes_downloaded
                await response.aclose()
        msg = f"cannot fetch {redact_url(url)}: too many redirects"
        raise PackageIndexError(msg)

    @staticmethod
    async def _read_range_body(response: httpx.Response, limit: Limit) -> Answer:
        """The body of a range request's 200 or 206 answer, when it is at most ``limit``
        bytes and not encoded; else the answer without it, saying why."""
        status, headers, final = response.status_code, response.headers, str(response.url)
        encoding = headers.get("Content-Encoding", "").strip().lower()
        if encoding not in ("", "identity"):
            unread = f"it sent the bytes with Content-Encoding {shorten(repr(encoding), 40)}"
            return Answer(status, headers, final, unread=unread)
        try:
            body = await read_body(response, limit.size)
        except BodyTooLarge:
            size = describe_size(limit.size)
            if status == 200:
                unread = f"it sent the whole file for a range of {size}"
            else:
                unread = f"it sent more than the {size} asked for"
            return Answer(status, headers, final, unread=unread)
        _check_complete(response)
        return Answer(status, headers, final, body)

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

    async def read_range(self, url: str, start: int | None, length: int) -> tuple[bytes, int]:
        """``length`` bytes of the file at ``url`` from ``start`` (its last ``length``
        bytes, or all of a shorter file, when ``start`` is None), and the file's size.

        Raises :class:`WheelMissing` (404, 410, 403), :class:`NoRanges` (a server that
        answers otherwise than with the bytes asked for: ``Range`` ignored for a larger
        file, 416, no or another ``Content-Range``) and :class:`WheelProblem` for other
        statuses below 500 (those are retried, then an error).
        """
        spec = f"-{length}" if start is None else f"{start}-{start + length - 1}"
        headers = {"Range": f"bytes={spec}", "Accept-Encoding": "identity"}
        limit = Limit(length, "the range", "max-metadata-mib")
        answer = await self.get(url, headers, limit, ranged=True)
        status = answer.status
        if status in (403, 404, 410):
            raise WheelMissing
        if status == 416:
            msg = f"it answered 'bytes={spec}' with 416 Range Not Satisfiable"
            raise NoRanges(msg)
        if status not in (200, 206):
            msg = f"HTTP {status}"
            raise WheelProblem(msg)
        if answer.unread is not None:
            raise NoRanges(answer.unread)
        body = answer.body
        if status == 200:  # the whole file, small enough to have been read
            total = len(body)
            if start is None:
                return body, total
            if start + length > total:
                msg = f"the wheel is shorter ({total} bytes) than its zip records say"
                raise WheelProblem(msg)
            return body[start : start + length], total
        found = _content_range(answer.headers.get("Content-Range", ""))
        if found is None:
            msg = "it answered 206 without a usable Content-Range"
            raise NoRanges(msg)
        first, last, total = found
        if start is None:
            expected = (max(0, total - length), total - 1)
        else:
            expected = (start, min(start + length, total) - 1)
        if (first, last) != expected or len(body) != last - first + 1:
            msg = f"it answered 'bytes={spec}' with bytes {first}-{last}/{total}"
            raise NoRanges(msg)
        if start is not None and last != start + length - 1:
            msg = f"the wheel is shorter ({total} bytes) than its zip records say"
            raise WheelProblem(msg)
        return body, total


class WheelMissing(Exception):
    """The wheel itself is not there (404, 410, 403)."""


class NoRanges(Exception):
    """The wheel's host does not answer range requests with the bytes asked for."""


_CONTENT_RANGE = re.compile(r"bytes ([0-9]{1,20})-([0-9]{1,20})/([0-9]{1,20})")


def _content_range(value: str) -> tuple[int, int, int] | None:
    """``(first, last, total)`` of a ``Content-Range: bytes first-last/total``; None when it
    is absent, has no total, or does not add up."""
    match = _CONTENT_RANGE.fullmatch(value.strip())
    if match is None:
        return None
    first, last, total = (int(g) for g in match.groups())
    if not first <= last < total:
        return None
    return first, last, total


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url`` (without credentials); None when not a URL."""
    try:
        parsed = httpx.URL(url)
        return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
    except (httpx.InvalidURL, ValueError, UnicodeDecodeError):
        return None


def _check_complete(response: httpx.Response) -> None:
    """Raise :class:`_Incomplete` when a GET's body (200 or 206) is shorter than its
    Content-Length."""
    expected = response.headers.get("Content-Length")
    received = response.num_bytes_downloaded
    if expected is not None and expected.isdigit() and received != int(expected):
        msg = f"incomplete body: got {received} of {expected} bytes"
        raise _Incomplete(msg)


def url_problem(url: str | httpx.URL) -> str | None:
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
