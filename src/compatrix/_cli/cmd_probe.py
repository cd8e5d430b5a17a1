"""``compatrix probe [SUITE...]``: install and import what the heuristics are unsure of."""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from compatrix._cli._shared import AddCommand, load_config, read_lock, report_written
from compatrix.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from pathlib import Path

    from compatrix._cli._ui import Ui
    from compatrix._config import Config
    from compatrix._lock import Lock, Probe
    from compatrix._probe import Floor, ProbeResult
    from compatrix._pythons import PythonVersion
    from compatrix._selection import Matrix


def register(add: AddCommand) -> None:
    parser = add(
        "probe",
        help="install and import the release/Python pairs the heuristics are unsure of",
        description="For every pick, the Pythons the support rule decided by a heuristic "
        "(the upload date, the classifiers, an sdist that the pins say needs a build) or on "
        "thin evidence (stale or unknown classifiers, an sdist only), and the Pythons just "
        "outside its tested range: "
        "create a throwaway env with uv, install the release, import its top-level "
        "modules and run the suite's `smoke` command. The outcomes are recorded in the "
        "lock with their date, selection prefers them to the heuristics, explain cites "
        "them, and the outputs are regenerated. When the outcomes change the picks or their "
        "Pythons, the new pairs are probed too, until none is left or the budget is spent. "
        "A missing interpreter is reported, never replaced. Envs the outcomes bring in "
        "that have no pins yet are named: `compatrix update` resolves them.",
    )
    parser.add_argument("suites", nargs="*", metavar="SUITE", help="only these suites")
    parser.add_argument(
        "--jobs", type=int, default=4, metavar="N", help="probes at a time (default 4)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="start no probe after this many seconds (default 600)",
    )
    parser.add_argument(
        "--again", action="store_true", help="probe pairs that already have an outcome too"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list the pairs to probe and change nothing"
    )
    parser.set_defaults(handler=run)


def _pairs(matrix: Matrix) -> set[tuple[str, str, str]]:
    return {(e.suite, str(e.version), str(e.python)) for e in matrix.envs if e.version}


def _floors(config: Config, lock: Lock, matrix: Matrix) -> list[Floor]:
    """Each suite's lowest release from min-version, when the heuristics left it no
    Python (selection skipped it as ``no-supported-python``)."""
    from compatrix._probe import Floor  # noqa: PLC0415
    from compatrix._selection import suite_considered, support_rule  # noqa: PLC0415

    rule = support_rule(config, lock)
    floors = []
    for suite_matrix in matrix.suites:
        considered = suite_considered(config, lock, suite_matrix)
        lowest = next((c for c in considered if c.reason != "below-min-version"), None)
        if lowest is None or lowest.reason != "no-supported-python":
            continue
        release = lock.packages[suite_matrix.suite.package].release(lowest.version)
        if release is None or release.parsed is None:
            continue
        restricted = suite_matrix.suite.python_restriction(release.parsed)
        restriction = rule.restriction(restricted) if restricted is not None else None
        floors.append(
            Floor(
                suite=suite_matrix.suite.name,
                version=release.parsed,
                support=rule.judge(release, restriction),
                uploaded=release.uploaded.date() if release.uploaded is not None else None,
            )
        )
    return floors


class _Interpreters:
    """The interpreter of each Python, looked for once; a missing one is reported once."""

    def __init__(self, ui: Ui) -> None:
        self._ui = ui
        self._found: dict[PythonVersion, Path | None] = {}

    def find(self, pythons: Iterable[PythonVersion]) -> dict[PythonVersion, Path]:
        from compatrix._bisect import find_interpreter  # noqa: PLC0415

        for python in sorted(set(pythons) - set(self._found)):
            found = self._found[python] = find_interpreter(python, os.environ)
            if found is None:
                self._ui.warn(
                    f"no Python {python} interpreter on PATH or in pyenv: its pairs are not probed"
                )
        return {p: path for p, path in self._found.items() if path is not None}


def _with_probes(lock: Lock, results: tuple[ProbeResult, ...], day: date) -> Lock:
    from compatrix._lock import Probe  # noqa: PLC0415

    probes: dict[str, dict[str, dict[str, Probe]]] = {
        name: {version: dict(pythons) for version, pythons in by_version.items()}
        for name, by_version in lock.probes.items()
    }
    for result in results:
        if result.imports is None:
            continue
        task = result.task
        probes.setdefault(task.package, {}).setdefault(str(task.version), {})[str(task.python)] = (
            Probe(
                outcome="imports" if result.imports else "fails",
                day=day,
                detail=result.detail,
            )
        )
    return replace(lock, probes=probes)


