"""Instructions per stage of a warm ``compatrix -q update --offline``, counted by callgrind.

Wall times on a shared VM vary by a third from minute to minute; the instructions a run
executes do not. The stages are cumulative runs of one script (imports; + reading the
config; + reading the lock; + one selection of every suite), each stage's figure the
difference to the one before; "the rest" is the real command's total less the last stage
(the update selects once, as that stage does; then the new lock, rendering, comparing).

    python benchmarks/instructions.py                         # this tree, Sentry's example
    python benchmarks/instructions.py --tree /tmp/old --project examples/demo

The project is copied to a temporary directory first (an update that is not a no-op would
write there, not into the checkout). Needs ``valgrind``; about two minutes per tree.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="a tree holding src/compatrix")
    parser.add_argument("--project", type=Path, default=ROOT / "examples" / "sentry-python")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing measured")
        return 0
    env = dict(os.environ, PYTHONPATH=str(args.tree.resolve() / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure compiled bytecode, as installed
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
