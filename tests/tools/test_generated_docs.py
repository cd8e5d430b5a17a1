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
