"""Rebuild this example's lock (and tox.ini) from a recorded copy of the package index.

The recorded index (PEP 691 project pages and PEP 658 core metadata of the 59 packages
Sentry tests) is served on a free loopback port by ``serve-index``; ``compatrix update``
reads it there, so the picks come out the same on every run. The envs are pinned
against a full index (``--pins-index-url``, PyPI by default): the recorded one holds
only the tested packages, not their dependencies. The lock is rebuilt from scratch: the
picks remembered in an existing lock are dropped first, so the result does not depend on
earlier runs. Only its probes are kept (``compatrix probe``'s evidence of what installs
and imports on which Python: measured, not read from the index) and its envs'
resolutions (an env is resolved again unless its inputs, the pins index among them, are
unchanged: a record is reused only where it would come out the same).

    python regenerate.py --corpus DIR --serve-index PATH
    python regenerate.py --corpus DIR --serve-index PATH --as-of 2026-08-10 --output /tmp/x

``--output`` writes into another directory (compatrix.toml and tox.ini are copied there
first), which is how the comparison with toxgen's picks of an earlier day is made without
touching the committed files. Run it with the interpreter compatrix is installed in.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ("compatrix.toml", "tox.ini")
START_TIMEOUT = 30.0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=os.environ.get("INDEX_CORPUS"),
        help="the recorded index (default: $INDEX_CORPUS)",
    )
    parser.add_argument(
        "--serve-index",
        type=Path,
        default=os.environ.get("SERVE_INDEX"),
        help="the serve-index program (default: $SERVE_INDEX)",
    )
    parser.add_argument("--as-of", metavar="DATE", help="passed on to `compatrix update`")
    parser.add_argument(
        "--pins-index-url",
        default="https://pypi.org/simple/",
        metavar="URL",
        help="the index the envs are resolved against (the recorded one holds only the "
        "tested packages; default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=HERE,
        help="the directory to write into (default: this example)",
    )
    args = parser.parse_args(argv)
    for option in ("corpus", "serve_index"):
        if getattr(args, option) is None:
            parser.error(f"--{option.replace('_', '-')} is required")
    return args


def _start_server(serve_index: Path, corpus: Path, port_file: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(serve_index), "--corpus", str(corpus), "--port", "0", "--port-file", str(port_file)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while not port_file.exists():
        if server.poll() is not None:
            msg = f"{serve_index} exited with status {server.returncode}"
            raise SystemExit(msg)
        if time.monotonic() > deadline:
            server.terminate()
            msg = f"{serve_index} did not start within {START_TIMEOUT:.0f} s"
            raise SystemExit(msg)
        time.sleep(0.05)
    return server


KEPT = ("probes", "resolutions")
"""What a rebuilt lock keeps of the old one: evidence and resolutions, not picks."""


def _kept(path: Path) -> dict[str, object]:
    """What the lock at ``path`` has of :data:`KEPT` (nothing when there is no lock)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: data[key] for key in KEPT if data.get(key)}


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    output: Path = args.output.resolve()
    if output != HERE:
        output.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.copyfile(HERE / name, output / name)
    lock = output / "compatrix.lock"
    kept = _kept(HERE / "compatrix.lock")
    lock.unlink(missing_ok=True)
    if kept:
        lock.write_text(json.dumps({"compatrix-lock": 1, **kept}) + "\n")
    with tempfile.TemporaryDirectory() as scratch:
        server = _start_server(args.serve_index, args.corpus, Path(scratch) / "port")
        try:
            port = int((Path(scratch) / "port").read_text().strip())
            command = [
                sys.executable,
                "-m",
                "compatrix",
                "-C",
                str(output),
                "update",
                "--index-url",
                f"http://127.0.0.1:{port}/simple/",
                "--no-cache",
                "--pins-index-url",
                args.pins_index_url,
            ]
            if args.as_of:
                command += ["--as-of", args.as_of]
            return subprocess.run(command, check=False).returncode
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
