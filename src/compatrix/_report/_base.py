"""The base of ``compatrix report --base``: an older lock file, or the lock (and config)
at a git revision. The only part of the report that reads anything."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compatrix._config import Config, config_from_dict
from compatrix._lock import Lock, loads_lock
from compatrix._toml import tomllib
from compatrix.errors import ConfigError, LockError, UsageError

__all__ = ["BaseLock", "load_base_lock"]


# --- the base ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseLock:
    """The lock to compare with, where it came from, and the config of that time.

    ``config`` is the configuration as it was at the base git revision, when it could be
    read there; None for a lock file (the current config then builds both matrices).
    """

    lock: Lock
    source: str
    """``compatrix.lock.old``, or ``HEAD:compatrix.lock`` for a git revision."""
    config: Config | None = None


def load_base_lock(base: str, config: Config) -> BaseLock:
    """The base of ``compatrix report --base``: a lock file, else a git revision.

    A path is tried relative to the working directory, then to the config's directory. A
    git revision is read in the config's directory: the lock at the same place in the
    repository at that revision (none there = an empty base), and the config of that
    revision when it is valid. Raises UsageError when ``base`` is neither, LockError when
    the lock found is invalid.
    """
    for candidate in (Path.cwd() / base, config.root / base):  # an absolute path is itself
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                msg = f"--base {base}: cannot read {candidate}: {exc}"
                raise LockError(msg) from exc
            return BaseLock(lock=loads_lock(text, source=str(candidate)), source=str(candidate))
    return _base_from_git(base, config)


class _Git:
    """Read-only git queries in one directory."""

    def __init__(self, directory: Path, base: str) -> None:
        self.directory = directory
        self.base = base

    def run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                ["git", *args], cwd=self.directory, capture_output=True, check=False
            )
        except OSError as exc:
            msg = f"--base {self.base}: no such lock file, and git cannot run ({exc.strerror})"
            raise UsageError(msg) from exc

    def blob(self, commit: str, path: str) -> bytes | None:
        """The file at ``path`` (relative to the repository root) in ``commit``, or None."""
        if self.run("cat-file", "-e", f"{commit}:{path}").returncode != 0:
            return None
        result = self.run("cat-file", "blob", f"{commit}:{path}")
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip()
            msg = f"--base {self.base}: cannot read {path}: {detail}"
            raise UsageError(msg)
        return result.stdout


def _base_from_git(base: str, config: Config) -> BaseLock:
    git = _Git(config.root, base)
    toplevel = git.run("rev-parse", "--show-toplevel")
    if toplevel.returncode != 0:
        msg = (
            f"--base {base}: no such lock file, and {config.root} is not in a git "
            "repository to read a revision from"
        )
        raise UsageError(msg)
    if base.startswith("-"):
        raise UsageError(f"--base {base}: no such lock file, and not a git revision")
    commit_result = git.run("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    if commit_result.returncode != 0:
        raise UsageError(f"--base {base}: no such lock file, and not a git revision")
    commit = commit_result.stdout.decode().strip()
    root = Path(toplevel.stdout.decode().strip()).resolve()
    lock_path = _in_repository(config.lock_path, root, base)
    data = git.blob(commit, lock_path)
    source = f"{base}:{lock_path}"
    if data is None:
        lock = Lock()
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LockError(f"{source}: not UTF-8 text") from exc
        lock = loads_lock(text, source=source)
    return BaseLock(lock=lock, source=source, config=_config_at(git, commit, root, config))


def _in_repository(path: Path, root: Path, base: str) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        msg = f"--base {base}: the lock {path} is outside the git repository {root}"
        raise UsageError(msg) from None


def _config_at(git: _Git, commit: str, root: Path, config: Config) -> Config | None:
    """The config as it was in ``commit``; None when it was absent or invalid there."""
    try:
        path = _in_repository(config.path, root, git.base)
        document = _toml(git.blob(commit, path))
        if document is None:
            return None
        pyproject: Mapping[str, Any] | None
        if config.path.name == "pyproject.toml":
            tool = document.get("tool")
            data = tool.get("compatrix") if isinstance(tool, dict) else None
            if data is None:
                return None
            pyproject = document
        else:
            data = document
            sibling = _in_repository(config.path.with_name("pyproject.toml"), root, git.base)
            pyproject = _toml(git.blob(commit, sibling))
        return config_from_dict(data, path=config.path, root=config.root, pyproject=pyproject)
    except (ConfigError, UsageError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None


def _toml(data: bytes | None) -> dict[str, Any] | None:
    return None if data is None else tomllib.loads(data.decode("utf-8"))
