"""The lock file format: round trip, determinism, validation."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from compatrix._fs import write_files_atomically
from compatrix._lock._facts import (
    CoreMetadata,
    MetadataStatus,
    PackageFacts,
    Release,
    sort_releases,
)
from compatrix._lock._format import LOCK_FORMAT, Lock, dumps_lock, loads_lock, read_lock
from compatrix._lock._resolutions import EnvResolution
from compatrix.errors import LockError

UTC = timezone.utc


def _lock() -> Lock:
    httpx = PackageFacts(
        name="httpx",
        index="https://pypi.org/simple/",
        fetched_at=datetime(2026, 11, 24, 10, 50, 27, tzinfo=UTC),
        serial=42075679,
        api_version="1.1",
        releases_from=Version("0.16"),
        releases=(
            Release(
                version="0.16.1",
                uploaded=datetime(2020, 10, 8, 9, 41, 2, 123456, tzinfo=UTC),
                yanked=False,
                requires_python=">=3.6",
                sdist=True,
                wheel_tags=("py3-none",),
                files=2,
            ),
            Release(
                version="0.28.0",
                uploaded=datetime(2024, 11, 28, 14, 0, tzinfo=UTC),
                yanked=True,
                yanked_reason="broke proxies",
                sdist=True,
                wheel_tags=("py3-none",),
                files=2,
                metadata_status="unavailable",
            ),
            Release(
                version="0.28.1",
                uploaded=datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC),
                yanked=False,
                requires_python=">=3.8",
                sdist=True,
                wheel_tags=("py3-none",),
                files=2,
                metadata=CoreMetadata(
                    wheel="httpx-0.28.1-py3-none-any.whl",
                    sha256="ab" * 32,
                    advertised=False,
                    requires_python=">=3.8",
                    classifiers=(
                        "Programming Language :: Python :: 3.8",
                        "Programming Language :: Python :: 3.12",
                    ),
                    extras=("brotli", "http2"),
                ),
                metadata_status="ok",
            ),
        ),
    )
    legacy = PackageFacts(
        name="old-thing",
        index="https://mirror.example/simple/",
        fetched_at=datetime(2026, 11, 20, tzinfo=UTC),
        releases=(
            Release(version="1.0", uploaded=None, yanked=False, files=0),
            Release(
                version="1.1", uploaded=None, yanked=False, files=1, metadata_status="no-wheel"
            ),
            Release(version="1.2-beta-weird", uploaded=None, yanked=False, files=1, sdist=True),
        ),
    )
    return Lock(
        as_of=None,
        packages={"old-thing": legacy, "httpx": httpx},
        picks={"httpx": ("0.16.1", "0.28.1")},
        resolutions={
            "py3.8-httpx-v0.16.1": EnvResolution(
                suite="httpx",
                version="0.16.1",
                python="3.8",
                inputs="cd" * 32,
                cut=date(2021, 1, 9),
                why="0.16.1's era: 0.17.0 appeared 2021-01-08, + 30 days",
                status="ok",
                pins=("certifi==2020.12.5", "httpx==0.16.1", "sniffio==1.2.0"),
            ),
            "py3.14t-httpx-v0.28.1": EnvResolution(
                suite="httpx",
                version="0.28.1",
                python="3.14t",
                inputs="ef" * 32,
                cut=date(2026, 11, 24),
                why="0.28.1 is still current: the lock's day",
                status="not-installable",
                reason="no free-threaded (cp314t) or pure-Python wheel of orjson 3.10.0",
            ),
        },
    )


def test_round_trip_keeps_every_fact() -> None:
    lock = _lock()
    text = dumps_lock(lock)
    again = loads_lock(text)
    assert again == lock
    assert again.packages["old-thing"].releases[-1].parsed is None
    assert dumps_lock(again) == text


def test_one_pin_per_line_and_no_section_without_pins() -> None:
    text = dumps_lock(_lock())
    assert '\n      "httpx==0.16.1",\n' in text
    assert '"resolutions"' not in dumps_lock(replace(_lock(), resolutions={}))


def test_same_facts_same_bytes_whatever_the_input_order() -> None:
    lock = _lock()
    rng = random.Random(7)
    shuffled_packages = {}
    for name in rng.sample(sorted(lock.packages), k=len(lock.packages)):
        facts = lock.packages[name]
        releases = list(facts.releases)
        rng.shuffle(releases)
        shuffled_packages[name] = replace(facts, releases=tuple(releases))
    picks = dict(reversed(lock.picks.items()))
    resolutions = dict(reversed(lock.resolutions.items()))
    shuffled = Lock(as_of=None, packages=shuffled_packages, picks=picks, resolutions=resolutions)
    assert dumps_lock(shuffled) == dumps_lock(lock)


def test_one_release_per_line_so_diffs_stay_small() -> None:
    text = dumps_lock(_lock())
    lines = [line for line in text.splitlines() if '"version": "0.28.1", "uploaded"' in line]
    assert len(lines) == 1
    assert json.loads(lines[0].strip().rstrip(","))["metadata"]["wheel"] == (
        "httpx-0.28.1-py3-none-any.whl"
    )
    assert json.loads(text)["compatrix-lock"] == LOCK_FORMAT


def test_defaults_are_left_out_of_release_lines() -> None:
    data = json.loads(dumps_lock(_lock()))
    first = data["packages"]["old-thing"]["releases"][0]
    assert first == {"version": "1.0", "files": 0}


def test_as_of_is_recorded_and_sets_the_reference_time() -> None:
    lock = replace(_lock(), as_of=date(2026, 8, 10))
    again = loads_lock(dumps_lock(lock))
    assert again.as_of == date(2026, 8, 10)
    assert again.reference_time("httpx") == datetime(2026, 8, 11, tzinfo=UTC)
    assert _lock().reference_time("httpx") == datetime(2026, 11, 24, 10, 50, 27, tzinfo=UTC)


def test_written_atomically_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "compatrix.lock"
    text = dumps_lock(_lock())
    assert write_files_atomically({path: text}) == [path]
    assert write_files_atomically({path: text}) == []  # unchanged: not rewritten
    assert read_lock(path) == _lock()
    assert [p.name for p in tmp_path.iterdir()] == ["compatrix.lock"]


def test_missing_lock(tmp_path: Path) -> None:
    assert read_lock(tmp_path / "compatrix.lock", missing_ok=True) is None
    with pytest.raises(LockError, match=r"no lock file at .*run `compatrix update`"):
        read_lock(tmp_path / "compatrix.lock")


ENV = "py3.8-httpx-v0.16.1"


def _corrupt(path: str | tuple[str, ...], value: object) -> str:
    """The lock's JSON with the value at a dotted path (or a path of keys) replaced."""
    data = json.loads(dumps_lock(_lock()))
    *parents, last = path.split(".") if isinstance(path, str) else path
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{", r"compatrix.lock: not valid JSON \(line 1, column 2\)", id="bad-json"),
        pytest.param("[]", r"\(top level\): expected an object, got list", id="not-an-object"),
        pytest.param("{}", r"compatrix-lock: missing or not an integer", id="not-a-lock"),
        pytest.param(
            _corrupt("compatrix-lock", LOCK_FORMAT + 1),
            rf"lock format {LOCK_FORMAT + 1} is newer than this compatrix understands",
            id="newer-format",
        ),
        pytest.param(_corrupt("as-of", "yesterday"), r"as-of: not a date", id="bad-as-of"),
        pytest.param(
            _corrupt("packages.httpx.releases-from", "soon"),
            r"packages\.httpx\.releases-from: not a version: 'soon'",
            id="bad-releases-from",
        ),
        pytest.param(
            _corrupt("packages.httpx.fetched-at", "soon"),
            r"packages\.httpx\.fetched-at: not an ISO-8601 time: 'soon'",
            id="bad-time",
        ),
        pytest.param(
            _corrupt("packages.httpx.releases.0.files", -1),
            r"packages\.httpx\.releases\[0\]\.files: expected a non-negative integer",
            id="negative-files",
        ),
        pytest.param(
            _corrupt("packages.httpx.releases.0.color", "red"),
            r"packages\.httpx\.releases\[0\]: unknown key 'color'",
            id="unknown-release-key",
        ),
        pytest.param(
            _corrupt("packages.httpx.releases.1.metadata", "lost"),
            r"packages\.httpx\.releases\[1\]\.metadata: unknown metadata state 'lost'",
            id="bad-metadata-state",
        ),
        pytest.param(
            _corrupt("packages.httpx.releases.2.metadata.advertised", "yes"),
            r"releases\[2\]\.metadata\.advertised: expected true or false",
            id="bad-metadata-field",
        ),
        pytest.param(
            _corrupt("picks.httpx", "0.16.1"),
            r"picks\.httpx: expected a list of strings",
            id="bad-picks",
        ),
        pytest.param(
            "[" * 100_000 + "]" * 100_000,
            r"^compatrix.lock: not valid JSON \(nested too deeply\)$",
            id="nested-100k-deep",
        ),
        pytest.param(
            _corrupt("as-of", "9999-12-31"),
            r"^compatrix.lock: as-of: 9999-12-31 is out of range \(the latest is 9999-12-30\)$",
            id="as-of-last-day",
        ),
        pytest.param(
            _corrupt("packages.httpx.fetched-at", "9999-12-31T23:00:00-05:00"),
            r"packages\.httpx\.fetched-at: out of range in UTC: '9999-12-31T23:00:00-05:00'",
            id="time-out-of-range",
        ),
        pytest.param(
            _corrupt("packages.httpx.releases.0.version", "1" * 5001),
            r"releases\[0\]\.version: not a version compatrix records: '1{58}\.\.\.1{58}'$",
            id="version-of-5001-digits",
        ),
        pytest.param(
            _corrupt("packages.httpx.releases.0.version", "1.0\x1b[2J"),
            r"releases\[0\]\.version: not a version compatrix records: '1\.0\\\\x1b\[2J'$",
            id="version-with-an-escape",
        ),
        pytest.param(
            _corrupt("picks.httpx", ["0.16.1", "99.0 beta"]),
            r"picks\.httpx\[1\]: not a version compatrix records: '99.0 beta'",
            id="bad-picked-version",
        ),
        pytest.param(
            _corrupt(("resolutions", ENV), ["httpx==0.16.1"]),
            r"resolutions\.py3\.8-httpx-v0\.16\.1: expected an object, got list",
            id="resolution-not-an-object",
        ),
        pytest.param(
            _corrupt(("resolutions", ENV, "status"), "fine"),
            r"resolutions\.py3\.8-httpx-v0\.16\.1\.status: unknown status 'fine'",
            id="resolution-bad-status",
        ),
        pytest.param(
            _corrupt(("resolutions", ENV, "cut"), "last week"),
            r"resolutions\.py3\.8-httpx-v0\.16\.1\.cut: not a date \(YYYY-MM-DD\)",
            id="resolution-bad-cut",
        ),
        pytest.param(
            _corrupt(("resolutions", ENV, "pins"), "httpx==0.16.1"),
            r"resolutions\.py3\.8-httpx-v0\.16\.1\.pins: expected a list of strings",
            id="resolution-bad-pins",
        ),
        pytest.param(
            _corrupt(("resolutions", ENV, "colour"), "red"),
            r"resolutions\.py3\.8-httpx-v0\.16\.1: unknown key 'colour'",
            id="resolution-unknown-key",
        ),
    ],
)
def test_invalid_locks_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(LockError, match=message):
        loads_lock(text)


