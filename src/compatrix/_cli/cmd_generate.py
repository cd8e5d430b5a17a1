"""``compatrix generate``: render the outputs from the config and the lock."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, matrix_of, read_lock, summary, write

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "generate",
        help="render the outputs from config and lock (no network)",
        description="Render tox configuration (and workflows) from the config and the lock, "
        "print the matrix, and write the files that changed.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    config = load_config(args)
    lock = read_lock(config)
    matrix = matrix_of(config, lock, ui, refuse_empty=True)
    if ui.verbosity >= 0:
        summary(matrix, ui)
    write(config, lock, matrix, ui)
    return 0
