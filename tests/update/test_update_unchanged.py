"""The lock records facts only when they change: an update that finds what the lock says
leaves it byte-identical, and two locks made with the same ``--as-of`` are the same bytes
(compatrix._update._unchanged)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.cli._project import UTC, Index, Rel, day, minors, project
from tests.index_server import IndexServer

from compatrix._config import load_config
from compatrix._lock._format import dumps_lock
from compatrix._update import UpdateRequest, run_update

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
NEXT_MONDAY = MONDAY + timedelta(days=7)


def _index(*extra: Rel) -> Index:
    return Index(
        packages={
            "alpha": [*minors(1, 6, start=day(2023, 3, 1)), Rel("2.0.0", day(2024, 9, 1)), *extra],
            "beta": [*minors(2, 5, start=day(2024, 1, 5))],
        }
    )


def _update(root: Path, server: IndexServer, now: datetime, **options: object) -> bytes:
    """``compatrix update`` at ``now``, its lock written; the lock's bytes."""
    config = load_config(directory=root)
    request = UpdateRequest(now=now, index_url=server.index_url, no_cache=True, **options)  # type: ignore[arg-type]
    result = run_update(config, request)
    text = dumps_lock(result.lock).encode()
    config.lock_path.write_bytes(text)
    return text


def _fetched(lock: bytes) -> dict[str, str]:
    packages = json.loads(lock)["packages"]
    return {name: facts["fetched-at"] for name, facts in packages.items()}


def test_an_update_without_new_facts_leaves_the_lock_byte_identical(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(_index().write(tmp_path / "index")) as server:
        first = _update(root, server, MONDAY)
        second = _update(root, server, NEXT_MONDAY)
    assert second == first
    assert set(_fetched(second).values()) == {"2026-11-23T09:30:00Z"}


def test_only_the_package_with_new_facts_gets_a_new_time(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(_index().write(tmp_path / "index")) as server:
        first = _update(root, server, MONDAY)
        _index(Rel("2.1.0", day(2025, 1, 10))).write(tmp_path / "index")
        server.reload()
        second = _update(root, server, NEXT_MONDAY)
    assert _fetched(second) == {"alpha": "2026-11-30T09:30:00Z", "beta": "2026-11-23T09:30:00Z"}
    assert json.loads(second)["picks"]["alpha"] != json.loads(first)["picks"]["alpha"]


def test_a_cooldown_that_ended_is_a_change(tmp_path: Path) -> None:
    # 2.1.0 is a day old on Monday (cooldown 2 days): not picked. A week later the same
    # facts decide otherwise, so alpha's new time is recorded, with the new pick.
    config = """\
python = ["3.8", "3.13"]
[defaults]
num-versions = 2
cooldown = 2
pins = "off"
[suites.alpha]
package = "alpha"
min-version = "1.0"
[suites.beta]
package = "beta"
"""
    root = project(tmp_path / "proj", config=config)
    young = _index(Rel("2.1.0", MONDAY - timedelta(days=1)))
    with IndexServer(young.write(tmp_path / "index")) as server:
        first = _update(root, server, MONDAY)
        second = _update(root, server, NEXT_MONDAY)
    assert json.loads(first)["picks"]["alpha"] == ["1.0.0", "1.5.0", "2.0.0"]
    assert json.loads(second)["picks"]["alpha"] == ["1.0.0", "1.5.0", "2.1.0"]
    assert _fetched(second) == {"alpha": "2026-11-30T09:30:00Z", "beta": "2026-11-23T09:30:00Z"}


def test_two_locks_made_with_the_same_as_of_are_the_same_bytes(tmp_path: Path) -> None:
    index = _index().write(tmp_path / "index")
    locks = []
    with IndexServer(index) as server:
        for n, now in enumerate((MONDAY, NEXT_MONDAY)):
            root = project(tmp_path / f"proj{n}")
            locks.append(_update(root, server, now, as_of=date(2024, 3, 1)))
    assert locks[0] == locks[1]
    packages = json.loads(locks[0])["packages"]
    assert {p["fetched-at"] for p in packages.values()} == {"2024-03-02T00:00:00Z"}
    assert {p["serial"] for p in packages.values()} == {None}


def test_an_offline_cut_to_an_as_of_is_timed_as_an_online_one(tmp_path: Path) -> None:
    index = _index().write(tmp_path / "index")
    with IndexServer(index) as server:
        online = _update(project(tmp_path / "a"), server, MONDAY, as_of=date(2024, 3, 1))
        root = project(tmp_path / "b")
        _update(root, server, MONDAY)
    offline = _update(root, server, NEXT_MONDAY, as_of=date(2024, 3, 1), offline=True)
    # (Offline, no core metadata can be fetched for the new picks: only the times compare.)
    times = [
        {n: (p["fetched-at"], p["serial"]) for n, p in json.loads(lock)["packages"].items()}
        for lock in (online, offline)
    ]
    assert times[0] == times[1]
    assert set(times[0].values()) == {("2024-03-02T00:00:00Z", None)}
