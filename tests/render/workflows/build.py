"""Hand-built matrices and configs for the workflow tests.

The workflows depend only on the envs (name, suite, Python, group) and the suites'
services, so a suite here is its name, group, services and envs written as
``{"3.8 3.12": ["v1.0.0", "latest"]}``: every version on every Python listed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix._config import (
    Config,
    PythonRange,
    Service,
    Suite,
    SuitePolicy,
    WorkflowSettings,
)
from compatrix._pythons import PythonVersion
from compatrix._selection._model import Env, Matrix, SuiteMatrix, SuiteSelection

ROOT = Path("/project")
DATA = Path(__file__).parent / "data"


def suite(
    name: str,
    envs: Mapping[str, Sequence[str]],
    *,
    group: str = "default",
    services: Sequence[Service] = (),
) -> SuiteMatrix:
    """A suite and its envs: ``{"3.8 3.12": ["1.0.0", "latest"]}``."""
    the_suite = Suite(
        name=name,
        package=canonicalize_name(name),
        requirement=name,
        policy=SuitePolicy(group=group),
        services=tuple(services),
    )
    return envs_of(the_suite, envs)


def envs_of(the_suite: Suite, envs: Mapping[str, Sequence[str]]) -> SuiteMatrix:
    """``the_suite`` with envs: every version listed on every Python of its key."""
    name, group = the_suite.name, the_suite.policy.group
    built = []
    for pythons, versions in envs.items():
        for version_text in versions:
            for python in (PythonVersion.parse(p) for p in pythons.split()):
                version = None if version_text == "latest" else Version(version_text)
                factor = "latest" if version is None else f"v{version}"
                built.append(
                    Env(
                        name=f"{python.factor}-{name}-{factor}",
                        suite=name,
                        python=python,
                        version=version,
                        requirement=name if version is None else f"{name}=={version}",
                        deps=(),
                        group=group,
                    )
                )
    selection = SuiteSelection(suite=name, picks=(), latest=None, remembered=())
    return SuiteMatrix(suite=the_suite, selection=selection, envs=tuple(built))


def scenario(*suites: SuiteMatrix, **workflows: Any) -> tuple[Matrix, Config]:
    """The matrix of ``suites`` and a config with workflows enabled and ``workflows`` set."""
    settings = WorkflowSettings(enabled=True, directory=ROOT / ".github" / "workflows", **workflows)
    config = Config(
        path=ROOT / "compatrix.toml",
        root=ROOT,
        python=PythonRange(),
        workflows=settings,
        suites=tuple(s.suite for s in suites),
    )
    return Matrix(suites=tuple(suites)), config


def redis() -> Service:
    return Service(name="redis", image="redis:7", ports=("6379:6379",), health_cmd="redis-cli ping")


def postgres() -> Service:
    return Service(
        name="postgres",
        image="postgres:17",
        ports=("5432:5432",),
        env={"POSTGRES_PASSWORD": "compatrix", "POSTGRES_DB": "test"},
        health_cmd="pg_isready -U postgres",
        health_retries=10,
        options="--tmpfs /var/lib/postgresql/data",
    )


def assert_matches_files(files: Mapping[str, str]) -> None:
    """Each text is the checked-in expected file ``data/NAME``.

    Regenerate after a deliberate change with ``COMPATRIX_REGENERATE_EXPECTED=1``: each test
    writes its files and fails, so that the new files are reviewed before they pass.
    """
    if os.environ.get("COMPATRIX_REGENERATE_EXPECTED") == "1":
        for name, text in files.items():
            (DATA / name).write_bytes(text.encode("utf-8"))
        pytest.fail(f"regenerated {', '.join(files)}; review and run again without the switch")
    for name, text in files.items():
        path = DATA / name
        assert path.exists(), f"{path} is missing: run with COMPATRIX_REGENERATE_EXPECTED=1"
        assert text == path.read_bytes().decode("utf-8"), name
