"""Core metadata where the index has no ``.metadata`` file: read out of the wheel with range
requests.

The wheels are real zips built here (stored, deflated, zip64, broken in one way each) and
served by the loopback test server, which answers ``Range`` as HTTP says, or ignores it,
or answers it wrongly."""

from __future__ import annotations

import asyncio
import hashlib
import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.cli._project import Index, day, minors, project
from tests.cli._project import run as cli
from tests.index._wheels import (
    Serve,
    build_wheel,
    members,
    metadata,
    read,
    stored_metadata,
    write_index,
)
from tests.index.test_index_client import PAGE, error_of, make_client, run
from tests.index_server import IndexServer, RangeMode

from compatrix._index import IndexClient
from compatrix._index._wheel import TAIL_SIZE, read_wheel_metadata
from compatrix._lock import loads_lock

WHEEL = "demo-1.0-py3-none-any.whl"
WHEEL_PATH = f"/files/{WHEEL}"
TAIL = f"bytes=-{TAIL_SIZE}"


def ranges_asked(server: IndexServer, path: str = WHEEL_PATH) -> list[str]:
    return [r.headers.get("range", "") for r in server.requests_to(path)]


# --- read out of the wheel ------------------------------------------------------------


@pytest.mark.parametrize(
    ("wheel", "requests"),
    [
        pytest.param(build_wheel(members()), 1, id="deflated"),
        pytest.param(build_wheel(members(), method=zipfile.ZIP_STORED), 1, id="stored"),
        pytest.param(build_wheel(members(), zip64=True), 1, id="zip64"),
        pytest.param(build_wheel(members(), comment=b"c" * 5000), 1, id="archive-comment"),
        pytest.param(build_wheel(members(), prefix=b"#!/bin/sh\n" * 10), 1, id="bytes-before"),
        pytest.param(build_wheel(members(padding=200_000)), 1, id="metadata-in-the-tail"),
        pytest.param(
            build_wheel(members(first=True, padding=200_000)), 2, id="metadata-far-from-the-end"
        ),
        pytest.param(
            build_wheel(members(first=True, padding=100_000, entries=1500)),
            3,
            id="central-directory-far-from-the-end",
        ),
        pytest.param(
            build_wheel(members(dist_info="Demo-1.0.0.dist-info")),
            1,
            id="dist-info-spelled-otherwise",
        ),
    ],
)
def test_metadata_is_read_out_of_the_wheel(
    serve: Serve, cache_dir: Path, wheel: bytes, requests: int
) -> None:
    server = serve({WHEEL: wheel})
    client = make_client(server.index_url, cache_dir)
    ((meta, status),) = read(client, "1.0")
    assert status == "ok" and meta is not None
    member = next(n for n in zipfile.ZipFile(io.BytesIO(wheel)).namelist() if "METADATA" in n)
    assert meta.sha256 == hashlib.sha256(stored_metadata(wheel, member)).hexdigest()
    assert (meta.wheel, meta.advertised) == (WHEEL, False)
    assert meta.requires_python == ">=3.9"
    assert meta.classifiers == ("Programming Language :: Python :: 3.12",)
    assert meta.extras == ("fast",)
    # The .metadata file first (404), then ranges of the wheel, never all of it.
    assert server.paths()[:2] == [PAGE, f"{WHEEL_PATH}.metadata"]
    asked = ranges_asked(server)
    assert len(asked) == requests and asked[0] == TAIL
    assert all(r.startswith("bytes=") for r in asked)
    assert all(
        r.headers.get("accept-encoding") == "identity" for r in server.requests_to(WHEEL_PATH)
    )
    assert client.counters.bytes_received < len(wheel) or len(wheel) <= TAIL_SIZE
    assert client.warnings == ()


def test_the_zip64_wheel_has_zip64_records() -> None:
    """The zip64 case above reads what it means to: a zip64 end record and locator, and
    sizes and offsets in zip64 extra fields."""
    wheel = build_wheel(members(), zip64=True)
    assert b"PK\x06\x06" in wheel and b"PK\x06\x07" in wheel
    assert b"\xff\xff\xff\xff" in wheel


