"""Selection: which releases of each suite's package are tested, on which Pythons, and the
env matrix they make. Pure functions of the config and the lock."""

from __future__ import annotations

from compatrix._selection._matrix import (
    SelectionMemo,
    build_matrix,
    env_deps,
    lock_date,
    pinned_env,
    refuse_empty_by_config,
    suite_considered,
    suite_matrix,
    support_rule,
)
from compatrix._selection._model import (
    PINNED_LATEST,
    Considered,
    Env,
    Matrix,
    NothingToTest,
    Pick,
    PickRole,
    SkipReason,
    SuiteMatrix,
    SuiteSelection,
    env_name,
    pick_verdicts,
    version_factor,
)
from compatrix._selection._select import considered, select_suite

__all__ = [
    "PINNED_LATEST",
    "Considered",
    "Env",
    "Matrix",
    "NothingToTest",
    "Pick",
    "PickRole",
    "SelectionMemo",
    "SkipReason",
    "SuiteMatrix",
    "SuiteSelection",
    "build_matrix",
    "considered",
    "env_deps",
    "env_name",
    "lock_date",
    "pick_verdicts",
    "pinned_env",
    "refuse_empty_by_config",
    "select_suite",
    "suite_considered",
    "suite_matrix",
    "support_rule",
    "version_factor",
]
