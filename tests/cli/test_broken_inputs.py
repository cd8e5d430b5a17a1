"""A lock, a config or a tox file that cannot be used ends in one clear error with the
documented exit status (docs/cli.md), never a traceback, and changes no file."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.index_server import IndexServer

from ._project import CONFIG, Index, day, minors, project, run

Breaker = Callable[[Path], None]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project after one update (copied by ``root`` for each test)."""
    base = tmp_path_factory.mktemp("made")
    index = Index(
        packages={
            "alpha": [*minors(1, 3, start=day(2023, 3, 1))],
            "beta": [*minors(2, 3, start=day(2024, 1, 5))],
        }
    ).write(base / "index")
    root = project(base / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    return root


@pytest.fixture
def root(made: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(made, tmp_path / "proj"))


def _lock_json(edit: Callable[[dict[str, object]], None]) -> Breaker:
    def breaker(root: Path) -> None:
        path = root / "compatrix.lock"
        data = json.loads(path.read_text())
        edit(data)
        path.write_text(json.dumps(data))

    return breaker


def _first_release(data: dict[str, object], key: str, value: object) -> None:
    packages = data["packages"]
    assert isinstance(packages, dict)
    packages["alpha"]["releases"][0][key] = value


def _write(name: str, content: bytes) -> Breaker:
    return lambda root: (root / name).write_bytes(content)


def _directory(name: str) -> Breaker:
    def breaker(root: Path) -> None:
        (root / name).unlink()
        (root / name).mkdir()

    return breaker


def _unreadable(name: str) -> Breaker:
    return lambda root: (root / name).chmod(0)


ROOT_READS_EVERYTHING = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads a file of mode 000"
)

BROKEN = [
    pytest.param(
        _write("compatrix.lock", b"\xff\xfe{"),
        4,
        "cannot read {root}/compatrix.lock: not UTF-8 text (invalid start byte at byte 0)",
        id="lock-not-utf8",
    ),
    pytest.param(
        _write("compatrix.lock", b"[" * 100_000 + b"]" * 100_000),
        4,
        "{root}/compatrix.lock: not valid JSON (nested too deeply)",
        id="lock-nested-100k-deep",
    ),
    pytest.param(
        _lock_json(lambda data: data.update({"as-of": "9999-12-31"})),
        4,
        "{root}/compatrix.lock: as-of: 9999-12-31 is out of range (the latest is 9999-12-30)",
        id="lock-as-of-9999-12-31",
    ),
    pytest.param(
        _lock_json(lambda data: _first_release(data, "version", "1" * 5001)),
        4,
        "{root}/compatrix.lock: packages.alpha.releases[0].version: not a version compatrix "
        f"records: '{'1' * 58}...{'1' * 58}'",
        id="lock-version-of-5001-digits",
    ),
    pytest.param(
        _directory("compatrix.lock"),
        4,
        "cannot read {root}/compatrix.lock: it is a directory",
        id="lock-a-directory",
    ),
    pytest.param(
        _unreadable("compatrix.lock"),
        4,
        "cannot read {root}/compatrix.lock: Permission denied",
        id="lock-mode-000",
        marks=ROOT_READS_EVERYTHING,
    ),
    pytest.param(
        _directory("tox.ini"),
        5,
        "cannot read {root}/tox.ini: it is a directory",
        id="tox-ini-a-directory",
    ),
    pytest.param(
        _unreadable("tox.ini"),
        5,
        "cannot read {root}/tox.ini: Permission denied",
        id="tox-ini-mode-000",
        marks=ROOT_READS_EVERYTHING,
    ),
    pytest.param(
        _write(
            "compatrix.toml",
            (CONFIG + "[suites.gamma]\npackage = 'x'\nx = " + "[" * 2000 + "]" * 2000).encode(),
        ),
        2,
        "invalid configuration in {root}/compatrix.toml: invalid TOML: nested too deeply",
        id="toml-array-nested-2000-deep",
    ),
]


@pytest.mark.parametrize(("breaker", "code", "message"), BROKEN)
@pytest.mark.parametrize("command", ["generate", "check", "explain alpha", "update --offline"])
def test_one_clear_error_and_no_file_changed(
    root: Path, breaker: Breaker, code: int, message: str, command: str
) -> None:
    breaker(root)
    before = _readable(root)
    result = run("-C", str(root), *command.split())
    if command == "explain alpha" and "tox.ini" in message:
        assert (result.code, result.err) == (0, "")  # explain reads no tox file
        return
    assert (result.code, result.err) == (code, f"error: {message.format(root=root)}\n")
    assert _readable(root) == before


def _readable(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` this user may read (relative path -> bytes)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and os.access(p, os.R_OK)
    }


def test_an_as_of_past_the_last_day_is_a_usage_error(root: Path) -> None:
    result = run("-C", str(root), "update", "--offline", "--as-of", "9999-12-31")
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "compatrix update: error: argument --as-of: 9999-12-31 is out of range "
        "(the latest is 9999-12-30)"
    )


def test_check_shows_a_hand_edit_with_escapes_visible(root: Path) -> None:
    tox_ini = root / "tox.ini"
    tox_ini.write_text(
        tox_ini.read_text().replace("alpha: TESTPATH", "alpha: \x1b]0;owned\x07TESTPATH", 1)
    )
    result = run("-C", str(root), "check")
    assert result.code == 1
    assert "+    alpha: TESTPATH" in result.out
    assert "-    alpha: \\x1b]0;owned\\x07TESTPATH" in result.out
    assert "\x1b" not in result.out + result.err