@pytest.mark.parametrize("seed", range(24))
def test_the_zip_reader_agrees_with_zipfile(seed: int) -> None:
    """Wheels of random shapes (members, sizes, methods, zip64, comment, bytes before),
    read from their end in ranges as the client does: the bytes zipfile reads."""
    rng = random.Random(seed)
    files = members(
        metadata("1.0", *(f"Classifier: Topic :: {n}" for n in range(rng.randrange(200)))),
        first=rng.random() < 0.5,
        padding=rng.choice([0, 1000, 70_000, 300_000]),
        entries=rng.choice([0, 10, 2000]),
    )
    wheel = build_wheel(
        files,
        method=rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
        zip64=rng.random() < 0.5,
        comment=b"c" * rng.choice([0, 100, 30_000]),
        prefix=b"x" * rng.choice([0, 0, 17]),
    )
    reads: list[tuple[int, int]] = []

    async def read_range(start: int, length: int) -> bytes:
        reads.append((start, length))
        assert start >= 0 and start + length <= len(wheel)
        return wheel[start : start + length]

    found = asyncio.run(
        read_wheel_metadata(
            read_range,
            tail=wheel[-TAIL_SIZE:],
            size=len(wheel),
            project="demo",
            version="1.0",
            limit=8 * 1024 * 1024,
        )
    )
    assert found == stored_metadata(wheel)
    assert len(reads) <= 2


@pytest.mark.parametrize(
    ("wheel", "problem"),
    [
        pytest.param(
            build_wheel({k: v for k, v in members().items() if not k.endswith("METADATA")}),
            "no demo-1.0.dist-info/METADATA in the wheel",
            id="no-metadata",
        ),
        pytest.param(
            build_wheel(members(dist_info="other-1.0.dist-info")),
            "no demo-1.0.dist-info/METADATA in the wheel (it has 'other-1.0.dist-info/METADATA')",
            id="dist-info-of-another-project",
        ),
        pytest.param(
            build_wheel(members(dist_info="demo-2.0.dist-info")),
            "no demo-1.0.dist-info/METADATA in the wheel (it has 'demo-2.0.dist-info/METADATA')",
            id="dist-info-of-another-version",
        ),
        pytest.param(
            build_wheel(
                {**members(), **members(dist_info="Demo-1.0.dist-info")},
            ),
            "more than one METADATA for demo 1.0 in the wheel "
            "('demo-1.0.dist-info/METADATA', 'Demo-1.0.dist-info/METADATA')",
            id="two-dist-infos",
        ),
        pytest.param(
            build_wheel(members(), method=zipfile.ZIP_STORED).replace(b">=3.9", b">=3.8"),
            "METADATA fails its CRC-32 check (a corrupt zip)",
            id="corrupt-crc",
        ),
        pytest.param(
            build_wheel(members(), method=zipfile.ZIP_BZIP2),
            "METADATA is compressed with bzip2; compatrix reads stored or deflate",
            id="bzip2",
        ),
        pytest.param(
            build_wheel(members(), method=zipfile.ZIP_LZMA),
            "METADATA is compressed with lzma; compatrix reads stored or deflate",
            id="lzma",
        ),
        pytest.param(
            random.Random(1).randbytes(100_000),
            "no zip end-of-central-directory record in its last 64 KiB (not a zip?)",
            id="not-a-zip",
        ),
        pytest.param(
            build_wheel(members())[:-10],
            "no zip end-of-central-directory record in its last ",
            id="cut-short",
        ),
    ],
)
def test_a_wheel_that_cannot_give_its_metadata_is_warned_about(
    serve: Serve, cache_dir: Path, wheel: bytes, problem: str
) -> None:
    server = serve({WHEEL: wheel})
    client = make_client(server.index_url, cache_dir)
    assert read(client, "1.0") == [(None, "unavailable")]
    warning, summary = client.warnings
    assert warning.startswith(f"cannot read core metadata out of {server.url}{WHEEL_PATH}: ")
    assert problem in warning
    assert summary.startswith("core metadata of 1 release wanted by selection could not be read")
    # Not remembered: the next run reads the wheel again (and warns again).
    server.clear_log()
    again = make_client(server.index_url, cache_dir)
    assert read(again, "1.0") == [(None, "unavailable")]
    assert ranges_asked(server)[0] == TAIL
    assert again.warnings == client.warnings


