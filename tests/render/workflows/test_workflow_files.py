"""Whole workflow files: expected files checked in, each passing actionlint and zizmor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from compatrix._config._model import Config
from compatrix._render import render_workflows
from compatrix._selection._model import Matrix

from . import scenarios
from .build import assert_matches_files
from .lint import actionlint, write_tree, zizmor

CASES = [
    pytest.param(scenarios.groups, {}, "groups", id="groups-jobs-per-python"),
    pytest.param(scenarios.groups, {"jobs_per": "suite"}, "suites", id="groups-jobs-per-suite"),
    pytest.param(scenarios.big, {}, "big", id="group-above-256-jobs-split"),
]


def _render(
    make: Callable[..., tuple[Matrix, Config]], settings: dict[str, object]
) -> dict[str, str]:
    matrix, config = make(**settings)
    outputs = render_workflows(matrix, config)
    return {path.relative_to(config.root).as_posix(): text for path, text in outputs.items()}


@pytest.mark.parametrize(("make", "settings", "name"), CASES)
def test_expected_files(
    make: Callable[..., tuple[Matrix, Config]], settings: dict[str, object], name: str
) -> None:
    files = _render(make, settings)
    assert_matches_files({f"{name}.{Path(path).name}": text for path, text in files.items()})
    # Rendering is deterministic.
    assert _render(make, settings) == files


def test_expected_file_names() -> None:
    assert sorted(_render(scenarios.groups, {})) == [
        ".github/workflows/test-dbs.yml",
        ".github/workflows/test-network.yml",
    ]
    assert list(_render(scenarios.big, {})) == [".github/workflows/test-big.yml"]


@pytest.mark.parametrize(("make", "settings", "name"), CASES)
def test_actionlint_and_zizmor_find_nothing(
    make: Callable[..., tuple[Matrix, Config]],
    settings: dict[str, object],
    name: str,
    tmp_path: Path,
) -> None:
    paths = write_tree(tmp_path, _render(make, settings))
    actionlint(tmp_path, *paths)
    zizmor(tmp_path, *paths)
