"""The warning of an update about a dependency whose sdist "needs a build" in envs of
several suites (``compatrix._update._pins.build_warnings``): one line per dependency,
from the run's records, in a fixed order."""

from __future__ import annotations

from datetime import date

import pytest

from compatrix._lock import EnvResolution
from compatrix._update._pins import build_warnings

COVERAGE_313 = "no wheel of coverage 7.3.1 for cp313; its sdist needs a build"
COVERAGE_314 = "no wheel of coverage 7.3.1 for cp314; its sdist needs a build"
LOGBOOK_36 = "no wheel of logbook 1.5.3 for cp36; its sdist needs a build"
ADVICE = "(if it builds on your CI, add it to allow-builds)"


def _record(
    suite: str, python: str, reason: str, *, status: str = "not-installable"
) -> EnvResolution:
    return EnvResolution(
        suite=suite,
        version="1.0",
        python=python,
        inputs="0" * 64,
        cut=date(2024, 1, 1),
        why="era",
        status=status,  # type: ignore[arg-type]
        reason=reason,
    )


def _records(*records: EnvResolution) -> dict[str, EnvResolution]:
    return {f"py{r.python}-{r.suite}-v{r.version}-{i}": r for i, r in enumerate(records)}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        pytest.param(
            _records(
                _record("httpx", "3.13", COVERAGE_313),
                _record("httpx", "3.14", COVERAGE_314),
                _record("redis", "3.14", COVERAGE_314),
            ),
            [
                (
                    "coverage 7.3.1: no wheel for cp313, cp314; its sdist needs a build: 3 envs of "
                    f"2 suites are not installable on 3.13, 3.14 {ADVICE}"
                )
            ],
            id="two-suites",
        ),
        pytest.param(
            _records(
                _record("httpx", "3.13", COVERAGE_313),
                _record("httpx", "3.14", COVERAGE_314),
            ),
            [],
            id="one-suite-its-own-affair",
        ),
        pytest.param(
            _records(
                _record("httpx", "3.14", COVERAGE_314),
                # An ok record can name a build, of an earlier day of its ladder.
                _record("redis", "3.14", f"as of 2023-01-01: {COVERAGE_314}", status="ok"),
            ),
            [],
            id="installable-records-do-not-count",
        ),
        pytest.param(
            _records(
                _record("redis", "3.6", f"{LOGBOOK_36}; {COVERAGE_313.replace('13', '6')}"),
                _record("httpx", "3.6", LOGBOOK_36),
                _record("httpx", "3.14t", COVERAGE_314),
            ),
            [
                (
                    "coverage 7.3.1: no wheel for cp36, cp314; its sdist needs a build: 2 envs of "
                    f"2 suites are not installable on 3.6, 3.14t {ADVICE}"
                ),
                (
                    "logbook 1.5.3: no wheel for cp36; its sdist needs a build: 2 envs of "
                    f"2 suites are not installable on 3.6 {ADVICE}"
                ),
            ],
            id="two-dependencies-sorted-by-name",
        ),
        pytest.param(
            _records(
                _record("httpx", "3.13", COVERAGE_313),
                _record("redis", "3.13", COVERAGE_313.replace("7.3.1", "7.2.7")),
            ),
            [
                (
                    "coverage 7.2.7, 7.3.1: no wheel for cp313; its sdist needs a build: 2 envs of "
                    f"2 suites are not installable on 3.13 {ADVICE}"
                )
            ],
            id="versions-listed",
        ),
        pytest.param(
            _records(
                _record("httpx", "3.13", "no wheel or sdist of coverage 7.3.1 for cp313"),
                _record("redis", "3.13", "no wheel or sdist of coverage 7.3.1 for cp313"),
            ),
            [],
            id="not-a-build",
        ),
    ],
)
def test_build_warnings(records: dict[str, EnvResolution], expected: list[str]) -> None:
    assert build_warnings(records) == tuple(expected)


def test_packages_already_allowed_are_not_warned_about() -> None:
    """Records older than the list (of suites an ``--only`` update left out) still name a
    build the list now allows: the advice is taken already."""
    records = _records(
        _record("httpx", "3.13", COVERAGE_313),
        _record("redis", "3.13", COVERAGE_313),
        _record("redis", "3.6", LOGBOOK_36),
        _record("httpx", "3.6", LOGBOOK_36),
    )
    warned = build_warnings(records, allowed=("coverage",))
    assert [line.split(":")[0] for line in warned] == ["logbook 1.5.3"]


def test_build_warnings_do_not_follow_the_records_order() -> None:
    records = list(
        _records(
            _record("httpx", "3.14", COVERAGE_314),
            _record("redis", "3.13", COVERAGE_313),
            _record("redis", "3.6", LOGBOOK_36),
            _record("httpx", "3.6", LOGBOOK_36),
        ).items()
    )
    assert build_warnings(dict(records)) == build_warnings(dict(reversed(records)))
