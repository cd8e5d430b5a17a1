"""Benchmark pins: compatrix's pin step against toxgen's method, and tox reading both files.

1. The pin step of ``compatrix update`` (one ``tox config`` call, then uv for every pinned
   env along its ladder of days, 8 at once) against toxgen's method (one ``pip install
   --dry-run --report`` per env, one after the other) on the same envs and requirement
   lines, both with empty caches (cold) and again with their caches filled (warm). Needs
   the package index (``--index-url``, PyPI by default).
2. ``tox config -e ALL -k deps`` on a tox.ini compatrix pinned (``--pinned``) and on
   toxgen's pinned tox.ini (``--toxgen``), in the same run.

Usage::

    python benchmarks/bench_pins.py --project examples/demo
    python benchmarks/bench_pins.py --pinned /tmp/sentry/tox.ini \\
        --toxgen /work/shared/reference/toxgen-tox-064542dd.ini
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compatrix._config import load_config
from compatrix._fs import read_text
from compatrix._index import IndexClient
from compatrix._lock import PackageFacts, read_lock
from compatrix._render import plan_tox
from compatrix._resolve import PinSettings, pin_envs, pinned_envs, project_digest
from compatrix._resolve._tox import tox_installs
from compatrix._selection import build_matrix

BIN = Path(sys.executable).parent


def _sample(names: list[str], size: int | None) -> list[str]:
    """``size`` of ``names`` spread evenly over them (all when ``size`` is None)."""
    if size is None or size >= len(names):
        return names
    return [names[i * len(names) // size] for i in range(size)]


def _pin_step(
    project: Path, index_url: str, environ: dict[str, str], sample: int | None
) -> tuple[float, int]:
    """Seconds the pin step takes for the pinned envs of ``project`` (``sample`` of them),
    and how many."""
    config = load_config(directory=project)
    lock = read_lock(config.lock_path)
    assert lock is not None
    matrix = build_matrix(config, lock)
    tox_text = plan_tox(config, matrix)
    pinned = pinned_envs(
        config, matrix, lock, project=project_digest(config, tox_text, read=read_text)
    )
    chosen = set(_sample([p.name for p in pinned], sample))
    pinned = tuple(p for p in pinned if p.name in chosen)

    async def run() -> None:
        async with IndexClient(index_url) as client:

            async def facts_of(name: str) -> PackageFacts | None:
                return (await client.fetch_page(name)).facts()

            await pin_envs(
                pinned,
                tox_file=config.tox.file,
                tox_text=tox_text,
                settings=PinSettings(index_url=index_url, environ=environ),
                facts_of=facts_of,
            )

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started, len(pinned)


def _pip_dry_runs(
    project: Path, index_url: str, environ: dict[str, str], sample: int | None
) -> float:
    """Seconds of one ``pip install --dry-run --report`` per pinned env (toxgen's method),
    with the requirement lines tox gives each env (the project itself left out)."""
    config = load_config(directory=project)
    lock = read_lock(config.lock_path)
    assert lock is not None
    matrix = build_matrix(config, lock)
    tox_text = plan_tox(config, matrix)
    envs = [e for e in matrix.envs if e.version is not None]
    chosen = set(_sample([e.name for e in envs], sample))
    envs = [e for e in envs if e.name in chosen]
    installs = tox_installs(config.tox.file, tox_text, [e.name for e in envs], environ=environ)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as target:
        for env in envs:
            lines = [d for d in installs[env.name].deps if not d.startswith((".", "-e"))]
            python = f"{env.python.major}.{env.python.minor}"
            command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet"]
            command += ["--ignore-installed", "--report", os.devnull, "--index-url", index_url]
            command += ["--python-version", python, "--only-binary", ":all:", "--target", target]
            result = subprocess.run(
                [*command, *lines], env=environ, capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                print(f"  pip: {env.name}: {result.stderr.strip().splitlines()[-1:]}")
    return time.perf_counter() - started


def _tox_config(tox_ini: Path) -> float:
    """Seconds of ``tox config -e ALL -k deps`` on ``tox_ini`` (in a copy of its directory
    holding only the file, so that no other configuration is found)."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "tox.ini"
        shutil.copyfile(tox_ini, copy)
        environ = {k: v for k, v in os.environ.items() if not k.startswith("TOX")}
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "tox"), "-c", str(copy), "config", "-e", "ALL", "-k", "deps"],
            cwd=scratch,
            env=environ,
            capture_output=True,
            check=True,
        )
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, help="a pinned project (its lock and tox.ini)")
    parser.add_argument("--index-url", default="https://pypi.org/simple/")
    parser.add_argument(
        "--sample", type=int, help="only this many of the project's pinned envs, evenly spread"
    )
    parser.add_argument("--pinned", type=Path, help="a tox.ini compatrix pinned")
    parser.add_argument("--toxgen", type=Path, help="toxgen's pinned tox.ini")
    args = parser.parse_args()
    if args.project is not None:
        with tempfile.TemporaryDirectory() as caches:
            environ = dict(os.environ)
            environ["UV_CACHE_DIR"] = str(Path(caches) / "uv")
            environ["PIP_CACHE_DIR"] = str(Path(caches) / "pip")
            environ["UV_PYTHON_DOWNLOADS"] = "never"
            for label in ("cold", "warm"):
                project = args.project.resolve()
                seconds, count = _pin_step(project, args.index_url, environ, args.sample)
                pip = _pip_dry_runs(project, args.index_url, environ, args.sample)
                print(
                    f"{label}: {count} envs: pin step {seconds:.1f} s, "
                    f"pip --dry-run per env {pip:.1f} s ({pip / seconds:.1f}x)"
                )
    if args.pinned is not None and args.toxgen is not None:
        pinned = _tox_config(args.pinned)
        toxgen = _tox_config(args.toxgen)
        print(
            f"tox config -e ALL -k deps: compatrix {pinned:.2f} s, toxgen {toxgen:.1f} s "
            f"({toxgen / pinned:.0f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
