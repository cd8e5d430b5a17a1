"""The bundled example, for real: compatrix renders tox.ini from the committed lock, and tox
installs the picked versions from the package index and runs the example's tests.

These tests install packages from PyPI (through tox and uv), so they are slow and need the
index; CI runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli._project import run

from compatrix._config import load_config
from compatrix._lock._format import read_lock
from compatrix._pythons import PythonVersion
from compatrix._selection._matrix import build_matrix

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
BIN = Path(sys.executable).parent


def test_committed_demo_outputs_are_current() -> None:
    result = run("-C", str(DEMO), "check")
    assert result.code == 0, result.out + result.err


def _interpreters() -> dict[PythonVersion, Path]:
    """CPython interpreters on this machine: on PATH, or installed by pyenv."""
    found: dict[PythonVersion, Path] = {}
    roots = [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        roots += sorted(p / "bin" for p in pyenv.iterdir())
    for minor in range(6, 16):
        name = f"python3.{minor}"
        for folder in roots:
            candidate = folder / name
            if "shims" in folder.parts or not candidate.is_file():
                continue
            probe = subprocess.run(
                [str(candidate), "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.returncode == 0 and probe.stdout.strip() == f"(3, {minor})":
                found[PythonVersion(3, minor)] = candidate
                break
    return found


def _missing(reason: str) -> None:
    """A missing interpreter skips the test on a developer's machine and fails it in CI
    (where ``CI`` is set), so that CI never passes without running it."""
    message = f"{reason} (found: {', '.join(str(p) for p in sorted(_interpreters())) or 'none'})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.slow
def test_tox_runs_lowest_and_latest_picks_on_two_pythons(tmp_path: Path) -> None:
    pythons = _interpreters()
    project = tmp_path / "demo"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns(".tox", "__pycache__"))
    assert run("-C", str(project), "-q", "generate").code == 0

    config = load_config(directory=project)
    lock = read_lock(config.lock_path)
    assert lock is not None
    (httpx,) = (s for s in build_matrix(config, lock).suites if s.suite.name == "httpx")
    picks = httpx.selection.picks
    lowest, latest = picks[0], picks[-1]
    assert "lowest" in lowest.roles
    assert "latest" in latest.roles
    # The lowest pick on its oldest Python, the latest on its newest, both installed here.
    chosen = []
    for pick, order in ((lowest, 1), (latest, -1)):
        usable = [p for p in pick.pythons[::order] if p in pythons and not p.free_threaded]
        if not usable:
            wanted = " or ".join(str(p) for p in pick.pythons if not p.free_threaded)
            _missing(f"needs CPython {wanted} for httpx {pick.version}")
        chosen.append((pick.version, usable[0]))
    if chosen[0][1] == chosen[1][1]:
        _missing(f"needs two CPythons; only {chosen[0][1]} fits both httpx picks")
    envs = [f"{python.factor}-httpx-v{version}" for version, python in chosen]
    # Also a -latest env (installs the newest release at run time) and another suite's
    # lowest pick (pinned in its era, 2020).
    suites = {s.suite.name: s for s in build_matrix(config, lock).suites}
    latest_envs = [e.name for e in suites["click"].envs if e.python in pythons and not e.version]
    attrs_envs = [e.name for e in suites["attrs"].envs if e.python in pythons and e.version]
    extra = [latest_envs[0], attrs_envs[0]]

    env = dict(os.environ)
    folders = [str(BIN), *sorted({str(p.parent) for p in pythons.values()})]
    env["PATH"] = os.pathsep.join([*folders, env.get("PATH", "")])
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.pop("PYENV_VERSION", None)
    env.pop("VIRTUAL_ENV", None)
    tox = [str(BIN / "tox"), "-c", str(project / "tox.ini"), "--workdir", str(tmp_path / "tox")]
    result = subprocess.run(
        [*tox, "-e", ",".join([*envs, *extra])],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    for name in [*envs, *extra]:
        assert f"{name}: OK" in result.stdout, result.stdout[-4000:]

    for (version, python), name in zip(chosen, envs, strict=True):
        probe = subprocess.run(
            [
                *tox,
                "exec",
                "-e",
                name,
                "-qq",
                "--",
                "python",
                "-c",
                (
                    "import sys, importlib.metadata as m; "
                    "print(m.version('httpx'), '%d.%d' % sys.version_info[:2])"
                ),
            ],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert probe.returncode == 0, probe.stderr
        assert probe.stdout.split()[-2:] == [str(version), str(python)]

    # Every install of a pinned env read its constraint file: what is installed is the pins.
    pinned = [name for name in [*envs, *extra] if not name.endswith("-latest")]
    assert len(pinned) >= 3
    for name in pinned:
        record = lock.resolutions[name]
        assert record.status == "ok"
        installed = _installed(tox, name, project, env)
        wanted = dict(pin.split("==") for pin in record.pins)
        assert {n: installed.get(n) for n in wanted} == wanted, name


def _installed(tox: list[str], name: str, project: Path, env: dict[str, str]) -> dict[str, str]:
    """Distribution name (normalized) -> version, of what is installed in tox env ``name``."""
    code = (
        "import importlib.metadata as m, re\n"
        "for d in m.distributions():\n"
        "    print(re.sub(r'[-_.]+', '-', d.metadata['Name']).lower(), d.version)"
    )
    probe = subprocess.run(
        [*tox, "exec", "-e", name, "-qq", "--", "python", "-c", code],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    return dict(line.split() for line in probe.stdout.splitlines() if len(line.split()) == 2)
