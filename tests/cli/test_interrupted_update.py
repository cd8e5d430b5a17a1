"""What an interrupted or failed ``update`` leaves behind: a set of files that ``check``
describes truthfully and that the next ``update`` makes whole.

The commands run in a subprocess whose file renames are slowed down (a ``sitecustomize``
on its path), so that SIGKILL and SIGINT land inside the write phase.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.index_server import IndexServer

from ._project import Index, Rel, day, minors, project, run

CONFIG_A = """\
python = ["3.9", "3.12"]

[defaults]
num-versions = 3
cooldown = 0
pins = "off"

[workflows]
enabled = true

[suites.alpha]
package = "alpha"
group = "one"

[suites.beta]
package = "beta"
group = "two"
"""

# More picks, beta moves to group one: the lock, tox.ini and test-one.yml change, and
# test-two.yml is removed.
CONFIG_B = CONFIG_A.replace("num-versions = 3", "num-versions = 4").replace(
    'group = "two"', 'group = "one"'
)

SLOW_WRITES = """\
import os, time

import compatrix._fs

_delay = float(os.environ["SLOW_WRITES_DELAY"])
_marker = os.environ["SLOW_WRITES_MARKER"]


def _slow(function):
    def slowed(*args, **kwargs):
        with open(_marker, "a") as handle:
            handle.write(function.__name__ + "\\n")
        time.sleep(_delay)
        return function(*args, **kwargs)

    return slowed


os.replace = _slow(os.replace)
os.unlink = _slow(os.unlink)
compatrix._fs._stage = _slow(compatrix._fs._stage)  # one call per staged file
"""


def _index() -> Index:
    return Index(
        packages={
            "alpha": [*minors(1, 8, start=day(2024, 1, 10))],
            "beta": [*minors(2, 6, start=day(2024, 2, 5)), Rel("3.0.0", day(2025, 3, 1))],
        }
    )


def _files(root: Path) -> dict[str, bytes]:
    """Every file but the config."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "compatrix.toml"
    }


def _state(root: Path) -> dict[str, bytes]:
    """:func:`_files`, the lock without its fetch times: they differ from run to run and
    decide nothing here (no cooldown, no prereleases)."""
    return {
        name: re.sub(rb'"fetched-at": "[^"]*"', b"", content)
        for name, content in _files(root).items()
    }


@pytest.fixture
def states(tmp_path: Path) -> Iterator[tuple[IndexServer, dict[str, bytes], dict[str, bytes]]]:
    """The index, every file after an update with config A, and after a second update
    with config B (the update the tests interrupt)."""
    with IndexServer(_index().write(tmp_path / "index")) as server:
        root = project(tmp_path / "reference", config=CONFIG_A)
        found = []
        for config in (CONFIG_A, CONFIG_B):
            (root / "compatrix.toml").write_text(config)
            argv = ("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
            result = run(*argv)
            assert result.code == 0, result.err
            found.append(_files(root))
        yield server, found[0], found[1]


def _start(root: Path, server: IndexServer, scratch: Path, delay: float) -> subprocess.Popen[bytes]:
    (scratch / "sitecustomize.py").write_text(SLOW_WRITES)
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(scratch), *sys.path]),
        SLOW_WRITES_DELAY=str(delay),
        SLOW_WRITES_MARKER=str(scratch / "writes"),
    )
    argv = [sys.executable, "-m", "compatrix", "-C", str(root), "-q", "update"]
    argv += ["--index-url", server.index_url, "--no-cache"]
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_writes(process: subprocess.Popen[bytes], marker: Path) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the update never reached its write phase"
        time.sleep(0.002)


def _check(root: Path) -> int:
    return run("-C", str(root), "check").code


def _normal(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: re.sub(rb'"fetched-at": "[^"]*"', b"", text) for name, text in files.items()}


def _prepare(tmp_path: Path, a: dict[str, bytes], label: str) -> tuple[Path, Path]:
    root = project(tmp_path / f"run-{label}", config=CONFIG_B)
    for name, content in a.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    scratch = tmp_path / f"scratch-{label}"
    scratch.mkdir()
    return root, scratch


