"""The lock's fast reading and writing paths give exactly what the careful paths give.

Locks hold thousands of releases, so the common release shape is read and written by
spelled-out fast paths; every other shape, and every invalid entry, takes the field-by-field
path. These seeded random tests hold the two to the same answers.
"""

from __future__ import annotations

import gc
import json
import random
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from compatrix._gc import gc_paused
from compatrix._lock._facts import CoreMetadata, MetadataStatus, PackageFacts, Release, new_release
from compatrix._lock._format import (
    Lock,
    _dump,
    _fast_release,
    _Reader,
    _release_json,
    _release_line,
    dumps_lock,
    format_time,
    loads_lock,
)
from compatrix.errors import LockError

UTC = timezone.utc
TEXTS = (
    ">=3.8",
    "",
    " >=3.9 ",
    'has "quotes" and \\backslash\\',
    "tab\there",
    "\u00e9t\u00e9 \u2013 \U0001f40d",
    "control\x01char",
)
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
    return Release(
        version=rng.choice((f"1.{n}", f"1.{n}rc1", f"legacy-{n}", f"{n}!1.0")),
        uploaded=uploaded,
        yanked=rng.random() < 0.1,
        yanked_reason=rng.choice((None, *TEXTS)),
        requires_python=rng.choice((None, *TEXTS)),
        sdist=rng.random() < 0.5,
        wheel_tags=tuple(sorted(rng.sample(("py3-none", "cp312-cp312", "cp39-abi3"), k=2))),
        files=rng.randint(0, 40),
        metadata=metadata,
        metadata_status=status,
    )


def test_release_lines_are_the_json_of_the_release() -> None:
    rng = random.Random(3)
    for n in range(2000):
        release = _random_release(rng, n)
        assert _release_line(release) == _dump(_release_json(release))


def test_fast_reader_gives_what_the_field_by_field_reader_gives() -> None:
    rng = random.Random(5)
    reader = _Reader("compatrix.lock")
    fast_taken = 0
    for n in range(2000):
        data = json.loads(_release_line(_random_release(rng, n)))
        fast = _fast_release(data)
        careful = reader.release(data, "packages.pkg.releases[0]")
        assert fast is None or fast == careful
        fast_taken += fast is not None
    assert fast_taken > 1500  # the common shape takes the fast path


BROKEN: list[tuple[str, object]] = [
    ("version", 1),
    ("version", None),
    ("files", True),
    ("files", 1.0),
    ("uploaded", "2024-13-01T00:00:00Z"),
    ("uploaded", "2024-01-01T00:00:00+01:00"),
    ("uploaded", "2024-01-01"),
    ("uploaded", 0),
    ("sdist", 1),
    ("yanked", "yes"),
    ("wheels", "py3-none"),
    ("wheels", ["py3-none", 3]),
    ("wheels", None),
    ("requires-python", 3.8),
    ("yanked-reason", ["why"]),
    ("metadata", "lost"),
    ("metadata", None),
    ("extra", "key"),
]


@pytest.mark.parametrize(("key", "value"), [pytest.param(k, v, id=f"{k}={v!r}") for k, v in BROKEN])
def test_unusual_or_invalid_entries_are_read_field_by_field(key: str, value: object) -> None:
    """The fast path declines, so the lock is read, or refused, exactly as before."""
    data: dict[str, Any] = {"version": "1.0", "uploaded": "2024-01-01T00:00:00Z", "files": 1}
    data[key] = value
    assert _fast_release(data) is None
    reader = _Reader("compatrix.lock")
    try:
        expected: Release | str = reader.release(data, "packages.pkg.releases[0]")
    except LockError as exc:
        expected = str(exc)
    text = json.dumps(
        {
            "compatrix-lock": 1,
            "packages": {
                "pkg": {
                    "index": "https://pypi.org/simple/",
                    "fetched-at": "2026-11-24T00:00:00Z",
                    "releases": [data],
                }
            },
        }
    )
    try:
        found: Release | str = loads_lock(text).packages["pkg"].releases[0]
    except LockError as exc:
        found = str(exc)
    assert found == expected


def test_random_locks_round_trip_byte_for_byte() -> None:
    rng = random.Random(11)
    releases = [_random_release(rng, n) for n in range(500)]
    facts = PackageFacts(
        name="pkg",
        index="https://pypi.org/simple/",
        fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
        releases=tuple(releases),
    )
    text = dumps_lock(Lock(packages={"pkg": facts}, picks={"pkg": ("1.1",)}))
    again = loads_lock(text)
    assert dumps_lock(again) == text
    reader = _Reader("compatrix.lock")
    entries = json.loads(text)["packages"]["pkg"]["releases"]
    careful = [reader.release(entry, "packages.pkg.releases[0]") for entry in entries]
    assert list(again.packages["pkg"].releases) == careful


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(datetime(2024, 12, 6, 15, 37, 21, tzinfo=UTC), id="whole-seconds"),
        pytest.param(datetime(2024, 12, 6, 15, 37, 21, 5, tzinfo=UTC), id="microseconds"),
        pytest.param(
            datetime(2024, 12, 6, 16, 37, 21, tzinfo=timezone(timedelta(hours=1))),
            id="another-offset",
        ),
        pytest.param(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC), id="three-digit-year"),
    ],
)
def test_format_time_matches_its_strftime_spelling(value: datetime) -> None:
    utc = value.astimezone(UTC)
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    assert format_time(value) == utc.strftime(pattern)


def test_gc_pause_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still on
    assert gc.isenabled()
    with pytest.raises(ValueError, match="boom"), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(
            {
                "version": "1.2.3",
                "uploaded": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
                "yanked": False,
                "yanked_reason": None,
                "requires_python": ">=3.8",
                "sdist": True,
                "wheel_tags": ("py3-none",),
                "files": 2,
            },
            id="ordinary",
        ),
        pytest.param(
            {
                "version": "1.0-legacy-thing",
                "uploaded": None,
                "yanked": True,
                "yanked_reason": "broken",
                "requires_python": None,
                "sdist": False,
                "wheel_tags": (),
                "files": 0,
            },
            id="legacy-yanked-no-files",
        ),
    ],
)
def test_new_release_equals_the_dataclass_constructor(fields: dict[str, object]) -> None:
    fast = new_release(**fields)  # type: ignore[arg-type]
    slow = Release(**fields)  # type: ignore[arg-type]
    assert fast == slow
    assert fast.parsed == slow.parsed
    assert repr(fast) == repr(slow)
    assert [getattr(fast, name) for name in Release.__slots__] == [
        getattr(slow, name) for name in Release.__slots__
    ]
