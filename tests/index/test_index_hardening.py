"""Hostile or broken index answers end in one clear error, or a warning where one file or
one release's metadata is at fault; never in a traceback. Each test serves its trigger from
a real HTTP server on loopback."""

from __future__ import annotations

import asyncio
import copy
import email.utils
import gzip
import json
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from tests.cli._project import Index, day, minors, project
from tests.cli._project import run as cli
from tests.index.test_index_client import (
    DATA,
    PAGE,
    Clock,
    Sleeps,
    error_of,
    fetch,
    make_client,
    run,
)
from tests.index_server import IndexServer

from compatrix._config import load_config
from compatrix._index import MAX_METADATA_SIZE, MAX_PAGE_SIZE, METADATA_RELEASES, IndexClient
from compatrix._index._body import MiB, _Decoder
from compatrix._lock import loads_lock

JSON_V1 = "application/vnd.pypi.simple.v1+json"
DEMO: dict[str, Any] = json.loads((DATA / "simple/demo/index.json").read_text())


def demo_page(**changes: Any) -> dict[str, Any]:
    """The demo page with top-level keys replaced."""
    data = copy.deepcopy(DEMO)
    data.update(changes)
    return data


def serve_page(server: IndexServer, data: object) -> None:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    server.fail(PAGE, body=body, headers={"Content-Type": JSON_V1}, times=None)


def entry(filename: str, **fields: Any) -> dict[str, Any]:
    return {"filename": filename, "url": f"../../files/{filename}", "hashes": {}, **fields}


def write_index(
    root: Path, files: list[dict[str, Any]], metadata: dict[str, bytes] | None = None
) -> Path:
    """A corpus-shaped directory with the project page of ``demo`` and metadata files
    (by wheel name)."""
    (root / "simple/demo").mkdir(parents=True)
    (root / "files").mkdir()
    page = {"meta": {"api-version": "1.1"}, "name": "demo", "files": files}
    (root / "simple/demo/index.json").write_text(json.dumps(page))
    for wheel, data in (metadata or {}).items():
        (root / "files" / f"{wheel}.metadata").write_bytes(data)
    return root


def metadata_text(version: str, requires_python: str, *extra: str) -> bytes:
    lines = ["Metadata-Version: 2.1", "Name: demo", f"Version: {version}"]
    lines += [f"Requires-Python: {requires_python}", *extra]
    return ("\n".join(lines) + "\n\n").encode()


# --- pages ------------------------------------------------------------------------------


def test_json_nested_too_deeply_is_a_clear_error(server: IndexServer, cache_dir: Path) -> None:
    serve_page(server, b"[" * 200_000 + b"]" * 200_000)
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("demo"))
    assert message == (
        f"invalid project page {server.index_url}demo/: not valid JSON (nested too deeply)"
    )


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"])
def test_upload_time_out_of_range_in_utc_is_a_clear_error(
    server: IndexServer, cache_dir: Path, when: str
) -> None:
    serve_page(server, demo_page(files=[entry("demo-1.0.tar.gz", **{"upload-time": when})]))
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("demo"))
    assert message == (
        f"invalid project page {server.index_url}demo/: files[0].upload-time is out of range: "
        f"{when!r}"
    )


def test_a_version_too_long_for_an_integer_skips_that_file(
    server: IndexServer, cache_dir: Path
) -> None:
    digits = "1" * 5001
    names = [f"demo-{digits}-py3-none-any.whl", f"demo-{digits}.tar.gz", f"demo-1.{digits}.zip"]
    files = [*DEMO["files"], *(entry(name) for name in names)]
    serve_page(server, demo_page(files=files, versions=[*DEMO["versions"], digits]))
    page = fetch(make_client(server.index_url, cache_dir)).page
    kept = [f["filename"] for f in DEMO["files"] if f["filename"] != "other_project-1.0.tar.gz"]
    assert [f.filename for f in page.files] == kept
    (skipped,) = (w for w in page.warnings if "skipped" in w)
    (unsafe,) = (w for w in page.warnings if "unsafe" in w)
    assert skipped.startswith(
        f"{server.index_url}demo/: skipped 4 file(s) that are not distributions of 'demo'"
    )
    assert unsafe.startswith(f"{server.index_url}demo/: ignored unsafe version '111")
    assert all(len(w) < 300 for w in page.warnings)  # the 5,001 digits are not repeated


