"""Benchmark compatrix side by side with toxgen, Sentry's generator, on the recorded corpus.

toxgen is ``scripts/populate_tox/populate_tox.py`` in getsentry/sentry-python: it reads the
PyPI JSON API (``/pypi/<name>/json``, ``/pypi/<name>/<version>/json``) and writes tox.ini.
One ``serve-index`` serves the corpus with both APIs, at a fixed latency per request, to
both tools. Before timing, the script prepares toxgen in a temporary directory:

- the sentry-python tree, exported with ``git archive`` from a clone or mirror, or copied
  from a source directory (``--sentry-python``);
- a copy of ``populate_tox.py`` with four exact, checked replacements (``patches``): its two
  PyPI URL templates point at the loopback server; the check for a free-threaded
  interpreter and for pip is left out; its per-release pip dry run (transitive pins, which
  needs real wheels and every Python) returns no dependencies, so it is skipped;
- a throwaway venv (uv) with its ``toxgen`` dependency group and sentry-sdk installed
  editable (toxgen imports ``sentry_sdk.integrations`` for its minimum versions), all
  compiled to bytecode, as compatrix is. The dry run's cache (``package_dependencies.jsonl``)
  is never read, and is left empty.

Then, alternating, each in a fresh child process (one round per run):

- toxgen cold: no release cache (``releases.jsonl`` removed);
- compatrix cold: ``update`` with an empty cache and no lock, in a copy of the example with
  its pins off (toxgen's pip dry run is skipped; ``bench_pins.py`` measures the pin step);
- toxgen warm: the release cache the cold run wrote;
- compatrix warm: ``update --offline`` with the lock the cold run wrote (zero requests).

Both tools run on this interpreter's CPython. The figures are medians over the runs; the
ratio is toxgen's median over compatrix's, with the range of the per-round ratios.

With ``--baseline REV``, a third contender: compatrix as of the revision ``REV`` of this
repository (its ``src`` and its copy of the example, exported with ``git archive``), run
right after today's in each round, cold and warm alike. A ratio against toxgen depends on
how fast the machine is that day (toxgen mostly waits, compatrix mostly computes); an older
tree in the same rounds tells a slower machine from slower code.

Usage: ``python benchmarks/bench_toxgen.py [--latency-ms 50] [--runs 3] [--json PATH]
[--sentry-python PATH] [--rev REV] [--baseline REV] [--keep]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    COMPATRIX,
    ROOT,
    Server,
    Timed,
    corpus_server,
    median,
    timed,
    unpinned_copy,
    write_json,
)

EXAMPLE = ROOT / "examples" / "sentry-python"
MIRROR = Path(
    os.environ.get(
        "COMPATRIX_SENTRY_PYTHON", ROOT.parent / ".mirror" / "getsentry+sentry-python" / "repo"
    )
)
SCRIPT = Path("scripts") / "populate_tox" / "populate_tox.py"
RELEASES_CACHE = Path("scripts") / "populate_tox" / "releases.jsonl"
DEPENDENCIES_CACHE = Path("scripts") / "populate_tox" / "package_dependencies.jsonl"
LABELS = {
    "tc": "toxgen cold",
    "cc": "compatrix cold",
    "bc": "baseline cold",
    "tw": "toxgen warm",
    "cw": "compatrix warm",
    "bw": "baseline warm",
}
"""The measurements of a round, in the order they run (the baseline's with --baseline)."""
TARGETS = {"cold": 13.0, "warm": 40.0}
"""The ratios compatrix keeps: toxgen's time over compatrix's."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Patch:
    why: str
    old: str
    new: str


def patches(base_url: str) -> tuple[Patch, ...]:
    """The replacements made in toxgen's copy; each must match exactly once."""
    return (
        Patch(
            why="project URL: the loopback server instead of pypi.python.org",
            old='PYPI_PROJECT_URL = "https://pypi.python.org/pypi/{project}/json"',
            new=f'PYPI_PROJECT_URL = "{base_url}/pypi/{{project}}/json"',
        ),
        Patch(
            why="release URL: the loopback server instead of pypi.python.org",
            old='PYPI_VERSION_URL = "https://pypi.python.org/pypi/{project}/{version}/json"',
            new=f'PYPI_VERSION_URL = "{base_url}/pypi/{{project}}/{{version}}/json"',
        ),
        Patch(
            why="no free-threaded interpreter or pip required (both only serve the pip dry run)",
            old="    _exit_if_not_free_threaded_interpreter()\n    _exit_if_pip_unavailable()\n",
            new="",
        ),
        Patch(
            why="pip dry run skipped: fetch_package_dependencies returns no dependencies",
            old='    target = TEST_SUITE_CONFIG[integration]["package"]\n    targets = [',
            new=(
                "    return []  # bench_toxgen: pip dry run skipped\n"
                '    target = TEST_SUITE_CONFIG[integration]["package"]\n    targets = ['
            ),
        ),
    )


def _run(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """A preparation step: its output, or exit with it."""
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"failed: {' '.join(argv)}\n{result.stderr}{result.stdout}")
    return result.stdout


def _is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def export_tree(source: Path, rev: str, tree: Path) -> str:
    """The sentry-python tree in ``tree``; returns the commit, or ``"working tree"``."""
    git_dir = source if _is_git_dir(source) else source / ".git"
    if rev != "WORKTREE" and _is_git_dir(git_dir):
        commit = _run(["git", "--git-dir", str(git_dir), "rev-parse", f"{rev}^{{commit}}"]).strip()
        tree.mkdir(parents=True)
        archive = subprocess.Popen(
            ["git", "--git-dir", str(git_dir), "archive", commit], stdout=subprocess.PIPE
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
        if archive.wait():
            sys.exit(f"git archive {commit} failed in {git_dir}")
        return commit
    if not (source / SCRIPT).is_file():
        sys.exit(f"{source}: neither a git clone of sentry-python nor a tree with {SCRIPT}")
    shutil.copytree(
        source,
        tree,
        ignore=shutil.ignore_patterns(".git", ".tox", "*.venv", "__pycache__", "*.egg-info"),
    )
    return "working tree"


def patch_script(script: Path, base_url: str) -> list[str]:
    text = script.read_text(encoding="utf-8")
    for patch in patches(base_url):
        count = text.count(patch.old)
        if count != 1:
            sys.exit(
                f"{script}: cannot apply patch ({patch.why}): expected its text once, "
                f"found it {count} times; toxgen has changed: update patches() in "
                f"bench_toxgen.py\n{patch.old}"
            )
        text = text.replace(patch.old, patch.new)
    script.write_text(text, encoding="utf-8")
    return [patch.why for patch in patches(base_url)]


def _uv() -> str:
    found = Path(sys.executable).parent / "uv"
    if found.exists():
        return str(found)
    on_path = shutil.which("uv")
    if on_path is None:
        sys.exit("uv not found (next to this interpreter or on PATH)")
    return on_path


def install_toxgen(tree: Path, venv: Path) -> None:
    """A venv with toxgen's dependency group and sentry-sdk, editable, as its README runs it."""
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never")
    _run([_uv(), "venv", "-q", "--python", sys.executable, str(venv)], env=env)
    python = str(venv / "bin" / "python")
    group = f"{tree / 'pyproject.toml'}:toxgen"
    install = [_uv(), "pip", "install", "-q", "--compile-bytecode", "--python", python]
    _run([*install, "--group", group, "-e", str(tree)], env=env)
    # sentry_sdk and the scripts run from the tree: compile them as an install would.
    _run([python, "-m", "compileall", "-q", str(tree / "sentry_sdk"), str(tree / "scripts")])


def compile_compatrix() -> None:
    """compatrix from compiled bytecode too, as an installed copy runs."""
    import compatrix

    _run([sys.executable, "-m", "compileall", "-q", str(Path(compatrix.__file__).parent)])


def export_baseline(rev: str, project: Path, scratch: Path) -> tuple[str, Path, Path]:
    """compatrix's ``src`` and the example as of ``rev``, compiled: (commit, src, project).

    The example is the baseline's own copy (its config in the spelling that tree reads),
    with pins off where that tree knows pins."""
    commit = _run(["git", "-C", str(ROOT), "rev-parse", f"{rev}^{{commit}}"]).strip()
    if not project.resolve().is_relative_to(ROOT):
        sys.exit(f"--baseline: --project {project} is not in this repository")
    example = project.resolve().relative_to(ROOT)
    tree = scratch / "baseline"
    tree.mkdir(parents=True)
    tarball = scratch / "baseline.tar"
    _run(["git", "-C", str(ROOT), "archive", "-o", str(tarball), commit, "src", str(example)])
    _run(["tar", "-x", "-f", str(tarball), "-C", str(tree)])
    _run([sys.executable, "-m", "compileall", "-q", str(tree / "src")])
    return commit, tree / "src", tree / example


def baseline_copy(example: Path, src: Path, target: Path) -> Path:
    """The baseline's example without its lock, its pins off if its tree has pins."""
    knows_pins = any(
        "pins-index-url" in path.read_text(encoding="utf-8") for path in src.rglob("*.py")
    )
    if knows_pins:
        return unpinned_copy(example, target)
    shutil.copytree(example, target, ignore=shutil.ignore_patterns("compatrix.lock", ".tox"))
    return target


def _environ() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    requests: int
    load: float
    """The 1-minute load average when the run started."""


def measure(server: Server, argv: list[str], *, cwd: Path, env: dict[str, str]) -> Run:
    load = os.getloadavg()[0]
    before = server.requests()
    result: Timed = timed(argv, cwd=cwd, env=env)
    if result.returncode:
        sys.exit(f"failed ({result.returncode}): {' '.join(argv)}\n{result.stderr[-4000:]}")
    return Run(
        seconds=result.seconds,
        cpu_seconds=result.cpu_seconds,
        peak_rss_mb=result.peak_rss_mb,
        requests=server.requests() - before,
        load=load,
    )


def toxgen_run(server: Server, tree: Path, venv: Path, *, warm: bool) -> Run:
    if not warm:
        (tree / RELEASES_CACHE).unlink(missing_ok=True)
    elif not (tree / RELEASES_CACHE).stat().st_size:
        sys.exit("toxgen's cold run left no release cache")
    # The dry run is skipped, so its cache is never read: keep it empty in both runs.
    (tree / DEPENDENCIES_CACHE).write_text("")
    return measure(server, [str(venv / "bin" / "python"), str(SCRIPT)], cwd=tree, env=_environ())


def compatrix_run(
    server: Server, project: Path, cache: Path, *, warm: bool, src: Path | None = None
) -> Run:
    """``compatrix update``: this checkout's, or the one whose sources are ``src``."""
    env = _environ()
    env["COMPATRIX_CACHE_DIR"] = str(cache)
    extra = ["--offline"] if warm else []
    command = [str(COMPATRIX)]
    if src is not None:
        env["PYTHONPATH"] = str(src)
        command = [sys.executable, "-m", "compatrix"]
    argv = [*command, "-q", "update", "--index-url", server.url, *extra]
    run = measure(server, argv, cwd=project, env=env)
    if warm and run.requests:
        sys.exit(f"compatrix update --offline made {run.requests} requests")
    return run


def toxgen_picks(tree: Path) -> int:
    """(suite, release) pairs in toxgen's generated envlist: it did the whole job."""
    pattern = re.compile(r"^\s*\{[^}]+\}-\S+-v\d\S*\s*$", re.MULTILINE)
    return len(pattern.findall((tree / "tox.ini").read_text(encoding="utf-8")))


def summary(rows: list[Run]) -> dict[str, float]:
    return {
        "seconds_median": round(median([r.seconds for r in rows]), 3),
        "seconds_min": round(min(r.seconds for r in rows), 3),
        "seconds_max": round(max(r.seconds for r in rows), 3),
        "cpu_seconds_median": round(median([r.cpu_seconds for r in rows]), 3),
        "peak_rss_mb": round(max(r.peak_rss_mb for r in rows), 1),
        "requests": max(r.requests for r in rows),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    phase: str
    toxgen: dict[str, float]
    compatrix: dict[str, float]
    ratio: float
    """toxgen's median wall time over compatrix's."""
    ratio_min: float
    ratio_max: float
    """The range of the per-round ratios (each toxgen run over the compatrix run after it)."""
    target: float

    @property
    def met(self) -> bool:
        return self.ratio >= self.target

    @classmethod
    def of(cls, phase: str, toxgen: list[Run], compatrix: list[Run]) -> Comparison:
        """``phase`` is ``cold`` or ``warm``, or either with `` (baseline)``."""
        theirs, mine = summary(toxgen), summary(compatrix)
        rounds = [t.seconds / c.seconds for t, c in zip(toxgen, compatrix, strict=True)]
        return cls(
            phase=phase,
            toxgen=theirs,
            compatrix=mine,
            ratio=theirs["seconds_median"] / mine["seconds_median"],
            ratio_min=min(rounds),
            ratio_max=max(rounds),
            target=TARGETS[phase.partition(" ")[0]],
        )

    def as_json(self) -> dict[str, object]:
        return {
            "toxgen": self.toxgen,
            "compatrix": self.compatrix,
            "ratio_median": round(self.ratio, 1),
            "ratio_min": round(self.ratio_min, 1),
            "ratio_max": round(self.ratio_max, 1),
            "target": self.target,
            "met": self.met,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--sentry-python",
        type=Path,
        default=MIRROR,
        help="a clone or mirror of getsentry/sentry-python (exported with git archive) or a "
        f"source tree (copied); default: $COMPATRIX_SENTRY_PYTHON or {MIRROR}",
    )
    parser.add_argument(
        "--rev", default="HEAD", help="revision to export from a clone (WORKTREE: copy the tree)"
    )
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also run compatrix as of this revision of this repository, in the same rounds",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--project", type=Path, default=EXAMPLE, help="default: examples/sentry-python"
    )
    args = parser.parse_args()
    if not args.sentry_python.exists():
        print(f"bench_toxgen: skipped, no sentry-python at {args.sentry_python} (--sentry-python)")
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="compatrix-bench-toxgen-"))
    tree, venv = scratch / "sentry-python", scratch / "toxgen.venv"
    figures: dict[str, object] = {"latency_ms": args.latency_ms, "runs": args.runs}
    load_before = os.getloadavg()
    try:
        with corpus_server(args.latency_ms) as server:
            base_url = server.url.removesuffix("/simple/")
            commit = export_tree(args.sentry_python, args.rev, tree)
            toxgen: dict[str, object] = {
                "sentry_python": commit,
                "patches": patch_script(tree / SCRIPT, base_url),
                "installed": "the toxgen dependency group and sentry-sdk (editable)",
                "skipped": "the pip dry run per release and Python (transitive pins), "
                "and split_tox_gh_actions.py (the CI workflows: a separate script)",
                "python": sys.version.split()[0],
            }
            install_toxgen(tree, venv)
            figures["toxgen"] = toxgen
            compile_compatrix()
            print(f"toxgen prepared in {tree} (sentry-python {commit})", file=sys.stderr)
            baseline: tuple[str, Path, Path] | None = None
            if args.baseline:
                baseline = export_baseline(args.baseline, args.project, scratch)
                figures["baseline"] = baseline[0]

            kept = [key for key in LABELS if baseline or not key.startswith("b")]
            runs: dict[str, list[Run]] = {key: [] for key in kept}
            picks: set[int] = set()
            for number in range(args.runs):
                scratch_run = scratch / f"run{number}"
                project = unpinned_copy(args.project, scratch_run / "project")
                cache = scratch_run / "cache"
                if baseline is not None:
                    _, old_src, old_example = baseline
                    old = baseline_copy(old_example, old_src, scratch_run / "baseline")
                for warm, keys in ((False, ("tc", "cc", "bc")), (True, ("tw", "cw", "bw"))):
                    runs[keys[0]].append(toxgen_run(server, tree, venv, warm=warm))
                    picks.add(toxgen_picks(tree))
                    runs[keys[1]].append(compatrix_run(server, project, cache, warm=warm))
                    if baseline is not None:
                        old_cache = scratch_run / "baseline-cache"
                        run = compatrix_run(server, old, old_cache, warm=warm, src=old_src)
                        runs[keys[2]].append(run)
                print(
                    f"run {number + 1}/{args.runs}: "
                    + ", ".join(f"{LABELS[key]} {r[-1].seconds:.2f} s" for key, r in runs.items()),
                    file=sys.stderr,
                )
            if len(picks) != 1:
                sys.exit(f"toxgen's cold and warm runs picked differently: {sorted(picks)}")
            toxgen["picked_releases"] = picks.pop()
    finally:
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    loads = [r.load for rows in runs.values() for r in rows]
    figures["load_average"] = {
        "before": [round(x, 2) for x in load_before],
        "at_runs_min": round(min(loads), 2),
        "at_runs_max": round(max(loads), 2),
        "after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    pairs = [("cold", "tc", "cc"), ("warm", "tw", "cw")]
    if "bc" in runs:
        pairs += [("cold (baseline)", "tc", "bc"), ("warm (baseline)", "tw", "bw")]
    compared = [Comparison.of(phase, runs[theirs], runs[ours]) for phase, theirs, ours in pairs]
    for row in compared:
        figures[row.phase] = row.as_json()

    print(json.dumps(figures, indent=2))
    print()
    print(
        "| run | toxgen wall (median; min-max) | compatrix wall (median; min-max) "
        "| toxgen / compatrix (median; per run) | target | CPU toxgen / compatrix "
        "| requests toxgen / compatrix | peak RSS toxgen / compatrix |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in compared:
        theirs, mine = row.toxgen, row.compatrix
        print(
            f"| {row.phase} | {theirs['seconds_median']:.2f} s; "
            f"{theirs['seconds_min']:.2f}-{theirs['seconds_max']:.2f} s "
            f"| {mine['seconds_median']:.2f} s; "
            f"{mine['seconds_min']:.2f}-{mine['seconds_max']:.2f} s "
            f"| {row.ratio:.1f}x; {row.ratio_min:.1f}-{row.ratio_max:.1f}x "
            f"| >= {row.target:.0f}x: {'met' if row.met else 'NOT met'} "
            f"| {theirs['cpu_seconds_median']:.2f} s / {mine['cpu_seconds_median']:.2f} s "
            f"| {theirs['requests']:.0f} / {mine['requests']:.0f} "
            f"| {theirs['peak_rss_mb']:.0f} MB / {mine['peak_rss_mb']:.0f} MB |"
        )
    print(
        f"\nload average (1 min) {min(loads):.2f} to {max(loads):.2f} at the start of the runs "
        f"on {os.cpu_count()} CPUs; sentry-python {commit}"
    )
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
