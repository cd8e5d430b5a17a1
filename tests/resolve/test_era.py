"""The days an env is resolved at (``compatrix._resolve._era``)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from packaging.version import Version

from compatrix._lock import Release
from compatrix._resolve._era import cuts


def _release(version: str, day: str) -> Release:
    uploaded = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
    return Release(version=version, uploaded=uploaded, yanked=False, sdist=True, files=1)


RELEASES = [
    _release("1.0.0", "2020-01-10"),
    _release("1.0.1", "2020-03-01"),
    _release("1.1.0b1", "2020-05-01"),
    _release("1.1.0", "2020-06-01"),
    _release("1.0.2", "2020-09-01"),  # a backport, after 1.1.0
    _release("2.0.0", "2024-11-01"),
]
LOCK_DAY = date(2025, 1, 15)


@pytest.mark.parametrize(
    ("version", "policy", "days", "first_why"),
    [
        pytest.param(
            "1.0.1",
            "era",
            ["2020-07-01", "2020-09-29", "2021-07-01", "2022-07-01", "2025-01-15"],
            "1.0.1's era: 1.1.0 appeared 2020-06-01, + 30 days",
            id="era-then-later-steps-then-the-lock-day",
        ),
        pytest.param(
            "1.0.2",
            "era",
            ["2020-10-01", "2020-12-30", "2021-10-01", "2022-10-01", "2025-01-15"],
            "1.0.2's era: it appeared 2020-09-01, after 1.1.0, + 30 days",
            id="a-backport-uploaded-after-the-next-minor",
        ),
        pytest.param(
            "1.1.0",
            "era",
            ["2024-12-01", "2025-01-15"],
            "1.1.0's era: 2.0.0 appeared 2024-11-01, + 30 days",
            id="steps-stop-before-the-lock-day",
        ),
        pytest.param(
            "2.0.0", "era", ["2025-01-15"], "2.0.0 is still current: the lock's day", id="latest"
        ),
        pytest.param(
            "1.0.0", "lock-time", ["2025-01-15"], "the lock's day 2025-01-15", id="lock-time"
        ),
        pytest.param("1.0.0", "off", [], None, id="off"),
    ],
)
def test_cuts(version: str, policy: str, days: list[str], first_why: str | None) -> None:
    found = cuts(Version(version), RELEASES, policy=policy, lock_day=LOCK_DAY)  # type: ignore[arg-type]
    assert [cut.day.isoformat() for cut in found] == days
    assert (found[0].why if found else None) == first_why


def test_an_era_ending_after_the_lock_day_is_the_lock_day() -> None:
    recent = [_release("3.0.0", "2025-01-01"), _release("3.1.0", "2025-01-05")]
    (only,) = cuts(Version("3.0.0"), recent, policy="era", lock_day=LOCK_DAY)
    assert only.day == LOCK_DAY
