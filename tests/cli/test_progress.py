"""Progress while fetching: a bar on a terminal, one plain line per step elsewhere."""

from __future__ import annotations

import io
from pathlib import Path

from tests.cli._project import Index, day, minors, project, run
from tests.index_server import IndexServer

from compatrix._cli._ui import Ui


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_and_a_summary_line() -> None:
    err = Terminal()
    ui = Ui(stdout=io.StringIO(), stderr=err, width=80)
    assert ui.interactive
    with ui.progress("project pages") as progress:
        progress.add(3)
        for _ in range(3):
            progress.advance()
    text = err.getvalue()
    assert "\x1b[" in text  # drawn with terminal control sequences
    assert "project pages" in text
    assert "3/3" in text


def test_elsewhere_only_plain_lines(tmp_path: Path) -> None:
    index = Index(packages={"alpha": minors(1, 3, start=day(2024, 1, 1))}).write(tmp_path / "i")
    config = (
        'python = ["3.12"]\n[defaults]\ncooldown = 0\npins = "off"\n'
        '[suites.alpha]\npackage = "alpha"\n'
    )
    root = project(tmp_path / "proj", config=config)
    with IndexServer(index) as server:
        result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert any(line.startswith("project pages: 1/1 in ") for line in lines), lines
    assert any(line.startswith("core metadata: 3/3 in ") for line in lines), lines
    assert "\x1b[" not in result.err
    quiet = run("-C", str(root), "-q", "update", "--offline")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