def run(args: argparse.Namespace, ui: Ui) -> int:
    from compatrix._fs import write_files_atomically  # noqa: PLC0415
    from compatrix._lock import dumps_lock  # noqa: PLC0415
    from compatrix._probe import probe_tasks, run_probes, today  # noqa: PLC0415
    from compatrix._render import plan_outputs  # noqa: PLC0415
    from compatrix._resolve import stale_pins  # noqa: PLC0415
    from compatrix._selection import SelectionMemo, build_matrix, lock_date  # noqa: PLC0415
    from compatrix._text import plural  # noqa: PLC0415

    if args.jobs < 1:
        msg = "--jobs must be at least 1"
        raise UsageError(msg)
    config = load_config(args)
    lock = read_lock(config)
    names = args.suites or None
    memo = SelectionMemo()  # the suites whose probes did not change are selected once
    before = build_matrix(config, lock, suites=names, memo=memo)
    day = lock_date(lock)
    pythons = config.pythons(day) if day is not None else ()
    tasks = probe_tasks(
        before, lock, pythons=pythons, again=args.again, floors=_floors(config, lock, before)
    )
    if args.dry_run:
        for task in tasks:
            ui.print(f"{task.suite} {task.version} on {task.python}: {task.why}")
        ui.info(f"{plural(len(tasks), 'pair')} to probe")
        return 0
    finder = _Interpreters(ui)
    started = time.monotonic()

    def done(result: ProbeResult) -> None:
        task = result.task
        what = (
            "imports"
            if result.imports
            else f"fails ({result.detail})"
            if result.imports is not None
            else f"not probed ({result.detail})"
        )
        ui.info(f"{task.suite} {task.version} on {task.python}: {what}")

    # Rounds: the outcomes change the picks and their Pythons, so the new pairs are probed
    # too, until none is left or the budget is spent.
    results: list[ProbeResult] = []
    new_lock = lock
    tried: set[tuple[str, str, PythonVersion]] = set()
    written: dict[Path, None] = {}
    full: Matrix | None = None  # the whole matrix, as last written
    outputs: dict[Path, str | None] = {}
    rounds = 0
    while tasks:
        rounds += 1
        if rounds == 1:
            ui.info(f"probing {plural(len(tasks), 'pair')}, {args.jobs} at a time")
        else:
            ui.info(f"the picks changed: probing {plural(len(tasks), 'more pair')}")
        found = run_probes(
            tasks,
            interpreters=finder.find({t.python for t in tasks}),
            index_url=config.index_url,
            environ=os.environ,
            jobs=args.jobs,
            budget=args.budget - (time.monotonic() - started),
            on_done=done,
        )
        results += found
        tried |= {(t.suite, str(t.version), t.python) for t in tasks}
        if all(r.imports is None for r in found):
            break  # nothing learned: no interpreter, or the budget is spent
        new_lock = _with_probes(new_lock, found, today())
        # Each round is written as it ends: an interrupted run keeps the rounds it finished.
        full = build_matrix(config, new_lock, memo=memo)
        outputs = plan_outputs(config, full, resolutions=new_lock.resolutions)
        written |= dict.fromkeys(
            write_files_atomically({config.lock_path: dumps_lock(new_lock), **outputs})
        )
        matrix = build_matrix(config, new_lock, suites=names, memo=memo)
        tasks = tuple(
            t
            for t in probe_tasks(
                matrix, new_lock, pythons=pythons, floors=_floors(config, new_lock, matrix)
            )
            if (t.suite, str(t.version), t.python) not in tried
        )
    seconds = time.monotonic() - started
    after = build_matrix(config, new_lock, suites=names, memo=memo)
    report_written(config, list(written), ui)
    probed = [r for r in results if r.imports is not None]
    gained = _pairs(after) - _pairs(before)
    lost = _pairs(before) - _pairs(after)
    ui.print(
        f"probed {plural(len(probed), 'pair')} in {seconds:.0f} s"
        f"{f' ({rounds} rounds)' if rounds > 1 else ''}: "
        f"{sum(1 for r in probed if r.imports)} import, "
        f"{sum(1 for r in probed if not r.imports)} fail; "
        f"{len(results) - len(probed)} not probed; envs gained {len(gained)}, lost {len(lost)}"
    )
    for suite, version, on in sorted(gained):
        ui.print(f"  + {suite} {version} on {on}")
    for suite, version, on in sorted(lost):
        ui.print(f"  - {suite} {version} on {on}")
    tox_text = outputs.get(config.tox.file)
    if full is not None and tox_text is not None:
        unpinned = stale_pins(config, full, new_lock, tox_text)
        if unpinned:
            ui.warn(
                f"no current pins for {plural(len(unpinned), 'env')} (like {unpinned[0]}): "
                "run `compatrix update` to resolve them"
            )
    return 0
