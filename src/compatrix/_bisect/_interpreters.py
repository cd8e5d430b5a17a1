"""Finding a CPython interpreter for a Python version: on ``PATH``, or installed by pyenv.
A missing interpreter is reported, never replaced by another."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from compatrix._pythons import PythonVersion

__all__ = ["find_interpreter"]


def _candidates(python: PythonVersion, environ: Mapping[str, str]) -> list[Path]:
    name = f"python{python}"
    folders = [Path(p) for p in environ.get("PATH", "").split(os.pathsep) if p]
    folders = [f for f in folders if "shims" not in f.parts]
    root = Path(environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if root.is_dir():
        threaded = "t" if python.free_threaded else ""
        prefix = f"{python.major}.{python.minor}."
        folders += [
            v / "bin"
            for v in sorted(root.iterdir(), reverse=True)
            if v.name.startswith(prefix) and v.name.endswith(threaded)
        ]
    return [folder / name for folder in folders]


def find_interpreter(python: PythonVersion, environ: Mapping[str, str]) -> Path | None:
    """The first ``python3.X`` (``python3.14t``) that runs and is that version, or None."""
    wanted = f"{python.major}.{python.minor}"
    for candidate in _candidates(python, environ):
        if not candidate.is_file():
            continue
        check = subprocess.run(
            [str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if check.returncode == 0 and check.stdout.strip() == wanted:
            return candidate
    return None
