"""Strings from a hostile lock never reach the terminal as control sequences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.index_server import IndexServer

from ._project import Index, day, minors, project, run

HOSTILE = ("\x1b]0;owned\x07", "\x1b[2J", "\u202e", "\x9b31m")


def _hostile_lock(root: Path) -> None:
    """Put terminal sequences into the lock's yanked reasons and Requires-Python."""
    lock = root / "compatrix.lock"
    data = json.loads(lock.read_text())
    releases = data["packages"]["alpha"]["releases"]
    releases[1]["yanked"] = True
    releases[1]["yanked-reason"] = "broken \x1b]0;owned\x07 \x1b[2J see \u202etxt.exe"
    picked = next(r for r in releases if "metadata" in r)
    picked["metadata"]["requires-python"] = ">=3.8\x9b31m"
    lock.write_text(json.dumps(data, indent=2, ensure_ascii=False))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    index = Index(packages={"alpha": minors(1, 6, start=day(2024, 1, 10))}).write(tmp_path / "i")
    config = (
        'python = ["3.9", "3.12"]\n[defaults]\ncooldown = 0\npins = "off"\n'
        '[suites.alpha]\npackage = "alpha"\n'
    )
    root = project(tmp_path / "proj", config=config)
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    _hostile_lock(root)
    return root


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(("explain", "alpha"), id="explain-table"),
        pytest.param(("explain", "alpha", "--format", "json"), id="explain-json"),
        pytest.param(("check",), id="check-diff"),
        pytest.param(("report", "--base", "compatrix.lock"), id="report"),
        pytest.param(("matrix",), id="matrix"),
    ],
)
def test_no_control_sequence_reaches_the_terminal(root: Path, argv: tuple[str, ...]) -> None:
    result = run("-C", str(root), *argv)
    for text in (result.out, result.err):
        for sequence in HOSTILE:
            assert sequence not in text


def test_explain_shows_the_hostile_text_cleaned(root: Path) -> None:
    """The lock reader makes every character that is not printable a space."""
    out = run("-C", str(root), "explain", "alpha", "--format", "json").out
    assert json.loads(out)["releases"][1]["detail"] == "yanked: broken  ]0;owned   [2J see  txt.exe"
