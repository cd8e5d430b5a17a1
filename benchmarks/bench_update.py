"""Benchmark ``compatrix update`` on the whole recorded corpus (Sentry's 61 suites).

The corpus (every package in it) is served by ``serve-index`` with a fixed latency per
request. Measured, each in a fresh child process:

- cold: empty cache, no lock — project pages plus the core metadata selection needs;
- cold with ``--jobs 1``: the sequential reference, as a ratio in the same run;
- warm: lock present, ``update --offline`` — must make zero requests;
- requests made (the server's access log) and peak RSS.

Usage: ``python benchmarks/bench_update.py [--latency-ms 50] [--runs 3] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import COMPATRIX, ROOT, corpus_server, median, timed, unpinned_copy, write_json

EXAMPLE = ROOT / "examples" / "sentry-python"


def _project(source: Path, scratch: Path) -> Path:
    """A copy of the example project without its lock, its pins off."""
    return unpinned_copy(source, scratch / "project")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--skip-sequential", action="store_true", help="skip --jobs 1")
    parser.add_argument(
        "--project", type=Path, default=EXAMPLE, help="default: examples/sentry-python"
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="compatrix-bench-update-"))
    figures: dict[str, object] = {"latency_ms": args.latency_ms, "runs": args.runs}
    try:
        with corpus_server(args.latency_ms) as server:
            # As an installed compatrix runs: from compiled bytecode (pip compiles it at
            # install time), not recompiled on every start.
            env = dict(os.environ)
            env.pop("PYTHONDONTWRITEBYTECODE", None)

            def update(*extra: str, cache: Path, project: Path) -> tuple[float, float, int, float]:
                env["COMPATRIX_CACHE_DIR"] = str(cache)
                before = server.requests()
                result = timed(
                    [str(COMPATRIX), "-q", "update", "--index-url", server.url, *extra],
                    cwd=project,
                    env=env,
                )
                if result.returncode:
                    sys.exit(f"compatrix failed:\n{result.stderr}")
                requests = server.requests() - before
                return result.seconds, result.peak_rss_mb, requests, result.cpu_seconds

            cold, warm, sequential = [], [], []
            for run in range(args.runs):
                project = _project(args.project, scratch / f"run{run}")
                cache = scratch / f"cache{run}"
                cold.append(update(cache=cache, project=project))
                warm.append(update("--offline", cache=cache, project=project))
            if not args.skip_sequential:
                project = _project(args.project, scratch / "sequential")
                sequential.append(update("--jobs", "1", cache=scratch / "seq", project=project))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    def summary(rows: list[tuple[float, float, int, float]]) -> dict[str, float]:
        return {
            "seconds_median": round(median([r[0] for r in rows]), 3),
            "seconds_min": round(min(r[0] for r in rows), 3),
            "cpu_seconds_median": round(median([r[3] for r in rows]), 3),
            "peak_rss_mb": round(max(r[1] for r in rows), 1),
            "requests": max(r[2] for r in rows),
        }

    rows = {"cold": summary(cold), "warm": summary(warm)}
    if sequential:
        rows["cold, --jobs 1"] = summary(sequential)
        figures["speedup_vs_jobs_1"] = round(sequential[0][0] / rows["cold"]["seconds_median"], 1)
    figures.update(rows)
    print(json.dumps(figures, indent=2))
    print()
    print("| run | wall time (median, min) | CPU time (median) | requests | peak RSS |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['seconds_median']:.2f} s, {row['seconds_min']:.2f} s "
            f"| {row['cpu_seconds_median']:.2f} s "
            f"| {row['requests']:.0f} | {row['peak_rss_mb']:.0f} MB |"
        )
    if "speedup_vs_jobs_1" in figures:
        print(f"\ncold is {figures['speedup_vs_jobs_1']}x faster than --jobs 1")
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