HTML_PAGE = "<!DOCTYPE html><html><body>{}</body></html>"


@pytest.mark.parametrize(
    ("content_type", "body", "problem"),
    [
        pytest.param(
            JSON_V1,
            json.dumps(demo_page(files=[entry("demo-1.0.tar.gz", url="http://[::1/x")])),
            "files[0].url is not a URL: 'http://[::1/x'",
            id="json-url",
        ),
        pytest.param(
            "text/html",
            HTML_PAGE.format('<base href="http://[::1/"><a href="demo-1.0.tar.gz">x</a>'),
            "<base href> is not a URL: 'http://[::1/'",
            id="html-base",
        ),
        pytest.param(
            "text/html",
            HTML_PAGE.format('<a href="http://[::1/demo-1.0.tar.gz">demo-1.0.tar.gz</a>'),
            "link 1: href is not a URL: 'http://[::1/demo-1.0.tar.gz'",
            id="html-href",
        ),
        pytest.param(
            "text/html",
            HTML_PAGE.format(f'<a href="demo-1.0.tar.gz">&#{"1" * 5001};</a>'),
            "malformed HTML (a character reference out of range)",
            id="html-character-reference",
        ),
    ],
)
def test_unusable_urls_and_markup_are_clear_errors(
    server: IndexServer, cache_dir: Path, content_type: str, body: str, problem: str
) -> None:
    server.fail(PAGE, body=body.encode(), headers={"Content-Type": content_type})
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("demo"))
    assert message == f"invalid project page {server.index_url}demo/: {problem}"


def test_a_serial_too_long_for_an_integer_is_ignored(server: IndexServer, cache_dir: Path) -> None:
    meta = {"api-version": "1.1", "_last-serial": "7" * 5001}
    serve_page(server, demo_page(meta=meta))
    assert fetch(make_client(server.index_url, cache_dir)).page.serial is None


# --- requests ---------------------------------------------------------------------------


def test_all_of_127_0_0_0_8_bypasses_the_proxy(cache_dir: Path) -> None:
    """A proxy that would answer is set; the index on 127.0.0.2 is reached directly."""
    try:
        index = IndexServer(DATA, host="127.0.0.2").__enter__()
    except OSError:
        pytest.skip("127.0.0.2 is not a loopback address of this machine")
    try:
        with IndexServer(DATA) as proxy:
            env = {"http_proxy": proxy.url, "all_proxy": proxy.url}
            fetched = fetch(make_client(index.index_url, cache_dir, env=env))
            assert proxy.log == []
        assert fetched.page.name == "demo"
        assert index.paths() == [PAGE]
    finally:
        index.__exit__(None, None, None)


# --- core metadata ----------------------------------------------------------------------

RC1 = "/files/demo-2.0.0rc1-py3-none-any.whl.metadata"  # the only wheel of 2.0.0rc1


async def rc1_metadata_work(client: IndexClient) -> tuple[Any, str]:
    fetched = await client.fetch_page("demo")
    return await client.fetch_metadata(fetched.page, "2.0.0rc1")


