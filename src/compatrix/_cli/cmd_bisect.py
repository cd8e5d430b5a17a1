"""``compatrix bisect SUITE``: the first release that breaks a suite, found with tox."""

from __future__ import annotations

import argparse
import os
import shlex
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, read_lock, unknown_suite
from compatrix.errors import UsageError

if TYPE_CHECKING:
    from packaging.version import Version

    from compatrix._bisect import BisectPlan, BisectReport
    from compatrix._cli._ui import Ui
    from compatrix._config import Config
    from compatrix._results import Outcome


def register(add: AddCommand) -> None:
    parser = add(
        "bisect",
        help="find the first release of a suite's package that breaks it (runs tox)",
        description="Run SUITE's env with tox on the releases between a good and a bad "
        "one, in binary search (at most ceil(log2 n) + 2 runs for n releases), and report "
        "the first bad release with its upload date, the releases between, the package's "
        "changelog URL and what changed in its public surface. The good and bad releases "
        "come from the recorded results unless given. Every outcome is recorded as it "
        "comes (in .compatrix-bisect/), so an interrupted bisect resumes, and added to the "
        "results file at the end.",
    )
    parser.add_argument("suite", metavar="SUITE", help="a suite name from the config")
    parser.add_argument("--good", metavar="VERSION", help="a release that passes")
    parser.add_argument("--bad", metavar="VERSION", help="a newer release that fails")
    parser.add_argument(
        "--python",
        metavar="3.X",
        help="the Python to run on (default: the newest one the results show a break on)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--tox", default="tox", metavar="CMD", help="how to run tox (default: tox)")
    parser.add_argument(
        "--no-surface",
        action="store_true",
        help="do not compare the public surface of the last good and first bad releases",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="forget the outcomes an earlier bisect recorded"
    )
    parser.set_defaults(handler=run)


def _surface(config: Config, plan: BisectPlan, report: BisectReport, ui: Ui) -> BisectReport:
    from compatrix._bisect import (  # noqa: PLC0415
        changelog_url,
        diff_surfaces,
        find_interpreter,
        read_surface,
    )

    interpreter = find_interpreter(plan.python, os.environ)
    if interpreter is None:
        return replace(report, surface_error=f"no Python {plan.python} interpreter found")
    surfaces = []
    for version in (report.last_good, report.first_bad):
        ui.info(f"reading the public surface of {plan.suite.package} {version}")
        try:
            surfaces.append(
                read_surface(
                    interpreter=interpreter,
                    requirement=f"{plan.suite.requirement}=={version}",
                    distribution=plan.suite.package,
                    index_url=config.index_url,
                    environ=os.environ,
                )
            )
        except (RuntimeError, OSError, ValueError) as exc:
            return replace(report, surface_error=str(exc))
    return replace(
        report,
        surface=diff_surfaces(surfaces[0], surfaces[1]),
        changelog=changelog_url(surfaces[1]),
    )


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._bisect import (  # noqa: PLC0415
        BisectReport,
        BisectState,
        ToxRunner,
        max_runs,
        plan_bisect,
        read_state,
        report_json,
        report_lines,
        search,
        state_path,
        touched_by,
        write_state,
    )
    from compatrix._fs import write_files_atomically  # noqa: PLC0415
    from compatrix._pythons import PythonVersion  # noqa: PLC0415
    from compatrix._results import Result, dumps_results, read_results  # noqa: PLC0415
    from compatrix._selection import pinned_env  # noqa: PLC0415

    config = load_config(args)
    suite = config.suite(args.suite)
    if suite is None:
        raise UsageError(unknown_suite(config, args.suite))
    python = None
    if args.python is not None:
        try:
            python = PythonVersion.parse(args.python)
        except ValueError as exc:
            raise UsageError(f"--python: {exc}") from None
    lock = read_lock(config)
    results = read_results(config.results_path)
    plan = plan_bisect(suite, lock, results, python=python, good=args.good, bad=args.bad)
    path = state_path(config.root, suite.name, plan.python)
    state = read_state(path, suite=suite.name, package=suite.package, python=plan.python)
    if args.fresh:
        state = BisectState(suite=suite.name, package=suite.package, python=plan.python)
    known = {**plan.recorded, **{v: o for v, o in state.outcomes.items() if v in plan.releases}}
    ui.info(
        f"bisecting {suite.name} on Python {plan.python}: {plan.releases[0]} to "
        f"{plan.releases[-1]}, {len(plan.releases)} releases (at most "
        f"{max_runs(len(plan.releases))} runs), {len(known)} outcomes known"
    )
    runner = ToxRunner(config=config, tox=shlex.split(args.tox), environ=dict(os.environ))
    outcomes = dict(state.outcomes)
    outputs: dict[Version, str] = {}

    def run_release(version: Version) -> Outcome:
        env = pinned_env(suite, version, plan.python)
        ui.info(f"running {env.name}")
        record = runner(env)
        outcome = record.outcome
        outputs[version] = record.output
        if outcome == "skipped":
            msg = f"tox skipped {env.name}: is Python {plan.python} installed?"
            raise UsageError(msg)
        ui.info(f"{env.name}: {outcome}")
        outcomes[version] = outcome
        write_state(path, replace(state, outcomes=dict(outcomes)))
        return outcome

    found, runs = search(plan.releases, known, run_release)
    facts = lock.packages[suite.package]
    good, bad = facts.release(found.last_good), facts.release(found.first_bad)
    report = BisectReport(
        suite=suite.name,
        package=suite.package,
        python=plan.python,
        last_good=found.last_good,
        last_good_uploaded=good.uploaded if good is not None else None,
        first_bad=found.first_bad,
        first_bad_uploaded=bad.uploaded if bad is not None else None,
        releases=plan.releases,
        runs=runs,
        known=len(known),
    )
    if runs:
        today = datetime.now(timezone.utc).date()
        new = tuple(
            Result(
                suite=suite.name,
                version=version,
                python=plan.python,
                outcome=outcome,
                date=today,
                env=pinned_env(suite, version, plan.python).name,
                commit=os.environ.get("GITHUB_SHA") or None,
            )
            for version, outcome in runs
        )
        merged = results.merged(new, {suite.name: str(suite.package)})
        write_files_atomically({config.results_path: dumps_results(merged)})
    if not args.no_surface:
        report = _surface(config, plan, report, ui)
        if report.surface is not None and found.first_bad in outputs:
            report = replace(report, touched=touched_by(report.surface, outputs[found.first_bad]))
    if args.format == "json":
        ui.raw(report_json(report))
    else:
        for line in report_lines(report):
            ui.print(line)
    return 0
