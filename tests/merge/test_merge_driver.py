"""The merge driver, run by real ``git merge`` in temporary repositories: both sides change
the config and regenerate, and the merge resolves the lock and the generated regions; a
conflict in the user's own part of tox.ini stays a conflict."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli._project import Index, Rel, day, minors, project, run
from tests.index_server import IndexServer

COMPATRIX = Path(sys.executable).with_name("compatrix")

CONFIG = """\
python = ["3.9", "3.12"]

[defaults]
num-versions = 3
cooldown = 0
pins = "off"  # the toy index has no files to install

[suites.alpha]
package = "alpha"
min-version = "1.0"
test-path = "tests/alpha"

[suites.beta]
package = "beta"
test-path = "tests/beta"
"""

GAMMA = '\n[suites.gamma]\npackage = "gamma"\ntest-path = "tests/gamma"\n'
DELTA = '\n[suites.delta]\npackage = "delta"\n'
ALPHA_TO_BETA = CONFIG[CONFIG.index('test-path = "tests/alpha"') :]


def _index() -> Index:
    return Index(
        packages={
            "alpha": [*minors(1, 6, start=day(2023, 3, 1)), Rel("2.0.0", day(2024, 9, 1))],
            "beta": minors(2, 5, start=day(2024, 1, 5)),
            "gamma": minors(3, 4, start=day(2024, 2, 1)),
            "delta": minors(4, 3, start=day(2024, 3, 1)),
        }
    )


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT")},
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(root.parent),
        "PATH": f"{COMPATRIX.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=False, env=environment
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, IndexServer]:
    """A repository on ``main`` with compatrix set up and a lock; the index server stays
    up for updates on the branches (the merges themselves never reach it)."""
    root = project(tmp_path / "repo", CONFIG)
    server = IndexServer(_index().write(tmp_path / "index"))
    server.__enter__()
    _git(root, "init", "-q", "-b", "main")
    # Set up as the docs say: init writes .gitattributes and prints the git config lines.
    init = run("-C", str(root), "init", "--force", "--install", "compatrix==0.1.0")
    assert init.code == 0, init.err
    (root / "compatrix.toml").write_text(CONFIG)
    assert (
        (root / ".gitattributes")
        .read_text()
        .endswith("compatrix.lock merge=compatrix\ntox.ini merge=compatrix\n")
    )
    for line in init.err.splitlines():
        if line.strip().startswith("git config merge.compatrix."):
            _git(root, *shlex.split(line.strip())[1:])
    _update(root, server)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    yield root, server
    server.__exit__(None, None, None)


def _update(root: Path, server: IndexServer) -> None:
    result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err


def _generate(root: Path) -> None:
    result = run("-C", str(root), "generate")
    assert result.code == 0, result.err


def _branch(root: Path, name: str, edit: dict[str, tuple[str, str]], regenerate: object) -> None:
    """On a new branch from main: replace text in files, regenerate, commit."""
    _git(root, "switch", "-q", "-c", name, "main")
    for file, (old, new) in edit.items():
        path = root / file
        text = path.read_text()
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1))
    if callable(regenerate):
        regenerate(root)
    _git(root, "commit", "-q", "-am", name)


def _merge(root: Path, ours: str, theirs: str) -> subprocess.CompletedProcess[str]:
    _git(root, "switch", "-q", ours)
    return _git(root, "merge", "--no-edit", theirs, check=False)


def _add_a_suite_on_each_side(root: Path, server: IndexServer) -> None:
    """Each side adds a suite (a config change, an update that changes the lock, and new
    envs in every tox.ini region); the second side also changes the test path of the
    suite next to the first side's new one. The configs merge cleanly."""
    _branch(
        root,
        "gamma",
        {
            "compatrix.toml": (
                '\n[suites.beta]\npackage = "beta"\n',
                GAMMA + '\n[suites.beta]\npackage = "beta"\n',
            )
        },
        lambda r: _update(r, server),
    )
    _branch(
        root,
        "delta",
        {
            "compatrix.toml": (
                ALPHA_TO_BETA,
                ALPHA_TO_BETA.replace("tests/alpha", "tests/alpha/unit") + DELTA,
            )
        },
        lambda r: _update(r, server),
    )


def test_without_the_driver_both_sides_regenerating_conflicts(
    repo: tuple[Path, IndexServer],
) -> None:
    """The problem: two branches that each change the config and regenerate conflict in
    tox.ini and the lock, though their configs merge cleanly."""
    root, server = repo
    (root / ".gitattributes").write_text("")
    _git(root, "commit", "-q", "-am", "no driver")
    _add_a_suite_on_each_side(root, server)
    merged = _merge(root, "gamma", "delta")
    assert merged.returncode != 0
    assert "CONFLICT (content): Merge conflict in tox.ini" in merged.stdout
    assert "CONFLICT (content): Merge conflict in compatrix.lock" in merged.stdout
    assert "Merge conflict in compatrix.toml" not in merged.stdout