def rc1_metadata(client: IndexClient) -> tuple[Any, str]:
    return run(client, rc1_metadata_work)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param(
            b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n",
            "no Metadata-Version field (is this a METADATA file?)",
            id="html",
        ),
        pytest.param(
            b"Metadata-Version: 2.1\nName: demo\nVersion: 2.0.0rc1\nRequires-Python: >=3.8\n"
            b"requires-python: >=2.7\n\n",
            "Requires-Python appears 2 times",
            id="requires-python-twice",
        ),
        pytest.param(
            b"Metadata-Version: 2.1\nName: demo\nVersion: 2.0.0rc1\nVersion: 9\n",
            "Version appears 2 times",
            id="version-twice",
        ),
        pytest.param(
            b"Metadata-Version: 2.1\nName: demo\nVersion: 2.0.0rc1\nRequires-Python: >=3.\xff\n",
            "Requires-Python is not valid UTF-8",
            id="not-utf-8",
        ),
    ],
)
def test_unusable_metadata_makes_it_unavailable_with_a_warning(
    server: IndexServer, cache_dir: Path, body: bytes, problem: str
) -> None:
    server.fail(RC1, status=200, body=body, headers={"Content-Type": "text/html"}, times=None)
    client = make_client(server.index_url, cache_dir)
    assert rc1_metadata(client) == (None, "unavailable")
    url = f"{server.url}{RC1}"
    ignored = [w for w in client.warnings if w.startswith("ignored")]
    assert ignored == [f"ignored invalid core metadata at {url}: {problem}"]
    # Not remembered: the next run asks again, and warns again.
    server.clear_log()
    again = make_client(server.index_url, cache_dir)
    assert rc1_metadata(again) == (None, "unavailable")
    assert server.paths() == [PAGE, RC1]
    assert again.warnings == client.warnings


def test_page_warnings_are_collected(server: IndexServer, cache_dir: Path) -> None:
    meta = {**DEMO["meta"], "api-version": "1.99"}
    serve_page(server, demo_page(meta=meta, versions=[*DEMO["versions"], "1.0 beta"]))
    client = make_client(server.index_url, cache_dir)
    page = fetch(client).page
    assert client.warnings == tuple(sorted(page.warnings))
    assert len(client.warnings) == 4  # the API version, an unsafe version, two kinds of file
    assert any("Simple API version 1.99" in w for w in client.warnings)


def test_metadata_read_from_one_index_is_never_used_for_another(
    tmp_path: Path, cache_dir: Path
) -> None:
    """A hostile index lists wheels under the sha256 of a clean index's wheels, and serves
    its own unadvertised metadata, or none; the clean index's answers are what count."""
    one, two = "demo-1.0-py3-none-any.whl", "demo-2.0-py3-none-any.whl"
    files = [entry(one, hashes={"sha256": "aa" * 32}), entry(two, hashes={"sha256": "bb" * 32})]
    hostile = write_index(
        tmp_path / "hostile", files, {one: metadata_text("1.0", ">=3.99", "Provides-Extra: evil")}
    )
    clean = write_index(
        tmp_path / "clean",
        files,
        {one: metadata_text("1.0", ">=3.8"), two: metadata_text("2.0", ">=3.9")},
    )

    async def both(client: IndexClient) -> list[tuple[Any, str]]:
        fetched = await client.fetch_page("demo")
        return [await client.fetch_metadata(fetched.page, v) for v in ("1.0", "2.0")]

    # Both servers up at once: two indexes on two ports (one after the other, the second
    # could get the first one's port, and so be the same index URL).
    with IndexServer(hostile) as bad_server, IndexServer(clean) as server:
        assert bad_server.index_url != server.index_url
        (bad, _), (_, unavailable) = run(make_client(bad_server.index_url, cache_dir), both)
        assert bad.requires_python == ">=3.99" and unavailable == "unavailable"
        (first, _), (second, _) = run(make_client(server.index_url, cache_dir), both)
        asked = server.paths()
    assert (first.requires_python, first.extras) == (">=3.8", ())
    assert second.requires_python == ">=3.9"
    assert asked == [PAGE, f"/files/{one}.metadata", f"/files/{two}.metadata"]


