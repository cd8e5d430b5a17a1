"""Where the time goes at Sentry scale, and what tox thinks of the result.

In-process, on the committed Sentry example (61 suites, 59 packages):

- parsing: every corpus project page read from disk, parsed and summarised into facts;
- lock: reading and writing the committed lock;
- selection: picking every suite's releases and Pythons (``build_matrix``);
- rendering: tox.ini and the workflows (``plan_outputs``).

Fetching is what a cold ``update`` adds on top (``bench_update.py`` measures the whole).
Then, in child processes: ``tox -l`` and ``tox config -e ALL -k deps`` on the generated
tox.ini.

Usage: ``python benchmarks/bench_sentry.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import CORPUS, ROOT, median, timed, write_json

from compatrix._config import load_config
from compatrix._index import facts_from_page, parse_project_page
from compatrix._lock._format import dumps_lock, read_lock
from compatrix._render._outputs import plan_outputs
from compatrix._selection._matrix import build_matrix

EXAMPLE = ROOT / "examples" / "sentry-python"
TOX = Path(sys.executable).parent / "tox"


def _best(runs: int, work: Callable[[], object]) -> float:
    """Median seconds of ``runs`` runs."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return median(times)


def _parse_corpus() -> int:
    fetched_at = datetime(2026, 11, 24, tzinfo=timezone.utc)
    releases = 0
    for page_file in sorted((CORPUS / "simple").glob("*/index.json")):
        url = f"http://127.0.0.1/simple/{page_file.parent.name}/"
        page = parse_project_page(
            page_file.read_bytes(), content_type="application/vnd.pypi.simple.v1+json", url=url
        )
        facts = facts_from_page(page, index_url=url, fetched_at=fetched_at, as_of=None)
        releases += len(facts.releases)
    return releases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, default=EXAMPLE)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    config = load_config(directory=args.project)
    lock = read_lock(config.lock_path)
    assert lock is not None
    matrix = build_matrix(config, lock)
    split = {
        "parsing (59 pages, 69k files)": _best(args.runs, _parse_corpus),
        "lock read": _best(args.runs, lambda: read_lock(config.lock_path)),
        "selection (61 suites)": _best(args.runs, lambda: build_matrix(config, lock)),
        "rendering (tox.ini + workflows)": _best(
            args.runs, lambda: plan_outputs(config, matrix, resolutions={})
        ),
        "lock write (serialise)": _best(args.runs, lambda: dumps_lock(lock)),
    }
    envs = len(matrix.envs)

    tox: dict[str, float] = {}
    for label, argv in {
        "tox -l": [str(TOX), "-l"],
        "tox config -e ALL -k deps": [str(TOX), "config", "-e", "ALL", "-k", "deps"],
    }.items():
        seconds = []
        for _ in range(3):
            result = timed(argv, cwd=args.project)
            if result.returncode:
                sys.exit(f"{label} failed:\n{result.stderr[-2000:]}")
            seconds.append(result.seconds)
        tox[label] = median(seconds)

    figures = {"envs": envs, "split_seconds": split, "tox_seconds": tox}
    print(json.dumps(figures, indent=2))
    print()
    print(f"| step | time (median of {args.runs}) |")
    print("|---|---|")
    for label, seconds in split.items():
        print(f"| {label} | {seconds * 1000:.0f} ms |")
    print()
    print(f"| command on the generated tox.ini ({envs} generated envs) | time (median of 3) |")
    print("|---|---|")
    for label, seconds in tox.items():
        print(f"| `{label}` | {seconds:.2f} s |")
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
