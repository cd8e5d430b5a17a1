"""Run actionlint and zizmor (offline) on files, as the tests' judges of workflows.

Both come from the project's venv (the ``test`` dependency group) and are looked for next
to the running Python first, then on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (it is in the test dependency group)")
    return found


def _run(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # No token: zizmor runs offline and must not find credentials to go online with.
    env = {k: v for k, v in os.environ.items() if k not in {"GH_TOKEN", "GITHUB_TOKEN"}}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def actionlint(root: Path, *files: Path) -> None:
    """actionlint finds nothing in ``files`` (all workflows under ``root`` when none)."""
    result = _run([_tool("actionlint"), "-no-color", *map(str, files)], root)
    assert result.returncode == 0, result.stdout + result.stderr


def zizmor(root: Path, *paths: Path) -> None:
    """zizmor, offline and with its default persona, finds nothing in ``paths``."""
    result = _run([_tool("zizmor"), "--offline", "--no-progress", *map(str, paths)], root)
    assert result.returncode == 0, result.stdout + result.stderr


def write_tree(root: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` (relative path -> text) under ``root``, which is made a project
    (a ``.git`` directory) so that actionlint resolves local actions."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