def _release_entry(key: str, value: object) -> str:
    """A lock holding one release entry, with ``key`` set to ``value``."""
    entry: dict[str, Any] = {"version": "1.0", "uploaded": "2024-01-01T00:00:00Z", "files": 1}
    entry[key] = value
    facts = {"index": "https://pypi.org/simple/", "fetched-at": "2026-11-24T00:00:00Z"}
    return json.dumps({"compatrix-lock": 1, "packages": {"pkg": {**facts, "releases": [entry]}}})


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        pytest.param("version", 1, "version: expected a string, got int", id="version-int"),
        pytest.param("version", None, "version: expected a string, got null", id="version-null"),
        pytest.param("files", True, "files: expected a non-negative integer", id="files-bool"),
        pytest.param("files", 1.0, "files: expected a non-negative integer", id="files-float"),
        pytest.param(
            "uploaded",
            "2024-13-01T00:00:00Z",
            "uploaded: not an ISO-8601 time: '2024-13-01T00:00:00Z'",
            id="uploaded-month-13",
        ),
        pytest.param("uploaded", 0, "uploaded: expected a string, got int", id="uploaded-int"),
        pytest.param("sdist", 1, "sdist: expected true or false", id="sdist-int"),
        pytest.param("yanked", "yes", "yanked: expected true or false", id="yanked-text"),
        pytest.param("wheels", "py3-none", "wheels: expected a list of strings", id="wheels-text"),
        pytest.param(
            "wheels", ["py3-none", 3], "wheels[1]: expected a string, got int", id="wheels-mixed"
        ),
        pytest.param("wheels", None, "wheels: expected a list of strings", id="wheels-null"),
        pytest.param(
            "requires-python",
            3.8,
            "requires-python: expected a string, got float",
            id="requires-python-float",
        ),
        pytest.param(
            "yanked-reason", ["why"], "yanked-reason: expected a string, got list", id="reason-list"
        ),
        pytest.param(
            "metadata", None, "metadata: expected an object, got NoneType", id="metadata-null"
        ),
    ],
)
def test_invalid_release_entries_name_the_field(key: str, value: object, problem: str) -> None:
    with pytest.raises(LockError) as caught:
        loads_lock(_release_entry(key, value))
    assert str(caught.value) == f"compatrix.lock: packages.pkg.releases[0].{problem}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "2024-01-01T00:00:00+01:00", datetime(2023, 12, 31, 23, tzinfo=UTC), id="offset"
        ),
        pytest.param("2024-01-01", datetime(2024, 1, 1, tzinfo=UTC), id="date-only-is-utc"),
        pytest.param(
            "2024-01-01T00:00:00.5z", datetime(2024, 1, 1, 0, 0, 0, 500000, tzinfo=UTC), id="z"
        ),
    ],
)
def test_release_times_in_other_spellings_are_read_as_utc(text: str, expected: datetime) -> None:
    (release,) = loads_lock(_release_entry("uploaded", text)).packages["pkg"].releases
    assert release.uploaded == expected
    assert release.uploaded.tzinfo is UTC


