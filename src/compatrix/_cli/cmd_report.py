"""``compatrix report --base LOCK_OR_REV``: what changed in the matrix since another lock."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, read_lock

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "report",
        help="what changed in the matrix since another lock",
        description="Compare the matrix from the current lock with the one from an older "
        "lock (a file, or a git revision holding the lock). Prints nothing when nothing "
        "changed.",
    )
    parser.add_argument(
        "--base",
        required=True,
        metavar="LOCK_OR_REV",
        help="an older lock file, or a git revision (e.g. HEAD, origin/main)",
    )
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._report import load_base_lock, render_report  # noqa: PLC0415

    config = load_config(args)
    lock = read_lock(config)
    base = load_base_lock(args.base, config)
    ui.raw(render_report(config, base, lock, output=args.format))
    return 0