def test_metadata_read_per_project_and_run_is_bounded(tmp_path: Path, cache_dir: Path) -> None:
    """Selection may want the metadata of every release (each a new major); past the
    bound, releases are unavailable without a request."""
    count = METADATA_RELEASES + 20
    versions = [f"{n}.0" for n in range(count)]
    corpus = write_index(
        tmp_path / "index", [entry(f"demo-{v}-py3-none-any.whl") for v in versions]
    )

    async def every(client: IndexClient) -> list[tuple[Any, str]]:
        fetched = await client.fetch_page("demo")
        return await asyncio.gather(*(client.fetch_metadata(fetched.page, v) for v in versions))

    with IndexServer(corpus) as server:
        client = make_client(server.index_url, cache_dir, jobs=50)
        results = run(client, every)
        asked = [p for p in server.paths() if p.startswith("/files/")]
    assert results == [(None, "unavailable")] * count
    wheels = [f"/files/demo-{v}-py3-none-any.whl" for v in versions[:METADATA_RELEASES]]
    assert sorted(asked) == sorted([*wheels, *(f"{w}.metadata" for w in wheels)])
    assert client.warnings == (
        (
            f"demo: core metadata was wanted for more than {METADATA_RELEASES} releases; "
            "the others are recorded as unavailable"
        ),
        (
            f"core metadata of {count} releases wanted by selection could not be read "
            f"({count} with no .metadata file and no readable wheel): their Pythons are "
            "judged without classifiers"
        ),
    )


# --- sizes ------------------------------------------------------------------------------


def test_compressed_metadata_is_read_only_up_to_the_limit(
    server: IndexServer, cache_dir: Path
) -> None:
    bomb = gzip.compress(b"\0" * (MAX_METADATA_SIZE + MiB))  # 9 MiB in 9 KiB
    server.fail(RC1, status=200, body=bomb, headers={"Content-Encoding": "gzip"})
    message = error_of(make_client(server.index_url, cache_dir), rc1_metadata_work)
    assert message == (
        f"cannot fetch {server.url}{RC1}: the core metadata is larger than 8 MiB, "
        "the limit set by [index] max-metadata-mib"
    )


def test_a_page_over_the_limit_is_not_read(server: IndexServer, cache_dir: Path) -> None:
    padded = json.dumps(DEMO).encode()[:-1] + b" " * (3 * MiB) + b"}"
    serve_page(server, padded)
    client = make_client(server.index_url, cache_dir, max_page_size=MiB)
    message = error_of(client, lambda c: c.fetch_page("demo"))
    assert message == (
        f"cannot fetch {server.index_url}demo/: the project page is larger than 1 MiB, "
        "the limit set by [index] max-page-mib"
    )
    assert client.counters.bytes_received < 64 * 1024  # its Content-Length said enough


def test_a_compressed_page_over_the_limit_stops_being_read(
    server: IndexServer, cache_dir: Path
) -> None:
    padded = json.dumps(DEMO).encode()[:-1] + b" " * (32 * MiB) + b"}"
    compressed = gzip.compress(padded, compresslevel=1)  # 140 KiB
    server.fail(
        PAGE, body=compressed, headers={"Content-Type": JSON_V1, "Content-Encoding": "gzip"}
    )
    client = make_client(server.index_url, cache_dir, max_page_size=MiB)
    message = error_of(client, lambda c: c.fetch_page("demo"))
    assert "the project page is larger than 1 MiB" in message
    assert client.counters.bytes_received < len(compressed)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_pages_within_the_limit_are_read(
    server: IndexServer, cache_dir: Path, encoding: str
) -> None:
    body = json.dumps(DEMO).encode()
    if encoding == "gzip":
        data = gzip.compress(body)
    elif encoding == "deflate":
        data = zlib.compress(body)
    else:
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = packer.compress(body) + packer.flush()
    header = encoding.removeprefix("raw-")
    server.fail(PAGE, body=data, headers={"Content-Type": JSON_V1, "Content-Encoding": header})
    page = fetch(make_client(server.index_url, cache_dir, max_page_size=len(body))).page
    assert len(page.files) == len(DEMO["files"]) - 1
    assert server.requests_to(PAGE)[0].headers["accept-encoding"] == "gzip, deflate"


def test_an_encoding_not_asked_for_is_a_clear_error(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, headers={"Content-Type": JSON_V1, "Content-Encoding": "br"})
    message = error_of(make_client(server.index_url, cache_dir), lambda c: c.fetch_page("demo"))
    assert message == f"cannot fetch {server.index_url}demo/: unsupported Content-Encoding 'br'"


