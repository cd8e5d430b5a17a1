"""Core metadata of releases without wheels, from the index's per-version JSON API
(PyPI's ``/pypi/{name}/{version}/json``), where the index has one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from tests.index._wheels import Result, Serve, read
from tests.index.test_index_client import PAGE, make_client, run

from compatrix._index import IndexClient
from compatrix._index._metadata import parse_json_metadata


def release_document(number: str, **info: Any) -> dict[str, Any]:
    fields = {
        "name": "demo",
        "version": number,
        "requires_python": ">=2.7",
        "classifiers": [
            "Programming Language :: Python :: 2.7",
            "Programming Language :: Python :: 3.6",
            "Topic :: Software Development",
        ],
        "provides_extra": ["sql"],
        "requires_dist": ['pyarrow>=0.8; extra == "Arrow"', "py4j==0.10.7"],
        **info,
    }
    return {"info": fields, "last_serial": 1, "urls": []}


def test_an_sdist_only_release_reads_the_json_api(serve: Serve, cache_dir: Path) -> None:
    server = serve({}, sdists=("demo-0.1.tar.gz",), release_json={"0.1": release_document("0.1")})
    client = make_client(server.index_url, cache_dir)
    ((meta, status),) = read(client, "0.1")
    assert status == "ok" and meta is not None
    assert meta.wheel == "demo-0.1.tar.gz" and meta.advertised is False
    assert meta.requires_python == ">=2.7"
    assert meta.classifiers == (
        "Programming Language :: Python :: 2.7",
        "Programming Language :: Python :: 3.6",
    )
    assert meta.extras == ("arrow", "sql")
    # The digest of what was read, not of the document: its URLs and serial change alone.
    document = json.loads((server.root / "pypi/demo/0.1/json").read_bytes())
    moved = {**document, "last_serial": 2, "urls": [{"url": "http://127.0.0.1:1/f"}]}
    again = parse_json_metadata(
        json.dumps(moved).encode(), url="x", sdist="demo-0.1.tar.gz", project="demo", version="0.1"
    )
    assert meta.sha256 == again.sha256
    changed = {**document, "info": {**document["info"], "requires_python": ">=3.8"}}
    other = parse_json_metadata(
        json.dumps(changed).encode(),
        url="x",
        sdist="demo-0.1.tar.gz",
        project="demo",
        version="0.1",
    )
    assert other.sha256 != meta.sha256
    asked = server.requests_to("/pypi/demo/0.1/json")
    assert [r.headers.get("accept") for r in asked] == ["application/json"]
    assert client.warnings == ()
    # Cached by index and URL.
    server.clear_log()
    assert read(make_client(server.index_url, cache_dir), "0.1") == [(meta, "ok")]
    assert server.paths() == [PAGE]


def test_without_a_json_api_a_project_is_asked_once(serve: Serve, cache_dir: Path) -> None:
    sdists = tuple(f"demo-0.{n}.tar.gz" for n in range(1, 5))
    server = serve({}, sdists=sdists)

    async def work(client: IndexClient) -> list[Result]:
        page = (await client.fetch_page("demo")).page
        return await asyncio.gather(*(client.fetch_metadata(page, f"0.{n}") for n in range(1, 5)))

    client = make_client(server.index_url, cache_dir)
    assert run(client, work) == [(None, "no-wheel")] * 4
    asked = [p for p in server.paths() if p.startswith("/pypi/")]
    assert len(asked) == 1
    assert client.warnings == (
        (
            "core metadata of 4 releases wanted by selection could not be read (4 with no "
            "wheel and no answer from a per-version JSON API): their Pythons are judged "
            "without classifiers"
        ),
    )


@pytest.mark.parametrize(
    ("info", "problem"),
    [
        pytest.param({"version": "9.9"}, "it describes version '9.9', not 0.1", id="other-version"),
        pytest.param({"name": "other"}, "it describes 'other', not demo", id="other-project"),
        pytest.param({"classifiers": "Python"}, "info.classifiers is not a list", id="not-a-list"),
        pytest.param(
            {"requires_python": ">=3." + "0" * 1000},
            "Requires-Python is longer than 1000 characters (1004)",
            id="requires-python-too-long",
        ),
    ],
)
def test_unusable_release_json_is_ignored_with_a_warning(
    serve: Serve, cache_dir: Path, info: dict[str, Any], problem: str
) -> None:
    document = release_document("0.1", **info)
    server = serve({}, sdists=("demo-0.1.tar.gz",), release_json={"0.1": document})
    client = make_client(server.index_url, cache_dir)
    assert read(client, "0.1") == [(None, "no-wheel")]
    url = f"{server.url}/pypi/demo/0.1/json"
    assert client.warnings[0].startswith(f"ignored invalid release JSON at {url}: {problem}")


def test_no_json_api_is_guessed_for_an_index_not_at_simple(serve: Serve, cache_dir: Path) -> None:
    server = serve({}, sdists=("demo-0.1.tar.gz",), release_json={"0.1": release_document("0.1")})
    server.fail("/elsewhere/demo/", status=301, headers={"Location": "/simple/demo/"})
    client = make_client(f"{server.url}/elsewhere/", cache_dir)
    assert read(client, "0.1") == [(None, "no-wheel")]
    assert not any(p.startswith("/pypi/") for p in server.paths())
