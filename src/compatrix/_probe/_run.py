"""Running probes: a throwaway env per (release, Python), the release installed with uv,
its top-level modules imported (and the suite's ``smoke`` command run), concurrently and
within a time budget. A missing interpreter is reported, never replaced."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from compatrix._probe._select import ProbeTask
from compatrix._pythons import PythonVersion

__all__ = ["ProbeResult", "run_probes"]

_IMPORT = r"""
import importlib, json, sys
name = sys.argv[1]
try:
    import importlib.metadata as md
    dist = md.distribution(name)
    names = set((dist.read_text("top_level.txt") or "").split())
    for file in dist.files or ():
        head = file.parts[0]
        if head.endswith((".dist-info", ".egg-info", ".data")) or head == "..":
            continue
        if len(file.parts) == 1 and head.endswith(".py"):
            names.add(head[:-3])
        elif len(file.parts) > 1 and file.parts[-1] == "__init__.py" and len(file.parts) == 2:
            names.add(head)
except ImportError:
    names = {name.replace("-", "_")}
names = sorted(n for n in names if n.isidentifier() and not n.startswith("_"))
failed = {}
for module in names:
    try:
        importlib.import_module(module)
    except BaseException as exc:
        failed[module] = type(exc).__name__ + ": " + str(exc)[:300]
print(json.dumps({"modules": names, "failed": failed}))
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbeResult:
    task: ProbeTask
    imports: bool | None
    """None when it could not be probed (no interpreter, out of time, a full disk or an
    unreachable index): nothing is recorded."""
    detail: str = ""
    seconds: float = 0.0


_THROWAWAY = re.compile(r"[^\s'\"(]*compatrix-probe-[^/\s]+/env/")
_INSTALLED = re.compile(r"/[^\s'\"():]*/(?:site-packages|dist-packages|lib/python\d+\.\d+)/")
"""The folder a module was imported from, in an error message: the throwaway env's, the
interpreter's standard library."""


def unpathed(text: str) -> str:
    """``text`` without the folders of this machine's envs and interpreters (the lock keeps
    it): a module's file is named from its package on (``werkzeug/urls.py``)."""
    return _THROWAWAY.sub("", _INSTALLED.sub("", text))


_MACHINE_FAULTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No space left on device|os error 28|Errno 28"), "no space left on device"),
    (
        re.compile(
            r"error sending request|dns error|tcp connect error|Connection (?:refused|reset)"
            r"|connection closed before message completed|operation timed out",
            re.IGNORECASE,
        ),
        "the index could not be reached",
    ),
)
"""Failures of this machine, not of the release: a full disk, an unreachable index."""


class MachineFault(Exception):
    """A probe stopped by this machine (a full disk, the network): no outcome to record."""


def machine_fault(text: str) -> str | None:
    """Why ``text`` (a step's error output) says the machine failed, not the release."""
    return next((why for pattern, why in _MACHINE_FAULTS if pattern.search(text)), None)


