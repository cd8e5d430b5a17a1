"""Instructions per stage of a warm ``compatrix -q update --offline``, counted by callgrind.

Wall times on a shared VM vary by a third from minute to minute; the instructions a run
executes do not. The stages are cumulative runs of one script (imports; + reading the
config; + reading the lock; + one selection of every suite), each stage's figure the
difference to the one before; "the rest" is the real command's total less the last stage
(the update selects once, as that stage does; then the new lock, rendering, comparing).

    python benchmarks/instructions.py                         # this tree, Sentry's example
    python benchmarks/instructions.py --tree /tmp/old --project examples/demo
    python benchmarks/instructions.py --cold --project /tmp/unpinned-copy

The project is copied to a temporary directory first (an update that is not a no-op would
write there, not into the checkout). Needs ``valgrind``; about two minutes per tree.

``--cold``: one figure, the instructions of a whole cold ``compatrix -q update`` (no lock,
an empty cache) against the recorded corpus served on loopback without latency; the
copy's ``[index] timeout`` is raised to 3000 s, as callgrind runs the client some fifty
times slower than the server answers. Under valgrind, OpenSSL hashes without the CPU's
SHA instructions: hashing (the cache's and the metadata's sha256) counts several times
what it costs natively.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STAGES = """\
import sys
from itertools import pairwise
from pathlib import Path

stage = int(sys.argv[1])
import compatrix._cli, compatrix._cli._ui  # what `compatrix update` imports
from compatrix._lock import dumps_lock
from compatrix._render import plan_outputs, write_outputs
from compatrix._update import UpdateRequest, run_update

if stage >= 1:
    from compatrix._config import load_config

    config = load_config(None, directory=Path("."))
if stage >= 2:
    from compatrix._lock import read_lock

    lock = read_lock(config.lock_path)
if stage >= 3:
    from compatrix._selection import build_matrix

    build_matrix(config, lock)
"""

LABELS = (
    "interpreter start and imports",
    "reading the config",
    "reading the lock",
    "one selection of every suite",
    "the rest (the new lock, rendering, comparing the files)",
)


def _instructions(argv: list[str], cwd: Path, env: dict[str, str]) -> int:
    with tempfile.NamedTemporaryFile(suffix=".cg") as out:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out.name}", *argv],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found[1])


def _cold(args: argparse.Namespace, env: dict[str, str]) -> int:
    """Instructions of a cold update of a copy of ``args.project``."""
    from _harness import corpus_server, set_option  # only this mode serves the corpus

    with tempfile.TemporaryDirectory() as scratch, corpus_server(0) as server:
        project = Path(scratch) / "project"
        shutil.copytree(args.project, project, ignore=shutil.ignore_patterns("compatrix.lock"))
        set_option(project / "compatrix.toml", "index", "timeout = 3000")
        env = dict(env, COMPATRIX_CACHE_DIR=str(Path(scratch) / "cache"))
        command = [args.python, "-m", "compatrix", "-q", "update", "--index-url", server.url]
        subprocess.run([args.python, "-m", "compileall", "-q", env["PYTHONPATH"]], check=True)
        total = _instructions(command, project, env)
        requests = server.requests()
    print(f"cold update: {total / 1e6:,.0f} M instructions, {requests} requests")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="a tree holding src/compatrix")
    parser.add_argument("--project", type=Path, default=ROOT / "examples" / "sentry-python")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--cold", action="store_true", help="a whole cold update instead")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing measured")
        return 0
    env = dict(os.environ, PYTHONPATH=str(args.tree.resolve() / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure compiled bytecode, as installed
    if args.cold:
        return _cold(args, env)
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(args.project, project)
        stages = Path(scratch) / "stages.py"
        stages.write_text(STAGES)
        command = [args.python, "-m", "compatrix", "-q", "update", "--offline"]
        subprocess.run(command, cwd=project, env=env, check=True)  # compiles the bytecode
        cumulative = [
            _instructions([args.python, str(stages), str(n)], project, env) for n in range(4)
        ]
        total = _instructions(command, project, env)
    steps = [*cumulative, total]
    figures = [cumulative[0], *(b - a for a, b in pairwise(steps))]
    print("| stage | instructions |\n|---|---|")
    for label, count in zip(LABELS, figures, strict=True):
        print(f"| {label} | {count / 1e6:,.0f} M |")
    print(f"| **total** | **{total / 1e6:,.0f} M** |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