TEXTS = (
    ">=3.8",
    "",
    " >=3.9 ",
    'has "quotes" and \\backslash\\',
    "\u00e9t\u00e9 \u2013 \U0001f40d",
)
"""Strings as the index client records them: printable, one line (other strings are
cleaned when the lock is read: test_strings_are_cleaned_and_capped_when_read)."""
STATUSES: tuple[MetadataStatus, ...] = ("not-fetched", "no-wheel", "unavailable")


def _random_release(rng: random.Random, n: int) -> Release:
    metadata = None
    status: MetadataStatus = rng.choice(STATUSES)
    if rng.random() < 0.1:
        metadata = CoreMetadata(
            wheel=f"pkg-{n}-py3-none-any.whl",
            sha256="ab" * 32,
            advertised=rng.random() < 0.5,
            requires_python=rng.choice((None, *TEXTS)),
            classifiers=("Programming Language :: Python :: 3.12",),
            extras=("cli",),
        )
        status = "ok"
    uploaded = None
    if rng.random() < 0.9:
        uploaded = datetime(2010, 1, 1, tzinfo=UTC) + timedelta(
            seconds=rng.randint(0, 16 * 365 * 86400),
            microseconds=rng.choice((0, rng.randint(0, 999_999))),
        )
    yanked = rng.random() < 0.1
    return Release(
        version=rng.choice((f"1.{n}", f"1.{n}rc1", f"legacy-{n}", f"{n}!1.0")),
        uploaded=uploaded,
        yanked=yanked,
        yanked_reason=rng.choice((None, *(t for t in TEXTS if t))) if yanked else None,
        requires_python=rng.choice((None, *TEXTS)),
        sdist=rng.random() < 0.5,
        wheel_tags=tuple(sorted(rng.sample(("py3-none", "cp312-cp312", "cp39-abi3"), k=2))),
        files=rng.randint(0, 40),
        metadata=metadata,
        metadata_status=status,
    )


