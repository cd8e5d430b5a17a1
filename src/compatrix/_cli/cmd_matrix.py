"""``compatrix matrix``: the envs, as a table or as JSON for a hand-written workflow."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, matrix_of, read_lock, summary
from compatrix.errors import UsageError

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "matrix",
        help="print the matrix (a table, or JSON for CI)",
        description="Print the generated envs. JSON output can feed a hand-written GitHub "
        "Actions workflow through fromJSON.",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="GROUP",
        help="only this group's envs: its suites, and for JSON its workflows.extra-envs",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._render import matrix_json  # noqa: PLC0415

    config = load_config(args)
    known = {s.policy.group for s in config.suites} | set(config.workflows.extra_envs)
    for group in args.group:
        if group not in known:
            msg = (
                f"no suite or workflows.extra-envs entry is in group {group!r}; "
                f"groups: {', '.join(sorted(known))}"
            )
            raise UsageError(msg)
    lock = read_lock(config)
    if args.format == "json":
        # The whole matrix: the workflows' partitions are checked against every env.
        ui.raw(matrix_json(matrix_of(config, lock, ui), config, groups=tuple(args.group)))
    else:
        wanted = set(args.group)
        names = [s.name for s in config.suites if not wanted or s.policy.group in wanted]
        summary(matrix_of(config, lock, ui, suites=names), ui)
    return 0
