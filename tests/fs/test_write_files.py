"""All-or-nothing writes of several files (``compatrix._fs``)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from compatrix._fs import read_text, stale_temporaries, write_files_atomically
from compatrix.errors import OutputError


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "compatrix.lock").write_text("old lock\n")
    (tmp_path / "tox.ini").write_text("old tox\n")
    (tmp_path / "wf").mkdir()
    (tmp_path / "wf" / "test-a.yml").write_text("old a\n")
    (tmp_path / "wf" / "test-b.yml").write_text("old b\n")
    return tmp_path


def _new(tree: Path) -> dict[Path, str | None]:
    return {
        tree / "compatrix.lock": "new lock\n",
        tree / "tox.ini": "new tox\n",
        tree / "wf" / "test-a.yml": "new a\n",
        tree / "wf" / "test-b.yml": None,
        tree / "wf" / "test-c.yml": "new c\n",
    }


def test_writes_changes_removes_and_creates(tree: Path) -> None:
    changed = write_files_atomically(_new(tree))
    assert [p.relative_to(tree).as_posix() for p in changed] == [
        "compatrix.lock",
        "tox.ini",
        "wf/test-a.yml",
        "wf/test-b.yml",
        "wf/test-c.yml",
    ]
    assert _files(tree) == {
        "compatrix.lock": "new lock\n",
        "tox.ini": "new tox\n",
        "wf/test-a.yml": "new a\n",
        "wf/test-c.yml": "new c\n",
    }


def test_unchanged_files_are_not_touched(tree: Path) -> None:
    os.utime(tree / "tox.ini", (1_000_000, 1_000_000))
    changed = write_files_atomically({tree / "tox.ini": "old tox\n", tree / "x": "x\n"})
    assert changed == [tree / "x"]
    assert (tree / "tox.ini").stat().st_mtime == 1_000_000


def test_a_failed_replace_puts_back_what_was_written(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third file cannot be replaced: the first two are restored, nothing is left."""
    real_replace = Path.replace

    def replace(self: Path, target: Path | str) -> Path:
        if Path(target).name == "test-a.yml" and ".tmp" in self.name and "new" in self.read_text():
            raise PermissionError(1, "Operation not permitted", str(self), None, str(target))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    before = _files(tree)
    with pytest.raises(OutputError) as caught:
        write_files_atomically(_new(tree))
    message = str(caught.value)
    assert message == (
        f"cannot write {tree / 'wf' / 'test-a.yml'}: Operation not permitted; no file was changed"
    )
    assert ".tmp" not in message
    assert _files(tree) == before
    assert stale_temporaries(list(_new(tree))) == []


def _immutable(path: Path) -> bool:
    """Make ``path`` immutable (chattr +i); False where that is not possible."""
    if shutil.which("chattr") is None or os.geteuid() != 0:
        return False
    return (
        subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False).returncode
        == 0
    )


def test_an_immutable_first_file_changes_nothing(tree: Path) -> None:
    if not _immutable(tree / "compatrix.lock"):
        pytest.skip("chattr +i needs root on a file system that supports it")
    try:
        before = _files(tree)
        with pytest.raises(OutputError, match=r"cannot write .*compatrix\.lock: Operation not"):
            write_files_atomically(_new(tree))
        assert _files(tree) == before
    finally:
        subprocess.run(["chattr", "-i", str(tree / "compatrix.lock")], check=False)


def test_an_immutable_later_file_restores_the_earlier_ones(tree: Path) -> None:
    if not _immutable(tree / "wf" / "test-a.yml"):
        pytest.skip("chattr +i needs root on a file system that supports it")
    try:
        before = _files(tree)
        with pytest.raises(OutputError, match="no file was changed"):
            write_files_atomically(_new(tree))
        assert _files(tree) == before
    finally:
        subprocess.run(["chattr", "-i", str(tree / "wf" / "test-a.yml")], check=False)


def test_an_unwritable_directory_fails_before_anything_changes(tree: Path) -> None:
    (tree / "blocked").write_text("a file where a directory is needed\n")
    outputs = {tree / "tox.ini": "new tox\n", tree / "blocked" / "x.yml": "x\n"}
    with pytest.raises(
        OutputError, match=r"cannot write .*blocked/x\.yml: .*; no file was changed"
    ):
        write_files_atomically(outputs)
    assert (tree / "tox.ini").read_text() == "old tox\n"


