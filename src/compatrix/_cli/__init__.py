"""The ``compatrix`` command line: parse arguments, run one command, report errors.

Each command lives in its own module (``cmd_update``, ``cmd_generate``, ...) with a
``register`` that adds its arguments and a ``run`` that does it. This package is the only
place that turns a :class:`CompatrixError` into a message and an exit status. Heavy modules
are imported inside the command that needs them, so that commands reading only the lock
start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from compatrix import __version__
from compatrix._cli import (
    cmd_bisect,
    cmd_check,
    cmd_explain,
    cmd_generate,
    cmd_init,
    cmd_matrix,
    cmd_merge_driver,
    cmd_probe,
    cmd_report,
    cmd_results,
    cmd_table,
    cmd_update,
)
from compatrix.errors import CompatrixError

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace, "Ui"], int]

DESCRIPTION = """\
Keep the test matrix of a library with integrations current: pick representative releases
of every integrated package, on the Pythons they support, and render them into tox.ini
(and CI workflows)."""

COMMANDS = (
    cmd_update,
    cmd_generate,
    cmd_check,
    cmd_explain,
    cmd_matrix,
    cmd_report,
    cmd_results,
    cmd_table,
    cmd_bisect,
    cmd_probe,
    cmd_init,
    cmd_merge_driver,
)
"""The commands, in the order ``--help`` and docs/cli.md list them."""


def _add_common(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """The options every command takes (on the main parser, with their defaults)."""

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "-C",
        "--directory",
        type=Path,
        metavar="DIR",
        default=default(None),
        help="run as if started in DIR (where the config is looked for)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        default=default(None),
        help="the config file (default: compatrix.toml, else pyproject.toml with "
        "[tool.compatrix], in the working directory)",
    )
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument(
        "-q",
        "--quiet",
        action="store_const",
        const=-1,
        dest="verbosity",
        default=default(0),
        help="only errors",
    )
    volume.add_argument(
        "-v",
        "--verbose",
        action="store_const",
        const=1,
        dest="verbosity",
        default=default(0),
        help="more detail",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; also the source of docs/cli.md."""
    parser = argparse.ArgumentParser(
        prog="compatrix",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"compatrix {__version__}")
    # The global options work before or after the command: `compatrix -v update` and
    # `compatrix update -v` both do. On the commands their default is SUPPRESS, so that a
    # command does not overwrite a value given before it.
    _add_common(parser, defaults=True)
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, defaults=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, *, help: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help, description=description)

    for command in COMMANDS:
        command.register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run compatrix with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    from compatrix._cli._ui import Ui  # noqa: PLC0415

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    ui = Ui(verbosity=args.verbosity)
    handler: Handler = args.handler
    try:
        return handler(args, ui)
    except CompatrixError as exc:
        ui.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        ui.error("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