def test_metadata_of_another_release_inside_the_wheel_is_ignored(
    serve: Serve, cache_dir: Path
) -> None:
    server = serve({WHEEL: build_wheel(members(metadata("9.9")))})
    client = make_client(server.index_url, cache_dir)
    assert read(client, "1.0") == [(None, "unavailable")]
    assert client.warnings[0] == (
        f"ignored invalid core metadata at {server.url}{WHEEL_PATH}: it describes version "
        f"'9.9', not the wheel {WHEEL}"
    )


def test_the_next_wheel_is_read_when_one_cannot_be(serve: Serve, cache_dir: Path) -> None:
    good = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    server = serve({WHEEL: b"not a zip", good: build_wheel(members())})
    client = make_client(server.index_url, cache_dir)
    ((meta, status),) = read(client, "1.0")
    assert status == "ok" and meta is not None and meta.wheel == good
    files = [p for p in server.paths() if p.startswith("/files/")]
    # The .metadata files first, then the wheels, best first.
    assert files == [
        f"{WHEEL_PATH}.metadata",
        f"/files/{good}.metadata",
        WHEEL_PATH,
        f"/files/{good}",
    ]
    assert client.warnings == (
        (
            f"cannot read core metadata out of {server.url}{WHEEL_PATH}: no zip "
            "end-of-central-directory record in its last 9 bytes (not a zip?)"
        ),
    )


def test_metadata_read_out_of_wheels_is_cached_by_index_and_url(
    serve: Serve, cache_dir: Path
) -> None:
    server = serve({WHEEL: build_wheel(members())})
    first = read(make_client(server.index_url, cache_dir), "1.0")
    server.clear_log()
    client = make_client(server.index_url, cache_dir)
    assert read(client, "1.0") == first
    assert server.paths() == [PAGE]  # the .metadata 404 and the wheel's metadata, cached
    assert client.counters.cache_hits == 3
    # Another index serving a wheel of the same name and hash is another file.
    with IndexServer(server.root) as other:
        read(make_client(other.index_url, cache_dir), "1.0")
        assert ranges_asked(other) == [TAIL]


def test_a_missing_wheel_is_remembered_like_a_missing_metadata_file(
    serve: Serve, cache_dir: Path
) -> None:
    server = serve({WHEEL: None})
    assert read(make_client(server.index_url, cache_dir), "1.0") == [(None, "unavailable")]
    assert [r.status for r in server.requests_to(WHEEL_PATH)] == [404]
    server.clear_log()
    assert read(make_client(server.index_url, cache_dir), "1.0") == [(None, "unavailable")]
    assert server.paths() == [PAGE]


def test_advertised_metadata_read_out_of_the_wheel_must_match_its_hash(
    serve: Serve, cache_dir: Path
) -> None:
    wheel = build_wheel(members())
    good = hashlib.sha256(stored_metadata(wheel)).hexdigest()
    server = serve({WHEEL: wheel}, advertised={WHEEL: good})
    ((meta, status),) = read(make_client(server.index_url, cache_dir), "1.0")
    assert status == "ok" and meta is not None and meta.advertised is True
    assert meta.sha256 == good


def test_metadata_out_of_a_wheel_that_differs_from_the_advertised_hash_is_ignored(
    serve: Serve, cache_dir: Path
) -> None:
    server = serve({WHEEL: build_wheel(members())}, advertised={WHEEL: "ab" * 32})
    client = make_client(server.index_url, cache_dir)
    assert read(client, "1.0") == [(None, "unavailable")]
    assert client.warnings[0] == (
        f"ignored the METADATA in {server.url}{WHEEL_PATH}: it does not match the sha256 the "
        f"index advertised for its .metadata file ({'ab' * 32})"
    )


