"""What tox installs in each env, asked of tox itself.

The requirement set of an env is what tox will install in it: the testenv's ``deps`` (the
user's and the lines compatrix generates), the project with its dependencies and the
env's ``extras`` (unless ``package = skip``), and its ``dependency_groups``. Only tox knows
its own configuration language (factor conditions, substitutions, ``[testenv:...]``
overrides), so compatrix asks it: the tox configuration as compatrix is about to write it
goes to a temporary directory, and ``tox config --root PROJECT`` reads it as if it stood in
the project (``{tox_root}`` and relative paths mean the project's directory).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from compatrix.errors import OutputError, UsageError

__all__ = ["EnvInstall", "tox_command", "tox_installs"]

KEYS = ("deps", "extras", "dependency_groups", "package")


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvInstall:
    """What tox installs in one env."""

    deps: tuple[str, ...]
    """Requirement lines as tox gives them (``-r``, ``-c`` and paths relative to the
    project's directory)."""
    extras: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    package: str = "skip"
    """``skip`` (the project is not installed), ``wheel``, ``sdist``, ``editable``, ..."""

    @property
    def installs_project(self) -> bool:
        return self.package != "skip"


def tox_command(environ: Mapping[str, str]) -> list[str]:
    """How to run tox: ``tox`` on PATH, else the tox installed beside compatrix."""
    found = shutil.which("tox", path=environ.get("PATH"))
    if found is not None:
        return [found]
    try:
        import tox  # noqa: F401, PLC0415 - only its presence is checked
    except ImportError:
        msg = (
            "pinning envs asks tox what each env installs, and tox is not installed: "
            'install tox (and tox-uv) where compatrix runs, or set pins = "off"'
        )
        raise UsageError(msg) from None
    return [sys.executable, "-m", "tox"]


def tox_installs(
    tox_file: Path,
    text: str,
    envs: Sequence[str],
    *,
    environ: Mapping[str, str],
    timeout: float = 300.0,
) -> dict[str, EnvInstall]:
    """What tox installs in each of ``envs`` when ``tox_file`` reads ``text``.

    Raises ``OutputError`` naming the file when tox cannot read the configuration.
    """
    if not envs:
        return {}
    root = tox_file.parent
    with tempfile.TemporaryDirectory(prefix="compatrix-tox-") as scratch:
        planned = Path(scratch) / tox_file.name
        planned.write_text(text, encoding="utf-8")
        argv = [*tox_command(environ), "-c", str(planned), "--root", str(root), "config"]
        argv += ["-e", ",".join(envs), "-k", *KEYS, "--format", "json"]
        try:
            result = subprocess.run(
                argv,
                cwd=root,
                env={**environ, "NO_COLOR": "1"},
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            msg = f"tox took longer than {timeout:g} s to read {tox_file}"
            raise OutputError(msg) from None
    if result.returncode != 0:
        msg = f"tox cannot read {tox_file}: {_first_line(result.stdout + result.stderr)}"
        raise OutputError(msg)
    try:
        answer = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        msg = f"tox gave no readable answer for {tox_file}: {_first_line(result.stdout)}"
        raise OutputError(msg) from exc
    return {name: _env(tox_file, name, answer) for name in envs}


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else "no output"


def _strings(value: object, *, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(line for line in value.splitlines() if line.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ValueError(what)


def _env(tox_file: Path, name: str, answer: object) -> EnvInstall:
    env = answer.get("env", {}).get(name) if isinstance(answer, dict) else None
    if not isinstance(env, dict):
        msg = f"tox did not describe env {name!r} of {tox_file}"
        raise OutputError(msg)
    for key in KEYS:
        value = env.get(key)
        if isinstance(value, dict) and "error" in value:
            msg = f"tox cannot read {key} of env {name!r} in {tox_file}: {value['error']}"
            raise OutputError(msg)
    try:
        return EnvInstall(
            deps=_strings(env.get("deps", []), what="deps"),
            extras=_strings(env.get("extras", []), what="extras"),
            groups=_strings(env.get("dependency_groups", []), what="dependency_groups"),
            package=str(env.get("package", "skip")),
        )
    except ValueError as exc:
        msg = f"tox described {exc} of env {name!r} in {tox_file} in an unexpected form"
        raise OutputError(msg) from None
