"""Resolving with uv against a package index on loopback (``compatrix._resolve._uv``)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from tests.index_server import IndexServer

from compatrix._pythons import PythonVersion
from compatrix._resolve import (
    Resolution,
    ResolveRequest,
    ResolverError,
    Unsatisfiable,
    find_uv,
    resolve,
)
from compatrix._resolve._uv import _failed_build

from ._index import Dist, Index

INDEX = Index(
    [
        Dist("app", "1.0", "2020-02-01", requires=["lib>=1", "helper"]),
        Dist("lib", "1.0", "2020-01-01"),
        Dist("lib", "2.0", "2023-01-01", requires_python=">=3.9"),
        Dist("helper", "0.5", "2019-01-01"),
        Dist("binary", "1.0", "2024-01-01", wheels=["cp312-cp312-manylinux_2_28_x86_64"]),
        Dist("sdist-only", "1.0", "2018-01-01", wheels=[]),
        Dist("builder", "1.0", "2018-01-01"),
        Dist("builder", "2.0", "2023-01-01"),
    ]
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexServer]:
    root = INDEX.write(tmp_path_factory.mktemp("index"))
    with IndexServer(root, advertise_metadata=True) as running:
        yield running


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "UV_CACHE_DIR": str(tmp_path / "uv-cache")}


def _resolve(request: ResolveRequest, environ: dict[str, str]) -> Resolution | Unsatisfiable:
    return asyncio.run(resolve(request, uv=find_uv(), python=sys.executable, environ=environ))


def _request(server: IndexServer, *requirements: str, **kwargs: object) -> ResolveRequest:
    return ResolveRequest(
        requirements=requirements,
        python=kwargs.pop("python", PythonVersion(3, 12)),  # type: ignore[arg-type]
        index_url=server.index_url,
        **kwargs,  # type: ignore[arg-type]
    )


def _pins(result: Resolution | Unsatisfiable) -> list[str]:
    assert isinstance(result, Resolution), result
    return [d.pin for d in result.distributions]


@pytest.mark.parametrize(
    ("python", "exclude_newer", "pins"),
    [
        pytest.param(
            PythonVersion(3, 12), None, ["app==1.0", "helper==0.5", "lib==2.0"], id="newest"
        ),
        pytest.param(
            PythonVersion(3, 12),
            date(2021, 6, 1),
            ["app==1.0", "helper==0.5", "lib==1.0"],
            id="as-the-index-stood-in-2021",
        ),
        pytest.param(
            PythonVersion(3, 8), None, ["app==1.0", "helper==0.5", "lib==1.0"], id="on-python-3.8"
        ),
    ],
)
def test_resolution_pins_every_distribution(
    server: IndexServer,
    environ: dict[str, str],
    python: PythonVersion,
    exclude_newer: date | None,
    pins: list[str],
) -> None:
    result = _resolve(
        _request(server, "app==1.0", python=python, exclude_newer=exclude_newer), environ
    )
    assert _pins(result) == pins


def test_the_wheels_that_install_on_the_target_are_listed(
    server: IndexServer, environ: dict[str, str]
) -> None:
    on_312 = _resolve(_request(server, "binary"), environ)
    on_38 = _resolve(_request(server, "binary", python=PythonVersion(3, 8)), environ)
    assert isinstance(on_312, Resolution) and isinstance(on_38, Resolution)
    (wheel_312,) = on_312.distributions
    (sdist_38,) = on_38.distributions
    assert wheel_312.wheels == ("binary-1.0-cp312-cp312-manylinux_2_28_x86_64.whl",)
    assert (sdist_38.wheels, sdist_38.sdist) == ((), "binary-1.0.tar.gz")


@pytest.mark.parametrize(
    ("requirements", "only_binary", "reason"),
    [
        pytest.param(
            ("app==1.0", "lib>=3"),
            (),
            "Because only lib<=2.0 is available and you require lib>=3",
            id="no-such-version",
        ),
        pytest.param(
            ("binary",),
            ("binary",),
            "Because binary==1.0 has no usable wheels",
            id="only-an-sdist-for-the-target",
        ),
    ],
)
def test_unsatisfiable_requirements_are_evidence(
    server: IndexServer,
    environ: dict[str, str],
    requirements: tuple[str, ...],
    only_binary: tuple[str, ...],
    reason: str,
) -> None:
    result = _resolve(
        _request(server, *requirements, python=PythonVersion(3, 8), only_binary=only_binary),
        environ,
    )
    assert isinstance(result, Unsatisfiable)
    assert result.reason.startswith(reason), result.reason
    assert "\n" not in result.reason


def test_a_distribution_that_fails_to_build_is_evidence(
    server: IndexServer, environ: dict[str, str], tmp_path: Path
) -> None:
    project = tmp_path / "broken"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    )
    (project / "backend.py").write_text("raise SystemExit('this sdist does not build here')\n")
    result = _resolve(_request(server, f"broken @ {project.as_uri()}"), environ)
    assert isinstance(result, Unsatisfiable)
    assert result.reason.startswith("the sdist of broken @ file://"), result.reason
    assert result.reason.endswith("fails to build: The build backend returned an error")
    assert not result.project


_BACKEND = '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'


@pytest.mark.parametrize(
    ("files", "exclude_newer", "reason"),
    [
        pytest.param(
            {"pyproject.toml": '[build-system]\nrequires = ["builder>=2"]\nbuild-backend = "b"\n'},
            date(2021, 6, 1),
            "the project does not build: No solution found when resolving: `builder>=2` "
            "Because only builder==1.0 is available and you require builder>=2",
            id="build-requirements-newer-than-the-day",
        ),
        pytest.param(
            {
                "pyproject.toml": _BACKEND,
                "backend.py": "raise SystemExit('this project does not build here')\n",
            },
            None,
            "the project does not build: Call to `backend.get_requires_for_build_wheel` failed",
            id="build-backend-fails",
        ),
    ],
)
def test_a_project_that_does_not_build_is_evidence(
    server: IndexServer,
    environ: dict[str, str],
    tmp_path: Path,
    *,
    files: dict[str, str],
    exclude_newer: date | None,
    reason: str,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    request = _request(
        server, "app==1.0", project=tmp_path / "pyproject.toml", exclude_newer=exclude_newer
    )
    result = _resolve(request, environ)
    assert isinstance(result, Unsatisfiable), result
    assert result.reason.startswith(reason), result.reason
    assert "\n" not in result.reason
    assert result.project  # a later day may build it; the last day's failure is an error


def test_an_index_that_cannot_be_reached_is_an_error(environ: dict[str, str]) -> None:
    environ["UV_HTTP_RETRIES"] = "0"
    request = ResolveRequest(
        requirements=("app",), python=PythonVersion(3, 12), index_url="http://127.0.0.1:9/simple/"
    )
    with pytest.raises(ResolverError, match=r"resolving the requirements for Python 3\.12 failed"):
        _resolve(request, environ)


def test_the_key_changes_with_every_input(server: IndexServer) -> None:
    base = _request(server, "app==1.0")
    variants = [
        _request(server, "app==1.0", "pytest"),
        _request(server, "app==1.0", python=PythonVersion(3, 13)),
        _request(server, "app==1.0", exclude_newer=date(2021, 1, 1)),
        _request(server, "app==1.0", only_binary=("lib",)),
        _request(server, "app==1.0", extras=("x",), project=Path("pyproject.toml")),
    ]
    keys = {base.key(), *(v.key() for v in variants)}
    assert len(keys) == len(variants) + 1
    assert base.key() == _request(server, "app==1.0").key()


_BUILD_ERROR = """\
error: Failed to build `{name}`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta.build_wheel` failed (exit status: 1)
"""


@pytest.mark.parametrize(
    ("name", "project", "reason"),
    [
        pytest.param(
            "lib==1.0", False, "the sdist of lib 1.0 fails to build", id="a-dependency-sdist"
        ),
        pytest.param(
            "app @ file://{project}",
            True,
            "the project does not build: The build backend returned an error",
            id="the-project-as-a-distribution",
        ),
        pytest.param(
            "other @ file://{project}/vendored",
            False,
            "the sdist of other @ file://{project}/vendored fails to build",
            id="another-directory",
        ),
    ],
)
def test_a_failed_build_is_the_project_s_when_it_names_the_project_s_directory(
    tmp_path: Path, name: str, project: bool, reason: str
) -> None:
    """How uv names what failed to build decides whose fault it is: the project's own
    failure on the last day of the ladder stops the update; a dependency's is evidence."""
    message = _BUILD_ERROR.format(name=name.format(project=tmp_path))
    found = _failed_build(message, tmp_path)
    assert found is not None
    assert found.project is project
    assert found.reason.startswith(reason.format(project=tmp_path)), found.reason
