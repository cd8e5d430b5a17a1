"""Sentry's example as its tests read it: its config, its committed lock and their matrix."""

from __future__ import annotations

import pytest

from compatrix._config import Config, load_config
from compatrix._lock import Lock, read_lock
from compatrix._selection import Matrix, build_matrix

from ._sentry import EXAMPLE


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(directory=EXAMPLE)


@pytest.fixture(scope="module")
def lock(config: Config) -> Lock:
    found = read_lock(config.lock_path)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def matrix(config: Config, lock: Lock) -> Matrix:
    return build_matrix(config, lock)