def test_random_locks_round_trip_byte_for_byte() -> None:
    """Quotes, non-ASCII text, microseconds, legacy versions: every fact comes back."""
    rng = random.Random(11)
    releases = [_random_release(rng, n) for n in range(500)]
    facts = PackageFacts(
        name="pkg",
        index="https://pypi.org/simple/",
        fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
        releases=tuple(releases),
    )
    lock = Lock(packages={"pkg": facts}, picks={"pkg": ("1.1",)})
    text = dumps_lock(lock)
    again = loads_lock(text)
    assert again.packages["pkg"].releases == sort_releases(releases)
    assert again == replace(
        lock, packages={"pkg": replace(facts, releases=sort_releases(releases))}
    )
    assert dumps_lock(again) == text


def test_an_empty_lock() -> None:
    text = dumps_lock(Lock())
    assert (
        text
        == '{\n  "compatrix-lock": 1,\n  "as-of": null,\n  "packages": {\n  },\n  "picks": {}\n}\n'
    )
    assert loads_lock(text) == Lock()


def test_strings_are_cleaned_and_capped_when_read() -> None:
    """A lock edited by someone else brings no control sequence and no unbounded string."""
    hostile = "broken \x1b]0;owned\x07 \x1b[2J see \u202etxt.exe\tend"
    text = _corrupt("packages.httpx.releases.0.yanked-reason", hostile)
    text = text.replace('"requires-python": ">=3.6"', '"requires-python": "' + "9" * 5000 + '"', 1)
    data = json.loads(text)
    data["packages"]["httpx"]["releases"][0]["yanked"] = True
    data["packages"]["httpx"]["releases"][2]["metadata"]["classifiers"] = ["a\u202eb", "\x9b31m"]
    lock = loads_lock(json.dumps(data))
    releases = lock.packages["httpx"].releases
    assert releases[0].yanked_reason == "broken  ]0;owned   [2J see  txt.exe end"
    assert releases[0].requires_python == "9" * 1000
    metadata = releases[2].metadata
    assert metadata is not None
    assert metadata.classifiers == ("a b", " 31m")
    written = dumps_lock(lock)
    assert all(c.isprintable() or c == "\n" for c in written)
    assert loads_lock(written) == lock


def test_probes_round_trip_one_release_a_line_and_absent_when_none() -> None:
    from compatrix._lock import Probe

    day = date
    plain = Lock()
    assert '"probes"' not in dumps_lock(plain)
    probes = {
        "flask": {
            "2.3.3": {
                "3.13": Probe(outcome="imports", day=day(2026, 12, 3)),
                "3.9": Probe(outcome="fails", day=day(2026, 12, 3), detail="ImportError: x"),
            },
            "10.0": {"3.13": Probe(outcome="imports", day=day(2026, 12, 3))},
        }
    }
    text = dumps_lock(Lock(probes=probes))
    assert text.endswith(
        '  "picks": {},\n'
        '  "probes": {\n'
        '    "flask": {\n'
        '      "2.3.3": {"3.9": {"outcome": "fails", "date": "2026-12-03", '
        '"detail": "ImportError: x"}, "3.13": {"outcome": "imports", "date": "2026-12-03"}},\n'
        '      "10.0": {"3.13": {"outcome": "imports", "date": "2026-12-03"}}\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert loads_lock(text).probes == probes
    assert dumps_lock(loads_lock(text)) == text