@pytest.mark.slow
def test_update_killed_in_its_write_phase_leaves_a_state_check_describes(
    tmp_path: Path, states: tuple[IndexServer, dict[str, bytes], dict[str, bytes]]
) -> None:
    server, files_a, b = states
    a, b = _normal(files_a), _normal(b)
    assert a != b and set(a) != set(b)
    delay = 0.03
    randomly = random.Random(20261203)
    outcomes: dict[str, int] = {"old": 0, "mixed": 0, "new": 0}
    for attempt in range(20):
        root, scratch = _prepare(tmp_path, files_a, str(attempt))
        process = _start(root, server, scratch, delay)
        _wait_for_writes(process, scratch / "writes")
        time.sleep(randomly.uniform(0, 9 * delay))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        state = _state(root)
        temporaries = [name for name in state if name.endswith(".tmp")]
        files = {name: content for name, content in state.items() if name not in temporaries}
        lock = files.get("compatrix.lock")
        # The lock is written first: outputs newer than the lock never happen.
        if lock == a["compatrix.lock"]:
            assert files == a, f"attempt {attempt}: outputs changed before the lock"
        # The config is B's: only the tree B's update makes is current.
        consistent = not temporaries and files == b
        outcomes["old" if files == a else "new" if files == b else "mixed"] += 1
        assert (_check(root) == 0) == consistent, f"attempt {attempt}: {sorted(state)}"
        result = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
        assert result.code == 0, result.err
        assert _state(root) == b, f"attempt {attempt}: the next update did not make it whole"
        assert _check(root) == 0
    assert outcomes["mixed"] + outcomes["new"] > 0, outcomes  # some kills hit the commit


@pytest.mark.slow
def test_update_interrupted_in_its_write_phase_finishes_or_changes_nothing(
    tmp_path: Path, states: tuple[IndexServer, dict[str, bytes], dict[str, bytes]]
) -> None:
    server, files_a, b = states
    a, b = _normal(files_a), _normal(b)
    delay = 0.03
    randomly = random.Random(7)
    for attempt in range(6):
        root, scratch = _prepare(tmp_path, files_a, f"int-{attempt}")
        process = _start(root, server, scratch, delay)
        _wait_for_writes(process, scratch / "writes")
        time.sleep(randomly.uniform(0, 9 * delay))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode in (0, 130), err
        state = _state(root)
        assert state in (a, b), f"attempt {attempt}: Ctrl-C left a mixed state"
        assert (_check(root) == 0) == (state == b)


def test_update_with_an_immutable_lock_changes_no_file(
    tmp_path: Path, states: tuple[IndexServer, dict[str, bytes], dict[str, bytes]]
) -> None:
    server, files_a, _ = states
    root, _ = _prepare(tmp_path, files_a, "immutable")
    lock = root / "compatrix.lock"
    made = subprocess.run(["chattr", "+i", str(lock)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("chattr +i needs root on a file system that supports it")
    try:
        result = run("-C", str(root), "update", "--index-url", server.index_url, "--no-cache")
    finally:
        subprocess.run(["chattr", "-i", str(lock)], check=False)
    assert result.code == 5
    assert f"cannot write {lock}: Operation not permitted; no file was changed" in result.err
    assert _files(root) == files_a


def test_check_names_temporaries_an_interrupted_write_left(
    tmp_path: Path, states: tuple[IndexServer, dict[str, bytes], dict[str, bytes]]
) -> None:
    _server, _, b = states
    root, _ = _prepare(tmp_path, b, "stale")
    (root / ".tox.ini.0f3a9c1e.tmp").write_text("half a file")
    result = run("-C", str(root), "check")
    assert result.code == 1
    assert ".tox.ini.0f3a9c1e.tmp: left from an interrupted write" in result.err
    assert run("-C", str(root), "generate").code == 0
    assert not (root / ".tox.ini.0f3a9c1e.tmp").exists()
    assert _check(root) == 0
