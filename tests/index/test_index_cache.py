"""The on-disk cache."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from compatrix._index import Cache, CachedPage, default_cache_dir

URL = "https://x.org/simple/demo/"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def page(body: bytes = b'{"x": 1}') -> CachedPage:
    return CachedPage(
        url=URL,
        final_url=URL,
        etag='"abc"',
        content_type="application/vnd.pypi.simple.v1+json",
        body=body,
        serial="7",
    )


def test_default_cache_dir(tmp_path: Path) -> None:
    assert default_cache_dir({"COMPATRIX_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert default_cache_dir({}).name == "compatrix"


def test_page_round_trip(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.get_page(URL) is None
    cache.put_page(page())
    assert cache.get_page(URL) == page()
    assert cache.get_page(URL + "other/") is None


def test_metadata_by_its_sha256_is_verified(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    data = b"Metadata-Version: 2.1\nName: demo\n"
    digest = hashlib.sha256(data).hexdigest()
    cache.put_metadata(data, sha256=digest)
    assert cache.get_metadata(sha256=digest) == data
    wrong = hashlib.sha256(b"other").hexdigest()
    cache.put_metadata(data, sha256=wrong)  # stored under a key it does not hash to
    assert cache.get_metadata(sha256=wrong) is None


def test_metadata_by_source(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    source = "https://mirror.example.org/simple/ https://mirror.example.org/f/a.whl.metadata"
    cache.put_metadata(b"data", source=source)
    assert cache.get_metadata(source=source) == b"data"
    assert cache.get_metadata(source="https://other.example.org/simple/ " + source) is None
    assert cache.get_metadata(sha256=hashlib.sha256(b"data").hexdigest()) is None


def test_missing_is_remembered_for_the_ttl(tmp_path: Path) -> None:
    clock = Clock()
    cache = Cache(tmp_path, clock=clock)
    key = "cd" * 32
    assert not cache.is_missing(key)
    cache.remember_missing(key, url="https://x.org/a.whl.metadata")
    clock.now += timedelta(days=6, hours=23)
    assert cache.is_missing(key)
    clock.now += timedelta(hours=2)
    assert not cache.is_missing(key)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:-3], id="truncated"),
        pytest.param(lambda b: b.replace(b"\n", b" ", 1), id="no-header-line"),
        pytest.param(lambda b: b"garbage\n" + b, id="garbage-header"),
        pytest.param(lambda b: b[:-1] + b"X", id="flipped-byte"),
        pytest.param(lambda b: b"", id="empty"),
    ],
)
def test_corrupt_entries_are_misses(tmp_path: Path, damage: object) -> None:
    cache = Cache(tmp_path)
    cache.put_page(page())
    (entry,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert callable(damage)
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get_page(URL) is None
    cache.put_page(page(b"new"))  # and it can be rewritten
    assert cache.get_page(URL) == page(b"new")


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put_page(page())
    cache.put_metadata(b"m", source="https://x.org/simple/ https://x.org/a.whl.metadata")
    assert not list(tmp_path.rglob("*.tmp"))


def test_unwritable_cache_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = Cache(blocker)
    cache.put_page(page())
    assert cache.get_page(URL) is None


def test_disabled_cache_stores_nothing(tmp_path: Path) -> None:
    cache = Cache.disabled()
    cache.put_page(page())
    cache.remember_missing("ab" * 32, url="u")
    assert cache.get_page(URL) is None and not cache.is_missing("ab" * 32)
