"""The index client against a real HTTP server on loopback."""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest
from tests.index_server import IndexServer

from compatrix import __version__
from compatrix._index import (
    ACCEPT,
    Backoff,
    Cache,
    FetchedPage,
    IndexClient,
    Progress,
    ShardedTransport,
)
from compatrix.errors import PackageIndexError

DATA = Path(__file__).parent.parent / "data" / "index"
PAGE = "/simple/demo/"
ML = "manylinux_2_17_x86_64.manylinux2014_x86_64"
T = TypeVar("T")


class Sleeps:
    """An injected ``sleep`` that records the delays asked for and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def make_client(
    url: str, cache_dir: Path, *, sleeps: Sleeps | None = None, **kwargs: Any
) -> IndexClient:
    options: dict[str, Any] = {
        "jobs": 4,
        "timeout": 5.0,
        "retries": 2,
        "env": {},
        "sleep": sleeps or Sleeps(),
        "backoff": Backoff(jitter=False),
        "cache": Cache(cache_dir),
    }
    options.update(kwargs)
    return IndexClient(url, **options)


def run(client: IndexClient, work: Callable[[IndexClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with client:
            return await work(client)

    return asyncio.run(main())


def fetch(client: IndexClient, name: str = "demo") -> FetchedPage:
    return run(client, lambda c: c.fetch_page(name))


def error_of(client: IndexClient, work: Callable[[IndexClient], Awaitable[object]]) -> str:
    with pytest.raises(PackageIndexError) as info:
        run(client, work)
    return str(info.value)


# --- pages ------------------------------------------------------------------------------


def test_fetch_json_page(server: IndexServer, cache_dir: Path) -> None:
    client = make_client(server.index_url, cache_dir)
    fetched = fetch(client)
    assert fetched.from_cache is False
    assert fetched.index_url == server.index_url
    assert fetched.page.url == server.index_url + "demo/"
    assert fetched.page.serial == 12345
    wheel = next(f for f in fetched.page.files if f.filename == "demo-1.0.0-py3-none-any.whl")
    assert wheel.url == f"{server.url}/files/demo-1.0.0-py3-none-any.whl"
    facts = fetched.facts()
    assert facts.index == server.index_url and facts.fetched_at == fetched.fetched_at
    assert facts.release("1.1.0") is not None
    (request,) = server.log
    assert request.path == PAGE
    assert request.headers["accept"] == ACCEPT
    assert request.headers["user-agent"] == (
        f"compatrix/{__version__} (+https://github.com/compatrix/compatrix)"
    )
    counters = client.counters
    assert (counters.requests, counters.retries, counters.not_modified) == (1, 0, 0)
    assert counters.bytes_received > 1000


def test_html_fallback(cache_dir: Path) -> None:
    with IndexServer(DATA, html_only=True) as server:
        html = fetch(make_client(server.index_url, cache_dir)).facts()
    with IndexServer(DATA) as server:
        json = fetch(make_client(server.index_url, cache_dir / "2")).facts()
    assert html.api_version == "1.0"

    def summary(facts: Any) -> list[tuple[Any, ...]]:
        return [(r.version, r.files, r.sdist, r.wheel_tags, r.yanked) for r in facts.releases]

    # HTML has no PEP 700 version list, so versions without files are unknown.
    assert summary(html) == [s for s in summary(json) if s[1] > 0]


def test_non_normalized_name_and_redirects(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, status=301, headers={"Location": "/simple/Demo"})
    client = make_client(server.index_url, cache_dir)
    fetched = fetch(client, "DEMO")
    assert fetched.page.name == "demo"
    assert client.counters.requests == 3
    assert server.paths() == [PAGE, "/simple/Demo", PAGE]
    assert fetched.page.url == server.index_url + "demo/"


def test_not_modified_uses_the_cache(server: IndexServer, cache_dir: Path) -> None:
    first = fetch(make_client(server.index_url, cache_dir))
    client = make_client(server.index_url, cache_dir)
    second = fetch(client)
    assert second.from_cache is True
    assert second.page == first.page
    etag = server.log[0].headers.get("if-none-match")
    assert etag is None
    assert server.log[1].headers["if-none-match"].startswith('"')
    assert [r.status for r in server.log] == [200, 304]
    assert (client.counters.not_modified, client.counters.cache_hits) == (1, 1)


def test_no_cache_sends_no_validator(server: IndexServer, cache_dir: Path) -> None:
    fetch(make_client(server.index_url, cache_dir, cache=Cache.disabled()))
    fetch(make_client(server.index_url, cache_dir, cache=Cache.disabled()))
    assert [r.status for r in server.log] == [200, 200]


def test_retries_server_errors_with_backoff(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, status=500, times=2)
    sleeps = Sleeps()
    client = make_client(server.index_url, cache_dir, sleeps=sleeps)
    assert fetch(client).page.name == "demo"
    assert [r.status for r in server.log] == [500, 500, 200]
    assert sleeps.delays == [0.5, 1.0]
    assert (client.counters.requests, client.counters.retries) == (3, 2)


def test_gives_up_after_retries(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, status=503, times=None)
    sleeps = Sleeps()
    message = error_of(
        make_client(server.index_url, cache_dir, sleeps=sleeps), lambda c: c.fetch_page("demo")
    )
    assert message == (f"cannot fetch {server.index_url}demo/: HTTP 503 (gave up after 3 attempts)")
    assert sleeps.delays == [0.5, 1.0]


def test_backoff_jitter_and_cap() -> None:
    backoff = Backoff(first=1.0, maximum=5.0)
    assert backoff.delay(0, 0.0) == 0.5 and backoff.delay(0, 0.999) == pytest.approx(1.499)
    assert backoff.delay(10, 0.9) == 5.0
    assert Backoff(jitter=False, maximum=3.0).delay(5, 0.3) == 3.0


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        pytest.param("3", 3.0, id="seconds"),
        pytest.param("http-date", 7.0, id="http-date"),
        pytest.param("100000", 120.0, id="capped"),
        pytest.param("soon", 0.5, id="unparseable-uses-backoff"),
    ],
)
def test_429_honours_retry_after(
    server: IndexServer, cache_dir: Path, retry_after: str, expected: float
) -> None:
    clock = Clock()
    if retry_after == "http-date":
        retry_after = email.utils.format_datetime(clock.now + timedelta(seconds=7), usegmt=True)
    server.fail(PAGE, status=429, headers={"Retry-After": retry_after})
    sleeps = Sleeps()
    fetch(make_client(server.index_url, cache_dir, sleeps=sleeps, wall_clock=clock))
    assert sleeps.delays == [expected]
    assert [r.status for r in server.log] == [429, 200]


@pytest.mark.parametrize("status", [404, 403, 401, 400])
def test_no_retry_on_client_errors(server: IndexServer, cache_dir: Path, status: int) -> None:
    server.fail(PAGE, status=status, times=None)
    sleeps = Sleeps()
    message = error_of(
        make_client(server.index_url, cache_dir, sleeps=sleeps), lambda c: c.fetch_page("demo")
    )
    assert len(server.log) == 1 and sleeps.delays == []
    if status == 404:
        assert message == f"package 'demo' not found on index {server.index_url}"
    elif status in (401, 403):
        assert f"refused (HTTP {status})" in message and "no credentials" in message
    else:
        assert "HTTP 400" in message


def test_unknown_project(server: IndexServer, cache_dir: Path) -> None:
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("nope"))
    assert message == f"package 'nope' not found on index {server.index_url}"


def test_truncated_body_is_retried(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, truncate=True)
    client = make_client(server.index_url, cache_dir)
    assert fetch(client).page.name == "demo"
    assert client.counters.retries == 1
    assert len(server.log) == 2


def test_always_truncated_body_fails_clearly(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, truncate=True, times=None)
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("demo"))
    assert message.startswith(f"cannot fetch {server.index_url}demo/: ")
    assert "RemoteProtocolError" in message or "incomplete body" in message
    assert message.endswith("(gave up after 3 attempts)")


def test_timeout_fails_after_retries(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, delay=1.0, times=None)
    sleeps = Sleeps()
    client = make_client(server.index_url, cache_dir, sleeps=sleeps, timeout=0.2, retries=1)
    message = error_of(client, lambda c: c.fetch_page("demo"))
    assert message == (
        f"cannot fetch {server.index_url}demo/: timed out after 0.2 s (gave up after 2 attempts)"
    )
    assert len(sleeps.delays) == 1 and client.counters.requests == 2


def test_connection_refused_names_the_url(cache_dir: Path) -> None:
    with IndexServer(DATA) as server:
        url = server.index_url
    message = error_of(make_client(url, cache_dir, retries=1), lambda c: c.fetch_page("demo"))
    assert message.startswith(f"cannot fetch {url}demo/: ConnectError")
    assert message.endswith("(gave up after 2 attempts)")


def test_wrong_content_type(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, body=b"{}", headers={"Content-Type": "application/json"})
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("demo"))
    assert "Content-Type 'application/json'" in message and f"{server.index_url}demo/" in message


def test_malformed_page_names_the_url(server: IndexServer, cache_dir: Path) -> None:
    server.fail(
        PAGE, body=b'{"meta": {"api-version": "2.0"}}', headers={"Content-Type": ACCEPT[:35]}
    )
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("demo"))
    assert f"{server.index_url}demo/" in message and "2.0" in message


def test_offline_makes_no_request(server: IndexServer, cache_dir: Path) -> None:
    fetched = fetch(make_client(server.index_url, cache_dir))  # a cached page is not enough
    server.clear_log()
    client = make_client(server.index_url, cache_dir, offline=True)
    message = error_of(client, lambda c: c.fetch_page("demo"))
    assert "offline" in message and f"{server.index_url}demo/" in message
    message = error_of(client, lambda c: c.fetch_metadata(fetched.page, "1.3.0"))
    assert "offline" in message
    assert server.log == []


def test_concurrency_is_bounded(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, delay=0.2, times=None)

    async def many(client: IndexClient) -> list[FetchedPage]:
        return await asyncio.gather(*(client.fetch_page("demo") for _ in range(12)))

    client = make_client(server.index_url, cache_dir, jobs=3, cache=Cache.disabled())
    pages = run(client, many)
    assert len(pages) == 12 and server.max_in_flight == 3


def test_sharded_transport_spreads_connections(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, delay=0.2, times=None)
    transport = ShardedTransport(connections=10, per_shard=4)

    async def many(client: IndexClient) -> list[FetchedPage]:
        return await asyncio.gather(*(client.fetch_page("demo") for _ in range(20)))

    client = make_client(
        server.index_url, cache_dir, jobs=10, cache=Cache.disabled(), transport=transport
    )
    assert len(run(client, many)) == 20
    assert transport.shard_count == 3  # 10 connections in pools of 4
    assert server.max_in_flight == 10


def test_progress_and_counters(server: IndexServer, cache_dir: Path) -> None:
    events: list[Progress] = []

    async def work(client: IndexClient) -> None:
        fetched = await client.fetch_page("demo")
        await client.fetch_metadata(fetched.page, "1.0.0")

    run(make_client(server.index_url, cache_dir, progress=events.append), work)
    assert events == [
        Progress(kind="page", name="demo"),
        Progress(kind="metadata", name="demo", version="1.0.0", status="ok"),
    ]


# --- credentials ------------------------------------------------------------------------


def test_credentials_from_the_url(cache_dir: Path) -> None:
    with IndexServer(DATA, auth=("alice", "s3cret")) as server:
        url = server.index_url.replace("http://", "http://alice:s3cret@")
        client = make_client(url, cache_dir)
        fetched = fetch(client)
        assert client.index_url == server.index_url
        assert fetched.index_url == server.index_url
        assert all(r.status == 200 for r in server.log)
        meta = run(client, lambda c: c.fetch_metadata(fetched.page, "1.0.0"))
        assert meta[1] == "ok"
        message = error_of(make_client(url, cache_dir), lambda c: c.fetch_page("missing"))
    assert "s3cret" not in message and "alice" not in message
    assert message == f"package 'missing' not found on index {server.index_url}"


def test_wrong_credentials_are_not_shown(cache_dir: Path) -> None:
    with IndexServer(DATA, auth=("alice", "s3cret")) as server:
        url = server.index_url.replace("http://", "http://alice:wrong-pw@")
        message = error_of(make_client(url, cache_dir), lambda c: c.fetch_page("demo"))
    assert "wrong-pw" not in message
    assert "refused (HTTP 401)" in message and "check the credentials (from URL)" in message


def test_credentials_from_netrc(cache_dir: Path, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password s3cret\n")
    with IndexServer(DATA, auth=("alice", "s3cret")) as server:
        client = make_client(server.index_url, cache_dir, env={"NETRC": str(netrc)})
        assert fetch(client).page.name == "demo"
        assert [r.status for r in server.log] == [200]
        message = error_of(
            make_client(server.index_url, cache_dir, env={"NETRC": str(netrc)}),
            lambda c: c.fetch_page("missing"),
        )
    assert "s3cret" not in message


def test_netrc_from_the_environment(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password s3cret\n")
    monkeypatch.setenv("NETRC", str(netrc))
    with IndexServer(DATA, auth=("alice", "s3cret")) as server:
        client = IndexClient(
            server.index_url, cache=Cache(cache_dir), backoff=Backoff(jitter=False)
        )
        assert fetch(client).page.name == "demo"


# --- metadata ---------------------------------------------------------------------------


def metadata_path(wheel: str) -> str:
    return f"/files/{wheel}.metadata"


def test_metadata_advertised_and_verified(server: IndexServer, cache_dir: Path) -> None:
    async def work(client: IndexClient) -> Any:
        fetched = await client.fetch_page("demo")
        return await client.fetch_metadata(fetched.page, "1.0.0")

    meta, status = run(make_client(server.index_url, cache_dir), work)
    assert status == "ok" and meta is not None
    assert meta.wheel == "demo-1.0.0-py3-none-any.whl" and meta.advertised is True
    stored = (DATA / "files/demo-1.0.0-py3-none-any.whl.metadata").read_bytes()
    assert meta.sha256 == hashlib.sha256(stored).hexdigest()
    assert meta.requires_python == ">=3.6"
    assert server.paths() == [PAGE, metadata_path("demo-1.0.0-py3-none-any.whl")]


def test_metadata_hash_mismatch_names_the_url(server: IndexServer, cache_dir: Path) -> None:
    path = metadata_path("demo-1.0.0-py3-none-any.whl")
    server.fail(path, body=b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0.0\n")

    async def work(client: IndexClient) -> Any:
        fetched = await client.fetch_page("demo")
        return await client.fetch_metadata(fetched.page, "1.0.0")

    message = error_of(make_client(server.index_url, cache_dir), work)
    assert message.startswith(f"core metadata at {server.url}{path} does not match the sha256")


def test_metadata_probed_when_not_advertised_and_next_best_on_404(
    server: IndexServer, cache_dir: Path
) -> None:
    async def work(client: IndexClient) -> Any:
        fetched = await client.fetch_page("demo")
        return await client.fetch_metadata(fetched.page, "1.1.0")

    meta, status = run(make_client(server.index_url, cache_dir), work)
    assert status == "ok" and meta is not None
    assert meta.wheel == f"demo-1.1.0-cp311-cp311-{ML}.whl" and meta.advertised is True
    assert server.paths() == [
        PAGE,
        metadata_path(f"demo-1.1.0-cp312-cp312-{ML}.whl"),  # the best wheel: 404
        metadata_path(f"demo-1.1.0-cp311-cp311-{ML}.whl"),
    ]


def test_metadata_not_advertised(server: IndexServer, cache_dir: Path) -> None:
    async def work(client: IndexClient) -> Any:
        fetched = await client.fetch_page("demo")
        return await client.fetch_metadata(fetched.page, "2.0.0rc1")

    meta, status = run(make_client(server.index_url, cache_dir), work)
    assert status == "ok" and meta is not None and meta.advertised is False
    assert meta.requires_python == ">=3.10"


def test_metadata_statuses_and_memory(server: IndexServer, cache_dir: Path) -> None:
    async def work(client: IndexClient) -> dict[str, str]:
        fetched = await client.fetch_page("demo")
        out = {}
        for version in ("0.1", "0.2", "1.0.0", "1.1.0", "1.3.0", "2.0.0"):
            out[version] = (await client.fetch_metadata(fetched.page, version))[1]
        return out

    statuses = run(make_client(server.index_url, cache_dir), work)
    assert statuses == {
        "0.1": "no-wheel",
        "0.2": "no-wheel",
        "1.0.0": "ok",
        "1.1.0": "ok",
        "1.3.0": "unavailable",
        "2.0.0": "unavailable",
    }
    probed = {p for p in server.paths() if p.startswith("/files/")}
    assert metadata_path("demo-1.3.0-py3-none-any.whl") in probed
    assert metadata_path("demo-2.0.0-1-py3-none-any.whl") in probed
    server.clear_log()
    # The second run revalidates the page, reads metadata from the cache and does not
    # probe the 404s again.
    client = make_client(server.index_url, cache_dir)
    assert run(client, work) == statuses
    assert server.paths() == [PAGE]
    # The page, two metadata, three .metadata 404s, two wheel 404s, one release JSON 404.
    assert client.counters.cache_hits == 1 + 2 + 3 + 2 + 1


def test_metadata_404_memory_expires(server: IndexServer, cache_dir: Path) -> None:
    clock = Clock()

    async def work(client: IndexClient) -> str:
        fetched = await client.fetch_page("demo")
        return (await client.fetch_metadata(fetched.page, "1.3.0"))[1]

    assert run(make_client(server.index_url, cache_dir, cache=Cache(cache_dir, clock=clock)), work)
    clock.now += timedelta(days=8)
    server.clear_log()
    run(make_client(server.index_url, cache_dir, cache=Cache(cache_dir, clock=clock)), work)
    wheel = "demo-1.3.0-py3-none-any.whl"
    assert server.paths() == [PAGE, metadata_path(wheel), f"/files/{wheel}"]


def test_metadata_server_error_is_retried(server: IndexServer, cache_dir: Path) -> None:
    path = metadata_path("demo-1.0.0-py3-none-any.whl")
    server.fail(path, status=502)

    async def work(client: IndexClient) -> Any:
        fetched = await client.fetch_page("demo")
        return await client.fetch_metadata(fetched.page, "1.0.0")

    assert run(make_client(server.index_url, cache_dir), work)[1] == "ok"
    assert [r.status for r in server.requests_to(path)] == [502, 200]


def test_metadata_as_of_ignores_later_wheels(server: IndexServer, cache_dir: Path) -> None:
    async def work(client: IndexClient) -> Any:
        fetched = await client.fetch_page("demo")
        from datetime import date

        return await client.fetch_metadata(fetched.page, "1.1.0", as_of=date(2019, 1, 1))

    assert run(make_client(server.index_url, cache_dir), work) == (None, "no-wheel")


def test_advertising_server(cache_dir: Path) -> None:
    with IndexServer(DATA, advertise_metadata=True, send_serial=True) as server:

        async def work(client: IndexClient) -> Any:
            fetched = await client.fetch_page("demo")
            return await client.fetch_metadata(fetched.page, "2.0.0rc1")

        meta, status = run(make_client(server.index_url, cache_dir), work)
    assert status == "ok" and meta is not None and meta.advertised is True
