"""``compatrix report --base``: a lock file or a git revision, through the command line."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from tests.cli._project import run

from compatrix._lock._format import dumps_lock

from ._locks import NOW, WEEK_AGO, lock, monthly, rel

CONFIG = """\
python = ["3.9", "3.10", "3.11", "3.12", "3.13"]

[defaults]
num-versions = 2

[suites.alpha]
package = "alpha"
min-version = "{min_version}"
"""
RELEASES = monthly("1.0.0", "1.1.0", "1.2.0")
OLD = dumps_lock(lock({"alpha": RELEASES[:2]}, fetched=WEEK_AGO))
NEW = dumps_lock(lock({"alpha": [*RELEASES[:2], rel("1.2.0", NOW - timedelta(days=5))]}))
REPLACED = (
    "| replaced | 1.1.0 → 1.2.0 | latest | 3.9, 3.12, 3.13 | index | new release, uploaded "
    "2026-11-19 |"
)


def _project(root: Path, *, lock_text: str = NEW, min_version: str = "1.0") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "compatrix.toml").write_text(CONFIG.format(min_version=min_version))
    (root / "compatrix.lock").write_text(lock_text)
    return root


def _git(repo: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _repository(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    _git(path, "init", "-q", "-b", "main")
    return path


def _commit(repo: Path) -> None:
    _git(repo, "add", "--all")
    _git(repo, "commit", "-q", "-m", "state")


def test_base_lock_file(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    (tmp_path / "old.lock").write_text(OLD)
    result = run("-C", str(root), "report", "--base", str(tmp_path / "old.lock"))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Test matrix: 1 suite changed; 1 version replaced; 9 → 9 envs."
    assert REPLACED in lines


def test_relative_base_file_is_found_next_to_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "project")
    (root / "old.lock").write_text(OLD)
    monkeypatch.chdir(tmp_path)
    result = run("-C", str(root), "report", "--base", "old.lock", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    (change,) = data["suites"][0]["changes"]
    assert (change["change"], change["from"], change["version"], change["reason"]) == (
        "replaced",
        "1.1.0",
        "1.2.0",
        "new-release",
    )


def test_nothing_changed_prints_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    (tmp_path / "same.lock").write_text(NEW)
    for output in ("markdown", "json"):
        result = run(
            "-C", str(root), "report", "--base", str(tmp_path / "same.lock"), "--format", output
        )
        assert (result.code, result.out) == (0, "")


def test_base_git_revision(tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    root = _project(repo / "sub", lock_text=OLD)  # the lock path is taken relative to the root
    _commit(repo)
    (root / "compatrix.lock").write_text(NEW)
    result = run("-C", str(root), "report", "--base", "HEAD")
    assert result.code == 0, result.err
    assert REPLACED in result.out.splitlines()
    _commit(repo)
    again = run("-C", str(root), "report", "--base", "HEAD")
    assert (again.code, again.out) == (0, "")


def test_base_revision_without_the_lock_is_an_empty_base(tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    root = _project(repo)
    (repo / "README").write_text("hello\n")
    _git(repo, "add", "README")
    _git(repo, "commit", "-q", "-m", "no lock yet")
    result = run("-C", str(root), "report", "--base", "HEAD")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Test matrix: 1 suite added; 2 versions added; 0 → 9 envs."


def test_base_revision_config_explains_config_changes(tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    root = _project(repo, lock_text=NEW, min_version="1.0")
    _commit(repo)
    _project(repo, lock_text=NEW, min_version="1.1")
    result = run("-C", str(root), "report", "--base", "HEAD")
    assert result.code == 0, result.err
    assert (
        "| replaced | 1.0.0 → 1.1.0 | lowest | 3.9, 3.12, 3.13 | config | config: below "
        "min-version 1.1 (was 1.0) |" in result.out.splitlines()
    )
    # A lock file as the base: the current config builds both matrices, so the config
    # change itself is not a difference.
    (tmp_path / "old.lock").write_text(NEW)
    same = run("-C", str(root), "report", "--base", str(tmp_path / "old.lock"))
    assert (same.code, same.out) == (0, "")


@pytest.mark.parametrize(
    ("base", "in_git", "message"),
    [
        pytest.param(
            "no-such-rev",
            True,
            "--base no-such-rev: no such lock file, and not a git revision",
            id="unknown-revision",
        ),
        pytest.param(
            "--help",
            True,
            "--base --help: no such lock file, and not a git revision",
            id="option-like",
        ),
        pytest.param("HEAD", False, "is not in a git repository", id="not-a-repository"),
    ],
)
def test_bad_base(tmp_path: Path, base: str, in_git: bool, message: str) -> None:
    root = _project(tmp_path / "project")
    if in_git:
        _repository(root)
        _commit(root)
    result = run("-C", str(root), "report", f"--base={base}")
    assert result.code == 2
    assert message in " ".join(result.err.split())


def test_invalid_base_lock_file_names_the_file(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    (tmp_path / "bad.lock").write_text("{}")
    result = run("-C", str(root), "report", "--base", str(tmp_path / "bad.lock"))
    assert result.code == 4
    assert "bad.lock" in result.err
