"""The matrices behind the expected workflow files."""

from __future__ import annotations

from typing import Any

from compatrix._config._model import Config
from compatrix._selection._model import Matrix

from .build import postgres, redis, scenario, suite


def groups(**workflows: Any) -> tuple[Matrix, Config]:
    """Two groups. Network: free-threaded envs and hand-written extra envs. DBs: suites
    with services (two of them share one), a suite without, and old Pythons (3.6 in a
    container, 3.7 on an older runner)."""
    workflows.setdefault("extra_envs", {"Network": ("py3.12-common", "py3.14t-common")})
    return scenario(
        suite(
            "httpx",
            {"3.8 3.12 3.14 3.14t": ["0.20.0", "0.28.1"], "3.14 3.14t": ["latest"]},
            group="Network",
        ),
        suite(
            "requests",
            {"3.8 3.13": ["2.23.0", "2.32.3"], "3.13": ["latest"]},
            group="Network",
        ),
        suite(
            "redis",
            {"3.6": ["3.0.1"], "3.7 3.12": ["4.0.0", "5.2.1"], "3.13": ["latest"]},
            group="DBs",
            services=[redis()],
        ),
        suite("psycopg", {"3.9 3.13": ["3.1.0", "3.2.9"]}, group="DBs", services=[postgres()]),
        suite("sqlalchemy", {"3.7 3.13": ["1.4.54", "2.0.41"]}, group="DBs"),
        suite("rq", {"3.9 3.13": ["2.0.0"]}, group="DBs", services=[redis()]),
        **workflows,
    )


def big(count: int = 130, pythons: str = "3.10 3.13", **workflows: Any) -> tuple[Matrix, Config]:
    """One group with ``count`` versions on ``pythons`` (260 envs by default), one matrix
    entry per env."""
    workflows.setdefault("jobs_per", "env")
    versions = [f"1.{minor}.0" for minor in range(count)]
    return scenario(suite("big", {pythons: versions}, group="Big"), **workflows)
