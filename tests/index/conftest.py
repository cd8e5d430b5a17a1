"""Fixtures of the index tests: the demo index on loopback, a cache directory, and an index
written for one test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from tests.index._wheels import Serve, write_index
from tests.index_server import IndexServer, RangeMode

DATA = Path(__file__).parent.parent / "data" / "index"


@pytest.fixture
def server() -> Iterator[IndexServer]:
    with IndexServer(DATA) as running:
        yield running


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """``serve(wheels, ranges=..., sdists=..., release_json=..., advertised=...)``: a running
    server of the index :func:`write_index` writes (once per test)."""
    with ExitStack() as stack:

        def start(
            wheels: dict[str, bytes | None], *, ranges: RangeMode = "bytes", **kwargs: Any
        ) -> IndexServer:
            root = write_index(tmp_path / "index", wheels, **kwargs)
            return stack.enter_context(IndexServer(root, ranges=ranges))

        yield start
