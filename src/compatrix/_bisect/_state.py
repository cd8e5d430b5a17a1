"""What a bisect has learnt so far, on disk, so that an interrupted bisect resumes.

One small JSON file per suite and Python (``.compatrix-bisect/httpx-3.12.json``): the
package and the outcome of every release run so far. It is rewritten (atomically) after
every run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from packaging.version import InvalidVersion, Version

from compatrix._fs import read_text, write_files_atomically
from compatrix._pythons import PythonVersion
from compatrix._results import OUTCOMES, Outcome
from compatrix.errors import ResultsError

__all__ = ["STATE_DIR", "BisectState", "read_state", "state_path", "write_state"]

STATE_DIR = ".compatrix-bisect"
_FORMAT = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class BisectState:
    suite: str
    package: str
    python: PythonVersion
    outcomes: Mapping[Version, Outcome] = field(default_factory=dict)


def state_path(root: Path, suite: str, python: PythonVersion) -> Path:
    return root / STATE_DIR / f"{suite}-{python}.json"


def read_state(path: Path, *, suite: str, package: str, python: PythonVersion) -> BisectState:
    """The recorded state; an empty one when there is none, or when it was recorded for
    another package (the suite was changed since)."""
    empty = BisectState(suite=suite, package=package, python=python)
    text = read_text(path)
    if text is None:
        return empty
    try:
        data = json.loads(text)
        if data.get("format") != _FORMAT:
            raise ValueError("unknown format")
        if data.get("package") != package:
            return empty
        outcomes = {
            Version(version): cast("Outcome", outcome)
            for version, outcome in cast("Mapping[str, Any]", data["outcomes"]).items()
            if outcome in OUTCOMES
        }
    except (ValueError, KeyError, TypeError, AttributeError, InvalidVersion) as exc:
        msg = f"{path}: not a bisect state file ({exc}); remove it to start afresh"
        raise ResultsError(msg) from None
    return BisectState(suite=suite, package=package, python=python, outcomes=outcomes)


def write_state(path: Path, state: BisectState) -> None:
    data = {
        "format": _FORMAT,
        "suite": state.suite,
        "package": state.package,
        "python": str(state.python),
        "outcomes": {str(v): state.outcomes[v] for v in sorted(state.outcomes)},
    }
    write_files_atomically({path: json.dumps(data, indent=2) + "\n"})
