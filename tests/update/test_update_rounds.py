"""The update pipeline's selection (compatrix._update): a round of metadata selects again
only the suites whose package it changed (the others keep theirs: their inputs are
unchanged), and the update hands over its new lock's matrix."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tests.selection._build import classifiers, config, facts, release, series, suite

from compatrix._config._model import Config
from compatrix._lock._facts import PackageFacts, Release
from compatrix._lock._format import Lock, dumps_lock
from compatrix._selection._matrix import SelectionMemo, build_matrix
from compatrix._support import SupportCache
from compatrix._update import UpdateRequest, UpdateResult, run_update
from compatrix._update._facts import with_metadata
from compatrix._update._rounds import READ_AHEAD, Selected, metadata_wanted, select

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


def test_a_round_selects_again_only_the_suites_of_the_packages_it_changed(
    tmp_path: Path,
) -> None:
    cfg = _config(tmp_path)
    support = SupportCache()
    memo = SelectionMemo()
    packages = _packages()
    first = select(cfg, Lock(), packages, support=support, memo=memo)
    assert first.matrix == build_matrix(cfg, Lock(packages=packages))
    wanted = metadata_wanted(cfg, first, support=support)
    beta = [(name, version) for name, version in wanted if name == "beta"]
    assert beta
    assert len(beta) < len(wanted)

    # The metadata of beta's picks: their classifiers end at 3.11.
    found = [
        (release(version, classifiers=classifiers("3.10", "3.11")).metadata, "ok")
        for _, version in beta
    ]
    changed = with_metadata(packages, beta, found)
    again = select(cfg, first.lock, changed, support=support, memo=memo)
    assert again.matrix == build_matrix(cfg, Lock(packages=changed))
    assert again.matrix != first.matrix
    pairs = zip(again.matrix.suites, first.matrix.suites, strict=True)
    reused = [a.selection is b.selection for a, b in pairs]
    assert reused == [True, True, False]  # both alpha suites kept, beta selected again
    assert metadata_wanted(cfg, again, support=support) == [w for w in wanted if w[0] == "alpha"]


def test_a_selection_in_progress_has_a_short_repr(tmp_path: Path) -> None:
    """asyncio formats the result of the task that gathers it: it must not spell out every
    release (that took longer than the selection, and 20 MB, on Sentry's matrix)."""
    selected = select(
        _config(tmp_path), Lock(), _packages(), support=SupportCache(), memo=SelectionMemo()
    )
    assert repr(selected) == "<Selected: 2 packages, 3 suites>"


PY2_CLASSIFIERS = classifiers("2", "2.6", "2.7")


def _selected(*releases: Release, **policy: Any) -> Selected:
    cfg = config(suite(**policy))
    packages = {"pkg": facts(*releases)}
    return select(cfg, Lock(), packages, support=SupportCache(), memo=SelectionMemo())


def _wanted(*releases: Release, **policy: Any) -> list[str]:
    selected = _selected(*releases, **policy)
    wanted = metadata_wanted(config(suite(**policy)), selected, support=SupportCache())
    return [version for _, version in wanted]


def test_metadata_is_wanted_for_picks_without_metadata() -> None:
    releases = [
        release("1.0", classifiers=classifiers("3.8")),
        release("1.1"),
        release("1.2", metadata_status="no-wheel"),
        release("1.3"),
        release("1.4"),
    ]
    (suite_matrix,) = _selected(*releases, num_versions=3).matrix.suites
    assert [str(p.version) for p in suite_matrix.selection.picks] == ["1.0", "1.2", "1.4"]
    assert _wanted(*releases, num_versions=3) == ["1.4"]


def test_metadata_is_read_ahead_once_a_release_was_ruled_out_by_its_own() -> None:
    py2 = release("1.0.0", wheels=("py2-none",), classifiers=PY2_CLASSIFIERS)
    later = [release(f"{minor}.0.0") for minor in range(2, 14)]
    policy = {"num_versions": 2, "each_major": False}
    (suite_matrix,) = _selected(py2, *later, **policy).matrix.suites
    assert [str(p.version) for p in suite_matrix.selection.picks] == ["2.0.0", "13.0.0"]
    read_ahead = [f"{minor}.0.0" for minor in range(3, 3 + READ_AHEAD)]
    assert _wanted(py2, *later, **policy) == sorted(["2.0.0", "13.0.0", *read_ahead])
    # Nothing ruled out by metadata: only the picks are wanted.
    assert _wanted(*later, **policy) == ["13.0.0", "2.0.0"]


def _offline(cfg: Config) -> UpdateResult:
    return run_update(cfg, UpdateRequest(now=NOW, offline=True))


def _write(cfg: Config, lock: Lock) -> None:
    cfg.lock_path.write_text(dumps_lock(lock))


def test_an_update_hands_over_the_matrix_of_its_new_lock(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    _write(cfg, Lock(packages=_packages()))
    # No picks remembered yet: the new lock remembers some.
    result = _offline(cfg)
    assert result.lock.picks
    assert result.matrix == build_matrix(cfg, result.lock)
    assert not result.unchanged
    _write(cfg, result.lock)
    # Picks remembered and unchanged.
    again = _offline(cfg)
    assert again.lock == result.lock
    assert again.unchanged
    assert again.matrix == build_matrix(cfg, again.lock)


def test_the_matrix_is_the_new_locks_when_metadata_is_stripped(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    _write(cfg, Lock(packages=_packages()))
    lock = _offline(cfg).lock
    alpha = lock.packages["alpha"]
    assert "2.0" not in {*lock.picks["alpha"], *lock.picks["alpha-old"]}
    # Metadata on a release that is no pick: the update strips it from the new lock.
    releases = tuple(
        replace(r, metadata_status="unavailable") if r.version == "2.0" else r
        for r in alpha.releases
    )
    _write(
        cfg, replace(lock, packages={**lock.packages, "alpha": replace(alpha, releases=releases)})
    )
    result = _offline(cfg)
    stripped = result.lock.packages["alpha"].release("2.0")
    assert stripped is not None
    assert stripped.metadata_status == "not-fetched"
    assert result.matrix == build_matrix(cfg, result.lock)


def test_a_partial_update_hands_over_the_matrix_of_every_suite(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    _write(cfg, Lock(packages=_packages()))
    result = run_update(cfg, UpdateRequest(now=NOW, offline=True, only=("beta",)))
    assert set(result.lock.picks) == {"beta"}
    assert [s.suite.name for s in result.matrix.suites] == ["alpha", "alpha-old", "beta"]
    assert result.matrix == build_matrix(cfg, result.lock)
