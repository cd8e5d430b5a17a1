"""Bisect: the first release of a suite's package that breaks it, found by running the
suite's env with tox in binary search, and what changed in the package's public surface."""

from __future__ import annotations

from compatrix._bisect._interpreters import find_interpreter
from compatrix._bisect._plan import BisectPlan, plan_bisect
from compatrix._bisect._report import BisectReport, report_json, report_lines
from compatrix._bisect._search import max_runs, search
from compatrix._bisect._state import BisectState, read_state, state_path, write_state
from compatrix._bisect._surface import (
    Surface,
    changelog_url,
    diff_surfaces,
    read_surface,
    touched_by,
)
from compatrix._bisect._tox import ToxRunner

__all__ = [
    "BisectPlan",
    "BisectReport",
    "BisectState",
    "Surface",
    "ToxRunner",
    "changelog_url",
    "diff_surfaces",
    "find_interpreter",
    "max_runs",
    "plan_bisect",
    "read_state",
    "read_surface",
    "report_json",
    "report_lines",
    "search",
    "state_path",
    "touched_by",
    "write_state",
]