def test_temporaries_of_an_interrupted_write_are_removed_by_the_next(tree: Path) -> None:
    left = [tree / ".tox.ini.1a2b3c4d.tmp", tree / "wf" / ".test-a.yml.k2x9z1.tmp"]
    for path in left:
        path.write_text("half\n")
    assert stale_temporaries([tree / "tox.ini", tree / "wf" / "test-a.yml"]) == left
    write_files_atomically({tree / "tox.ini": "old tox\n", tree / "wf" / "test-a.yml": "old a\n"})
    assert not any(path.exists() for path in left)
    assert (tree / "unrelated.tmp").exists() is False  # only temporaries of targets are named


def test_a_symlinked_target_stays_a_symlink(tree: Path) -> None:
    real = tree / "config" / "tox-real.ini"
    real.parent.mkdir()
    real.write_text("old real\n")
    link = tree / "linked.ini"
    link.symlink_to(real)
    write_files_atomically({link: "new real\n"})
    assert link.is_symlink()
    assert real.read_text() == "new real\n"


def test_an_interrupt_during_the_commit_waits_for_the_last_file(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = Path.replace
    calls: list[str] = []

    def replace(self: Path, target: Path | str) -> Path:
        calls.append(Path(target).name)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first rename
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_files_atomically(_new(tree))
    assert calls == ["compatrix.lock", "tox.ini", "test-a.yml", "test-c.yml"]
    assert _files(tree)["wf/test-c.yml"] == "new c\n"
    assert not (tree / "wf" / "test-b.yml").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda p: p.mkdir(), "it is a directory", id="directory"),
        pytest.param(
            lambda p: p.write_bytes(b"caf\xe9\n"), "not UTF-8 text (invalid", id="not-utf8"
        ),
    ],
)
def test_unreadable_files_are_one_clear_error(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tox.ini"
    make(path)
    with pytest.raises(OutputError) as caught:
        read_text(path)
    assert str(caught.value).startswith(f"cannot read {path}: {message}")


def test_an_interrupt_while_staging_leaves_no_temporary(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def open_then_interrupt(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        handle = real_open(self, *args, **kwargs)  # type: ignore[arg-type]
        if self.name.startswith(".tox.ini."):
            handle.close()
            raise KeyboardInterrupt
        return handle

    monkeypatch.setattr(Path, "open", open_then_interrupt)
    before = _files(tree)
    with pytest.raises(KeyboardInterrupt):
        write_files_atomically(_new(tree))
    monkeypatch.undo()
    assert _files(tree) == before


@pytest.mark.parametrize(
    ("name", "of"),
    [
        pytest.param(".a.txt.1a2b.tmp", "a.txt", id="own"),
        pytest.param(".a.txt..tmp", "a.txt", id="empty-random-part"),
        pytest.param(".a.txt.tmp", None, id="no-random-part"),
        pytest.param(".a.txt.1a2b.tmp.bak", None, id="not-ending-in-tmp"),
        pytest.param("a.txt.1a2b.tmp", None, id="not-hidden"),
        pytest.param(".b.txt.1a2b.tmp", "b.txt", id="another-target"),
        pytest.param(".c.txt.1a2b.tmp", None, id="not-a-target"),
    ],
)
def test_temporaries_are_told_by_name_among_many_targets_in_one_directory(
    tmp_path: Path, name: str, of: str | None
) -> None:
    targets = [tmp_path / f"{letter}.txt" for letter in "ab"]
    targets += [tmp_path / f"{n}.txt" for n in range(300)]  # read with one listing
    (tmp_path / name).write_text("half\n")
    (tmp_path / ".a.txt.zz.tmp").write_text("half\n")  # a.txt's, sorted after the first
    expected = [tmp_path / ".a.txt.zz.tmp"]
    if of == "a.txt":
        expected.insert(0, tmp_path / name)
    elif of == "b.txt":
        expected.append(tmp_path / name)
    assert stale_temporaries(targets) == expected
