"""Run compare_outputs.py's plan with one source tree and dump every output.

    PYTHONPATH=TREE/src python benchmarks/_compare_driver.py PLAN WORKLOAD RUN DUMPS

The plan is a list of jobs. A job copies its inputs from WORKLOAD into its own directory
under RUN, then runs its steps in order: a compatrix command line (its standard output,
standard error and exit status are dumped), a copy of a directory, or a snapshot of a
directory (every file in it is dumped). Dumps go to DUMPS, one directory per job, named
by the step's position and label.

compatrix is driven through its command line only: ``compatrix._cli.main(argv)``, the
entry point of the ``compatrix`` script, called in this process with standard output and
error captured (``--subprocess``: ``python -m compatrix`` in a child process per call,
slower, for checking that the two agree). Nothing else of compatrix is imported, so the
driver works with any layout of the source tree.

The run directory's path is the one thing that differs between two runs of the same plan;
where it appears in a dump it is replaced with ``<RUN>`` (and counted).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PLACEHOLDER = b"<RUN>"

Runner = Callable[[Sequence[str], Path], tuple[str, bytes, bytes]]


def _in_process() -> Runner:
    from compatrix._cli import main  # the script's entry point; nothing else is imported

    frozen = False

    def run(argv: Sequence[str], cwd: Path) -> tuple[str, bytes, bytes]:
        nonlocal frozen
        os.chdir(cwd)
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            status = str(main(list(argv)))
        except BaseException as exc:  # a crash is an outcome to compare, not the end of the run
            status = f"crash {type(exc).__name__}"
            err.write(f"[compare driver] uncaught {type(exc).__name__}: {exc}\n")
            print(f"crash in {argv} ({cwd}):", file=saved[1])
            traceback.print_exc(file=saved[1])
        finally:
            sys.stdout, sys.stderr = saved
        if not frozen:
            # What the first call imported stays loaded: keep the collector from walking
            # it on every full collection (a fifth of the time of a small command).
            gc.collect()
            gc.freeze()
            frozen = True
        return status, _encode(out.getvalue()), _encode(err.getvalue())

    return run


def _in_subprocess() -> Runner:
    def run(argv: Sequence[str], cwd: Path) -> tuple[str, bytes, bytes]:
        result = subprocess.run(
            [sys.executable, "-m", "compatrix", *argv], cwd=cwd, capture_output=True, check=False
        )
        return str(result.returncode), result.stdout, result.stderr

    return run


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="backslashreplace")


class Dumper:
    """Writes dumps, the run directory's path replaced with the placeholder."""

    def __init__(self, run_dir: Path, dumps: Path) -> None:
        self.run_dir = str(run_dir).encode()
        self.dumps = dumps
        self.replaced = 0

    def write(self, relative: str, data: bytes) -> None:
        count = data.count(self.run_dir)
        if count:
            self.replaced += count
            data = data.replace(self.run_dir, PLACEHOLDER)
        path = self.dumps / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _run_job(
    job: dict[str, Any], workload: Path, run_dir: Path, dumper: Dumper, run: Runner
) -> None:
    home = run_dir / job["name"].replace("/", "-")
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    for source, target in job["inputs"]:
        origin = workload / source
        (home / target).parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, home / target)
        else:
            shutil.copyfile(origin, home / target)
    for number, step in enumerate(job["steps"]):
        prefix = f"{job['name']}/{number:03d}-{step.get('label', step['op'])}"
        if step["op"] == "run":
            status, out, err = run(step["argv"], home / step["cwd"])
            dumper.write(f"{prefix}.exit", f"{status}\n".encode())
            dumper.write(f"{prefix}.stdout", out)
            dumper.write(f"{prefix}.stderr", err)
        elif step["op"] == "copy":
            shutil.copytree(home / step["from"], home / step["to"])
        elif step["op"] == "snapshot":
            root = home / step["dir"]
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                dumper.write(f"{prefix}/{path.relative_to(root).as_posix()}", path.read_bytes())
        else:
            msg = f"unknown step {step['op']!r}"
            raise ValueError(msg)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (``--subprocess``)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("workload", type=Path)
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("dumps", type=Path)
    parser.add_argument("--expect-src", type=Path, help="fail unless compatrix comes from here")
    parser.add_argument("--subprocess", action="store_true", help="python -m compatrix per call")
    parser.add_argument("--meta", type=Path, help="write timings and counts here (JSON)")
    args = parser.parse_args()

    import compatrix

    where = Path(compatrix.__file__).resolve()
    if args.expect_src is not None and args.expect_src.resolve() not in where.parents:
        print(f"compatrix was imported from {where}, not from {args.expect_src}", file=sys.stderr)
        return 2
    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    run = _in_subprocess() if args.subprocess else _in_process()
    dumper = Dumper(args.run_dir.resolve(), args.dumps)
    timings: dict[str, tuple[float, float]] = {}
    for job in plan["jobs"]:
        started, cpu = time.perf_counter(), _cpu()
        _run_job(job, args.workload, args.run_dir.resolve(), dumper, run)
        timings[job["name"]] = (time.perf_counter() - started, _cpu() - cpu)
    if args.meta is not None:
        meta = {"timings": timings, "replaced": dumper.replaced, "compatrix": str(where)}
        args.meta.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
