"""An httpx transport that spreads connections over small connection pools.

httpcore's pool schedules requests in time proportional to queued requests x connections,
so one pool of 50 connections costs milliseconds of CPU per request. Many pools of a few
connections each, with every request sent to the least busy pool, keep that cost flat.
All pools share one SSL context (creating one costs tens of milliseconds).
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import httpx

from compatrix._index._auth import redact_url
from compatrix.errors import PackageIndexError

__all__ = ["ShardedTransport", "is_loopback", "proxy_for"]


@dataclass(slots=True)
class _Shard:
    transport: httpx.AsyncHTTPTransport
    busy: int = 0


class _TrackedStream(httpx.AsyncByteStream):
    """A response body that gives its pool's slot back when closed."""

    def __init__(self, stream: httpx.AsyncByteStream, shard: _Shard) -> None:
        self._stream = stream
        self._shard: _Shard | None = shard

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._shard is not None:
                self._shard.busy -= 1
                self._shard = None


class ShardedTransport(httpx.AsyncBaseTransport):
    """Up to ``connections`` connections, in pools of ``per_shard``; requests go to the
    least busy pool (the first on ties, so an idle client reuses few connections).

    Proxies come from ``env`` (``https_proxy``, ``http_proxy``, ``all_proxy``,
    ``no_proxy``, in either case), as httpx does for clients without a custom transport.
    """

    def __init__(
        self,
        *,
        connections: int = 50,
        per_shard: int = 4,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if connections < 1 or per_shard < 1:
            msg = "connections and per_shard must be at least 1"
            raise ValueError(msg)
        self._ssl_context = httpx.create_ssl_context()
        self._per_shard = per_shard
        self._max_shards = -(-connections // per_shard)
        self._env = dict(env or {})
        self._routes: dict[str | None, list[_Shard]] = {}

    @property
    def shard_count(self) -> int:
        return sum(len(shards) for shards in self._routes.values())

    def _new_shard(self, proxy: str | None) -> _Shard:
        limits = httpx.Limits(
            max_connections=self._per_shard, max_keepalive_connections=self._per_shard
        )
        try:
            transport = httpx.AsyncHTTPTransport(
                verify=self._ssl_context, limits=limits, proxy=proxy, trust_env=False
            )
        except ImportError as exc:  # a socks proxy without the socksio package
            msg = f"cannot use the proxy {redact_url(proxy or '')}: {exc}"
            raise PackageIndexError(msg) from None
        return _Shard(transport)

    def _pick(self, proxy: str | None) -> _Shard:
        shards = self._routes.setdefault(proxy, [])
        best: _Shard | None = None
        for shard in shards:
            if best is None or shard.busy < best.busy:
                best = shard
                if shard.busy == 0:
                    break
        if best is None or (best.busy >= self._per_shard and len(shards) < self._max_shards):
            best = self._new_shard(proxy)
            shards.append(best)
        return best

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        shard = self._pick(proxy_for(request.url, self._env))
        shard.busy += 1
        try:
            response = await shard.transport.handle_async_request(request)
        except BaseException:
            shard.busy -= 1
            raise
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_TrackedStream(stream, shard),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        for shards in self._routes.values():
            for shard in shards:
                await shard.transport.aclose()


def is_loopback(host: str) -> bool:
    """True for ``localhost`` (and its subdomains) and every loopback address: all of
    127.0.0.0/8, ``::1``, and IPv4 loopback mapped into IPv6."""
    host = host.lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _env(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name.lower()) or env.get(name.upper()) or None


def proxy_for(url: httpx.URL, env: Mapping[str, str]) -> str | None:
    """The proxy URL for a request to ``url`` under the proxy variables of ``env``.

    Loopback hosts (:func:`is_loopback`) are never proxied.
    """
    proxy = _env(env, f"{url.scheme}_proxy") or _env(env, "all_proxy")
    if proxy is None:
        return None
    host = url.host.lower()
    if is_loopback(host):
        return None
    for entry in (_env(env, "no_proxy") or "").split(","):
        pattern = entry.strip().lower()
        if not pattern:
            continue
        if pattern == "*":
            return None
        pattern_host, _, pattern_port = pattern.partition(":")
        if pattern_port and url.port is not None and pattern_port != str(url.port):
            continue
        pattern_host = pattern_host.lstrip(".").lstrip("*").lstrip(".")
        if host == pattern_host or host.endswith("." + pattern_host):
            return None
    if "://" not in proxy:
        proxy = "http://" + proxy
    return proxy
