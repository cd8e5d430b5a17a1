"""Rendering: compatrix's matrix into the files it maintains.

Every renderer is a pure function from text (the file as it is, or None) and typed data to
the new text. :mod:`._outputs` plans every file in memory, then writes them together or
compares them with the files on disk (``check``).
"""

from __future__ import annotations

from compatrix._render._diff import unified_diff
from compatrix._render._json import matrix_json
from compatrix._render._outputs import find_drift, plan_outputs, plan_tox, write_outputs
from compatrix._render._regions import empty_regions, outside_regions
from compatrix._render._templates import render_template
from compatrix._render._test_path import unread_test_path
from compatrix._render._tox_ini import render_tox_ini
from compatrix._render._tox_pyproject import render_pyproject_tox, tox_in_pyproject
from compatrix._render._tox_toml import render_tox_toml
from compatrix._render._update_workflow import UPDATE_WORKFLOW, install_line
from compatrix._render._workflows import render_workflows

__all__ = [
    "UPDATE_WORKFLOW",
    "empty_regions",
    "find_drift",
    "install_line",
    "matrix_json",
    "outside_regions",
    "plan_outputs",
    "plan_tox",
    "render_pyproject_tox",
    "render_template",
    "render_tox_ini",
    "render_tox_toml",
    "render_workflows",
    "tox_in_pyproject",
    "unified_diff",
    "unread_test_path",
    "write_outputs",
]
