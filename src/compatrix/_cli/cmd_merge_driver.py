"""``compatrix merge-driver``: git's merge driver for the lock and the generated files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "merge-driver",
        help="git merge driver: regenerate conflicted generated files",
        description="Run by git (not by hand) for a file that both sides of a merge changed: "
        "the lock is merged fact by fact and a generated file is rendered from the merged "
        "config and lock, so conflicts inside generated regions disappear; conflicts in your "
        "own part of a file stay, with conflict markers, and the exit status is 1. Set up "
        "with `.gitattributes` (written by `compatrix init`) and `git config "
        'merge.compatrix.driver "compatrix merge-driver %O %A %B %P %L"`.',
    )
    parser.add_argument("base", type=Path, help="the common ancestor's version (git's %%O)")
    parser.add_argument("ours", type=Path, help="our version, replaced by the result (git's %%A)")
    parser.add_argument("theirs", type=Path, help="the other side's version (git's %%B)")
    parser.add_argument("path", help="the file's path in the repository (git's %%P)")
    parser.add_argument(
        "marker_size",
        type=int,
        nargs="?",
        default=7,
        metavar="marker-size",
        help="the conflict marker size (git's %%L)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._merge import MergeFiles, run_merge_driver  # noqa: PLC0415

    files = MergeFiles(
        base=args.base,
        ours=args.ours,
        theirs=args.theirs,
        path=args.path,
        marker_size=args.marker_size,
    )
    directory = (args.directory or Path.cwd()).resolve()
    result = run_merge_driver(files, directory=directory, config_path=args.config)
    args.ours.write_bytes(result.text.encode("utf-8"))
    if result.clean:
        ui.info(f"compatrix: {result.message}")
        return 0
    ui.warn(f"compatrix: {result.message}")
    return 1
