"""Where a bisect starts, its state on disk, and the public-surface diff."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from packaging.version import Version

from compatrix._bisect import (
    BisectState,
    Surface,
    changelog_url,
    diff_surfaces,
    plan_bisect,
    read_state,
    touched_by,
    write_state,
)
from compatrix._config import load_config
from compatrix._lock import read_lock
from compatrix._pythons import PythonVersion
from compatrix._results import Outcome, Result, Results
from compatrix.errors import ResultsError, UsageError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "breaking"


def _results(outcomes: dict[tuple[str, str], Outcome]) -> Results:
    rows = {}
    for (version, python), outcome in outcomes.items():
        result = Result(
            suite="packaging",
            version=Version(version),
            python=PythonVersion.parse(python),
            outcome=outcome,
            date=date(2026, 12, 3),
            env=f"py{python}-packaging-v{version}",
        )
        rows[result.key] = result
    return Results(results=rows, packages={"packaging": "packaging"})


def _plan(results: Results, **given: str | None):  # type: ignore[no-untyped-def]
    config = load_config(directory=EXAMPLE)
    lock = read_lock(config.lock_path)
    assert lock is not None
    suite = config.suite("packaging")
    assert suite is not None
    python = given.pop("python", None)
    return plan_bisect(
        suite,
        lock,
        results,
        python=PythonVersion.parse(python) if python else None,
        good=given.get("good"),
        bad=given.get("bad"),
    )


def test_plan_from_results_takes_the_break_on_the_newest_python() -> None:
    results = _results(
        {
            ("20.0", "3.8"): "passed",
            ("20.9", "3.8"): "passed",
            ("23.2", "3.8"): "failed",
            ("20.9", "3.9"): "passed",
            ("26.3", "3.9"): "failed",
            ("26.3", "3.12"): "failed",
        }
    )
    plan = _plan(results)
    assert plan.python == PythonVersion(3, 9)
    assert (str(plan.releases[0]), str(plan.releases[-1])) == ("20.9", "26.3")
    assert plan.recorded == {Version("20.9"): "passed", Version("26.3"): "failed"}
    on_38 = _plan(results, python="3.8")
    assert [str(v) for v in on_38.releases] == [
        "20.9",
        "21.0",
        "21.1",
        "21.2",
        "21.3",
        "22.0",
        "23.0",
        "23.1",
        "23.2",
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        pytest.param({}, "no results recorded for suite 'packaging': give --python", id="none"),
        pytest.param(
            {"python": "3.8"}, "show no release of packaging failing on 3.8", id="no-break"
        ),
        pytest.param(
            {"python": "3.8", "good": "22.0", "bad": "21.0"}, "must be older", id="reversed"
        ),
        pytest.param(
            {"python": "3.8", "good": "20.0", "bad": "99.0"},
            "99.0 is not in the lock",
            id="unknown-version",
        ),
        pytest.param({"python": "3.8", "good": "x", "bad": "21.0"}, "not a version", id="bad-text"),
    ],
)
def test_nothing_to_bisect(given: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        _plan(Results(), **given)


def test_state_round_trip_and_a_corrupt_state(tmp_path: Path) -> None:
    path = tmp_path / ".compatrix-bisect" / "packaging-3.8.json"
    state = BisectState(
        suite="packaging",
        package="packaging",
        python=PythonVersion(3, 8),
        outcomes={Version("21.3"): "passed", Version("22.0"): "failed"},
    )
    write_state(path, state)
    assert read_state(path, suite="packaging", package="packaging", python=state.python) == state
    other = read_state(path, suite="packaging", package="other", python=state.python)
    assert other.outcomes == {}
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ResultsError, match="not a bisect state file"):
        read_state(path, suite="packaging", package="packaging", python=state.python)


BEFORE = Surface(
    version="21.3",
    modules={
        "pkg": {"parse": "function (v)", "Legacy": "class (v)", "Keep": "class ()"},
        "pkg.old": {"f": "function ()"},
    },
)
AFTER = Surface(
    version="22.0",
    modules={
        "pkg": {"parse": "function (v, *, strict=True)", "Keep": "class ()", "New": "class ()"},
        "pkg.new": {},
    },
    urls=("Documentation, https://docs.example", "Changelog, https://example/changes"),
)


def test_surface_diff() -> None:
    diff = diff_surfaces(BEFORE, AFTER)
    assert diff.modules_added == ("pkg.new",)
    assert diff.modules_removed == ("pkg.old",)
    assert diff.names_removed == ("pkg:Legacy",)
    assert diff.names_added == ("pkg:New",)
    assert diff.changed == (("pkg:parse", "function (v)", "function (v, *, strict=True)"),)
    output = 'File "x.py", line 3, in sort\n    return sorted(vs, key=parse)\nInvalidVersion'
    assert touched_by(diff, output) == ("pkg:parse",)
    assert not diff_surfaces(BEFORE, BEFORE).names_added


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        pytest.param(AFTER.urls, "https://example/changes", id="changelog-label"),
        pytest.param(
            ("Homepage, https://h", "Source, https://github.com/o/r"),
            "https://github.com/o/r",
            id="source-when-no-changelog",
        ),
        pytest.param(("Homepage, https://h",), "https://h", id="first-url"),
        pytest.param((), None, id="none"),
    ],
)
def test_changelog_url(urls: tuple[str, ...], expected: str | None) -> None:
    assert changelog_url(Surface(version="1", urls=urls)) == expected
