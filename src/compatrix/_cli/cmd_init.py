"""``compatrix init``: set up compatrix in a project."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand

if TYPE_CHECKING:
    from compatrix._cli._ui import Ui
    from compatrix._scaffold import InstallSource, Proposal, ProposedSuite


def register(add: AddCommand) -> None:
    parser = add(
        "init",
        help="set up compatrix in a project",
        description="Write a starter config (Python range from pyproject.toml, suites "
        "proposed from optional-dependency extras), the generated regions in tox.ini, a "
        "weekly update workflow, and the merge driver's lines in .gitattributes. An extra "
        "naming one package is proposed as a suite with its bounds (min-version, include); "
        "a package that instruments another (its own 'instruments' extra, as OpenTelemetry's "
        "instrumentation packages have, read from the index) is proposed as the package it "
        "instruments. On a terminal, init asks about each suite; otherwise (or with "
        "--no-input) it keeps every proposed suite.",
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
    parser.add_argument(
        "--extras",
        metavar="NAMES",
        help="only these extras become suites (comma-separated)",
    )
    parser.add_argument(
        "--wrappers",
        action="store_true",
        help="test instrumentation packages themselves, not the packages they instrument",
    )
    parser.add_argument(
        "--no-input", action="store_true", help="do not ask; keep every proposed suite"
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="do not ask the index what the extras' packages instrument",
    )
    parser.add_argument(
        "--index-url", metavar="URL", help="the package index to ask (default: as for update)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._scaffold import DRIVER_CONFIG, init_project  # noqa: PLC0415

    directory = (args.directory or Path.cwd()).resolve()
    _refuse_other_config(args.config, directory)
    install = _install(args)
    proposal = _proposal(args, directory, ui)
    for path in init_project(directory, force=args.force, install=install, proposal=proposal):
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


def _refuse_other_config(config: Path | None, directory: Path) -> None:
    """init writes compatrix.toml in ``directory``: a ``--config`` naming another file
    (pyproject.toml among them) is refused rather than ignored."""
    from compatrix._config import CONFIG_NAME  # noqa: PLC0415
    from compatrix.errors import UsageError  # noqa: PLC0415

    if config is None or (directory / config).resolve() == directory / CONFIG_NAME:
        return
    msg = (
        f"--config {config}: init writes {CONFIG_NAME} in {directory}, and no other file; "
        "to keep the config in pyproject.toml, move its tables there under [tool.compatrix] "
        f"([defaults] becomes [tool.compatrix.defaults]) and delete {CONFIG_NAME}"
    )
    raise UsageError(msg)


def _install(args: argparse.Namespace) -> InstallSource:
    from compatrix._config import install_source_problem  # noqa: PLC0415
    from compatrix._scaffold import (  # noqa: PLC0415
        InstallSource,
        detect_install_source,
        installed_direct_url,
    )
    from compatrix.errors import UsageError  # noqa: PLC0415

    if args.install is None:
        return detect_install_source(installed_direct_url())
    problem = install_source_problem(args.install)
    if problem is not None:
        msg = f"--install: {problem}"
        raise UsageError(msg)
    return InstallSource(source=args.install)


def _proposal(args: argparse.Namespace, directory: Path, ui: Ui) -> Proposal:
    from packaging.utils import canonicalize_name  # noqa: PLC0415

    from compatrix._index import resolve_index_url  # noqa: PLC0415
    from compatrix._scaffold import (  # noqa: PLC0415
        choose_suites,
        extra_candidates,
        find_instruments,
        propose_suites,
        read_pyproject,
    )
    from compatrix.errors import CompatrixError, UsageError  # noqa: PLC0415

    pyproject = read_pyproject(directory)
    candidates, _ = extra_candidates(pyproject)
    only = None
    if args.extras is not None:
        only = {canonicalize_name(name) for name in args.extras.split(",") if name.strip()}
        unknown = sorted(only - {c.name for c in candidates})
        if unknown:
            known = ", ".join(c.name for c in candidates) or "none"
            msg = (
                f"--extras: no extra naming one package called {', '.join(unknown)} "
                f"(known: {known})"
            )
            raise UsageError(msg)
    instruments = {}
    if candidates and not args.offline:
        index_url = resolve_index_url(args.index_url, None, os.environ)
        try:
            instruments = find_instruments(
                (c.requirement for c in candidates), index_url=index_url, env=os.environ
            )
        except CompatrixError as exc:
            ui.warn(
                f"could not ask the index what the extras' packages instrument ({exc}); "
                "they are proposed as written (--offline skips asking)"
            )
    proposal = propose_suites(pyproject, instruments)
    interactive = not args.no_input and sys.stdin.isatty() and sys.stderr.isatty()
    return choose_suites(
        proposal,
        only=only,
        wrappers=args.wrappers,
        ask=_ask if interactive and only is None else None,
    )


def _ask(suite: ProposedSuite) -> str:
    bounds = ", ".join(
        part
        for part in (
            f"from {suite.min_version}" if suite.min_version else "",
            f"only {suite.include}" if suite.include else "",
        )
        if part
    )
    what = f"{suite.package}{f' ({bounds})' if bounds else ''}"
    choices = "[Y/n/w]" if suite.wrapper is not None else "[Y/n]"
    question = f"extra {suite.extra}: test {what} as suite {suite.name!r}?"
    if suite.wrapper is not None:
        question += f" (w: test {suite.wrapper.package} instead)"
    while True:
        sys.stderr.write(f"{question} {choices} ")
        sys.stderr.flush()
        answer = sys.stdin.readline().strip().lower()[:1] or "y"
        if answer in {"y", "n"} or (answer == "w" and suite.wrapper is not None):
            return answer
