"""A few checks against the real PyPI. Opt-in: ``pytest --live``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tests.cli._project import project, run

from compatrix._index import Cache, IndexClient
from compatrix._lock._format import loads_lock

pytestmark = pytest.mark.live


def test_pypi_page_and_metadata_of_a_known_release(tmp_path: Path) -> None:
    async def fetch() -> tuple[object, object]:
        async with IndexClient(cache=Cache(tmp_path / "cache"), jobs=4) as client:
            page = await client.fetch_page("HTTPX")  # not normalized: PyPI redirects
            metadata = await client.fetch_metadata(page.page, "0.28.1")
            return page, metadata

    page, (metadata, status) = asyncio.run(fetch())  # type: ignore[misc]
    facts = page.facts()  # type: ignore[attr-defined]
    release = facts.release("0.28.1")
    assert release is not None
    assert release.requires_python == ">=3.8"
    assert release.wheel_tags == ("py3-none",)
    assert release.sdist
    assert page.page.serial is not None  # type: ignore[attr-defined]
    assert status == "ok"
    assert "Programming Language :: Python :: 3.12" in metadata.classifiers  # type: ignore[attr-defined]
    assert "http2" in metadata.extras  # type: ignore[attr-defined]


def test_update_against_pypi(tmp_path: Path) -> None:
    config = """\
python = ["3.9", "3.10", "3.11", "3.12", "3.13"]

[suites.attrs]
package = "attrs"
min-version = "22.1"
each-major = false
"""
    root = project(tmp_path / "proj", config=config)
    result = run("-C", str(root), "update", "--cache-dir", str(tmp_path / "cache"))
    assert result.code == 0, result.err
    lock = loads_lock((root / "compatrix.lock").read_text())
    facts = lock.packages["attrs"]
    assert facts.index == "https://pypi.org/simple/"
    assert facts.release("22.1.0") is not None
    assert lock.picks["attrs"][0] == "22.1.0"
    assert run("-C", str(root), "check").code == 0


def test_metadata_read_out_of_a_wheel_is_its_metadata_file() -> None:
    """Range requests into a wheel on files.pythonhosted.org give the bytes PEP 658 serves
    (the index redirects nothing here; the wheel lives on another host than the index)."""

    async def both() -> tuple[object, object, int]:
        async with IndexClient(cache=Cache.disabled(), jobs=4) as client:
            page = (await client.fetch_page("httpx")).page
            wheel = next(f for f in page.files if f.filename == "httpx-0.28.1-py3-none-any.whl")
            from_file = await client._wheel_metadata(wheel, inside=False)
            before = client.counters.requests
            from_wheel = await client._wheel_metadata(wheel, inside=True)
            return from_file, from_wheel, client.counters.requests - before

    from_file, from_wheel, requests = asyncio.run(both())
    assert from_wheel is not None
    assert requests == 1  # a 73 KiB wheel: its last 64 KiB hold everything
    if from_file is not None:  # a mirror may have no .metadata file
        assert from_wheel == from_file


SENTRY = Path(__file__).resolve().parents[2] / "examples" / "sentry-python"


@pytest.mark.parametrize(
    ("env", "module"),
    [
        pytest.param("py3.9-sqlalchemy-v1.2.19", "sqlalchemy", id="sqlalchemy-sdist-built"),
        pytest.param("py3.12-flask-v1.1.4", "flask", id="flask-markupsafe-sdist-built"),
        pytest.param("py3.6-httpx-v0.16.1", "httpx", id="httpx-in-its-era-on-3.6"),
    ],
)
def test_sentry_pins_install_and_import(tmp_path: Path, env: str, module: str) -> None:
    """A sample of Sentry's pinned envs, installed from their constraint files alone on
    their Python (the two builds a probe vouched for among them): what is installed is the
    pins, and the pick imports."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.e2e.test_demo_with_tox import _interpreters

    from compatrix._lock import read_lock
    from compatrix._pythons import PythonVersion

    python = PythonVersion.match(env.split("-", 1)[0].removeprefix("py"))
    assert python is not None
    interpreter = _interpreters().get(python)
    if interpreter is None:
        pytest.skip(f"no CPython {python} here")
    lock = read_lock(SENTRY / "compatrix.lock")
    assert lock is not None
    record = lock.resolutions[env]
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    environ = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_CACHE_DIR": str(tmp_path / "c")}
    environ.pop("VIRTUAL_ENV", None)
    venv = tmp_path / "env"

    def step(*argv: str) -> str:
        done = subprocess.run(argv, env=environ, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    step(uv, "venv", "-q", "-p", str(interpreter), str(venv))
    constraints = SENTRY / "constraints" / f"{env}.txt"
    target = str(venv / "bin" / "python")
    step(uv, "pip", "install", "-q", "--python", target, "-r", str(constraints))
    listed = step(uv, "pip", "freeze", "--python", target)
    installed = {line.split("==")[0].lower().replace("_", "-"): line for line in listed.split()}
    assert sorted(installed.values()) == sorted(record.pins)
    step(target, "-c", f"import {module}")
