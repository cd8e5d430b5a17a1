"""A copy of the bundled demo (config, lock, tox.ini) to record results in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"


def demo(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    shutil.copytree(
        DEMO,
        project,
        ignore=shutil.ignore_patterns(".tox", "__pycache__", "compatrix-results.json"),
    )
    return project


def tox_env(
    python: str, *, outcome: str = "passed", installed: tuple[str, ...] = ()
) -> dict[str, Any]:
    """One env entry of a tox --result-json file."""
    major, minor = (int(p) for p in python.split("."))
    setup_code = 1 if outcome == "error" else 0
    return {
        "python": {"version_info": [major, minor, 0, "final", 0], "free_threaded": False},
        "installed_packages": list(installed),
        "result": {
            "success": outcome == "passed",
            "exit_code": 0 if outcome == "passed" else 1,
            "skipped": outcome == "skipped",
        },
        "setup": [{"run_id": "install_deps", "retcode": setup_code}],
        "test": [] if outcome == "error" else [{"retcode": 0 if outcome == "passed" else 1}],
    }


def tox_json(path: Path, envs: dict[str, dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps({"reportversion": "1", "toxversion": "4.67.15", "testenvs": envs}),
        encoding="utf-8",
    )
    return path
