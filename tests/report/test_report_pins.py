"""Pin changes in ``compatrix report`` (compatrix._report._pins)."""

from __future__ import annotations

from datetime import date

from compatrix._lock import EnvResolution, Lock
from compatrix._report._pins import PinChange, pin_changes, pins_summary


def _record(*pins: str, status: str = "ok") -> EnvResolution:
    return EnvResolution(
        suite="httpx",
        version="0.28.1",
        python="3.12",
        inputs="x",
        cut=date(2026, 11, 24),
        why="the lock's day",
        status="ok" if status == "ok" else "not-installable",
        pins=pins,
    )


BASE = Lock(
    resolutions={
        "py3.12-httpx-v0.28.1": _record("anyio==4.6.0", "h11==0.14.0", "httpx==0.28.1"),
        "py3.13-httpx-v0.28.1": _record("anyio==4.6.0", "httpx==0.28.1"),
        "py3.8-httpx-v0.16.1": _record("httpx==0.16.1"),
        "py3.9-httpx-v0.20.0": _record(status="not-installable"),
    }
)
NOW = Lock(
    resolutions={
        "py3.12-httpx-v0.28.1": _record("anyio==4.7.0", "httpx==0.28.1", "idna==3.10"),
        "py3.13-httpx-v0.28.1": _record("anyio==4.7.0", "httpx==0.28.1"),
        "py3.8-httpx-v0.16.1": _record("httpx==0.16.1"),
        "py3.9-httpx-v0.20.0": _record("httpx==0.20.0"),
        "py3.14-httpx-v0.28.1": _record("anyio==4.7.0", "httpx==0.28.1"),
    }
)


def test_changed_pins_of_envs_both_locks_resolved() -> None:
    changes = pin_changes(BASE, NOW, list(NOW.resolutions))
    assert [c.text for c in changes] == [
        "anyio 4.6.0 → 4.7.0",
        "-h11 0.14.0",
        "+idna 3.10",
        "anyio 4.6.0 → 4.7.0",
    ]
    assert [c.env for c in changes] == ["py3.12-httpx-v0.28.1"] * 3 + ["py3.13-httpx-v0.28.1"]


def test_envs_not_in_the_matrix_are_left_out() -> None:
    assert pin_changes(BASE, NOW, ["py3.8-httpx-v0.16.1"]) == ()


def test_the_summary_puts_shared_changes_first() -> None:
    changes = pin_changes(BASE, NOW, list(NOW.resolutions))
    assert pins_summary(changes, shown=2) == (
        "Pins: 4 pins changed in 2 envs: anyio 4.6.0 → 4.7.0 in 2 envs; "
        "-h11 0.14.0 in 1 env, and 1 other change."
    )
    assert pins_summary(()) == ""
    assert PinChange(env="e", name="a", before="1", after=None).text == "-a 1"