# --- servers and range requests ---------------------------------------------------------


BIG = build_wheel(members(padding=3 * TAIL_SIZE))
SMALL = build_wheel(members())


@pytest.mark.parametrize(
    ("ranges", "fault", "because"),
    [
        pytest.param(
            "ignore", None, "it sent the whole file for a range of 64 KiB", id="range-ignored"
        ),
        pytest.param(
            "no-content-range",
            None,
            "it answered 206 without a usable Content-Range",
            id="no-content-range",
        ),
        pytest.param(
            "refuse",
            None,
            f"it answered '{TAIL}' with 416 Range Not Satisfiable",
            id="416",
        ),
        pytest.param(
            "bytes",
            {"status": 206, "body": b"x" * 10, "headers": {"Content-Range": "bytes 0-9/100"}},
            f"it answered '{TAIL}' with bytes 0-9/100",
            id="another-range",
        ),
        pytest.param(
            "bytes",
            {"headers": {"Content-Encoding": "gzip"}},
            "it sent the bytes with Content-Encoding 'gzip'",
            id="encoded",
        ),
        pytest.param(
            "bytes",
            {"status": 206, "body": b"x" * (TAIL_SIZE + 1), "headers": {"Content-Range": "x"}},
            "it sent more than the 64 KiB asked for",
            id="more-than-asked",
        ),
    ],
)
def test_a_host_that_does_not_answer_ranges_is_not_asked_again_in_the_run(
    serve: Serve, cache_dir: Path, ranges: RangeMode, fault: dict[str, Any] | None, because: str
) -> None:
    other = "demo-2.0-py3-none-any.whl"
    server = serve(
        {WHEEL: BIG, other: build_wheel(members(metadata("2.0"), dist_info="demo-2.0.dist-info"))},
        ranges=ranges,
    )
    if fault is not None:
        server.fail(WHEEL_PATH, **fault)
    client = make_client(server.index_url, cache_dir)
    assert read(client, "1.0", "2.0") == [(None, "unavailable")] * 2
    assert client.counters.bytes_received < 2 * TAIL_SIZE < len(BIG)  # never the whole wheel
    assert len(server.requests_to(WHEEL_PATH)) == 1
    assert server.requests_to(f"/files/{other}") == []  # same host: not asked
    warning, summary = client.warnings
    assert warning == (
        f"{server.url} does not answer range requests as compatrix needs ({because}): core "
        "metadata is not read out of its wheels in this run"
    )
    assert summary.startswith("core metadata of 2 releases wanted by selection could not")


def test_a_small_wheel_sent_whole_is_read(serve: Serve, cache_dir: Path) -> None:
    assert len(SMALL) < TAIL_SIZE
    server = serve({WHEEL: SMALL}, ranges="ignore")
    client = make_client(server.index_url, cache_dir)
    ((meta, status),) = read(client, "1.0")
    assert status == "ok" and meta is not None
    assert [r.status for r in server.requests_to(WHEEL_PATH)] == [200]
    assert client.warnings == ()


def test_range_requests_are_retried(serve: Serve, cache_dir: Path) -> None:
    server = serve({WHEEL: SMALL})
    server.fail(WHEEL_PATH, status=503)
    ((_, status),) = read(make_client(server.index_url, cache_dir), "1.0")
    assert status == "ok"
    assert [r.status for r in server.requests_to(WHEEL_PATH)] == [503, 206]


def test_a_wheel_that_keeps_failing_is_an_error(serve: Serve, cache_dir: Path) -> None:
    server = serve({WHEEL: SMALL})
    server.fail(WHEEL_PATH, status=503, times=None)

    async def work(client: IndexClient) -> object:
        page = (await client.fetch_page("demo")).page
        return await client.fetch_metadata(page, "1.0")

    message = error_of(make_client(server.index_url, cache_dir), work)
    assert message == f"cannot fetch {server.url}{WHEEL_PATH}: HTTP 503 (gave up after 3 attempts)"


