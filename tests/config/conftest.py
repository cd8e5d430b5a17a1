"""Fixtures for config tests: write a config into a temporary project and read it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from compatrix._config import Config, load_config
from compatrix.errors import ConfigError


@pytest.fixture
def load_toml(tmp_path: Path) -> Callable[..., Config]:
    """Write ``text`` as ``name`` in a fresh directory and load the config found there."""

    def load(text: str, name: str = "compatrix.toml") -> Config:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return load_config(directory=tmp_path)

    return load


@pytest.fixture
def config_problems(tmp_path: Path) -> Callable[..., tuple[str, ...]]:
    """The problems of a config that must be invalid."""

    def problems(text: str, name: str = "compatrix.toml") -> tuple[str, ...]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_config(directory=tmp_path)
        assert info.value.source == str(tmp_path / name)
        return info.value.problems

    return problems
