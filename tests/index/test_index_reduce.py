"""From project pages to release facts."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from compatrix._index import facts_from_page, group_files, parse_project_page, release_key
from compatrix._lock._facts import PackageFacts, Release

DATA = Path(__file__).parent.parent / "data" / "index"
JSON = "application/vnd.pypi.simple.v1+json"
URL = "https://index.example.org/simple/demo/"
FETCHED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def demo_facts(as_of: date | None = None) -> PackageFacts:
    body = (DATA / "simple/demo/index.json").read_bytes()
    page = parse_project_page(body, content_type=JSON, url=URL)
    return facts_from_page(
        page, index_url="https://index.example.org/simple/", fetched_at=FETCHED, as_of=as_of
    )


def release(facts: PackageFacts, version: str) -> Release:
    found = facts.release(version)
    assert found is not None, f"no release {version}"
    return found


def page_of(files: list[dict[str, Any]], **top: Any) -> Any:
    data = {"meta": {"api-version": "1.1"}, "name": "demo", "files": files, **top}
    return parse_project_page(json.dumps(data).encode(), content_type=JSON, url=URL)


def entry(filename: str, uploaded: str | None = "2024-01-01T00:00:00Z", **extra: Any) -> Any:
    return {"filename": filename, "url": filename, "hashes": {}, "upload-time": uploaded, **extra}


def test_package_fields() -> None:
    facts = demo_facts()
    assert facts.name == "demo"
    assert facts.index == "https://index.example.org/simple/"
    assert facts.fetched_at == FETCHED
    assert facts.serial == 12345
    assert facts.api_version == "1.1"
    assert facts.status is None


def test_releases_in_order_legacy_last() -> None:
    versions = [r.version for r in demo_facts().releases]
    assert versions == [
        "0.0.1",
        "0.1",
        "0.2",
        "1.0.0",
        "1.1.0",
        "1.2.0",
        "1.3.0",
        "2.0.0rc1",
        "2.0.0",
        "2.1.0",
        "0.3.linux-x86_64",
    ]


def test_version_listed_without_files() -> None:
    r = release(demo_facts(), "0.0.1")
    assert (r.files, r.uploaded, r.sdist, r.wheel_tags, r.yanked) == (0, None, False, (), False)


def test_sdist_only_release() -> None:
    r = release(demo_facts(), "0.1")
    assert (r.sdist, r.wheel_tags, r.files) == (True, (), 1)
    assert r.uploaded == utc(2019, 1, 10, 8)


def test_legacy_formats_are_counted_not_installable() -> None:
    r = release(demo_facts(), "0.2")
    assert (r.files, r.sdist, r.wheel_tags) == (2, False, ())


def test_legacy_unparseable_version() -> None:
    r = release(demo_facts(), "0.3.linux-x86_64")
    assert r.parsed is None
    assert (r.files, r.sdist, r.wheel_tags) == (1, False, ())


def test_earliest_upload_and_requires_python() -> None:
    r = release(demo_facts(), "1.0.0")
    assert r.uploaded == utc(2020, 5, 1, 9, 59)  # the sdist came a minute before the wheel
    assert r.requires_python == ">=3.6"
    assert (r.sdist, r.wheel_tags, r.files) == (True, ("py3-none",), 2)


def test_wheel_tags_are_interpreter_abi_pairs() -> None:
    r = release(demo_facts(), "1.1.0")
    assert r.wheel_tags == ("cp311-cp311", "cp312-cp312", "cp39-abi3")
    assert r.files == 5


def test_release_yanked_when_every_file_is() -> None:
    r = release(demo_facts(), "1.2.0")
    assert (r.yanked, r.yanked_reason) == (True, "broken build")
    assert r.wheel_tags == ("py2-none", "py3-none")  # compressed tag set expanded


def test_partly_yanked_release_uses_the_live_files() -> None:
    r = release(demo_facts(), "1.3.0")
    assert (r.yanked, r.yanked_reason) == (False, None)
    assert r.requires_python == ">=3.8"  # the yanked wheel said >=3.7
    assert (r.sdist, r.wheel_tags, r.files) == (True, (), 2)


def test_prerelease_and_build_tag() -> None:
    facts = demo_facts()
    rc = release(facts, "2.0.0rc1")
    assert rc.parsed is not None and rc.parsed.is_prerelease
    final = release(facts, "2.0.0")
    assert final.files == 2  # build-tagged wheel + sdist without upload time
    assert final.uploaded == utc(2021, 6, 2, 10)


@pytest.mark.parametrize(
    ("as_of", "newest", "absent"),
    [
        pytest.param(date(2020, 4, 30), "0.2", ["1.0.0", "0.0.1"], id="before-1.0"),
        pytest.param(date(2020, 5, 1), "1.0.0", ["1.1.0"], id="upload-day-is-kept"),
        pytest.param(date(2021, 6, 1), "2.0.0rc1", ["2.0.0", "2.1.0"], id="before-2.0"),
    ],
)
def test_as_of_cutoff(as_of: date, newest: str, absent: list[str]) -> None:
    facts = demo_facts(as_of)
    valid = [r for r in facts.releases if r.parsed is not None]
    assert valid[-1].version == newest
    for version in absent:
        assert facts.release(version) is None
    assert all(r.files > 0 for r in facts.releases)  # versions without files are left out
    cutoff = datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc)
    assert all(
        r.uploaded is not None and r.uploaded.date() <= cutoff.date() for r in facts.releases
    )


def test_as_of_drops_files_without_upload_time() -> None:
    r = release(demo_facts(date(2021, 6, 2)), "2.0.0")
    assert (r.files, r.sdist) == (1, False)


def test_equal_versions_are_one_release_spelled_as_listed() -> None:
    page = page_of(
        [entry("demo-1.0.0.tar.gz"), entry("demo-1.0-py3-none-any.whl")], versions=["1.0"]
    )
    facts = facts_from_page(page, index_url="x", fetched_at=FETCHED, as_of=None)
    assert [(r.version, r.files) for r in facts.releases] == [("1.0", 2)]


def test_versions_are_normalized() -> None:
    page = page_of([entry("demo-1.0RC1.tar.gz"), entry("demo-2.0.post0.tar.gz")])
    facts = facts_from_page(page, index_url="x", fetched_at=FETCHED, as_of=None)
    assert [r.version for r in facts.releases] == ["1.0rc1", "2.0.post0"]


def test_invalid_wheel_tags_never_reach_the_facts() -> None:
    page = page_of([entry("demo-0.10-py35+-none-any.whl"), entry("demo-0.11-py3-none-any.whl")])
    facts = facts_from_page(page, index_url="x", fetched_at=FETCHED, as_of=None)
    assert release(facts, "0.10").wheel_tags == ()
    assert release(facts, "0.10").files == 1
    assert release(facts, "0.11").wheel_tags == ("py3-none",)
    assert any("py35+" in w for w in page.warnings)


def test_sdist_with_dash_in_version_as_pip_reads_it() -> None:
    page = page_of([entry("demo-2.0.6-1.tar.gz")])
    facts = facts_from_page(page, index_url="x", fetched_at=FETCHED, as_of=None)
    assert [(r.version, r.sdist) for r in facts.releases] == [("2.0.6.post1", True)]


def test_status_other_than_active_is_recorded() -> None:
    data = {"meta": {"api-version": "1.4"}, "name": "demo", "files": []}
    for status, expected in (("active", None), ("quarantined", "quarantined")):
        data["project-status"] = {"status": status}
        page = parse_project_page(json.dumps(data).encode(), content_type=JSON, url=URL)
        assert facts_from_page(page, index_url="x", fetched_at=FETCHED, as_of=None).status == (
            expected
        )


def test_group_files_matches_equal_versions() -> None:
    page = page_of([entry("demo-1.0.0.tar.gz"), entry("demo-1.0-py3-none-any.whl")])
    assert len(group_files(page)[release_key("1.0")]) == 2
    assert release_key("1.0.0") not in group_files(page, as_of=date(2023, 12, 31))