def test_a_range_request_is_bounded_by_the_timeout(serve: Serve, cache_dir: Path) -> None:
    server = serve({WHEEL: SMALL})
    server.fail(WHEEL_PATH, trickle=0.05, piece=100, times=None)

    async def work(client: IndexClient) -> object:
        page = (await client.fetch_page("demo")).page
        return await client.fetch_metadata(page, "1.0")

    message = error_of(make_client(server.index_url, cache_dir, timeout=0.3, retries=0), work)
    assert (
        message
        == f"cannot fetch {server.url}{WHEEL_PATH}: timed out after 0.3 s (gave up after 1 attempt)"
    )


def test_wheels_on_another_host_are_read_without_the_index_credentials(
    tmp_path: Path, cache_dir: Path
) -> None:
    files = write_index(tmp_path / "files-host", {WHEEL: SMALL})
    with IndexServer(files) as file_host:
        index = write_index(tmp_path / "index", {WHEEL: None})
        with IndexServer(index, auth=("user", "s3cret")) as server:
            # The index redirects the wheel to the other host (as PyPI's mirrors do).
            location = f"{file_host.url}{WHEEL_PATH}"
            server.fail(WHEEL_PATH, status=302, headers={"Location": location}, times=None)
            url = server.index_url.replace("http://", "http://user:s3cret@")
            ((meta, status),) = read(make_client(url, cache_dir), "1.0")
        assert status == "ok" and meta is not None
        asked = file_host.requests_to(WHEEL_PATH)
        assert [r.headers.get("range") for r in asked] == [TAIL]
        assert all("authorization" not in r.headers for r in asked)
        assert server.requests_to(WHEEL_PATH)[0].headers.get("authorization")


# --- metadata strings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "requires_python", "classifiers"),
    [
        pytest.param(["Requires-Python: >=3.8\x1b[31m"], ">=3.8 [31m", None, id="escape-sequence"),
        pytest.param(["Requires-Python: >=3.8\u202e,<4"], ">=3.8 ,<4", None, id="bidi-override"),
        pytest.param(
            ["Classifier: Programming Language :: Python :: 3.9\x1b]8;;x\x07"],
            None,
            ("Programming Language :: Python :: 3.12",),
            id="escape-in-a-classifier",
        ),
    ],
)
def test_metadata_strings_are_cleaned(
    serve: Serve,
    cache_dir: Path,
    lines: list[str],
    requires_python: str | None,
    classifiers: tuple[str, ...] | None,
) -> None:
    head = [
        "Metadata-Version: 2.1",
        "Name: demo",
        "Version: 1.0",
        "Classifier: Programming Language :: Python :: 3.12",
        *lines,
    ]
    server = serve({WHEEL: build_wheel(members(("\n".join(head) + "\n\n").encode()))})
    ((meta, status),) = read(make_client(server.index_url, cache_dir), "1.0")
    assert status == "ok" and meta is not None
    assert meta.requires_python == requires_python
    if classifiers is not None:
        assert meta.classifiers == classifiers
    recorded = [meta.requires_python or "", *meta.classifiers, *meta.extras]
    assert all(text.isprintable() for text in recorded)


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        pytest.param(
            ["Requires-Python: >=3." + "0" * 999],
            "Requires-Python is longer than 1000 characters (1003)",
            id="requires-python",
        ),
        pytest.param(
            ["Classifier: Topic :: " + "x" * 200],
            "a classifier is longer than 200 characters",
            id="classifier",
        ),
        pytest.param(
            [f"Classifier: Topic :: {n}" for n in range(501)],
            "more than 500 classifiers (502)",
            id="classifiers",
        ),
        pytest.param(
            [f"Provides-Extra: e{n}" for n in range(1001)],
            "more than 1000 extras (1002)",
            id="extras",
        ),
        pytest.param(
            ["Provides-Extra: " + "e" * 201],
            "an extra is longer than 200 characters",
            id="extra",
        ),
    ],
)
def test_over_long_metadata_is_unusable_with_a_warning(
    serve: Serve, cache_dir: Path, lines: list[str], problem: str
) -> None:
    text = metadata("1.0", *lines, requires_python=None)
    server = serve({WHEEL: build_wheel(members(text))})
    client = make_client(server.index_url, cache_dir)
    assert read(client, "1.0") == [(None, "unavailable")]
    prefix = f"ignored invalid core metadata at {server.url}{WHEEL_PATH}: {problem}"
    assert client.warnings[0].startswith(prefix)


