"""Check that two source trees of compatrix give byte-identical output on one workload.

    python benchmarks/compare_outputs.py --base REV [--head REV_OR_DIR] [--suites 1000]
                                         [--seed 0] [--keep DIR]

The base revision (and the head, when it is a revision) is checked out in a temporary git
worktree; by default the head is this working tree's ``src/``, uncommitted changes
included. One workload is generated: both bundled examples and ``--suites`` random suites
in projects of about 50, each with a random lock and a random valid config. Every command
of the workload runs with each tree, through compatrix's command line only (see
``_compare_driver.py``); every output — standard output, standard error, exit status and
every file in the project afterwards — is dumped, and the two dumps are compared byte for
byte. The exit status is 0 when they are identical, 1 when they differ.

The run directory's path is the only thing normalised (it differs between the two runs).
Hash seeds are left random, so output that depends on the order of a set shows up as a
difference. At the end, counters show what the workload exercised.

The pieces: ``_compare_plan.py`` (the commands, per project), ``_compare_workload.py`` (the
random projects), ``_compare_driver.py`` (runs a plan with one tree), ``_compare_coverage.py``
(the counters). docs/benchmarks.md describes the workload.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _compare_coverage import coverage, print_coverage, step_kind
from _compare_plan import ROOT, Job, build_workload, partition

DRIVER = Path(__file__).resolve().parent / "_compare_driver.py"
SHOWN_DIFFS = 5
DIFF_LINES = 40


# --- source trees ---------------------------------------------------------------------------


@dataclass
class Tree:
    label: str
    src: Path
    description: str
    worktree: Path | None = None


def _git(*args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


def _checkout(label: str, revision: str, scratch: Path) -> Tree:
    commit = _git("rev-parse", "--verify", f"{revision}^{{commit}}")
    path = scratch / f"tree-{label}"
    _git("worktree", "add", "--detach", "--quiet", str(path), commit)
    return Tree(label, path / "src", f"{revision} ({commit[:12]}, worktree)", worktree=path)


def _head_tree(head: str | None, scratch: Path) -> Tree:
    if head is None:
        dirty = _git("status", "--porcelain", "--", "src")
        state = "with uncommitted changes in src/" if dirty else "clean"
        return Tree("head", ROOT / "src", f"working tree {ROOT} ({state})")
    as_path = Path(head)
    if (as_path / "src" / "compatrix").is_dir():
        return Tree("head", as_path.resolve() / "src", f"directory {as_path.resolve()}")
    return _checkout("head", head, scratch)


def _remove(tree: Tree) -> None:
    if tree.worktree is not None:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree.worktree)],
            capture_output=True,
            check=False,
        )


# --- running --------------------------------------------------------------------------------


def _environment(tree: Tree, scratch: Path) -> dict[str, str]:
    """A fixed environment: the same for both trees, nothing inherited that shapes output."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(scratch / "home"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "COLUMNS": "120",
        "LINES": "40",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "PYTHONPATH": str(tree.src),
        "PYTHONIOENCODING": "utf-8",
        "PYTHONPYCACHEPREFIX": str(scratch / f"pycache-{tree.label}"),
        "COMPATRIX_CACHE_DIR": str(scratch / "cache"),
        "GIT_CONFIG_NOSYSTEM": "1",
    }


@dataclass
class Run:
    tree: Tree
    chunk: int
    seconds: float
    meta: dict[str, Any]


def _run_chunk(
    tree: Tree,
    chunk: int,
    plan: Path,
    *,
    python: Path,
    scratch: Path,
    workload: Path,
    dumps: Path,
    subprocess_mode: bool,
) -> Run:
    meta_path = scratch / f"meta-{tree.label}-{chunk}.json"
    log = scratch / f"driver-{tree.label}-{chunk}.log"
    argv = [
        str(python),
        str(DRIVER),
        str(plan),
        str(workload),
        str(scratch / f"run-{tree.label}"),
        str(dumps),
        "--expect-src",
        str(tree.src),
        "--meta",
        str(meta_path),
    ]
    if subprocess_mode:
        argv.append("--subprocess")
    started = time.perf_counter()
    with log.open("wb") as handle:
        result = subprocess.run(
            argv, env=_environment(tree, scratch), stdout=handle, stderr=handle, check=False
        )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(
            f"the driver failed with the {tree.label} tree (chunk {chunk}):\n{log.read_text()}"
        )
    if log.stat().st_size:
        print(f"note: the driver ({tree.label}, chunk {chunk}) said:\n{log.read_text()[:3000]}")
    return Run(tree, chunk, seconds, json.loads(meta_path.read_text()))


