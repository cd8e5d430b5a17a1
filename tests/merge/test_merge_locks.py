"""Three-way merge of locks: each package and each suite's picks from the side that changed
them; changed on both sides, the facts fetched last."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from compatrix._lock import Lock, PackageFacts, Release
from compatrix._merge import merge_locks

UTC = timezone.utc


def _facts(name: str, day: int, *versions: str) -> PackageFacts:
    return PackageFacts(
        name=name,
        index="https://pypi.org/simple/",
        fetched_at=datetime(2026, 11, day, tzinfo=UTC),
        releases=tuple(Release(version=v, uploaded=None, yanked=False, files=1) for v in versions),
    )


A1 = _facts("a", 1, "1.0")
A2 = _facts("a", 2, "1.0", "1.1")
A3 = _facts("a", 3, "1.0", "1.1", "1.2")
B1 = _facts("b", 1, "2.0")
C2 = _facts("c", 2, "3.0")


def _lock(*facts: PackageFacts, picks: dict[str, tuple[str, ...]] | None = None) -> Lock:
    return Lock(packages={f.name: f for f in facts}, picks=picks or {})


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        pytest.param(_lock(A1), _lock(A2), _lock(A1), _lock(A2), id="changed-on-our-side"),
        pytest.param(_lock(A1), _lock(A1), _lock(A2), _lock(A2), id="changed-on-their-side"),
        pytest.param(_lock(A1), _lock(A3), _lock(A2), _lock(A3), id="both-ours-fetched-last"),
        pytest.param(_lock(A1), _lock(A2), _lock(A3), _lock(A3), id="both-theirs-fetched-last"),
        pytest.param(
            _lock(A1), _lock(A1, B1), _lock(A1, C2), _lock(A1, B1, C2), id="each-side-adds-one"
        ),
        pytest.param(_lock(A1, B1), _lock(A1), _lock(A1, B1), _lock(A1), id="removed-on-one-side"),
        pytest.param(
            _lock(A1, B1), _lock(A2), _lock(A1, B1), _lock(A2), id="removed-and-other-changed"
        ),
        pytest.param(None, _lock(A1), _lock(C2), _lock(A1, C2), id="no-lock-in-the-base"),
        pytest.param(
            _lock(A1, picks={"a": ("1.0",)}),
            _lock(A2, picks={"a": ("1.0", "1.1")}),
            _lock(A3, picks={"a": ("1.0", "1.2")}),
            _lock(A3, picks={"a": ("1.0", "1.2")}),
            id="picks-of-the-lock-updated-last",
        ),
        pytest.param(
            Lock(as_of=date(2026, 1, 1)),
            Lock(as_of=date(2026, 1, 1)),
            Lock(as_of=date(2026, 2, 1)),
            Lock(as_of=date(2026, 2, 1)),
            id="as-of-changed-on-one-side",
        ),
    ],
)
def test_merge_locks(base: Lock | None, ours: Lock, theirs: Lock, merged: Lock) -> None:
    assert merge_locks(base, ours, theirs) == merged
