"""What one run of an env proved: the outcome of a suite's release on a Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from packaging.version import Version

from compatrix._pythons import PythonVersion

__all__ = ["OUTCOMES", "Outcome", "Result", "ResultKey", "Results"]

Outcome = Literal["passed", "failed", "error", "skipped"]
"""``passed``: the tests ran and passed. ``failed``: a test failed. ``error``: the env could
not be set up (an install failed) or a test errored. ``skipped``: nothing ran."""

OUTCOMES: tuple[Outcome, ...] = ("passed", "failed", "error", "skipped")

ResultKey = tuple[str, Version, PythonVersion]
"""(suite, version, Python): one result is kept per key, the newest."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The outcome of one env run: suite ``suite`` at ``version`` on ``python``."""

    suite: str
    version: Version
    python: PythonVersion
    outcome: Outcome
    date: date
    """The day it ran (UTC)."""
    env: str
    """The tox env that ran it (``py3.12-httpx-v0.28.1``, ``py3.12-httpx-latest``)."""
    commit: str | None = None
    """The project's commit it ran on, when known."""

    @property
    def key(self) -> ResultKey:
        return (self.suite, self.version, self.python)

    def newer_than(self, other: Result) -> bool:
        """Whether this result replaces ``other`` (same key): a later day, or the same day
        (the one ingested last wins)."""
        return self.date >= other.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Results:
    """Every result recorded, one per (suite, version, Python), and each suite's package
    when the results were recorded (a suite whose package changed since is stale)."""

    results: Mapping[ResultKey, Result] = field(default_factory=dict)
    packages: Mapping[str, str] = field(default_factory=dict)
    """Suite -> the package it tested."""

    def merged(self, new: tuple[Result, ...], packages: Mapping[str, str]) -> Results:
        """A copy with ``new`` recorded (each replacing an older result of its key)."""
        results = dict(self.results)
        for result in new:
            old = results.get(result.key)
            if old is None or result.newer_than(old):
                results[result.key] = result
        merged_packages = dict(self.packages)
        merged_packages.update(packages)
        return Results(results=results, packages=merged_packages)

    def of_suite(self, suite: str) -> tuple[Result, ...]:
        """The suite's results, by version then Python."""
        found = [r for r in self.results.values() if r.suite == suite]
        return tuple(sorted(found, key=lambda r: (r.version, r.python)))
