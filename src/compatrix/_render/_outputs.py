"""Every file compatrix generates, rendered in memory, then written or compared."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from compatrix._config import Config
from compatrix._fs import read_text, write_files_atomically
from compatrix._lock import EnvResolution
from compatrix._render._constraints import constraint_files
from compatrix._render._diff import unified_diff
from compatrix._render._regions import GENERATED_HEADER
from compatrix._render._tox_ini import render_tox_ini
from compatrix._render._tox_pyproject import render_pyproject_tox, shadowing_sources
from compatrix._render._tox_toml import render_tox_toml
from compatrix._render._update_workflow import UPDATE_WORKFLOW, with_install_source
from compatrix._render._workflows import render_workflows
from compatrix._selection import Matrix
from compatrix.errors import OutputError

__all__ = ["Drift", "find_drift", "plan_outputs", "plan_tox", "write_outputs"]

Reader = Callable[[Path], "str | None"]


def plan_outputs(
    config: Config,
    matrix: Matrix,
    *,
    resolutions: Mapping[str, EnvResolution],
    read: Reader = read_text,
) -> dict[Path, str | None]:
    """Path -> the full text compatrix wants there (user content outside regions kept),
    or None for a file compatrix generated earlier that is no longer wanted.

    ``resolutions`` are the lock's: the pins of the constraint files."""

    outputs: dict[Path, str | None] = {config.tox.file: plan_tox(config, matrix, read=read)}
    if config.workflows.enabled:
        outputs.update(render_workflows(matrix, config))
        workflows = config.workflows.directory
        for stale in _generated_files(workflows, (".yml", ".yaml"), outputs, read=read):
            outputs.setdefault(stale, None)
    source = config.workflows.compatrix_install
    if source is not None:
        update_workflow = config.root / UPDATE_WORKFLOW
        text = read(update_workflow)
        if text is not None:
            outputs[update_workflow] = with_install_source(text, source)
    outputs.update(constraint_files(config, matrix, resolutions))
    constraints = config.root / config.tox.constraints
    for stale in _generated_files(constraints, (".txt",), outputs, read=read):
        outputs.setdefault(stale, None)
    return outputs


def plan_tox(config: Config, matrix: Matrix, *, read: Reader = read_text) -> str:
    """The full text of the tox configuration for ``matrix`` (the user's part kept)."""
    tox_file = config.tox.file
    existing = read(tox_file)
    label = config.label(tox_file)
    if existing is None and config.tox.format != "pyproject":
        shadowing = shadowing_sources(config.root, tox_file, read=read)
        if shadowing:
            effect = "shadow it" if tox_file.name == "tox.ini" else "be ignored by tox"
            msg = (
                f"{label} does not exist, and tox is configured in {shadowing[0]}: a new "
                f"{tox_file.name} would {effect}. Set [tox] file to the file that configures tox "
                '(file = "pyproject.toml" for [tool.tox]), or move that configuration out first'
            )
            raise OutputError(msg)
    if config.tox.format == "pyproject":
        return render_pyproject_tox(existing, matrix, config, path=label)
    if config.tox.format == "toml":
        return render_tox_toml(existing, matrix, config, path=label)
    return render_tox_ini(existing, matrix, config, path=label)


def _generated_files(
    directory: Path, suffixes: tuple[str, ...], planned: Collection[Path], *, read: Reader
) -> list[Path]:
    """The files in ``directory``, other than those ``planned``, that compatrix generated: a
    workflow of a group renamed or removed since (still running envs that no longer exist),
    the constraint file of an env no longer pinned."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.iterdir()):
        if path.suffix in suffixes and path not in planned:
            text = read(path)
            if text is not None and text.startswith(GENERATED_HEADER):
                found.append(path)
    return found


def write_outputs(outputs: dict[Path, str | None]) -> list[Path]:
    """Write (or remove) every output all-or-nothing; return the paths that changed.

    A directory that removing generated files left empty (``constraints/`` once no suite
    is pinned) is removed too: everything in it was compatrix's. No directory is made for
    nothing: one is created only to hold a file written into it."""
    changed = write_files_atomically(outputs)
    emptied = {path.parent for path in changed if outputs[path] is None}
    for directory in sorted(emptied, reverse=True):
        with contextlib.suppress(OSError):  # not empty (the user's files), or gone
            directory.rmdir()
    return changed


@dataclass(frozen=True, slots=True, kw_only=True)
class Drift:
    """A generated file whose content on disk differs from what config + lock produce."""

    path: Path
    diff: str


def find_drift(
    config: Config, outputs: dict[Path, str | None], *, read: Reader = read_text
) -> list[Drift]:
    """The outputs that differ from the files on disk, each with a unified diff (a file
    to remove shows as a diff to nothing)."""

    drift = []
    for path, expected in outputs.items():
        current = read(path)
        if current != expected:
            diff = unified_diff(config.label(path), current, expected)
            drift.append(Drift(path=path, diff=diff))
    return drift
