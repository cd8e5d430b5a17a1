"""``compatrix update``: refresh the lock from the index, pick, regenerate every output."""

from __future__ import annotations

import argparse
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from compatrix._cli._shared import (
    AddCommand,
    load_config,
    report_written,
    summary,
    unknown_suite,
    warn,
    warn_outputs,
)
from compatrix._lock import as_of_day, parse_as_of
from compatrix.errors import UsageError

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui
    from compatrix._config import Config


def _as_of(text: str) -> date:
    from compatrix._lock import LATEST_AS_OF  # noqa: PLC0415

    try:
        as_of = parse_as_of(text)
    except (ValueError, OverflowError):
        msg = f"not a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ): {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if as_of_day(as_of) > LATEST_AS_OF:
        msg = f"{text} is out of range (the latest is {LATEST_AS_OF.isoformat()})"
        raise argparse.ArgumentTypeError(msg)
    return as_of


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"must be a positive integer, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def register(add: AddCommand) -> None:
    parser = add(
        "update",
        help="refresh the lock from the package index, then regenerate the outputs",
        description="Read every release of the suites' packages from the index, record them "
        "in the lock, pick versions and rewrite the generated regions and files.",
    )
    parser.add_argument(
        "--only",
        action="extend",
        type=_suite_list,
        default=[],
        metavar="SUITE",
        help=(
            "refresh only this suite's package (repeat it, or list suites with commas); "
            "the rest of the lock stays as it is"
        ),
    )
    parser.add_argument(
        "--skip",
        action="extend",
        type=_suite_list,
        default=[],
        metavar="SUITE",
        help="refresh every package but this suite's (repeat it, or list suites with commas)",
    )
    parser.add_argument(
        "--as-of",
        type=_as_of,
        metavar="WHEN",
        help=(
            "build the lock as the index stood at the end of a day (YYYY-MM-DD, UTC) or at a "
            "moment (ISO-8601, YYYY-MM-DDTHH:MM:SSZ; without an offset, UTC)"
        ),
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="make no request: re-pick and regenerate from the facts already in the lock",
    )
    parser.add_argument(
        "--index-url",
        metavar="URL",
        help="the Simple API root (overrides COMPATRIX_INDEX_URL, UV_DEFAULT_INDEX, "
        "UV_INDEX_URL, PIP_INDEX_URL and the config)",
    )
    parser.add_argument(
        "--pins-index-url",
        metavar="URL",
        help="resolve the pinned envs against this index (default: the config's "
        "pins-index-url, else the one the facts come from), for an index that holds the "
        "suites' packages only",
    )
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="at most N requests at once (default: [index] jobs, 50)",
    )
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="the HTTP cache (default: COMPATRIX_CACHE_DIR, else the user cache directory)",
    )
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write a cache")
    parser.add_argument(
        "--lock-only", action="store_true", help="write the lock but not the generated outputs"
    )
    parser.add_argument(
        "--accept-empty",
        action="append",
        default=[],
        metavar="NAME",
        help="accept, for this run, that the index lists no file of the package NAME (or "
        "of suite NAME's package) although the lock records some, and that its suites lose "
        "every pick; without it such an answer is taken for an index fault (exit 3)",
    )
    parser.set_defaults(handler=run)


def _package_named(config: Config, name: str) -> str:
    """The package of ``--accept-empty NAME``: suite NAME's, else the package NAME."""
    from packaging.utils import canonicalize_name  # noqa: PLC0415

    suite = config.suite(name)
    if suite is not None:
        return suite.package
    package = canonicalize_name(name)
    if any(s.package == package for s in config.suites):
        return package
    raise UsageError(f"{unknown_suite(config, name)} (nor a package any suite tests)")


def _suite_list(text: str) -> list[str]:
    """``a,b`` as two suite names, as tox reads ``-e a,b`` (a suite name has no comma).
    An empty name is refused: ``--only ""`` must not mean every suite."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        msg = f"expected suite names separated by commas, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return names


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._lock import dumps_lock  # noqa: PLC0415
    from compatrix._render import plan_outputs, write_outputs  # noqa: PLC0415
    from compatrix._update import UpdateRequest, run_update  # noqa: PLC0415

    config = load_config(args)
    for name in (*args.only, *args.skip):
        if config.suite(name) is None:
            raise UsageError(unknown_suite(config, name))
    accept_empty = tuple(_package_named(config, name) for name in args.accept_empty)
    request = UpdateRequest(
        only=tuple(args.only),
        skip=tuple(args.skip),
        as_of=args.as_of,
        offline=args.offline,
        index_url=args.index_url,
        pins_index_url=args.pins_index_url or config.pins_index_url,
        jobs=args.jobs,
        cache_dir=args.cache_dir,
        no_cache=args.no_cache,
        environ=dict(os.environ),
        now=datetime.now(tz=timezone.utc),
        accept_empty=accept_empty,
    )
    result = run_update(config, request, ui=ui)
    matrix = result.matrix
    warn(matrix, ui)
    # Everything is rendered in memory first: a failure leaves every file as it was. The
    # lock goes first: an interruption can then leave only outputs older than the lock,
    # which `check` reports and `generate` completes.
    outputs: dict[Path, str | None] = {}
    if not result.unchanged or not config.lock_path.exists():
        outputs[config.lock_path] = dumps_lock(result.lock)
    if not args.lock_only:
        planned = plan_outputs(config, matrix, resolutions=result.lock.resolutions)
        warn_outputs(config, planned, ui)
        outputs.update(planned)
    changed = write_outputs(outputs)
    if ui.verbosity >= 0 and not args.lock_only:
        summary(matrix, ui)
    # The outputs first, then the lock, as the files are listed elsewhere.
    report_written(config, sorted(changed, key=lambda path: path == config.lock_path), ui)
    if not changed:
        ui.info("lock and generated files are up to date")
    ui.detail(result.stats)
    return 0