# --- through `compatrix update` --------------------------------------------------------


CONFIG = (
    'python = ["3.11", "3.12"]\n\n[defaults]\npins = "off"\n\n[suites.alpha]\npackage = "alpha"\n'
)


def test_update_counts_the_releases_left_without_metadata_in_one_warning(
    tmp_path: Path,
) -> None:
    corpus = Index(packages={"alpha": minors(1, 3, start=day(2024, 1, 10))}).write(
        tmp_path / "index"
    )
    for path in (corpus / "files").glob("*.metadata"):
        path.unlink()  # and no wheel is served: nothing to read
    root = project(tmp_path / "proj", CONFIG, tox_ini=None)
    with IndexServer(corpus) as server:
        result = cli("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    lock = loads_lock((root / "compatrix.lock").read_text())
    unread = [r for r in lock.packages["alpha"].releases if r.metadata_status == "unavailable"]
    assert unread
    warnings = [line for line in result.err.splitlines() if "core metadata of" in line]
    assert warnings == [
        (
            f"warning: core metadata of {len(unread)} releases wanted by selection could "
            f"not be read ({len(unread)} with no .metadata file and no readable wheel): "
            "their Pythons are judged without classifiers"
        )
    ]


def test_update_records_metadata_read_out_of_wheels_cleaned(tmp_path: Path) -> None:
    corpus = Index(packages={"alpha": minors(1, 2, start=day(2024, 1, 10))}).write(
        tmp_path / "index"
    )
    for path in (corpus / "files").glob("*.metadata"):
        wheel = path.name[: -len(".metadata")]
        version = wheel.split("-")[1]
        text = path.read_text().replace(
            "Requires-Python: >=3.8", "Requires-Python: >=3.8\x1b[2J\u202e"
        )
        files = {
            f"alpha-{version}.dist-info/METADATA": text.encode(),
            f"alpha-{version}.dist-info/RECORD": b"",
        }
        (corpus / "files" / wheel).write_bytes(build_wheel(files))
        path.unlink()
    root = project(tmp_path / "proj", CONFIG, tox_ini=None)
    with IndexServer(corpus) as server:
        result = cli("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    text = (root / "compatrix.lock").read_text()
    lock = loads_lock(text)
    read_out = [r.metadata for r in lock.packages["alpha"].releases if r.metadata is not None]
    assert read_out and {m.requires_python for m in read_out} == {">=3.8 [2J"}
    assert "\x1b" not in text and "\\u001b" not in text and "\u202e" not in text
    assert "\\u202e" not in text.lower()
    assert "core metadata of" not in result.err


def test_the_raw_metadata_file_comes_out_of_the_wheel_too(serve: Serve, cache_dir: Path) -> None:
    """``fetch_metadata_file`` (init reads Requires-Dist with it) on an index without
    ``.metadata`` files, as many mirrors are: the METADATA inside the wheel, by ranges."""
    meta = metadata("1.0", 'Requires-Dist: flask>=1.0; extra == "instruments"')
    server = serve({WHEEL: build_wheel(members(meta))})
    client = make_client(server.index_url, cache_dir)

    async def work(c: IndexClient) -> bytes | None:
        page = (await c.fetch_page("demo")).page
        return await c.fetch_metadata_file(page.files[0])

    assert run(client, work) == meta
    assert server.paths()[:2] == [PAGE, f"{WHEEL_PATH}.metadata"]
    assert ranges_asked(server) == [TAIL]
