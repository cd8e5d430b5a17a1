"""Fixtures of the index tests: the demo index on loopback, and a cache directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.index_server import IndexServer

DATA = Path(__file__).parent.parent / "data" / "index"


@pytest.fixture
def server() -> Iterator[IndexServer]:
    with IndexServer(DATA) as running:
        yield running


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"
