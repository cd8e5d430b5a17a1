"""The binary search: at most ceil(log2 n) + 2 runs, wherever the break is, resuming
from what is known."""

from __future__ import annotations

import math

import pytest
from packaging.version import Version

from compatrix._bisect import max_runs, search
from compatrix._results import Outcome
from compatrix.errors import UsageError


def _releases(count: int) -> list[Version]:
    return [Version(f"1.{i}") for i in range(count)]


def _oracle(first_bad: Version) -> tuple[list[Version], object]:
    ran: list[Version] = []

    def run(version: Version) -> Outcome:
        ran.append(version)
        return "passed" if version < first_bad else "failed"

    return ran, run


@pytest.mark.parametrize("count", [2, 3, 4, 5, 9, 16, 17, 33, 100])
def test_every_break_is_found_within_the_bound(count: int) -> None:
    releases = _releases(count)
    for bad_index in range(1, count):
        ran, run = _oracle(releases[bad_index])
        found, runs = search(releases, {}, run)  # type: ignore[arg-type]
        assert (found.last_good, found.first_bad) == (releases[bad_index - 1], releases[bad_index])
        assert len(ran) == len(runs) <= max_runs(count) == math.ceil(math.log2(count)) + 2


def test_known_ends_are_not_run_again_and_resume_skips_what_was_learnt() -> None:
    releases = _releases(17)
    ran, run = _oracle(releases[11])
    known: dict[Version, Outcome] = {releases[0]: "passed", releases[-1]: "failed"}
    search(releases, known, run)  # type: ignore[arg-type]
    assert releases[0] not in ran
    assert releases[-1] not in ran
    assert len(ran) == 4  # log2(16) halvings
    # Interrupted after two runs: a second search knows those and runs only the rest.
    first_two = {v: ("passed" if v < releases[11] else "failed") for v in ran[:2]}
    again, run_again = _oracle(releases[11])
    found, _ = search(releases, {**known, **first_two}, run_again)  # type: ignore[arg-type]
    assert again == ran[2:]
    assert found.first_bad == releases[11]


@pytest.mark.parametrize(
    ("known", "message"),
    [
        pytest.param({"1.0": "passed", "1.4": "passed"}, "1.4 passes", id="bad-end-passes"),
        pytest.param(
            {"1.0": "failed", "1.4": "failed"},
            "no release below it in the range passes",
            id="good-end-fails",
        ),
    ],
)
def test_ends_that_contradict_are_an_error(known: dict[str, Outcome], message: str) -> None:
    releases = _releases(5)
    with pytest.raises(UsageError, match=message):
        search(releases, {Version(k): v for k, v in known.items()}, lambda v: "passed")


def test_an_install_error_counts_as_bad() -> None:
    releases = _releases(5)
    outcomes: dict[Version, Outcome] = {releases[0]: "passed", releases[-1]: "error"}
    found, runs = search(releases, outcomes, lambda v: "error" if v >= releases[2] else "passed")
    assert found.first_bad == releases[2]
    assert len(runs) == 2