def test_a_cut_short_compressed_body_is_retried_then_reported(
    server: IndexServer, cache_dir: Path
) -> None:
    data = gzip.compress(json.dumps(DEMO).encode())[:-100]
    headers = {"Content-Type": JSON_V1, "Content-Encoding": "gzip"}
    server.fail(PAGE, body=data, headers=headers, times=None)
    client = make_client(server.index_url, cache_dir, retries=1)
    message = error_of(client, lambda c: c.fetch_page("demo"))
    assert message == (
        f"cannot fetch {server.index_url}demo/: the compressed body is cut short "
        "(gave up after 2 attempts)"
    )


def test_the_decoder_never_gives_more_than_one_byte_over() -> None:
    decoder = _Decoder("gzip")
    out = decoder.decode(gzip.compress(b"\0" * (16 * MiB)), 1000)
    assert len(out) == 1001


# --- time -------------------------------------------------------------------------------


def test_timeout_bounds_the_whole_request(server: IndexServer, cache_dir: Path) -> None:
    """Each piece of the body arrives well within the timeout; the whole does not."""
    server.fail(PAGE, trickle=0.1, piece=256, times=None)  # about 2 s for the page
    client = make_client(server.index_url, cache_dir, timeout=0.5, retries=0)
    started = time.monotonic()
    message = error_of(client, lambda c: c.fetch_page("demo"))
    assert time.monotonic() - started < 1.5
    assert message == (
        f"cannot fetch {server.index_url}demo/: timed out after 0.5 s (gave up after 1 attempt)"
    )


def test_retry_after_dates_are_measured_against_the_current_time(
    server: IndexServer, cache_dir: Path
) -> None:
    """Late in a run, a date 3 s ahead still means 3 s, not 3 s plus the run's age."""
    started = datetime.now(timezone.utc) - timedelta(minutes=1)
    when = datetime.now(timezone.utc) + timedelta(seconds=3)
    server.fail(PAGE, status=503, headers={"Retry-After": email.utils.format_datetime(when, True)})
    sleeps = Sleeps()
    fetch(make_client(server.index_url, cache_dir, sleeps=sleeps, clock=lambda: started))
    (delay,) = sleeps.delays
    assert 1.5 < delay <= 3.0  # the date has whole seconds


def test_retry_after_dates_use_the_wall_clock_given(server: IndexServer, cache_dir: Path) -> None:
    wall = Clock()
    wall.now += timedelta(hours=1)
    when = email.utils.format_datetime(wall.now + timedelta(seconds=2), usegmt=True)
    server.fail(PAGE, status=429, headers={"Retry-After": when})
    sleeps = Sleeps()
    client = make_client(server.index_url, cache_dir, sleeps=sleeps, clock=Clock(), wall_clock=wall)
    fetched = fetch(client)
    assert sleeps.delays == [2.0]
    assert fetched.fetched_at == Clock().now  # the run's time is still what is recorded


def test_retry_after_with_a_non_ascii_digit_uses_the_backoff(
    server: IndexServer, cache_dir: Path
) -> None:
    server.fail(PAGE, status=503, headers={"Retry-After": "\xb2"})  # '²' is a digit to Python
    sleeps = Sleeps()
    fetch(make_client(server.index_url, cache_dir, sleeps=sleeps))
    assert sleeps.delays == [0.5]


def test_an_etag_that_cannot_be_sent_back_is_not_kept(server: IndexServer, cache_dir: Path) -> None:
    server.fail(PAGE, headers={"ETag": '"caf\xe9"'})
    fetch(make_client(server.index_url, cache_dir))
    assert fetch(make_client(server.index_url, cache_dir)).from_cache is False
    assert "if-none-match" not in server.log[1].headers


