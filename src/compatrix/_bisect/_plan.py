"""Where a bisect starts: the Python, the good and bad releases (given, or read from the
recorded results) and the releases between them in the lock. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from compatrix._config import Suite
from compatrix._lock import Lock
from compatrix._pythons import PythonVersion
from compatrix._results import Outcome, Results
from compatrix.errors import UsageError

__all__ = ["BisectPlan", "plan_bisect"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BisectPlan:
    suite: Suite
    python: PythonVersion
    releases: tuple[Version, ...]
    """From the good release to the bad one, oldest first: the final, not yanked releases
    in the lock between them, and the two ends."""
    recorded: dict[Version, Outcome]
    """Outcomes of releases in the range that the results file already has."""


def _version(text: str, what: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        msg = f"{what}: not a version: {text!r}"
        raise UsageError(msg) from None


def _break(outcomes: dict[Version, Outcome]) -> tuple[Version, Version] | None:
    """(good, bad): the oldest failing release above a passing one, and the newest passing
    release below it."""
    passed: Version | None = None
    for version in sorted(outcomes):
        if outcomes[version] == "passed":
            passed = version
        elif outcomes[version] in ("failed", "error") and passed is not None:
            return passed, version
    return None


def plan_bisect(
    suite: Suite,
    lock: Lock,
    results: Results,
    *,
    python: PythonVersion | None,
    good: str | None,
    bad: str | None,
) -> BisectPlan:
    """The bisect of ``suite``; raises UsageError when there is nothing to bisect."""
    recorded = (
        results.of_suite(suite.name)
        if results.packages.get(suite.name, suite.package) == suite.package
        else ()
    )
    by_python: dict[PythonVersion, dict[Version, Outcome]] = {}
    for result in recorded:
        by_python.setdefault(result.python, {})[result.version] = result.outcome
    breaks = {p: b for p, o in by_python.items() if (b := _break(o)) is not None}
    if python is None:
        if breaks:
            python = max(breaks)
        elif by_python:
            python = max(by_python)
        else:
            msg = f"no results recorded for suite {suite.name!r}: give --python"
            raise UsageError(msg)
    found = breaks.get(python)
    if good is not None and bad is not None:
        low, high = _version(good, "--good"), _version(bad, "--bad")
    elif found is not None:
        low = _version(good, "--good") if good is not None else found[0]
        high = _version(bad, "--bad") if bad is not None else found[1]
    else:
        msg = (
            f"the results show no release of {suite.package} failing on {python} above one "
            "that passes: give --good and --bad"
        )
        raise UsageError(msg)
    if low >= high:
        msg = f"--good {low} must be older than --bad {high}"
        raise UsageError(msg)
    facts = lock.packages[suite.package]
    for end, what in ((low, "--good"), (high, "--bad")):
        if facts.release(end) is None:
            msg = f"{what} {end}: {suite.package} {end} is not in the lock"
            raise UsageError(msg)
    between = [
        r.parsed
        for r in facts.releases
        if r.parsed is not None
        and not r.yanked
        and not r.parsed.is_prerelease
        and low < r.parsed < high
    ]
    releases = (low, *sorted(between), high)
    outcomes = by_python.get(python, {})
    return BisectPlan(
        suite=suite,
        python=python,
        releases=releases,
        recorded={v: outcomes[v] for v in releases if v in outcomes},
    )
