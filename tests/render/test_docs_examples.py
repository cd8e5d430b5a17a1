"""The examples of docs/tox.md are what compatrix renders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compatrix._render import render_tox_ini, render_tox_toml
from compatrix._selection._model import SuiteMatrix

from .builders import config, matrix, picks, rule, suite
from .regions_util import region

DOC = Path(__file__).parents[2] / "docs" / "tox.md"


def _example(language: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return str(blocks[0])


def _httpx(versions: dict[str | None, str]) -> SuiteMatrix:
    httpx = suite(
        "httpx",
        deps=[
            rule("*", "anyio>=3,<5"),
            rule(">=0.16,<0.17", "pytest-httpx==0.10.0"),
            rule("py3.8", "tokenizers<0.20.4"),
        ],
        test_path="tests/integrations/httpx",
        group="Network",
    )
    return picks(httpx, versions)


@pytest.mark.parametrize("name", ["env_list", "deps", "set_env"])
def test_ini_example(name: str) -> None:
    example = _example("ini")
    sm = _httpx({"0.16.1": "3.8", "0.28.1": "3.12", None: "3.12"})
    rendered = render_tox_ini(example, matrix(sm), config(sm))
    assert region(rendered, name) == region(example, name)


@pytest.mark.parametrize("name", ["env_list", "envs"])
def test_toml_example(name: str) -> None:
    example = _example("toml")
    sm = picks(
        suite(
            "httpx",
            deps=[rule("*", "anyio>=3,<5")],
            test_path="tests/integrations/httpx",
            group="Network",
        ),
        {"0.28.1": "3.12"},
    )
    rendered = render_tox_toml(example, matrix(sm), config(sm, tox_file="tox.toml"))
    assert region(rendered, name) == region(example, name)
