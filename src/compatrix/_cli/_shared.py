"""Steps several commands share: reading the config and the lock, building the matrix,
writing the outputs, printing the summary."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui
    from compatrix._config import Config
    from compatrix._lock import Lock
    from compatrix._selection import Matrix

__all__ = [
    "AddCommand",
    "load_config",
    "matrix_of",
    "read_lock",
    "report_written",
    "summary",
    "unknown_suite",
    "warn",
    "write",
]

AddCommand = Callable[..., argparse.ArgumentParser]
"""Adds a subcommand: ``add(name, help=..., description=...)`` returns its parser."""


def load_config(args: argparse.Namespace) -> Config:
    from compatrix._config import load_config as load  # noqa: PLC0415

    return load(args.config, directory=args.directory)


def read_lock(config: Config) -> Lock:
    from compatrix._lock import read_lock as read  # noqa: PLC0415

    lock = read(config.lock_path)
    assert lock is not None
    return lock


def matrix_of(
    config: Config,
    lock: Lock,
    ui: Ui,
    *,
    suites: list[str] | None = None,
    refuse_empty: bool = False,
) -> Matrix:
    """The matrix of the config and the lock, its selection warnings printed.

    ``refuse_empty``: raise ConfigError, before any warning, when the config leaves nothing
    to test (the commands that render the matrix into files).
    """
    from compatrix._selection import build_matrix, refuse_empty_by_config  # noqa: PLC0415

    matrix = build_matrix(config, lock, suites=suites)
    if refuse_empty:
        refuse_empty_by_config(config, matrix)
    warn(matrix, ui)
    return matrix


def warn(matrix: Matrix, ui: Ui) -> None:
    for suite_matrix in matrix.suites:
        for warning in suite_matrix.selection.warnings:
            ui.warn(f"{suite_matrix.suite.name}: {warning}")
    for unmet in matrix.budget_unmet:
        ui.warn(unmet)


def warn_outputs(config: Config, outputs: Mapping[Path, str | None], ui: Ui) -> None:
    """Warn about what the planned outputs show of the user's own parts (a test-path that
    the tox commands never read)."""
    from compatrix._render import unread_test_path  # noqa: PLC0415

    for warning in unread_test_path(config, outputs.get(config.tox.file)):
        ui.warn(warning)


def write(config: Config, lock: Lock, matrix: Matrix, ui: Ui) -> None:
    from compatrix._render import plan_outputs, write_outputs  # noqa: PLC0415

    outputs = plan_outputs(config, matrix, resolutions=lock.resolutions)
    warn_outputs(config, outputs, ui)
    changed = write_outputs(outputs)
    report_written(config, changed, ui)
    if not changed:
        ui.info("generated files are up to date")


def report_written(config: Config, changed: list[Path], ui: Ui) -> None:
    for path in changed:
        verb = "wrote" if path.exists() else "removed"
        ui.info(f"{verb} {config.label(path)}")


def summary(matrix: Matrix, ui: Ui) -> None:
    from compatrix._cli._ui import matrix_table  # noqa: PLC0415
    from compatrix._text import plural  # noqa: PLC0415

    envs = matrix.envs
    latest = sum(1 for env in envs if env.version is None)
    picks = sum(len(s.selection.picks) for s in matrix.suites)
    ui.out.print(matrix_table(matrix))
    ui.print(
        f"{plural(len(matrix.suites), 'suite')}, {plural(picks, 'picked version')}, "
        f"{plural(len(envs) - latest, 'pinned env')} + {plural(latest, 'latest env')}"
    )
    for line in matrix.budget:
        ui.print(line)


def unknown_suite(config: Config, name: str) -> str:
    import difflib  # noqa: PLC0415 - only a mistyped name needs it

    names = [s.name for s in config.suites]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no suite named {name!r} in {config.path.name}{hint}"
