"""``compatrix explain SUITE``: every release considered, picked or not and why."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, matrix_of, read_lock, unknown_suite
from compatrix.errors import UsageError

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "explain",
        help="why each release of a suite's package was picked or not",
        description="Every release considered for SUITE, picked or not and why, and for "
        "each pick the Pythons with the evidence for each.",
    )
    parser.add_argument("suite", metavar="SUITE", help="a suite name from the config")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._report import explain_json, explain_table  # noqa: PLC0415

    config = load_config(args)
    suite = config.suite(args.suite)
    if suite is None:
        raise UsageError(unknown_suite(config, args.suite))
    lock = read_lock(config)
    (suite_matrix,) = matrix_of(config, lock, ui, suites=[suite.name]).suites
    if args.format == "json":
        ui.raw(explain_json(config, suite_matrix, lock))
    else:
        for renderable in explain_table(config, suite_matrix, lock):
            ui.out.print(renderable)
    return 0
