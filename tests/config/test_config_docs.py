"""docs/config.md and docs/compatrix.schema.json are current, and their examples load."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from generate_docs import REGENERATE, main

from compatrix._config._model import load_config
from compatrix._config._options import (
    BEGIN_MARKER,
    END_MARKER,
    OPTIONS,
    Suites,
    Table,
    generated_files,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


@pytest.mark.parametrize("name", ["config.md", "compatrix.schema.json"])
def test_generated_docs_are_current(name: str) -> None:
    wanted = generated_files(DOCS)[DOCS / name]
    actual = (DOCS / name).read_text(encoding="utf-8")
    assert actual == wanted, f"docs/{name} is out of date: run `{REGENERATE}`"


def _toml_examples() -> list[str]:
    text = (DOCS / "config.md").read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)


@pytest.mark.parametrize("example", _toml_examples())
def test_docs_examples_load(example: str, tmp_path: Path) -> None:
    (tmp_path / "compatrix.toml").write_text(example, encoding="utf-8")
    assert load_config(directory=tmp_path).suites


def test_every_option_is_in_the_reference_and_the_schema() -> None:
    text = (DOCS / "config.md").read_text(encoding="utf-8")
    schema = json.loads((DOCS / "compatrix.schema.json").read_text(encoding="utf-8"))
    tables = {
        "project": schema,
        "index": schema["properties"]["index"],
        "tox": schema["properties"]["tox"],
        "workflows": schema["properties"]["workflows"],
        "defaults": schema["properties"]["defaults"],
        "suite": schema["definitions"]["suite"],
        "service": schema["definitions"]["service"],
    }
    for option in OPTIONS:
        for scope in option.scopes:
            assert option.name in tables[scope]["properties"], (scope, option.name)
        shown = f"[{option.name}" if isinstance(option.kind, (Table, Suites)) else option.name
        assert f"`{shown}" in text, option.name


def test_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.md").write_text(f"# Config\n\n{BEGIN_MARKER}\nold\n{END_MARKER}\n")
    cli_md = "# CLI\n\n<!-- BEGIN generated: cli -->\nold\n<!-- END generated: cli -->\n"
    (tmp_path / "cli.md").write_text(cli_md)
    assert main(["--docs", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"out of date: {tmp_path / 'config.md'}\n"
        f"out of date: {tmp_path / 'compatrix.schema.json'}\n"
        f"out of date: {tmp_path / 'cli.md'}\n"
        f"run: {REGENERATE}\n"
    )
    assert main(["--docs", str(tmp_path), "--write"]) == 0
    capsys.readouterr()
    assert main(["--docs", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""
    text = (tmp_path / "config.md").read_text()
    assert text.startswith(f"# Config\n\n{BEGIN_MARKER}\n\n### Top level\n")
    assert text.endswith(f"{END_MARKER}\n")


def test_missing_markers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.md").write_text("# Config\n")
    assert main(["--docs", str(tmp_path), "--write"]) == 5
    assert "lacks the markers" in capsys.readouterr().err
    assert (tmp_path / "config.md").read_text() == "# Config\n"
