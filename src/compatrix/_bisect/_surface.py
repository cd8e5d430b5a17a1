"""What changed in a package's public surface between two releases.

Each release is installed into a throwaway env (``uv venv`` + ``uv pip install``) on the
bisect's Python, and a small script (:mod:`._introspect`) lists its public modules, their
public names and the signatures of its functions, classes and methods. The diff of two
such listings is pure.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from compatrix._bisect._introspect import SCRIPT

__all__ = [
    "Surface",
    "SurfaceDiff",
    "changelog_url",
    "diff_surfaces",
    "read_surface",
    "touched_by",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Surface:
    version: str
    modules: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Public module -> public name (``Client``, ``Client.send``) -> ``function (x, y=1)``."""
    errors: Mapping[str, str] = field(default_factory=dict)
    """Modules that failed to import, with the error."""
    urls: tuple[str, ...] = ()
    """``Label, URL`` from the metadata's Project-URL (and Home-page)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SurfaceDiff:
    modules_added: tuple[str, ...] = ()
    modules_removed: tuple[str, ...] = ()
    names_added: tuple[str, ...] = ()
    """``module:name``."""
    names_removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, str, str], ...] = ()
    """(``module:name``, before, after)."""

    @property
    def empty(self) -> bool:
        return not (
            self.modules_added
            or self.modules_removed
            or self.names_added
            or self.names_removed
            or self.changed
        )


def diff_surfaces(before: Surface, after: Surface) -> SurfaceDiff:
    old, new = set(before.modules), set(after.modules)
    added, removed, changed = [], [], []
    for module in sorted(old & new):
        a, b = before.modules[module], after.modules[module]
        removed += [f"{module}:{n}" for n in sorted(set(a) - set(b))]
        added += [f"{module}:{n}" for n in sorted(set(b) - set(a))]
        changed += [(f"{module}:{n}", a[n], b[n]) for n in sorted(set(a) & set(b)) if a[n] != b[n]]
    return SurfaceDiff(
        modules_added=tuple(sorted(new - old)),
        modules_removed=tuple(sorted(old - new)),
        names_added=tuple(added),
        names_removed=tuple(removed),
        changed=tuple(changed),
    )


def touched_by(diff: SurfaceDiff, output: str) -> tuple[str, ...]:
    """The removed or changed names of ``diff`` that ``output`` (a failing run's traceback)
    mentions: their last component appears in it as a word."""
    names = [*diff.names_removed, *(name for name, _, _ in diff.changed)]
    found = []
    for name in names:
        last = re.split(r"[:.]", name)[-1]
        if last != "__init__" and re.search(rf"\b{re.escape(last)}\b", output):
            found.append(name)
    return tuple(found)


_CHANGELOG = re.compile(r"change|history|release|news|what.?s.?new", re.IGNORECASE)


def changelog_url(surface: Surface) -> str | None:
    """The Project-URL that looks like a changelog or release notes, else the source or
    home page."""
    pairs = []
    for entry in surface.urls:
        label, _, url = entry.partition(",")
        if url.strip():
            pairs.append((label.strip(), url.strip()))
    for label, url in pairs:
        if _CHANGELOG.search(label) or _CHANGELOG.search(url.rsplit("/", 1)[-1]):
            return url
    for label, url in pairs:
        if re.search(r"source|repository|code|github", label, re.IGNORECASE):
            return url
    return pairs[0][1] if pairs else None


def _uv() -> str:
    return shutil.which("uv") or str(Path(sys.executable).parent / "uv")


def read_surface(
    *,
    interpreter: Path,
    requirement: str,
    distribution: str,
    index_url: str | None,
    environ: Mapping[str, str],
    timeout: float = 900,
) -> Surface:
    """Install ``requirement`` into a throwaway env on ``interpreter`` and list the public
    surface of ``distribution``; raises RuntimeError (with uv's or the script's message)
    when it cannot."""
    env = dict(environ)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.pop("VIRTUAL_ENV", None)
    index = ["--default-index", index_url] if index_url else []
    with tempfile.TemporaryDirectory(prefix="compatrix-surface-") as folder:
        venv = Path(folder) / "env"
        python = venv / "bin" / "python"
        steps = [
            [_uv(), "venv", "--quiet", "-p", str(interpreter), str(venv)],
            [_uv(), "pip", "install", "--quiet", "--python", str(python), *index, requirement],
            [str(python), "-c", SCRIPT, distribution],
        ]
        for step in steps:
            done = subprocess.run(
                step, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
            if done.returncode:
                tail = " | ".join(done.stderr.strip().splitlines()[-3:])
                msg = f"{Path(step[0]).name} {step[1]} failed: {tail}"
                raise RuntimeError(msg)
        data = json.loads(done.stdout)
    return Surface(
        version=str(data["version"]),
        modules=data["modules"],
        errors=data["errors"],
        urls=tuple(data["urls"]),
    )