# --- comparing ------------------------------------------------------------------------------


@dataclass
class Comparison:
    files: int = 0
    bytes: int = 0
    differing: list[str] = field(default_factory=list)
    only_base: list[str] = field(default_factory=list)
    only_head: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.differing or self.only_base or self.only_head)


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def compare(base: Path, head: Path) -> Comparison:
    left, right = _files(base), _files(head)
    result = Comparison()
    result.only_base = sorted(set(left) - set(right))
    result.only_head = sorted(set(right) - set(left))
    for name in sorted(set(left) & set(right)):
        a, b = left[name].read_bytes(), right[name].read_bytes()
        result.files += 1
        result.bytes += len(a) + len(b)
        if a != b:
            result.differing.append(name)
    return result


def _diff(name: str, base: Path, head: Path) -> str:
    a = (base / name).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    b = (head / name).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, f"base/{name}", f"head/{name}", n=2))
    shown = "".join(lines[:DIFF_LINES])
    if len(lines) > DIFF_LINES:
        shown += f"... ({len(lines) - DIFF_LINES} more diff lines)\n"
    return shown


def _step_of(name: str) -> str:
    """The step a dumped file comes from: ``explain``, ``files-after-update``..."""
    parts = name.split("/")
    return step_kind(parts[2] if len(parts) > 3 else parts[-1])


def _print_comparison(result: Comparison, base: Path, head: Path) -> None:
    print(f"compared {result.files} files, {result.bytes:,} bytes (both sides)")
    if result.identical:
        print("IDENTICAL: every output is byte for byte the same")
        return
    print(
        f"DIFFERENT: {len(result.differing)} files differ, {len(result.only_base)} only with "
        f"base, {len(result.only_head)} only with head"
    )
    for name in result.only_base[:SHOWN_DIFFS]:
        print(f"  only with base: {name}")
    for name in result.only_head[:SHOWN_DIFFS]:
        print(f"  only with head: {name}")
    steps = Counter(
        _step_of(name) for name in (*result.differing, *result.only_base, *result.only_head)
    )
    print("  by step: " + ", ".join(f"{k} {v}" for k, v in steps.most_common(12)))
    for name in result.differing[:SHOWN_DIFFS]:
        print()
        print(_diff(name, base, head), end="")
    if len(result.differing) > SHOWN_DIFFS:
        print(f"\n... and {len(result.differing) - SHOWN_DIFFS} more differing files")


# --- main -----------------------------------------------------------------------------------


@contextmanager
def _trees(args: argparse.Namespace, scratch: Path) -> Iterator[tuple[Tree, Tree]]:
    made: list[Tree] = []
    try:
        base = _checkout("base", args.base, scratch)
        made.append(base)
        head = _head_tree(args.head, scratch)
        made.append(head)
        yield base, head
    finally:
        for tree in made:
            _remove(tree)
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True, check=False
        )


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="a git revision")
    parser.add_argument(
        "--head",
        help="a git revision, or a directory holding src/compatrix (default: this working tree)",
    )
    parser.add_argument("--suites", type=int, default=1000, help="random suites (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep", type=Path, help="keep the workload and both dumps in this new directory"
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 2, help="driver processes at once"
    )
    parser.add_argument("--python", type=Path, default=ROOT / ".venv" / "bin" / "python")
    parser.add_argument(
        "--subprocess", action="store_true", help="one python -m compatrix per call (slow)"
    )
    parser.add_argument("--timings", action="store_true", help="print the slowest jobs")
    return parser.parse_args()


