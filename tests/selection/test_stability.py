"""Stable picks: earlier middle picks stay while they fit (compatrix._selection._select)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest

from compatrix._lock._facts import Release

from ._build import UTC, Selected, picked, release, select, series, suite


def _minors(count: int, major: int = 1) -> list[str]:
    return [f"{major}.{n}" for n in range(count)]


def _select(versions: list[str], remembered: tuple[str, ...] = (), **policy: Any) -> Selected:
    return select(suite(**policy), *series(versions), remembered=remembered)


def test_adding_a_release_keeps_middle_picks() -> None:
    before = _select(_minors(13))
    assert picked(before) == ["1.0", "1.4", "1.8", "1.12"]

    grown = _minors(14)
    plain = _select(grown, before.remembered, stable_picks=False)
    stable = _select(grown, before.remembered)
    # Plain spacing moves the second middle pick (13 * 2/3 = 8.67 rounds to 9) ...
    assert picked(plain) == ["1.0", "1.4", "1.9", "1.13"]
    # ... stable picks keep both: each is within half a slot spacing of its ideal position.
    assert picked(stable) == ["1.0", "1.4", "1.8", "1.13"]
    # 1.4 is where plain spacing lands too; 1.8 is held where plain spacing would move on.
    assert [p.roles for p in stable.picks] == [("lowest",), ("spaced",), ("kept",), ("latest",)]


def test_anchor_too_far_from_its_slot_is_dropped() -> None:
    before = _select(_minors(13))
    after = _select(_minors(60), before.remembered)
    # Ideal positions are 19.67 and 39.33 (spacing 19.67): 1.4 and 1.8 are more than half
    # a spacing away from both and are dropped; the former latest, 1.12, is 7.67 away from
    # the first one and is kept.
    assert picked(after) == ["1.0", "1.12", "1.39", "1.59"]
    assert [p.roles for p in after.picks][1:3] == [("kept",), ("spaced",)]


def test_one_anchor_kept_one_replaced() -> None:
    after = _select(_minors(13), ("1.0", "1.3", "1.11", "1.12"))
    # 1.3 is 1 away from the ideal 4 (within 2); 1.11 is 3 away from 8 (beyond 2).
    assert picked(after) == ["1.0", "1.3", "1.8", "1.12"]
    assert [p.roles for p in after.picks][1:3] == [("kept",), ("spaced",)]


def test_newer_patch_stands_for_an_earlier_pick() -> None:
    versions = [*_minors(13)]
    versions[5] = "1.5.1"
    after = _select(versions, ("1.0", "1.5.0", "1.12"))
    assert picked(after)[1] == "1.5.1"
    assert after.picks[1].roles == ("kept",)


def test_older_patch_does_not_stand_for_an_earlier_pick() -> None:
    # The remembered 1.5.2 was yanked: 1.5.1 is the candidate of 1.5 now, but it is older.
    releases = [
        *series(_minors(13)),
        release("1.5.2", yanked=True, uploaded=datetime(2026, 1, 1, tzinfo=UTC)),
    ]
    after = select(suite(), *releases, remembered=("1.0", "1.5.2", "1.12"))
    assert picked(after) == ["1.0", "1.4", "1.8", "1.12"]


def test_earlier_pick_that_is_no_longer_a_candidate_is_dropped() -> None:
    after = _select(_minors(13), ("1.0", "1.4", "1.8", "1.12"), exclude={"1.4": "broken"})
    assert picked(after) == ["1.0", "1.5", "1.8", "1.12"]
    # 1.8 is also where plain spacing lands, so it is "spaced", not "kept".
    assert [p.roles for p in after.picks][1:3] == [("spaced",), ("spaced",)]


def test_stable_picks_off_ignores_remembered() -> None:
    after = _select(_minors(13), ("1.0", "1.3", "1.9", "1.12"), stable_picks=False)
    assert picked(after) == ["1.0", "1.4", "1.8", "1.12"]


def test_remembered_mandatory_and_unknown_versions_are_harmless() -> None:
    after = _select(_minors(13), ("1.0", "1.12", "9.9", "not a version"))
    assert picked(after) == ["1.0", "1.4", "1.8", "1.12"]


def _random_releases(rng: random.Random) -> list[Release]:
    versions: list[str] = []
    for major in range(rng.randint(1, 3)):
        for minor in range(rng.randint(1, 15)):
            versions.extend(f"{major}.{minor}.{patch}" for patch in range(rng.randint(1, 3)))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        release(v, uploaded=start + timedelta(days=n), yanked=rng.random() < 0.05)
        for n, v in enumerate(versions)
    ]


@pytest.mark.parametrize("seed", range(120))
def test_stable_picks_are_idempotent(seed: int) -> None:
    rng = random.Random(seed)
    releases = _random_releases(rng)
    the_suite = suite(num_versions=rng.randint(2, 8))
    remembered = tuple(r.version for r in releases if rng.random() < 0.3)  # any earlier state
    first = select(the_suite, *releases, remembered=remembered)
    second = select(the_suite, *releases, remembered=first.remembered)
    third = select(the_suite, *releases, remembered=second.remembered)
    assert picked(second) == picked(first)
    assert picked(third) == picked(first)


@pytest.mark.parametrize("seed", range(60))
def test_stable_picks_after_new_releases_are_idempotent(seed: int) -> None:
    rng = random.Random(seed)
    releases = _random_releases(rng)
    the_suite = suite(num_versions=rng.randint(3, 8))
    cut = rng.randint(1, len(releases))
    before = select(the_suite, *releases[:cut])
    after = select(the_suite, *releases, remembered=before.remembered)
    again = select(the_suite, *releases, remembered=after.remembered)
    assert picked(again) == picked(after)
    # Never more than the plain selection's count: anchors only fill existing slots.
    plain = select(suite(num_versions=the_suite.policy.num_versions, stable_picks=False), *releases)
    assert len(after.picks) == len(plain.picks)
