"""The generated parts of docs/ match the code they are generated from."""

from __future__ import annotations

from pathlib import Path

import pytest
from generate_docs import REGENERATE, generated_docs

from compatrix._fs import read_text

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("name", ["cli.md", "config.md", "compatrix.schema.json"], ids=lambda n: n)
def test_generated_docs_are_current(name: str) -> None:
    wanted = generated_docs(DOCS)
    path = DOCS / name
    assert read_text(path) == wanted[path], f"{name} is stale: run `{REGENERATE}`"


def test_every_command_is_documented() -> None:
    from compatrix._cli import build_parser

    text = (DOCS / "cli.md").read_text()
    for action in build_parser()._subparsers._group_actions:  # type: ignore[union-attr]
        for command in action.choices:  # type: ignore[union-attr]
            assert f"### `compatrix {command}`" in text


def _layout_rows() -> list[str]:
    text = (DOCS / "architecture.md").read_text()
    start = text.index("## Layout")
    section = text[start : text.index("\n## ", start + 1)]
    return [line for line in section.splitlines() if line.startswith("| ")]


def _modules() -> list[str]:
    package = Path(__file__).resolve().parents[2] / "src" / "compatrix"
    return sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.name not in {"__init__.py", "__main__.py"} and not path.name.startswith("cmd_")
    )


@pytest.mark.parametrize("module", _modules(), ids=lambda m: m)
def test_every_module_is_in_the_layout_table(module: str) -> None:
    """docs/architecture.md's layout table names every module in its package's row (the
    commands' ``cmd_*.py`` as one pattern), so a newcomer finds where each stage lives."""
    package, _, name = module.rpartition("/")
    rows = _layout_rows()
    if package:
        rows = [row for row in rows if f"`{package}/`" in row]
        assert rows, f"{package}/ has no row in docs/architecture.md's layout table"
    assert any(name in row for row in rows), f"{module} is not in its row of the layout table"