def _write_plans(jobs: Sequence[Job], scratch: Path, count: int) -> list[Path]:
    """The jobs in ``count`` chunks of about equal cost, one plan file per chunk (the same
    chunks for both trees)."""
    plans = []
    for number, chunk in enumerate(partition(jobs, count)):
        plan = scratch / f"plan-{number}.json"
        plan.write_text(json.dumps({"jobs": [job.as_json() for job in chunk]}), encoding="utf-8")
        plans.append(plan)
    return plans


def _run_all(
    trees: Sequence[Tree], plans: Sequence[Path], args: argparse.Namespace, scratch: Path, out: Path
) -> list[Run]:
    """Every plan with every tree, ``--jobs`` driver processes at a time."""
    tasks = [(tree, n, plan) for n, plan in enumerate(plans) for tree in trees]

    def run(task: tuple[Tree, int, Path]) -> Run:
        tree, number, plan = task
        return _run_chunk(
            tree,
            number,
            plan,
            python=args.python,
            scratch=scratch,
            workload=out / "workload",
            dumps=out / f"dumps-{tree.label}",
            subprocess_mode=args.subprocess,
        )

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        return list(pool.map(run, tasks))


def _crashes(dumps: Path) -> list[str]:
    """Commands that raised instead of reporting an error (the driver records the type)."""
    return sorted(
        p.relative_to(dumps).as_posix()
        for p in dumps.rglob("*.exit")
        if p.read_text().startswith("crash")
    )


def main() -> int:
    args = _parse_args()
    started = time.perf_counter()
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        sys.exit(f"--keep {args.keep}: not an empty directory")
    scratch = Path(tempfile.mkdtemp(prefix="compatrix-compare-")).resolve()
    out = args.keep.resolve() if args.keep is not None else scratch
    try:
        with _trees(args, scratch) as (base, head):
            print(f"base: {base.description}\nhead: {head.description}")
            jobs, facts = build_workload(out / "workload", seed=args.seed, suites=args.suites)
            calls = sum(1 for job in jobs for step in job.steps if step["op"] == "run")
            print(
                f"workload: {facts['random suites']} random suites and both examples; {calls} "
                "compatrix commands per tree"
            )
            plans = _write_plans(jobs, scratch, 2 * args.jobs)
            runs = _run_all((base, head), plans, args, scratch, out)
        result = compare(out / "dumps-base", out / "dumps-head")
        _print_comparison(result, out / "dumps-base", out / "dumps-head")
        _print_runs(runs, args.timings)
        for label in ("base", "head"):
            for name in _crashes(out / f"dumps-{label}"):
                print(f"CRASH with {label}: {name}")
        print_coverage(coverage(out / "dumps-head"), facts)
        if args.keep is not None:
            print(f"\nthe workload and both dumps are in {out}")
        print(f"\ntotal time {time.perf_counter() - started:.1f} s")
        return 0 if result.identical else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _print_runs(runs: Sequence[Run], timings: bool) -> None:
    for label in ("base", "head"):
        mine = [r for r in runs if r.tree.label == label]
        replaced = sum(r.meta["replaced"] for r in mine)
        cpu = sum(cpu for r in mine for _, cpu in r.meta["timings"].values())
        print(
            f"{label}: {len(mine)} driver runs, {cpu:.1f} s of CPU in the commands; the run "
            f"directory's path was replaced {replaced} times"
        )
    if timings:
        kinds: Counter[str] = Counter()
        jobs: Counter[str] = Counter()
        for run in runs:
            for name, (wall, cpu) in run.meta["timings"].items():
                jobs[f"{run.tree.label} {name} (wall {wall:.1f} s)"] = cpu
                project, part = name.split("/")
                kind = project if not project[1:].isdigit() else "random"
                kinds[f"{kind} {part.split('-')[0]}"] += cpu
        print(
            "  CPU seconds by kind of job (both trees): "
            + ", ".join(f"{k} {v:.1f}" for k, v in sorted(kinds.items()))
        )
        for name, cpu in jobs.most_common(8):
            print(f"  {cpu:6.2f} s CPU  {name}")


if __name__ == "__main__":
    sys.exit(main())
