"""``compatrix table``: the supported-versions table the recorded results prove."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compatrix._cli._shared import AddCommand, load_config, read_lock, unknown_suite
from compatrix.errors import OutputError, UsageError

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui
    from compatrix._config import Config


def register(add: AddCommand) -> None:
    parser = add(
        "table",
        help="the supported-versions table: what the recorded results prove, per Python",
        description="For each suite and Python, the release ranges the results file proves "
        "to pass, those that failed and those untested, and where the declared minimum "
        "(min-version, the project's requirements in pyproject.toml) is not proven. "
        "Markdown on standard output, or written into the marked region of a docs file "
        "(--write), or JSON.",
    )
    parser.add_argument("suites", nargs="*", metavar="SUITE", help="only these suites")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument(
        "--write",
        type=Path,
        metavar="FILE",
        help="write the Markdown into the supported-versions region of FILE (appended when "
        "FILE has none) instead of printing it",
    )
    parser.set_defaults(handler=run)


def _pyproject(config: Config) -> dict[str, Any] | None:
    from compatrix._fs import read_text  # noqa: PLC0415
    from compatrix._toml import tomllib  # noqa: PLC0415

    path = config.root / "pyproject.toml"
    text = read_text(path)
    if text is None:
        return None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"cannot read {config.label(path)}: {exc}"
        raise OutputError(msg) from None
    return data


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._fs import read_text, write_files_atomically  # noqa: PLC0415
    from compatrix._results import (  # noqa: PLC0415
        fill_region,
        read_results,
        support_table,
        table_json,
        table_markdown,
    )
    from compatrix._selection import lock_date  # noqa: PLC0415

    if args.write is not None and args.format == "json":
        msg = "--write writes Markdown into a docs file; leave out --format json"
        raise UsageError(msg)
    config = load_config(args)
    for name in args.suites:
        if config.suite(name) is None:
            raise UsageError(unknown_suite(config, name))
    lock = read_lock(config)
    day = lock_date(lock)
    table = support_table(
        config,
        lock,
        read_results(config.results_path),
        pythons=config.pythons(day) if day is not None else (),
        pyproject=_pyproject(config),
        suites=args.suites or None,
    )
    for note in table.ignored:
        ui.warn(f"left out {note}")
    if args.format == "json":
        ui.raw(table_json(table))
        return 0
    markdown = table_markdown(table)
    if args.write is None:
        ui.raw(markdown)
        return 0
    target = Path(os.path.normpath((args.directory or Path.cwd()) / args.write))
    label = config.label(target)
    text = fill_region(read_text(target), markdown, path=label)
    changed = write_files_atomically({target: text})
    ui.info(f"wrote {label}" if changed else f"{label} is up to date")
    return 0
