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
    parser.add_argument(
        "--install",
        metavar="SOURCE",
        help="how the weekly update workflow installs compatrix: a requirement "
        "('compatrix==0.2.0'), a git URL ('compatrix @ git+https://github.com/compatrix/"
        "compatrix@v0.2.0') or a wheel path in the repository (default: the way this "
        "compatrix was installed)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._config import install_source_problem  # noqa: PLC0415
    from compatrix._scaffold import (  # noqa: PLC0415
        DRIVER_CONFIG,
        InstallSource,
        detect_install_source,
        init_project,
        installed_direct_url,
    )
    from compatrix.errors import UsageError  # noqa: PLC0415

    directory = (args.directory or Path.cwd()).resolve()
    if args.install is not None:
        problem = install_source_problem(args.install)
        if problem is not None:
            msg = f"--install: {problem}"
            raise UsageError(msg)
        install = InstallSource(source=args.install)
    else:
        install = detect_install_source(installed_direct_url())
    for path in init_project(directory, force=args.force, install=install):
        ui.info(f"wrote {path.relative_to(directory).as_posix()}")
    ui.info(f"the update workflow installs {install.source}")
    if install.note is not None:
        ui.warn(install.note)
    ui.info(
        "to let git resolve conflicts in the lock and the generated regions by regenerating "
        "them, run once in each clone:"
    )
    for line in DRIVER_CONFIG:
        ui.info(f"  {line}")
    ui.info("next: review compatrix.toml, then run `compatrix update`")
    return 0
