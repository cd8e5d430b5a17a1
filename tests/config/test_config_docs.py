"""docs/config.md and docs/compatrix.schema.json: every option is there, their examples
load, and the generator checks and rewrites them (that they are current is checked in
tests/tools)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from generate_docs import OPTIONS_BEGIN, OPTIONS_END, REGENERATE, main, sections

from compatrix._config import load_config

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


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
        "the top level": schema,
        "[index]": schema["properties"]["index"],
        "[tox]": schema["properties"]["tox"],
        "[workflows]": schema["properties"]["workflows"],
        "[defaults]": schema["properties"]["defaults"],
        "[suites.NAME]": schema["definitions"]["suite"],
        "[suites.NAME.services.NAME]": schema["definitions"]["service"],
    }
    assert [section.title for section in sections()] == list(tables)
    for section in sections():
        for option in section.table.options:
            assert option.key in tables[section.title]["properties"], (section.title, option.key)
            shown = f"[{option.key}" if option.kind.section else option.key
            assert f"`{shown}" in text, option.key


def test_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.md").write_text(f"# Config\n\n{OPTIONS_BEGIN}\nold\n{OPTIONS_END}\n")
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
    assert text.startswith(f"# Config\n\n{OPTIONS_BEGIN}\n\n### Top level\n")
    assert text.endswith(f"{OPTIONS_END}\n")


def test_missing_markers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.md").write_text("# Config\n")
    assert main(["--docs", str(tmp_path), "--write"]) == 5
    assert "lacks the markers" in capsys.readouterr().err
    assert (tmp_path / "config.md").read_text() == "# Config\n"