def _tail(text: str) -> str:
    """The last line of an error, without this machine's paths (the lock keeps it)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("hint:")] or lines
    first = next((line for line in lines if line.startswith(("\u00d7", "error:"))), None)
    chosen = first if first is not None else (lines[-1] if lines else "")
    return unpathed(chosen.removeprefix("\u00d7 ").removeprefix("error: "))[:200]


def _attempt(
    task: ProbeTask,
    interpreter: Path,
    *,
    index_url: str | None,
    environ: Mapping[str, str],
    exclude_newer: date | None,
) -> tuple[bool, str]:
    """One throwaway env: create, install, import, smoke; (imports, why not)."""
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    env = dict(environ)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.pop("VIRTUAL_ENV", None)
    options = ["--default-index", index_url] if index_url else []
    if exclude_newer is not None:
        options += ["--exclude-newer", exclude_newer.isoformat()]
    with tempfile.TemporaryDirectory(prefix="compatrix-probe-") as folder:
        venv = Path(folder) / "env"
        python = venv / "bin" / "python"

        def step(argv: Sequence[str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
            done = subprocess.run(
                list(argv), env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
            fault = machine_fault(done.stderr) if done.returncode else None
            if fault is not None:
                raise MachineFault(fault)
            return done

        made = step([uv, "venv", "--quiet", "-p", str(interpreter), str(venv)])
        if made.returncode:
            return False, "uv venv: " + _tail(made.stderr)
        install = [uv, "pip", "install", "--quiet", "--python", str(python), *options]
        installed = step([*install, task.requirement, *task.deps])
        if installed.returncode:
            return False, "install: " + _tail(installed.stderr)
        imported = step([str(python), "-c", _IMPORT, task.package], timeout=300)
        if imported.returncode:
            return False, "import: " + _tail(imported.stderr)
        found = json.loads(imported.stdout)
        if not found["modules"]:
            return False, "import: no top-level module found"
        if found["failed"]:
            module, error = sorted(found["failed"].items())[0]
            fault = machine_fault(error)
            if fault is not None:
                raise MachineFault(fault)
            return False, f"import {module}: {unpathed(error)}"
        if task.smoke:
            path = f"{venv / 'bin'}{':' + env['PATH'] if env.get('PATH') else ''}"
            smoke = subprocess.run(
                shlex.split(task.smoke),
                env={**env, "PATH": path, "VIRTUAL_ENV": str(venv)},
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if smoke.returncode:
                return False, "smoke: " + _tail(smoke.stderr or smoke.stdout)
    return True, ""


def _probe(
    task: ProbeTask, interpreter: Path, *, index_url: str | None, environ: Mapping[str, str]
) -> tuple[bool, str]:
    """The newest dependencies first; when that fails, those of the day after the upload
    (an old release often breaks, or fails to build, with today's versions of its
    dependencies or build requirements only)."""
    ok, detail = _attempt(
        task, interpreter, index_url=index_url, environ=environ, exclude_newer=None
    )
    if ok or task.uploaded is None:
        return ok, detail
    era = task.uploaded + timedelta(days=1)
    ok, older = _attempt(task, interpreter, index_url=index_url, environ=environ, exclude_newer=era)
    if ok:
        return True, ""
    return False, detail if detail == older else f"{detail}; with dependencies of {era}: {older}"


def run_probes(
    tasks: Sequence[ProbeTask],
    *,
    interpreters: Mapping[PythonVersion, Path],
    index_url: str | None,
    environ: Mapping[str, str],
    jobs: int,
    budget: float,
    on_done: Callable[[ProbeResult], None] | None = None,
) -> tuple[ProbeResult, ...]:
    """Every task's result, in task order. Tasks whose Python has no interpreter, and those
    not started within ``budget`` seconds, get ``imports=None`` and the reason."""
    started = time.monotonic()
    results: dict[int, ProbeResult] = {}

    def one(index: int, task: ProbeTask, interpreter: Path) -> ProbeResult:
        begin = time.monotonic()
        try:
            ok, detail = _probe(task, interpreter, index_url=index_url, environ=environ)
        except subprocess.TimeoutExpired as exc:
            ok, detail = False, f"timed out after {exc.timeout:.0f} s"
        except MachineFault as exc:
            seconds = time.monotonic() - begin
            return ProbeResult(task=task, imports=None, detail=str(exc), seconds=seconds)
        return ProbeResult(task=task, imports=ok, detail=detail, seconds=time.monotonic() - begin)

    pending = list(enumerate(tasks))
    running: dict[Future[ProbeResult], int] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        while pending or running:
            while pending and len(running) < jobs:
                index, task = pending.pop(0)
                interpreter = interpreters.get(task.python)
                if interpreter is None:
                    results[index] = ProbeResult(
                        task=task, imports=None, detail=f"no Python {task.python} interpreter"
                    )
                elif time.monotonic() - started > budget:
                    results[index] = ProbeResult(
                        task=task, imports=None, detail="not started: time budget spent"
                    )
                else:
                    running[pool.submit(one, index, task, interpreter)] = index
                    continue
                if on_done is not None:
                    on_done(results[index])
            if running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index = running.pop(future)
                    results[index] = future.result()
                    if on_done is not None:
                        on_done(results[index])
    return tuple(results[i] for i in range(len(tasks)))


def today() -> date:
    from datetime import datetime, timezone  # noqa: PLC0415

    return datetime.now(timezone.utc).date()