# --- URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        (
            "http://127.0.0.1:99999999/simple/demo/",
            (
                "it redirects to 'http://127.0.0.1:99999999/simple/demo/': port 99999999 is out "
                "of range"
            ),
        ),
        (
            "ftp://127.0.0.1/simple/demo/",
            "it redirects to 'ftp://127.0.0.1/simple/demo/': not an http or https URL",
        ),
        (
            "javascript:x",
            (
                "it redirects to an invalid URL (For absolute URLs, path must be empty or begin "
                "with '/')"
            ),
        ),
        (
            "http://[::1",
            "it redirects to an invalid URL (Invalid URL in location header: Invalid port: ':1'.)",
        ),
    ],
)
def test_a_redirect_to_an_invalid_url_is_a_clear_error(
    server: IndexServer, cache_dir: Path, location: str, problem: str
) -> None:
    server.fail(PAGE, status=302, headers={"Location": location}, times=None)
    client = make_client(server.index_url, cache_dir)
    message = error_of(client, lambda c: c.fetch_page("demo"))
    assert message == f"cannot fetch {server.index_url}demo/: {problem}"
    assert len(server.log) == 1  # not retried


def test_new_errors_never_show_credentials(cache_dir: Path) -> None:
    with IndexServer(DATA, auth=("alice", "s3cret")) as server:
        url = server.index_url.replace("http://", "http://alice:s3cret@")
        location = "http://bob:other-secret@127.0.0.1:99999999/simple/demo/"
        server.fail(PAGE, status=302, headers={"Location": location})
        redirect = error_of(make_client(url, cache_dir), lambda c: c.fetch_page("demo"))
        client = make_client(url, cache_dir, max_page_size=100)
        too_large = error_of(client, lambda c: c.fetch_page("demo"))
    assert "'http://***@127.0.0.1:99999999/simple/demo/'" in redirect
    assert too_large.startswith(f"cannot fetch {server.index_url}demo/: the project page is")
    for message in (redirect, too_large):
        assert "s3cret" not in message and "secret" not in message and "alice" not in message


def test_a_file_url_with_an_invalid_port_only_loses_that_wheel(
    server: IndexServer, cache_dir: Path
) -> None:
    files = [entry("demo-2.0.0rc1-py3-none-any.whl", url="http://127.0.0.1:70000/x.whl")]
    serve_page(server, demo_page(files=files))
    client = make_client(server.index_url, cache_dir)
    assert rc1_metadata(client) == (None, "unavailable")
    url = "http://127.0.0.1:70000/x.whl.metadata"
    assert client.warnings[0] == f"cannot read core metadata at {url!r}: port 70000 is out of range"
    assert client.warnings[1].startswith("core metadata of 1 release wanted by selection could")
    assert len(client.warnings) == 2


# --- through `compatrix update` ---------------------------------------------------------

CONFIG = (
    'python = ["3.11", "3.12"]\n\n[defaults]\npins = "off"\n\n[suites.alpha]\npackage = "alpha"\n'
)


def alpha_index(root: Path) -> Path:
    releases = minors(1, 3, start=day(2024, 1, 10))
    return Index(packages={"alpha": releases}).write(root)


