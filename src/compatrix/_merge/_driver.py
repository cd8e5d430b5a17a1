"""The git merge driver: a conflicted lock or generated file is regenerated from the merged
config, and only conflicts in the user's own part of a file are left to the user.

git runs the driver from the top of the work tree, once per file that both sides changed,
with the three versions of that file in temporary files; the result goes into the "ours"
file. The other files of the merge are not in the work tree yet, so the driver reads the
config and the lock of the three commits from git: ``HEAD``, the merged commit (git names it
in the environment variable ``GITHEAD_<sha>``), and their merge base. It merges the config
(and pyproject.toml) as git would, merges the locks fact by fact, and renders the file from
the result. Whenever it cannot (the config itself conflicts, a rebase or cherry-pick where
git names no merged commit, a file that is not compatrix's), it merges the file as git's
own text merge would and says why.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compatrix._config import PYPROJECT_NAME, Config, config_from_dict, load_config
from compatrix._fs import read_text
from compatrix._lock import Lock, dumps_lock, loads_lock
from compatrix._merge._locks import merge_locks
from compatrix._render import empty_regions, plan_outputs
from compatrix._selection import build_matrix
from compatrix._toml import tomllib
from compatrix.errors import CompatrixError

__all__ = ["MergeFiles", "MergeResult", "run_merge_driver"]

_GITHEAD = re.compile(r"GITHEAD_([0-9a-f]{40}|[0-9a-f]{64})")
_LABELS = ("ours", "base", "theirs")


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeFiles:
    """What git passes: the three versions (``%O``, ``%A``, ``%B``), the path in the
    repository (``%P``) and the conflict marker size (``%L``)."""

    base: Path
    ours: Path
    theirs: Path
    path: str
    marker_size: int = 7


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeResult:
    text: str
    """What goes into the ``ours`` file."""
    clean: bool
    message: str
    """One line saying what was done."""


class _Fallback(Exception):
    """The file cannot be regenerated: merge it as text, for this reason."""


class _Git:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=self.directory, capture_output=True, check=False)

    def text(self, *args: str) -> str | None:
        result = self.run(*args)
        return result.stdout.decode().strip() if result.returncode == 0 else None

    def show(self, commit: str, path: str) -> str | None:
        if self.run("cat-file", "-e", f"{commit}:{path}").returncode != 0:
            return None
        result = self.run("cat-file", "blob", f"{commit}:{path}")
        if result.returncode != 0:
            raise _Fallback(f"cannot read {path} of {commit[:12]}")
        try:
            return result.stdout.decode("utf-8")
        except UnicodeDecodeError:
            raise _Fallback(f"{path} of {commit[:12]} is not UTF-8 text") from None

    def merge_text(
        self, ours: str | None, base: str | None, theirs: str | None, *, marker_size: int = 7
    ) -> tuple[str, bool]:
        """``git merge-file`` of three texts (a missing one is empty): (result, clean)."""
        with tempfile.TemporaryDirectory(prefix="compatrix-merge-") as scratch:
            paths = []
            for label, text in zip(_LABELS, (ours, base, theirs), strict=True):
                path = Path(scratch) / label
                path.write_bytes((text or "").encode("utf-8"))
                paths.append(str(path))
            labels = [arg for label in _LABELS for arg in ("-L", label)]
            result = self.run("merge-file", "-p", f"--marker-size={marker_size}", *labels, *paths)
        if result.returncode < 0 or result.returncode > 127:
            raise _Fallback(f"git merge-file failed: {result.stderr.decode().strip()}")
        return result.stdout.decode("utf-8"), result.returncode == 0


def run_merge_driver(
    files: MergeFiles,
    *,
    directory: Path,
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> MergeResult:
    """Merge one file; write nothing (the caller writes ``text`` into ``files.ours``)."""
    git = _Git(directory)
    texts = [_read(path) for path in (files.ours, files.base, files.theirs)]
    try:
        if any(text is None for text in texts):
            raise _Fallback(f"{files.path} is not UTF-8 text")
        return _regenerate(
            git,
            files,
            texts,
            directory=directory,
            config_path=config_path,
            environ=environ if environ is not None else os.environ,
        )
    except _Fallback as reason:
        text, clean = git.merge_text(*texts, marker_size=files.marker_size)
        why = f"not regenerated: {reason}"
        return MergeResult(text=text, clean=clean, message=f"{files.path}: {why}")


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _commits(git: _Git, environ: Mapping[str, str]) -> tuple[str, str, str]:
    """(base, ours, theirs) commits of the merge under way."""
    theirs = sorted({m[1] for name in environ if (m := _GITHEAD.fullmatch(name))})
    if len(theirs) != 1:
        raise _Fallback(
            "git names no single merged commit (the driver regenerates in `git merge` only; "
            "in a rebase or cherry-pick, resolve the conflict and run `compatrix generate`)"
        )
    ours = git.text("rev-parse", "--verify", "HEAD")
    base = git.text("merge-base", "HEAD", theirs[0])
    if ours is None or base is None:
        raise _Fallback("no merge base of HEAD and the merged commit")
    return base, ours, theirs[0]


def _regenerate(
    git: _Git,
    files: MergeFiles,
    texts: list[str | None],
    *,
    directory: Path,
    config_path: Path | None,
    environ: Mapping[str, str],
) -> MergeResult:
    top = git.text("rev-parse", "--show-toplevel")
    if top is None:
        raise _Fallback("not in a git work tree")
    root = Path(top).resolve()
    commits = _commits(git, environ)
    current = _current_config(root / files.path, directory, config_path)
    config = _merged_config(git, commits, current, root)
    lock = _merged_lock(git, commits, config, root)
    target = (root / files.path).resolve()
    if target == config.lock_path.resolve():
        return MergeResult(text=dumps_lock(lock), clean=True, message=f"{files.path}: merged")
    tox_file = config.tox.file.resolve()
    read = read_text
    if target == tox_file:
        if config.tox.format == "pyproject":
            raise _Fallback("pyproject.toml is merged as text")
        ours, base, theirs = (empty_regions(text or "") for text in texts)
        user, clean = git.merge_text(ours, base, theirs, marker_size=files.marker_size)
        if not clean:
            message = (
                f"{files.path}: conflicts in your part of the file (the generated regions are "
                "left empty): resolve them, then run `compatrix generate`"
            )
            return MergeResult(text=user, clean=False, message=message)

        def read(path: Path) -> str | None:
            return user if path.resolve() == tox_file else read_text(path)

    try:
        outputs = plan_outputs(
            config, build_matrix(config, lock), resolutions=lock.resolutions, read=read
        )
    except CompatrixError as exc:
        raise _Fallback(str(exc)) from None
    wanted = next((text for path, text in outputs.items() if path.resolve() == target), None)
    if wanted is None:
        raise _Fallback("not a file compatrix generates")
    return MergeResult(
        text=wanted, clean=True, message=f"{files.path}: regenerated from the merged config"
    )


def _current_config(file: Path, directory: Path, config_path: Path | None) -> Config:
    """The config in the work tree (our side): ``--config``, else the nearest one from the
    merged file's directory up to ``directory`` (git's working directory, the top of the
    work tree), so that a project in a subdirectory needs no option."""
    if config_path is not None:
        candidates = [directory]
    else:
        candidates = [file.parent, *file.parent.parents]
        candidates = (
            candidates[: candidates.index(directory) + 1]
            if directory in candidates
            else [directory]
        )
    problem = "none found"
    for candidate in candidates:
        try:
            return load_config(config_path, directory=candidate)
        except CompatrixError as exc:
            problem = str(exc)
    raise _Fallback(f"no compatrix config here ({problem})")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise _Fallback(f"{path} is outside the repository") from None


def _merged_text(git: _Git, commits: tuple[str, str, str], path: str) -> str | None:
    base, ours, theirs = (git.show(commit, path) for commit in commits)
    if ours is None and theirs is None:
        return None
    text, clean = git.merge_text(ours, base, theirs)
    if not clean:
        raise _Fallback(
            f"{path} conflicts too: resolve it, then run `compatrix generate` "
            "(and `compatrix update` if the lock conflicted)"
        )
    return text


def _toml(text: str, path: str) -> dict[str, Any]:
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _Fallback(f"the merged {path} is not valid TOML ({exc})") from None
    return document


def _merged_config(git: _Git, commits: tuple[str, str, str], current: Config, root: Path) -> Config:
    config_rel = _relative(current.path, root)
    text = _merged_text(git, commits, config_rel)
    if text is None:
        raise _Fallback(f"{config_rel} is in neither commit")
    document = _toml(text, config_rel)
    pyproject: dict[str, Any] | None = None
    if current.path.name == PYPROJECT_NAME:
        pyproject = document
        tool = document.get("tool")
        data = tool.get("compatrix") if isinstance(tool, dict) else None
    else:
        data = document
        sibling = _relative(current.path.with_name(PYPROJECT_NAME), root)
        pyproject_text = _merged_text(git, commits, sibling)
        if pyproject_text is not None:
            pyproject = _toml(pyproject_text, sibling)
    try:
        return config_from_dict(data, path=current.path, root=current.root, pyproject=pyproject)
    except CompatrixError as exc:
        raise _Fallback(f"the merged config is not valid: {exc}") from None


def _merged_lock(git: _Git, commits: tuple[str, str, str], config: Config, root: Path) -> Lock:
    lock_rel = _relative(config.lock_path, root)
    locks: list[Lock | None] = []
    for commit in commits:
        text = git.show(commit, lock_rel)
        try:
            locks.append(None if text is None else loads_lock(text, source=lock_rel))
        except CompatrixError as exc:
            raise _Fallback(f"cannot read {lock_rel} of {commit[:12]}: {exc}") from None
    base, ours, theirs = locks
    return merge_locks(base, ours or Lock(), theirs or Lock())
