"""Shared pieces of the benchmarks: the corpus server, timed child processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COMPATRIX_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "index-corpus"
SERVE_INDEX = SHARED / "tools" / "serve-index"
COMPATRIX = Path(sys.executable).parent / "compatrix"


@dataclass
class Server:
    url: str
    log: Path

    def requests(self) -> int:
        """Requests answered so far (lines of the access log)."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return sum(1 for line in text.splitlines() if '"GET ' in line or '"HEAD ' in line)


@contextmanager
def corpus_server(latency_ms: int, corpus: Path = CORPUS) -> Iterator[Server]:
    """``serve-index`` on a free loopback port, with an access log."""
    if not SERVE_INDEX.exists():
        sys.exit(f"serve-index not found at {SERVE_INDEX} (set COMPATRIX_SHARED)")
    scratch = Path(tempfile.mkdtemp(prefix="compatrix-bench-"))
    port_file, log = scratch / "port", scratch / "access.log"
    with log.open("w") as log_handle:
        process = subprocess.Popen(
            [
                sys.executable,
                str(SERVE_INDEX),
                "--corpus",
                str(corpus),
                "--latency-ms",
                str(latency_ms),
                "--port-file",
                str(port_file),
                "--preload",
                "--access-log",
            ],
            stdout=subprocess.DEVNULL,
            stderr=log_handle,
        )
        try:
            deadline = time.monotonic() + 60
            while not port_file.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"serve-index did not start:\n{log.read_text()}")
                time.sleep(0.05)
            port = port_file.read_text().strip()
            yield Server(url=f"http://127.0.0.1:{port}/simple/", log=log)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)
            shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class Timed:
    seconds: float
    cpu_seconds: float
    """User plus system CPU time of the child: steadier than wall time on a shared VM."""
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def timed(argv: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None) -> Timed:
    """Run a child process; wall time and its peak RSS (``wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Timed(
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_rss_mb=usage.ru_maxrss / 1024,
            returncode=process.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def write_json(path: Path | None, figures: object) -> None:
    """Also keep the figures as JSON (``--json PATH``), for comparing runs."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2) + "\n")


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def unpinned_copy(source: Path, target: Path) -> Path:
    """A copy of the project at ``source`` in ``target``, without its lock, constraint files
    or tox state, and with its suites' pins off (``[defaults] pins = "off"``): toxgen's runs
    here skip its pip dry run, so compatrix's pin step is left out too (it is measured on
    its own by ``bench_pins.py``)."""
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("compatrix.lock", ".tox", "constraints")
    )
    set_option(target / "compatrix.toml", "defaults", 'pins = "off"')
    return target


def set_option(config: Path, table: str, line: str) -> None:
    """Add ``line`` (``key = value``) at the top of ``[table]`` in the compatrix.toml at
    ``config``, or a new table with it at the end."""
    text = config.read_text(encoding="utf-8")
    header = f"\n[{table}]\n"
    if header in text:
        text = text.replace(header, f"{header}{line}\n", 1)
    else:
        text += f"{header}{line}\n"
    config.write_text(text, encoding="utf-8")
