"""Replay a year of weekly regenerations and count how many middle picks shift.

For each Monday of the year before the lock's date, the committed Sentry lock is cut to
the index as it stood that day (releases uploaded later are left out, as
``update --as-of`` does) and every suite is selected again, remembering the previous
week's picks — once with stable picks (the default) and once with plain index-spaced
picking. A *middle pick* is one picked only for spacing (role ``spaced`` or ``kept``: not
the lowest, the latest, a newest-of-major or the prerelease). A *shift* is a middle pick
of one week that is not picked the next week although it is still a candidate.

Usage: ``python benchmarks/replay_stability.py [--weeks 52] [--project DIR]``
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import ROOT, write_json

from compatrix._config import Config
from compatrix._config import load_config as load
from compatrix._lock._format import Lock, read_lock
from compatrix._selection._matrix import build_matrix, lock_date, suite_considered
from compatrix._selection._model import Matrix
from compatrix._update import cut as as_of

EXAMPLE = ROOT / "examples" / "sentry-python"
MIDDLE = {"spaced", "kept"}


def _plain(config: Config) -> Config:
    suites = tuple(replace(s, policy=replace(s.policy, stable_picks=False)) for s in config.suites)
    return replace(config, suites=suites)


def _middle(matrix: Matrix) -> dict[str, set[str]]:
    return {
        s.suite.name: {str(p.version) for p in s.selection.picks if MIDDLE & set(p.roles)}
        for s in matrix.suites
    }


def _candidates(config: Config, lock: Lock, matrix: Matrix) -> dict[str, set[str]]:
    return {
        s.suite.name: {
            c.version
            for c in suite_considered(config, lock, s)
            if c.picked or c.reason == "not-chosen"
        }
        for s in matrix.suites
    }


def replay(config: Config, lock: Lock, weeks: list[date]) -> dict[str, object]:
    previous_picks: dict[str, tuple[str, ...]] = {}
    previous_middle: dict[str, set[str]] = {}
    shifts_per_week: list[int] = []
    changed_suites_per_week: list[int] = []
    middle_total = 0
    for n, day in enumerate(weeks):
        cut = Lock(
            as_of=day,
            packages={name: as_of(f, day) for name, f in lock.packages.items()},
            picks=previous_picks,
        )
        matrix = build_matrix(config, cut)
        middle = _middle(matrix)
        candidates = _candidates(config, cut, matrix)
        if n:
            shifted = {
                suite: {v for v in before if v not in middle.get(suite, set())}
                & candidates.get(suite, set())
                for suite, before in previous_middle.items()
            }
            shifts_per_week.append(sum(len(v) for v in shifted.values()))
            changed_suites_per_week.append(sum(1 for v in shifted.values() if v))
            middle_total += sum(len(v) for v in previous_middle.values())
        previous_middle = middle
        previous_picks = {s.suite.name: s.selection.remembered for s in matrix.suites}
    shifts = sum(shifts_per_week)
    return {
        "weeks": len(weeks),
        "middle_picks_seen": middle_total,
        "middle_pick_shifts": shifts,
        "shift_rate": round(shifts / middle_total, 3) if middle_total else 0.0,
        "weeks_with_a_shift": sum(1 for s in shifts_per_week if s),
        "most_shifts_in_a_week": max(shifts_per_week, default=0),
        "suite_weeks_with_a_shift": sum(changed_suites_per_week),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--project", type=Path, default=EXAMPLE)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    config = load(directory=args.project)
    lock = read_lock(config.lock_path)
    assert lock is not None
    end = lock_date(lock)
    assert end is not None
    last_monday = end - timedelta(days=end.weekday())
    weeks = [last_monday - timedelta(weeks=w) for w in range(args.weeks, -1, -1)]
    results = {
        "from": weeks[0].isoformat(),
        "to": weeks[-1].isoformat(),
        "stable picks": replay(config, lock, weeks),
        "plain spacing": replay(_plain(config), lock, weeks),
    }
    print(json.dumps(results, indent=2))
    print()
    print(f"Weekly regenerations {results['from']} .. {results['to']} ({args.weeks} updates)")
    print()
    print("| picking | middle-pick shifts | share of middle picks | weeks with a shift |")
    print("|---|---|---|---|")
    for label in ("plain spacing", "stable picks"):
        row = results[label]
        assert isinstance(row, dict)
        print(
            f"| {label} | {row['middle_pick_shifts']} | {row['shift_rate']:.1%} "
            f"| {row['weeks_with_a_shift']} of {args.weeks} |"
        )
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