def test_update_prints_the_index_warnings(tmp_path: Path) -> None:
    corpus = alpha_index(tmp_path / "index")
    page_file = corpus / "simple/alpha/index.json"
    page = json.loads(page_file.read_text())
    page["meta"]["api-version"] = "1.99"
    page["files"].append(entry("beta-1.0.tar.gz"))
    page_file.write_text(json.dumps(page))
    root = project(tmp_path / "proj", CONFIG, tox_ini=None)
    with IndexServer(corpus) as server:
        latest = "/files/alpha-1.2.0-py3-none-any.whl.metadata"
        server.fail(latest, status=200, body=b"<html>Sign in</html>", times=None)
        result = cli("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    page_url = f"{server.index_url}alpha/"
    warnings = [line for line in result.err.splitlines() if line.startswith("warning: ")]
    assert warnings[:3] == [
        (
            f"warning: {page_url} uses Simple API version 1.99, newer than 1.4: fields added "
            "since are ignored"
        ),
        (
            f"warning: {page_url}: skipped 1 file(s) that are not distributions of 'alpha' "
            "(for example 'beta-1.0.tar.gz')"
        ),
        (
            f"warning: ignored invalid core metadata at {server.url}{latest}: no "
            "Metadata-Version field (is this a METADATA file?)"
        ),
    ]


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        pytest.param(
            {"body": b"[" * 200_000 + b"]" * 200_000, "headers": {"Content-Type": JSON_V1}},
            "not valid JSON (nested too deeply)",
            id="json-nested-too-deeply",
        ),
        pytest.param(
            {"status": 301, "headers": {"Location": "http://127.0.0.1:99999999/"}},
            "port 99999999 is out of range",
            id="redirect-to-port-out-of-range",
        ),
        pytest.param(
            {"body": b"{" + b" " * (65 * MiB) + b"}", "headers": {"Content-Type": JSON_V1}},
            "the project page is larger than 64 MiB, the limit set by [index] max-page-mib",
            id="page-too-large",
        ),
    ],
)
def test_update_exits_3_with_one_clear_error(
    tmp_path: Path, fault: dict[str, Any], problem: str
) -> None:
    corpus = alpha_index(tmp_path / "index")
    root = project(tmp_path / "proj", CONFIG, tox_ini=None)
    with IndexServer(corpus) as server:
        server.fail("/simple/alpha/", **fault, times=None)
        result = cli("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 3
    (error,) = result.err.splitlines()
    page_url = f"{server.index_url}alpha/"
    assert error.startswith(
        (f"error: cannot fetch {page_url}", f"error: invalid project page {page_url}")
    )
    assert error.endswith(problem)
    assert not (root / "compatrix.lock").exists()


def test_the_size_limits_come_from_the_index_table(tmp_path: Path) -> None:
    corpus = alpha_index(tmp_path / "index")
    config = CONFIG + "\n[index]\nmax-page-mib = 1\nmax-metadata-mib = 2\n"
    root = project(tmp_path / "proj", config, tox_ini=None)
    with IndexServer(corpus) as server:
        body = b'{"meta": {"api-version": "1.1"}' + b" " * MiB + b"}"
        server.fail("/simple/alpha/", body=body, headers={"Content-Type": JSON_V1})
        result = cli("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 3
    assert result.err.endswith(
        "the project page is larger than 1 MiB, the limit set by [index] max-page-mib\n"
    )
    loaded = load_config(root / "compatrix.toml")
    assert (loaded.index.max_page_mib, loaded.index.max_metadata_mib) == (1, 2)


def test_the_default_size_limits_are_the_index_clients(tmp_path: Path) -> None:
    defaults = load_config(project(tmp_path, CONFIG, tox_ini=None) / "compatrix.toml")
    assert defaults.index.max_page_mib * MiB == MAX_PAGE_SIZE
    assert defaults.index.max_metadata_mib * MiB == MAX_METADATA_SIZE


def test_metadata_in_the_lock_is_not_carried_to_another_index(tmp_path: Path) -> None:
    """The lock's metadata of one index is not reused when the next update reads another,
    even for a wheel of the same name."""
    clean = alpha_index(tmp_path / "clean")
    hostile = alpha_index(tmp_path / "hostile")
    for path in (hostile / "files").glob("*.metadata"):
        path.write_text(
            path.read_text().replace("Requires-Python: >=3.8", "Requires-Python: >=3.10")
        )
    root = project(tmp_path / "proj", CONFIG, tox_ini=None)

    def requires_python() -> set[str | None]:
        lock = loads_lock((root / "compatrix.lock").read_text())
        return {r.metadata.requires_python for r in lock.packages["alpha"].releases if r.metadata}

    with IndexServer(hostile) as server:
        assert cli("-C", str(root), "update", "--index-url", server.index_url).code == 0
    assert requires_python() == {">=3.10"}
    with IndexServer(clean) as server:
        assert cli("-C", str(root), "update", "--index-url", server.index_url).code == 0
    assert requires_python() == {">=3.8"}
