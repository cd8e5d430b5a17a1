"""The env budget: Pythons per pick trimmed first, then middle picks, per group then in
total, deterministic (compatrix._selection._budget)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from compatrix._config._model import BudgetSettings
from compatrix._lock._format import Lock
from compatrix._selection._matrix import build_matrix
from compatrix._selection._model import Matrix

from ._build import config, facts, series, suite

_MINORS = [f"1.{n}" for n in range(12)]


def _matrix(budget: BudgetSettings, **policy: Any) -> Matrix:
    suites = (
        suite(name="big", package="big", num_versions=5, group="web", **policy),
        suite(name="small", package="small", num_versions=3, group="db", **policy),
    )
    lock = Lock(
        packages={
            "big": facts(*series(_MINORS), name="big"),
            "small": facts(*series(_MINORS[:6]), name="small"),
        }
    )
    return build_matrix(replace(config(*suites), budget=budget), lock)


def _shape(matrix: Matrix) -> dict[str, list[tuple[str, int]]]:
    """Suite -> (pick, how many Pythons) for each pick."""
    return {
        s.suite.name: [(str(p.version), len(p.pythons)) for p in s.selection.picks]
        for s in matrix.suites
    }


UNTRIMMED = {
    "big": [("1.0", 3), ("1.3", 3), ("1.6", 3), ("1.8", 3), ("1.11", 3)],
    "small": [("1.0", 3), ("1.3", 3), ("1.5", 3)],
}
"""spread over 3.8 … 3.14: 3.8, 3.13 and 3.14; 30 envs with the -latest ones."""
TWO = {name: [(v, 2) for v, _ in picks] for name, picks in UNTRIMMED.items()}
ONE = {name: [(v, 1) for v, _ in picks] for name, picks in UNTRIMMED.items()}


@pytest.mark.parametrize(
    ("budget", "shape", "envs", "lines"),
    [
        pytest.param(BudgetSettings(), UNTRIMMED, 30, (), id="no-budget"),
        pytest.param(BudgetSettings(max_envs=30), UNTRIMMED, 30, (), id="within-budget"),
        pytest.param(
            BudgetSettings(max_envs=29),
            {"big": TWO["big"], "small": UNTRIMMED["small"]},
            24,
            ("env budget, total: 30 envs trimmed to 24 (limit 29)",),
            id="pythons-of-the-largest-suite-first",
        ),
        pytest.param(
            BudgetSettings(max_envs=20),
            TWO,
            20,
            ("env budget, total: 30 envs trimmed to 20 (limit 20)",),
            id="oldest-and-newest-python-everywhere",
        ),
        pytest.param(
            BudgetSettings(max_envs=12),
            ONE,
            10,
            ("env budget, total: 30 envs trimmed to 10 (limit 12)",),
            id="then-one-python",
        ),
        pytest.param(
            BudgetSettings(max_envs=8),
            {"big": [("1.0", 1), ("1.8", 1), ("1.11", 1)], "small": ONE["small"]},
            8,
            ("env budget, total: 30 envs trimmed to 8 (limit 8)",),
            id="then-middle-picks-nearest-the-centre",
        ),
        pytest.param(
            BudgetSettings(groups={"db": 6}),
            {"big": UNTRIMMED["big"], "small": ONE["small"]},
            22,
            ("env budget, group db: 12 envs trimmed to 4 (limit 6)",),
            id="a-group-limit-trims-only-its-suites",
        ),
        pytest.param(
            BudgetSettings(max_envs=2),
            {"big": [("1.0", 1), ("1.11", 1)], "small": [("1.0", 1), ("1.5", 1)]},
            6,
            ("env budget, total: 30 envs trimmed to 6 (limit 2)",),
            id="lowest-and-latest-never-go",
        ),
    ],
)
def test_budget(budget: BudgetSettings, shape: object, envs: int, lines: tuple[str, ...]) -> None:
    matrix = _matrix(budget)
    assert _shape(matrix) == shape
    assert len(matrix.envs) == envs
    assert matrix.budget == lines
    assert bool(matrix.budget_unmet) == (envs > (budget.max_envs or envs))
    assert _matrix(budget) == matrix  # deterministic


def test_an_unmet_budget_says_so() -> None:
    (unmet,) = _matrix(BudgetSettings(max_envs=2)).budget_unmet
    assert unmet.startswith("env budget, total: 6 envs after trimming all it may, over the limit")


def test_what_the_budget_did_is_noted_for_explain_and_report() -> None:
    matrix = _matrix(BudgetSettings(max_envs=2))
    big = matrix.suites[0]
    assert [str(v) for v in big.budget_dropped] == ["1.6", "1.3", "1.8"]
    assert big.budget_pythons
    assert big.selection.notes[-1] == (
        "env budget: each pick tested on one Python only; middle picks dropped: 1.6, 1.3, "
        "1.8 (18 → 3 envs)"
    )
    # The lock remembers the picks selection made, before the budget.
    assert big.selection.remembered == ("1.0", "1.3", "1.6", "1.8", "1.11")


def test_a_budget_for_a_group_no_suite_is_in_is_a_config_error() -> None:
    from compatrix._config import config_from_dict
    from compatrix.errors import ConfigError

    data = {
        "python": ["3.12"],
        "budget": {"groups": {"wbe": 10}},
        "suites": {"a": {"package": "a", "group": "web"}},
    }
    with pytest.raises(ConfigError, match=r"budget\.groups\.wbe: no suite is in group 'wbe'"):
        config_from_dict(data, path=Path("/project/compatrix.toml"))


def test_explain_says_which_candidates_the_budget_dropped() -> None:
    from compatrix._selection._matrix import suite_considered

    budget = BudgetSettings(max_envs=2)
    matrix = _matrix(budget)
    suites = (
        suite(name="big", package="big", num_versions=5, group="web"),
        suite(name="small", package="small", num_versions=3, group="db"),
    )
    lock = Lock(
        packages={
            "big": facts(*series(_MINORS), name="big"),
            "small": facts(*series(_MINORS[:6]), name="small"),
        }
    )
    records = suite_considered(replace(config(*suites), budget=budget), lock, matrix.suites[0])
    details = {c.version: (c.reason, c.detail) for c in records}
    assert details["1.6"] == (
        "not-chosen",
        "a candidate picked, then dropped by the env budget ([budget])",
    )
    assert details["1.7"][1].startswith("a candidate; num-versions 5 chose others")
