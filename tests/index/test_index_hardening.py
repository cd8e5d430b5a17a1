"""Hostile or broken index answers end in one clear error, or a warning where one file or
one release's metadata is at fault; never in a traceback. Each test serves its trigger from
a real HTTP server on loopback."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.index.test_index_client import DATA, PAGE, error_of, fetch, make_client, run
from tests.index_server import IndexServer

from compatrix._index import IndexClient

JSON_V1 = "application/vnd.pypi.simple.v1+json"
DEMO: dict[str, Any] = json.loads((DATA / "simple/demo/index.json").read_text())


@pytest.fixture
def server() -> Iterator[IndexServer]:
    with IndexServer(DATA) as running:
        yield running


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


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


def rc1_metadata(client: IndexClient) -> tuple[Any, str]:
    async def work(client: IndexClient) -> tuple[Any, str]:
        fetched = await client.fetch_page("demo")
        return await client.fetch_metadata(fetched.page, "2.0.0rc1")

    return run(client, work)


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

    with IndexServer(hostile) as server:
        (bad, _), (_, unavailable) = run(make_client(server.index_url, cache_dir), both)
    assert bad.requires_python == ">=3.99" and unavailable == "unavailable"
    with IndexServer(clean) as server:
        (first, _), (second, _) = run(make_client(server.index_url, cache_dir), both)
        asked = server.paths()
    assert (first.requires_python, first.extras) == (">=3.8", ())
    assert second.requires_python == ">=3.9"
    assert asked == [PAGE, f"/files/{one}.metadata", f"/files/{two}.metadata"]