def test_both_sides_change_the_config_and_regenerate(repo: tuple[Path, IndexServer]) -> None:
    root, server = repo
    _add_a_suite_on_each_side(root, server)
    merged = _merge(root, "gamma", "delta")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "compatrix: tox.ini: regenerated from the merged config" in merged.stderr
    assert "compatrix: compatrix.lock: merged" in merged.stderr
    config = (root / "compatrix.toml").read_text()
    assert GAMMA in config
    assert DELTA in config
    tox_ini = (root / "tox.ini").read_text()
    assert "<<<<<<<" not in tox_ini
    for suite in ("alpha", "beta", "gamma", "delta"):
        assert f"-{suite}-latest" in tox_ini
    assert "alpha: TESTPATH=tests/alpha/unit" in tox_ini
    # Exactly what compatrix generates from the merged config and lock: nothing to redo.
    assert run("-C", str(root), "check").code == 0
    lock = (root / "compatrix.lock").read_text()
    assert '"gamma": {' in lock
    assert '"delta": {' in lock


def test_a_user_edit_on_one_side_is_kept(repo: tuple[Path, IndexServer]) -> None:
    root, _ = repo
    _branch(
        root,
        "deps",
        {
            "compatrix.toml": (
                'test-path = "tests/beta"\n',
                'test-path = "tests/beta"\n[suites.beta.deps]\n"*" = ["pytest-beta"]\n',
            )
        },
        _generate,
    )
    _branch(
        root,
        "mine",
        {
            "compatrix.toml": ('test-path = "tests/alpha"', 'test-path = "tests/alpha/unit"'),
            "tox.ini": ("[testenv:lint]\ndeps = ruff\n", "[testenv:lint]\ndeps = ruff>=0.6\n"),
        },
        _generate,
    )
    merged = _merge(root, "deps", "mine")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    tox_ini = (root / "tox.ini").read_text()
    assert "deps = ruff>=0.6\n" in tox_ini
    assert "beta: pytest-beta" in tox_ini
    assert "tests/alpha/unit" in tox_ini
    assert run("-C", str(root), "check").code == 0


def test_a_conflict_in_the_users_part_stays_a_conflict(repo: tuple[Path, IndexServer]) -> None:
    root, _ = repo
    _branch(
        root,
        "one",
        {
            "compatrix.toml": ('test-path = "tests/alpha"', 'test-path = "tests/alpha/one"'),
            "tox.ini": ("deps = ruff\n", "deps = ruff==0.6.0\n"),
        },
        _generate,
    )
    _branch(
        root,
        "two",
        {
            "compatrix.toml": ('test-path = "tests/beta"', 'test-path = "tests/beta/two"'),
            "tox.ini": ("deps = ruff\n", "deps = ruff==0.7.0\n"),
        },
        _generate,
    )
    merged = _merge(root, "one", "two")
    assert merged.returncode != 0
    assert "CONFLICT (content): Merge conflict in tox.ini" in merged.stdout
    assert "conflicts in your part of the file" in merged.stderr
    tox_ini = (root / "tox.ini").read_text()
    assert "<<<<<<< ours\ndeps = ruff==0.6.0\n=======\ndeps = ruff==0.7.0\n>>>>>>> theirs\n" in (
        tox_ini
    )
    # The conflict markers are only in the user's part: the regions are left empty.
    assert tox_ini.count("<<<<<<<") == 1
    assert "alpha-v1" not in tox_ini
    # Resolving the user's part and regenerating finishes the merge.
    (root / "tox.ini").write_text(
        tox_ini.replace("<<<<<<< ours\ndeps = ruff==0.6.0\n=======\n", "").replace(
            ">>>>>>> theirs\n", ""
        )
    )
    _generate(root)
    tox_ini = (root / "tox.ini").read_text()
    assert "tests/alpha/one" in tox_ini
    assert "tests/beta/two" in tox_ini
    assert run("-C", str(root), "check").code == 0


def test_a_conflict_in_the_config_leaves_the_generated_file_to_git(
    repo: tuple[Path, IndexServer],
) -> None:
    root, _ = repo
    _branch(root, "one", {"compatrix.toml": ("num-versions = 3", "num-versions = 4")}, _generate)
    _branch(root, "two", {"compatrix.toml": ("num-versions = 3", "num-versions = 2")}, _generate)
    merged = _merge(root, "one", "two")
    assert merged.returncode != 0
    assert "Merge conflict in compatrix.toml" in merged.stdout
    assert "compatrix.toml conflicts too: resolve it, then run `compatrix generate`" in (
        merged.stderr
    )
