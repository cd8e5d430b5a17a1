"""``compatrix init``: set up compatrix in a project."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "init",
        help="set up compatrix in a project",
        description="Write a starter config (Python range from pyproject.toml, suites "
        "proposed from optional-dependency extras), the generated regions in tox.ini, and a "
        "weekly update workflow.",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing config")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._scaffold import init_project  # noqa: PLC0415

    directory = (args.directory or Path.cwd()).resolve()
    for path in init_project(directory, force=args.force):
        ui.info(f"wrote {path.relative_to(directory).as_posix()}")
    ui.info("next: review compatrix.toml, then run `compatrix update`")
    return 0
