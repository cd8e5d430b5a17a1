"""``compatrix results FILE...``: record what running the envs proved."""

from __future__ import annotations

import argparse
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, matrix_of, read_lock
from compatrix.errors import UsageError

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui


def register(add: AddCommand) -> None:
    parser = add(
        "results",
        help="record test outcomes from tox --result-json files and JUnit XML",
        description="Read tox --result-json files and JUnit XML reports and record each "
        "env's outcome (passed, failed, error, skipped) per suite, version and Python in "
        "the results file (`results` in the config, default compatrix-results.json). Runs "
        "of envs that are not in the current matrix (unknown suite, a version not in the "
        "lock, an older config) are reported and ignored. A malformed or incomplete file "
        "fails the command and nothing is written.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="result files")
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the day the envs ran, for files that do not say (default: today, UTC)",
    )
    parser.add_argument(
        "--commit",
        metavar="SHA",
        help="the project commit the envs ran on (default: $GITHUB_SHA when set)",
    )
    parser.set_defaults(handler=run)


def _day(text: str | None) -> date:
    if text is None:
        return datetime.now(timezone.utc).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"--date: not a date: {text!r} (expected YYYY-MM-DD)"
        raise UsageError(msg) from None


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._fs import read_text, write_files_atomically  # noqa: PLC0415
    from compatrix._results import (  # noqa: PLC0415
        RunRecord,
        dumps_results,
        ingest,
        parse_result_file,
        read_results,
    )
    from compatrix._text import plural  # noqa: PLC0415

    today = _day(args.date)
    commit = args.commit or os.environ.get("GITHUB_SHA") or None
    config = load_config(args)
    lock = read_lock(config)
    records: list[RunRecord] = []
    for path in args.files:
        text = read_text(path)
        if text is None:
            msg = f"no such result file: {path}"
            raise UsageError(msg)
        records.extend(parse_result_file(text, source=str(path)))
    existing = read_results(config.results_path)
    ingested = ingest(
        records,
        config=config,
        lock=lock,
        matrix=matrix_of(config, lock, ui),
        today=today,
        commit=commit,
    )
    for rejected in ingested.rejected:
        ui.warn(f"ignored {rejected}")
    recorded = {r.suite for r in ingested.accepted}
    packages = {s.name: str(s.package) for s in config.suites if s.name in recorded}
    merged = existing.merged(ingested.accepted, packages)
    changed = write_files_atomically({config.results_path: dumps_results(merged)})
    label = config.label(config.results_path)
    ui.info(
        f"{plural(len(ingested.accepted), 'result')} recorded, "
        f"{plural(len(ingested.rejected), 'run')} ignored; "
        + (f"wrote {label}" if changed else f"{label} is up to date")
    )
    return 0
