"""Selection across the rounds of an update (compatrix._update): a suite is selected again
only when its package's facts changed, and the final selection is handed to the caller
only when it is exactly the new lock's matrix."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from compatrix._config._model import Config
from compatrix._lock._facts import PackageFacts
from compatrix._lock._format import Lock, dumps_lock
from compatrix._selection._matrix import build_matrix
from compatrix._update import UpdateRequest, _Selector, run_update

from ._build import config, facts, release, series, suite

NOW = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)


def _packages() -> dict[str, PackageFacts]:
    return {
        "alpha": facts(*series(["1.0", "1.1", "1.2", "2.0", "2.1"]), name="alpha"),
        "beta": facts(*series(["0.1", "0.2", "0.3"], requires_python=">=3.10"), name="beta"),
    }


def _config(tmp_path: Path) -> Config:
    suites = (
        suite(name="alpha", package="alpha", num_versions=3),
        suite(name="alpha-old", package="alpha", num_versions=2, min_version="1.1"),
        suite(name="beta", package="beta"),
    )
    return replace(config(*suites), lock_path=tmp_path / "compatrix.lock")


def test_only_suites_whose_facts_changed_are_selected_again(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    select = _Selector(cfg, Lock(), None)
    packages = _packages()
    first = select(packages)
    assert first == build_matrix(cfg, Lock(packages=packages))
    again = select(dict(packages))
    assert all(a is b for a, b in zip(again.suites, first.suites, strict=True))

    changed = dict(packages)
    changed["beta"] = facts(*packages["beta"].releases, release("0.4"), name="beta")
    third = select(changed)
    assert third == build_matrix(cfg, Lock(packages=changed))
    reused = [a is b for a, b in zip(third.suites, first.suites, strict=True)]
    assert reused == [True, True, False]  # both alpha suites kept, beta selected again


def _offline(cfg: Config) -> tuple[Lock, object]:
    result = run_update(cfg, UpdateRequest(now=NOW, offline=True))
    return result.lock, result.matrix


def test_offline_update_hands_over_its_matrix_when_it_is_the_new_locks(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    packages = _packages()
    (tmp_path / "compatrix.lock").write_text(dumps_lock(Lock(packages=packages)))
    # No picks remembered yet: the new lock remembers some, so its matrix may differ.
    lock, matrix = _offline(cfg)
    assert matrix is None
    (tmp_path / "compatrix.lock").write_text(dumps_lock(lock))
    # Picks remembered and unchanged: the update's selection is the new lock's matrix.
    again, matrix = _offline(cfg)
    assert again == lock
    assert matrix is not None
    assert matrix == build_matrix(cfg, again)


def test_no_matrix_is_handed_over_when_metadata_is_stripped(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    lock, _ = _offline_after(cfg, tmp_path, _packages())
    alpha = lock.packages["alpha"]
    assert "2.0" not in {*lock.picks["alpha"], *lock.picks["alpha-old"]}
    # Metadata on a release that is no pick: the update strips it from the new lock.
    releases = tuple(
        replace(r, metadata_status="unavailable") if r.version == "2.0" else r
        for r in alpha.releases
    )
    packages = {**lock.packages, "alpha": replace(alpha, releases=releases)}
    (tmp_path / "compatrix.lock").write_text(dumps_lock(replace(lock, packages=packages)))
    stripped, matrix = _offline(cfg)
    stripped_release = stripped.packages["alpha"].release("2.0")
    assert stripped_release is not None
    assert stripped_release.metadata_status == "not-fetched"
    assert matrix is None


def _offline_after(
    cfg: Config, tmp_path: Path, packages: dict[str, PackageFacts]
) -> tuple[Lock, object]:
    (tmp_path / "compatrix.lock").write_text(dumps_lock(Lock(packages=packages)))
    lock, _ = _offline(cfg)
    (tmp_path / "compatrix.lock").write_text(dumps_lock(lock))
    return _offline(cfg)
