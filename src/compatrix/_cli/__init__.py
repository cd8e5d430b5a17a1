"""The ``compatrix`` command line: parse arguments, run one command, report errors.

This is the only module that turns a :class:`CompatrixError` into a message and an exit
status. Heavy modules are imported inside the command that needs them, so that commands
reading only the lock start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from compatrix import __version__
from compatrix.errors import CheckFailed, CompatrixError, UsageError

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui
    from compatrix._config._model import Config
    from compatrix._lock._format import Lock
    from compatrix._selection._model import Matrix

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace, "Ui"], int]

DESCRIPTION = """\
Keep the test matrix of a library with integrations current: pick representative releases
of every integrated package, on the Pythons they support, and render them into tox.ini
(and CI workflows)."""


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"not a date (YYYY-MM-DD): {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"must be a positive integer, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


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

    update = add(
        "update",
        help="refresh the lock from the package index, then regenerate the outputs",
        description="Read every release of the suites' packages from the index, record them "
        "in the lock, pick versions and rewrite the generated regions and files.",
    )
    update.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SUITE",
        help="refresh only this suite's package; the rest of the lock stays as it is",
    )
    update.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="SUITE",
        help="refresh every package but this suite's",
    )
    update.add_argument(
        "--as-of",
        type=_as_of,
        metavar="DATE",
        help="build the lock as the index stood at the end of DATE (UTC, YYYY-MM-DD)",
    )
    update.add_argument(
        "--offline",
        action="store_true",
        help="make no request: re-pick and regenerate from the facts already in the lock",
    )
    update.add_argument(
        "--index-url",
        metavar="URL",
        help="the Simple API root (overrides COMPATRIX_INDEX_URL, UV_DEFAULT_INDEX, "
        "UV_INDEX_URL, PIP_INDEX_URL and the config)",
    )
    update.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="at most N requests at once (default: [index] jobs, 50)",
    )
    cache = update.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="the HTTP cache (default: COMPATRIX_CACHE_DIR, else the user cache directory)",
    )
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write a cache")
    update.add_argument(
        "--lock-only", action="store_true", help="write the lock but not the generated outputs"
    )
    update.set_defaults(handler=_cmd_update)

    generate = add(
        "generate",
        help="render the outputs from config and lock (no network)",
        description="Render tox configuration (and workflows) from the config and the lock, "
        "print the matrix, and write the files that changed.",
    )
    generate.set_defaults(handler=_cmd_generate)

    check = add(
        "check",
        help="exit 1 with a diff when generated files are not current",
        description="Render everything in memory and compare with the files on disk, "
        "including hand edits inside generated regions. Makes no request and writes nothing.",
    )
    check.set_defaults(handler=_cmd_check)

    explain = add(
        "explain",
        help="why each release of a suite's package was picked or not",
        description="Every release considered for SUITE, picked or not and why, and for "
        "each pick the Pythons with the evidence for each.",
    )
    explain.add_argument("suite", metavar="SUITE", help="a suite name from the config")
    explain.add_argument("--format", choices=("table", "json"), default="table")
    explain.set_defaults(handler=_cmd_explain)

    matrix = add(
        "matrix",
        help="print the matrix (a table, or JSON for CI)",
        description="Print the generated envs. JSON output can feed a hand-written GitHub "
        "Actions workflow through fromJSON.",
    )
    matrix.add_argument("--format", choices=("table", "json"), default="table")
    matrix.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="GROUP",
        help="only this group's envs: its suites, and for JSON its workflows.extra-envs",
    )
    matrix.set_defaults(handler=_cmd_matrix)

    report = add(
        "report",
        help="what changed in the matrix since another lock",
        description="Compare the matrix from the current lock with the one from an older "
        "lock (a file, or a git revision holding the lock). Prints nothing when nothing "
        "changed.",
    )
    report.add_argument(
        "--base",
        required=True,
        metavar="LOCK_OR_REV",
        help="an older lock file, or a git revision (e.g. HEAD, origin/main)",
    )
    report.add_argument("--format", choices=("markdown", "json"), default="markdown")
    report.set_defaults(handler=_cmd_report)

    init = add(
        "init",
        help="set up compatrix in a project",
        description="Write a starter config (Python range from pyproject.toml, suites "
        "proposed from optional-dependency extras), the generated regions in tox.ini, and a "
        "weekly update workflow.",
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing config")
    init.set_defaults(handler=_cmd_init)
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
    except CheckFailed as exc:
        ui.error(str(exc))
        return exc.exit_code
    except CompatrixError as exc:
        ui.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        ui.error("interrupted")
        return 130


# --- shared steps -----------------------------------------------------------------------


def _config(args: argparse.Namespace) -> Config:
    from compatrix._config._model import load_config  # noqa: PLC0415

    return load_config(args.config, directory=args.directory)


def _matrix(config: Config, lock: Lock, ui: Ui, *, suites: list[str] | None = None) -> Matrix:
    from compatrix._selection._matrix import build_matrix  # noqa: PLC0415

    matrix = build_matrix(config, lock, suites=suites)
    _warn(matrix, ui)
    return matrix


def _warn(matrix: Matrix, ui: Ui) -> None:
    for suite_matrix in matrix.suites:
        for warning in suite_matrix.selection.warnings:
            ui.warn(f"{suite_matrix.suite.name}: {warning}")


def _read_lock(config: Config) -> Lock:
    from compatrix._lock._format import read_lock  # noqa: PLC0415

    lock = read_lock(config.lock_path)
    assert lock is not None
    return lock


def _write(config: Config, matrix: Matrix, ui: Ui) -> None:
    from compatrix._render._outputs import plan_outputs, write_outputs  # noqa: PLC0415

    changed = write_outputs(plan_outputs(config, matrix))
    _report_written(config, changed, ui)
    if not changed:
        ui.info("generated files are up to date")


def _report_written(config: Config, changed: list[Path], ui: Ui) -> None:
    for path in changed:
        verb = "wrote" if path.exists() else "removed"
        ui.info(f"{verb} {config.label(path)}")


def _summary(matrix: Matrix, ui: Ui) -> None:
    from compatrix._cli._ui import matrix_table, plural  # noqa: PLC0415

    envs = matrix.envs
    latest = sum(1 for env in envs if env.version is None)
    picks = sum(len(s.selection.picks) for s in matrix.suites)
    ui.out.print(matrix_table(matrix))
    ui.print(
        f"{plural(len(matrix.suites), 'suite')}, {plural(picks, 'picked version')}, "
        f"{plural(len(envs) - latest, 'pinned env')} + {plural(latest, 'latest env')}"
    )


# --- commands ---------------------------------------------------------------------------


def _cmd_generate(args: argparse.Namespace, ui: Ui) -> int:
    config = _config(args)
    lock = _read_lock(config)
    matrix = _matrix(config, lock, ui)
    if ui.verbosity >= 0:
        _summary(matrix, ui)
    _write(config, matrix, ui)
    return 0


def _cmd_check(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._render._outputs import find_drift, plan_outputs  # noqa: PLC0415

    config = _config(args)
    lock = _read_lock(config)
    matrix = _matrix(config, lock, ui)
    problems = []
    for suite_matrix in matrix.suites:
        for pick in suite_matrix.selection.picks:
            facts = lock.packages[suite_matrix.suite.package]
            release = facts.release(pick.version)
            if release is not None and release.metadata_status == "not-fetched":
                problems.append(
                    f"{config.label(config.lock_path)} has no core metadata for "
                    f"{suite_matrix.suite.package} {pick.version} (picked for "
                    f"{suite_matrix.suite.name}): the lock is older than the config"
                )
    drift = find_drift(config, plan_outputs(config, matrix))
    for item in drift:
        ui.raw(item.diff)
    if drift or problems:
        for problem in problems:
            ui.error(problem)
        names = ", ".join(config.label(d.path) for d in drift)
        what = f"{names} not current" if drift else "lock not current"
        msg = f"{what}: run `compatrix update` (or `compatrix generate` for outputs only)"
        raise CheckFailed(msg)
    ui.info("generated files are current")
    return 0


def _cmd_explain(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._report._explain import explain_json, explain_table  # noqa: PLC0415

    config = _config(args)
    suite = config.suite(args.suite)
    if suite is None:
        raise UsageError(_unknown_suite(config, args.suite))
    lock = _read_lock(config)
    (suite_matrix,) = _matrix(config, lock, ui, suites=[suite.name]).suites
    if args.format == "json":
        ui.raw(explain_json(suite_matrix, lock))
    else:
        for renderable in explain_table(suite_matrix, lock):
            ui.out.print(renderable)
    return 0


def _cmd_matrix(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._render import matrix_json  # noqa: PLC0415

    config = _config(args)
    known = {s.policy.group for s in config.suites} | set(config.workflows.extra_envs)
    for group in args.group:
        if group not in known:
            msg = (
                f"no suite or workflows.extra-envs entry is in group {group!r}; "
                f"groups: {', '.join(sorted(known))}"
            )
            raise UsageError(msg)
    lock = _read_lock(config)
    if args.format == "json":
        # The whole matrix: the workflows' partitions are checked against every env.
        ui.raw(matrix_json(_matrix(config, lock, ui), config, groups=tuple(args.group)))
    else:
        wanted = set(args.group)
        names = [s.name for s in config.suites if not wanted or s.policy.group in wanted]
        _summary(_matrix(config, lock, ui, suites=names), ui)
    return 0


def _cmd_report(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._report._changes import load_base_lock, render_report  # noqa: PLC0415

    config = _config(args)
    lock = _read_lock(config)
    base = load_base_lock(args.base, config)
    ui.raw(render_report(config, base, lock, output=args.format))
    return 0


def _cmd_init(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._scaffold import init_project  # noqa: PLC0415

    directory = (args.directory or Path.cwd()).resolve()
    for path in init_project(directory, force=args.force):
        ui.info(f"wrote {path.relative_to(directory).as_posix()}")
    ui.info("next: review compatrix.toml, then run `compatrix update`")
    return 0


def _cmd_update(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._lock._format import dumps_lock  # noqa: PLC0415
    from compatrix._render._outputs import plan_outputs, write_outputs  # noqa: PLC0415
    from compatrix._update import UpdateRequest, run_update  # noqa: PLC0415

    config = _config(args)
    for name in (*args.only, *args.skip):
        if config.suite(name) is None:
            raise UsageError(_unknown_suite(config, name))
    request = UpdateRequest(
        only=tuple(args.only),
        skip=tuple(args.skip),
        as_of=args.as_of,
        offline=args.offline,
        index_url=args.index_url,
        jobs=args.jobs,
        cache_dir=args.cache_dir,
        no_cache=args.no_cache,
        environ=dict(os.environ),
        now=datetime.now(tz=timezone.utc),
    )
    result = run_update(config, request, ui=ui)
    if result.matrix is None:
        matrix = _matrix(config, result.lock, ui)
    else:
        matrix = result.matrix
        _warn(matrix, ui)
    # Everything is rendered in memory first: a failure leaves every file as it was.
    outputs: dict[Path, str | None] = {} if args.lock_only else plan_outputs(config, matrix)
    if not result.unchanged or not config.lock_path.exists():
        outputs[config.lock_path] = dumps_lock(result.lock)
    changed = write_outputs(outputs)
    if ui.verbosity >= 0 and not args.lock_only:
        _summary(matrix, ui)
    _report_written(config, changed, ui)
    if not changed:
        ui.info("lock and generated files are up to date")
    ui.detail(result.stats)
    return 0


def _unknown_suite(config: Config, name: str) -> str:
    import difflib  # noqa: PLC0415

    names = [s.name for s in config.suites]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no suite named {name!r} in {config.path.name}{hint}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
