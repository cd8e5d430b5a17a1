"""The env matrix and its deps (compatrix._selection._matrix)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from compatrix._config._model import Suite
from compatrix._lock._facts import PackageFacts
from compatrix._lock._format import Lock
from compatrix._lock._resolutions import EnvResolution
from compatrix._selection._matrix import SelectionMemo, build_matrix, suite_considered
from compatrix._selection._model import Env, Matrix, pick_verdicts
from compatrix.errors import LockError, UsageError

from ._build import NOW, UTC, config, facts, release, series, suite


def _lock(
    *packages: PackageFacts,
    as_of: date | None = None,
    picks: dict[str, tuple[str, ...]] | None = None,
) -> Lock:
    found = {f.name: f for f in packages}
    return Lock(as_of=as_of, packages=found, picks=picks or {})


def _pkg(*versions: str, name: str = "pkg", **kwargs: Any) -> PackageFacts:
    return facts(*series(versions, **kwargs), name=name)


def _names(envs: tuple[Env, ...]) -> list[str]:
    return [env.name for env in envs]


def test_envs_in_order_with_latest_last() -> None:
    the_suite = suite(num_versions=2, python_policy="oldest-newest", group="Network")
    matrix = build_matrix(config(the_suite), _lock(_pkg("1.0", "1.1", "1.2")))
    (suite_matrix,) = matrix.suites
    assert _names(suite_matrix.envs) == [
        "py3.8-pkg-v1.0",
        "py3.14-pkg-v1.0",
        "py3.8-pkg-v1.2",
        "py3.14-pkg-v1.2",
        "py3.8-pkg-latest",
        "py3.14-pkg-latest",
    ]
    first, latest = suite_matrix.envs[0], suite_matrix.envs[-1]
    assert first.requirement == "pkg==1.0"
    assert first.group == "Network"
    assert first.suite == "pkg"
    assert latest.requirement == "pkg"
    assert latest.version is None
    assert matrix.envs == suite_matrix.envs


def test_requirement_keeps_extras_and_prerelease_is_flagged() -> None:
    the_suite = suite(
        name="gql", package="gql", requirement="gql[all]", num_versions=2, python_policy="newest"
    )
    releases = [
        release("3.4.0"),
        release("3.5.0"),
        release("4.0.0b1", uploaded=NOW - timedelta(days=3)),
    ]
    matrix = build_matrix(config(the_suite), _lock(facts(*releases, name="gql")))
    envs = matrix.envs
    assert [(e.name, e.requirement, e.prerelease) for e in envs] == [
        ("py3.14-gql-v3.4.0", "gql[all]==3.4.0", False),
        ("py3.14-gql-v3.5.0", "gql[all]==3.5.0", False),
        ("py3.14-gql-v4.0.0b1", "gql[all]==4.0.0b1", True),
        ("py3.14-gql-latest", "gql[all]", False),
    ]


def test_epoch_in_env_name() -> None:
    the_suite = suite(num_versions=2, python_policy="newest", latest_env=False)
    matrix = build_matrix(config(the_suite), _lock(_pkg("1!2.0")))
    assert _names(matrix.envs) == ["py3.14-pkg-v1_2.0"]
    assert matrix.envs[0].requirement == "pkg==1!2.0"


def test_latest_env_is_limited_by_include() -> None:
    the_suite = suite(num_versions=2, python_policy="newest", include="<=1.1")
    matrix = build_matrix(config(the_suite), _lock(_pkg("1.0", "1.1", "1.2")))
    latest = matrix.envs[-1]
    assert (latest.name, latest.requirement) == ("py3.14-pkg-latest", "pkg<=1.1")


def test_latest_env_off() -> None:
    the_suite = suite(num_versions=2, python_policy="newest", latest_env=False)
    matrix = build_matrix(config(the_suite), _lock(_pkg("1.0", "1.1")))
    assert _names(matrix.envs) == ["py3.14-pkg-v1.0", "py3.14-pkg-v1.1"]


@pytest.mark.parametrize(
    ("policy", "aliases"),
    [
        pytest.param({}, [], id="off-by-default"),
        pytest.param(
            {"pinned_latest": True},
            ["py3.8-pkg-pinned_latest", "py3.14-pkg-pinned_latest"],
            id="one-per-python-of-the-latest-pick",
        ),
        pytest.param(
            {"pinned_latest": True, "latest_env": False},
            ["py3.8-pkg-pinned_latest", "py3.14-pkg-pinned_latest"],
            id="without-the-floating-env",
        ),
    ],
)
def test_pinned_latest_envs(policy: dict[str, Any], aliases: list[str]) -> None:
    the_suite = suite(num_versions=2, python_policy="oldest-newest", deps={"*": ["x"]}, **policy)
    suite_matrix = build_matrix(config(the_suite), _lock(_pkg("1.0", "1.1"))).suites[0]
    assert _names(suite_matrix.aliases) == aliases
    assert "pinned_latest" not in " ".join(_names(suite_matrix.envs))
    for env in suite_matrix.aliases:
        assert (env.requirement, env.deps, env.version_factor) == (
            "pkg==1.1",
            ("x",),
            "pinned_latest",
        )


def test_only_prereleases_have_a_latest_env() -> None:
    # With no final release, the prereleases are picked as finals: the newest is the latest.
    the_suite = suite(python_policy="newest")
    pkg = facts(release("1.0rc1", uploaded=NOW - timedelta(days=3)))
    envs = build_matrix(config(the_suite), _lock(pkg)).envs
    assert _names(envs) == ["py3.14-pkg-v1.0rc1", "py3.14-pkg-latest"]
    assert [env.prerelease for env in envs] == [True, False]


def test_prerelease_pick_beside_finals_has_no_latest_env_of_its_own() -> None:
    the_suite = suite(python_policy="newest", num_versions=2)
    pkg = facts(release("1.0"), release("2.0rc1", uploaded=NOW - timedelta(days=3)))
    names = _names(build_matrix(config(the_suite), _lock(pkg)).envs)
    assert names == ["py3.14-pkg-v1.0", "py3.14-pkg-v2.0rc1", "py3.14-pkg-latest"]


DEPS = [
    pytest.param({"*": ["anyio<5"]}, "py3.8-pkg-v1.0", ("anyio<5",), id="star"),
    pytest.param({"*": ["anyio<5"]}, "py3.14-pkg-latest", ("anyio<5",), id="star-latest"),
    pytest.param({">=1.0,<1.1": ["helper==1"]}, "py3.8-pkg-v1.0", ("helper==1",), id="version"),
    pytest.param({">=1.0,<1.1": ["helper==1"]}, "py3.8-pkg-v1.2", (), id="version-other"),
    pytest.param(
        {">=1.2": ["helper==2"]}, "py3.14-pkg-latest", ("helper==2",), id="version-latest"
    ),
    pytest.param({"<1.2": ["helper==1"]}, "py3.14-pkg-latest", (), id="version-not-latest"),
    pytest.param(
        {"==2.0b1": ["beta-helper"]}, "py3.14-pkg-v2.0b1", ("beta-helper",), id="version-prerelease"
    ),
    pytest.param(
        {">=1.0": ["any-helper"]},
        "py3.14-pkg-v2.0b1",
        ("any-helper",),
        id="range-includes-prereleases",
    ),
    pytest.param({"py3.8,py3.13": ["old-py"]}, "py3.8-pkg-v1.0", ("old-py",), id="pythons"),
    pytest.param({"py3.8,py3.13": ["old-py"]}, "py3.14-pkg-v1.0", (), id="pythons-other"),
    pytest.param({"py3.14t": ["ft"]}, "py3.14t-pkg-v1.2", ("ft",), id="free-threaded-named"),
    pytest.param({"py3.14t": ["ft"]}, "py3.14-pkg-v1.2", (), id="free-threaded-not-regular"),
    pytest.param({">=1.2; py3.14": ["both"]}, "py3.14-pkg-v1.2", ("both",), id="combined"),
    pytest.param({">=1.2; py3.14": ["both"]}, "py3.8-pkg-v1.2", (), id="combined-wrong-python"),
    pytest.param({">=1.2; py3.14": ["both"]}, "py3.14-pkg-v1.0", (), id="combined-wrong-version"),
    pytest.param({">=1.2; py3.14": ["both"]}, "py3.14-pkg-latest", ("both",), id="combined-latest"),
    pytest.param(
        {"*": ["a", "b"], ">=1.0": ["c", "a"], "py3.8": ["b", "d"]},
        "py3.8-pkg-v1.0",
        ("a", "b", "c", "d"),
        id="config-order-without-duplicates",
    ),
]


@pytest.mark.parametrize(("deps", "env_name", "expected"), DEPS)
def test_deps(deps: dict[str, list[str]], env_name: str, expected: tuple[str, ...]) -> None:
    the_suite = suite(num_versions=3, deps=deps)
    releases = [*series(["1.0", "1.1", "1.2"]), release("2.0b1", uploaded=NOW - timedelta(days=3))]
    cfg = config(the_suite, free_threaded=["3.14"])
    envs = {env.name: env for env in build_matrix(cfg, _lock(facts(*releases))).envs}
    assert envs[env_name].deps == expected


def test_latest_env_uses_the_latest_picks_pythons() -> None:
    releases = [release("1.0"), release("2.0", requires_python=">=3.12")]
    the_suite = suite(num_versions=2)
    envs = build_matrix(config(the_suite), _lock(facts(*releases))).envs
    assert [e.name for e in envs if e.version is None] == [
        "py3.12-pkg-latest",
        "py3.13-pkg-latest",
        "py3.14-pkg-latest",
    ]


def test_suites_in_config_order_and_filter() -> None:
    first = suite(name="zeta", package="zeta", num_versions=2, python_policy="newest")
    second = suite(name="alpha", package="alpha", num_versions=2, python_policy="newest")
    lock = _lock(_pkg("1.0", name="zeta"), _pkg("2.0", name="alpha"))
    matrix = build_matrix(config(first, second), lock)
    assert [s.suite.name for s in matrix.suites] == ["zeta", "alpha"]
    only = build_matrix(config(first, second), lock, suites=["alpha"])
    assert _names(only.envs) == ["py3.14-alpha-v2.0", "py3.14-alpha-latest"]


def test_unknown_suite_name() -> None:
    with pytest.raises(UsageError, match="unknown suite 'nope'"):
        build_matrix(config(suite()), _lock(_pkg("1.0")), suites=["nope"])


def test_missing_package_is_a_lock_error() -> None:
    the_suite = suite(name="httpx", package="httpx")
    with pytest.raises(LockError, match="no facts for package 'httpx' \\(suite 'httpx'\\)"):
        build_matrix(config(the_suite), _lock(_pkg("1.0", name="other")))


def _pythons_of_latest(matrix: Matrix) -> list[str]:
    (suite_matrix,) = matrix.suites
    assert suite_matrix.selection.latest is not None
    return [str(p) for p in suite_matrix.selection.latest.pythons]


def test_project_pythons_from_the_newest_fetch_date() -> None:
    # On 2024-06-01 the newest final CPython is 3.12 (3.13 is out on 2024-10-07).
    when = datetime(2024, 6, 1, tzinfo=UTC)
    uploaded = datetime(2024, 5, 20, tzinfo=UTC)  # after 3.13's first beta
    pkg = facts(release("1.0", uploaded=uploaded), fetched_at=when)
    newer = facts(release("1.0"), name="other", fetched_at=when + timedelta(days=200))
    the_suite = suite(python_policy="all")
    matrix = build_matrix(config(the_suite), _lock(pkg))
    assert _pythons_of_latest(matrix) == ["3.8", "3.9", "3.10", "3.11", "3.12"]
    matrix = build_matrix(config(the_suite), _lock(pkg, newer))
    assert _pythons_of_latest(matrix)[-1] == "3.13"


def test_as_of_sets_the_pythons_and_the_time() -> None:
    pkg = facts(
        release("1.0", uploaded=datetime(2024, 1, 1, tzinfo=UTC)),
        release("1.1", uploaded=datetime(2024, 9, 30, 12, tzinfo=UTC)),
        release("1.2", uploaded=datetime(2024, 10, 2, tzinfo=UTC)),
    )
    the_suite = suite(python_policy="all")
    cfg, lock = config(the_suite), _lock(pkg, as_of=date(2024, 10, 1))
    matrix = build_matrix(cfg, lock)
    (suite_matrix,) = matrix.suites
    reasons = {c.version: c.reason for c in suite_considered(cfg, lock, suite_matrix)}
    # 1.1 is 1.5 days old at the end of 2024-10-01: still in cooldown.
    assert reasons == {"1.0": None, "1.1": "cooldown", "1.2": "after-as-of"}
    assert _pythons_of_latest(matrix)[-1] == "3.12"


def test_cooldown_is_measured_from_the_fetch_time() -> None:
    pkg = _pkg("1.0", "1.1", start=NOW - timedelta(days=8), step=timedelta(days=7))
    the_suite = suite()
    cfg, lock = config(the_suite), _lock(pkg)
    (suite_matrix,) = build_matrix(cfg, lock).suites
    assert [c.reason for c in suite_considered(cfg, lock, suite_matrix)] == [None, "cooldown"]


def test_remembered_picks_come_from_the_lock() -> None:
    versions = [f"1.{n}" for n in range(14)]
    the_suite = suite(python_policy="newest", latest_env=False)
    plain = build_matrix(config(the_suite), _lock(_pkg(*versions)))
    kept = build_matrix(
        config(the_suite), _lock(_pkg(*versions), picks={"pkg": ("1.0", "1.4", "1.8", "1.12")})
    )
    assert _names(plain.envs) == [f"py3.14-pkg-v1.{n}" for n in (0, 4, 9, 13)]
    assert _names(kept.envs) == [f"py3.14-pkg-v1.{n}" for n in (0, 4, 8, 13)]


@pytest.mark.parametrize(
    ("change", "reused"),
    [
        pytest.param(lambda lock: lock, True, id="same-lock"),
        pytest.param(lambda lock: replace(lock, picks={}), True, id="equal-lock"),
        pytest.param(lambda lock: replace(lock, picks={"pkg": ("1.0", "1.5")}), False, id="picks"),
        pytest.param(lambda lock: replace(lock, as_of=date(2026, 1, 1)), False, id="as-of"),
        pytest.param(
            lambda lock: lock.with_packages({"pkg": _pkg("1.0", "1.1")}), False, id="facts"
        ),
    ],
)
def test_a_memo_gives_the_selection_made_from_equal_inputs(change: Any, reused: bool) -> None:
    cfg = config(suite(num_versions=3))
    lock = _lock(_pkg(*(f"1.{n}" for n in range(8))))
    memo = SelectionMemo()
    (first,) = build_matrix(cfg, lock, memo=memo).suites
    changed = change(lock)
    (again,) = build_matrix(cfg, changed, memo=memo).suites
    assert (again.selection is first.selection) is reused
    assert again == build_matrix(cfg, changed).suites[0]  # as if selected afresh


def test_project_range_follows_the_lock_date() -> None:
    # python = ">=3.8": on 2026-11-24, 3.15 (final 2026-10-01) is part of the range.
    the_suite = suite(python_policy="newest", latest_env=False)
    envs = build_matrix(config(the_suite, python=">=3.8"), _lock(facts(release("1.0")))).envs
    assert _names(envs) == ["py3.15-pkg-v1.0"]


def test_free_threaded_envs() -> None:
    the_suite = suite(num_versions=2, python_policy="newest", latest_env=False)
    pkg = facts(release("1.0"))
    envs = build_matrix(config(the_suite, free_threaded=["3.14"]), _lock(pkg)).envs
    assert _names(envs) == ["py3.14-pkg-v1.0", "py3.14t-pkg-v1.0"]


def test_free_threaded_all() -> None:
    the_suite = suite(num_versions=2, python_policy="newest", latest_env=False)
    cfg = replace(config(the_suite, python=">=3.8"), free_threaded_all=True)
    envs = build_matrix(cfg, _lock(facts(release("1.0")))).envs
    assert _names(envs) == ["py3.15-pkg-v1.0", "py3.15t-pkg-v1.0"]


def test_free_threaded_outside_the_range_is_ignored() -> None:
    the_suite = suite(num_versions=2, python_policy="all", latest_env=False)
    cfg = config(the_suite, python=">=3.8,<3.14", free_threaded=["3.14"])
    envs = build_matrix(cfg, _lock(facts(release("1.0")))).envs
    assert not any(env.python.free_threaded for env in envs)


def test_same_inputs_same_matrix() -> None:
    the_suite: Suite = suite(deps={"*": ["x"]})
    lock = _lock(_pkg(*[f"1.{n}" for n in range(20)]))
    assert build_matrix(config(the_suite), lock) == build_matrix(config(the_suite), lock)


def _blocked(env: str, version: str, python: str, reason: str) -> tuple[str, EnvResolution]:
    record = EnvResolution(
        suite="pkg",
        version=version,
        python=python,
        inputs="x",
        cut=date(2026, 11, 24),
        why="the lock's day",
        status="not-installable",
        reason=reason,
    )
    return env, record


NO_WHEEL = "no wheel of native 1.0 for cp38; its sdist needs a build"


@pytest.mark.parametrize(
    ("pins", "records", "expected"),
    [
        pytest.param(
            "era",
            [_blocked("py3.8-pkg-v1.0", "1.0", "3.8", NO_WHEEL)],
            ["py3.9-pkg-v1.0", "py3.14-pkg-v1.0", "py3.8-pkg-v1.2", "py3.14-pkg-v1.2"],
            id="the-next-python-instead",
        ),
        pytest.param(
            "era",
            [_blocked(f"py3.{m}-pkg-v1.0", "1.0", f"3.{m}", NO_WHEEL) for m in range(8, 15)],
            ["py3.8-pkg-v1.1", "py3.14-pkg-v1.1", "py3.8-pkg-v1.2", "py3.14-pkg-v1.2"],
            id="a-pick-without-pythons-is-skipped",
        ),
        pytest.param(
            "off",
            [_blocked("py3.8-pkg-v1.0", "1.0", "3.8", NO_WHEEL)],
            ["py3.8-pkg-v1.0", "py3.14-pkg-v1.0", "py3.8-pkg-v1.2", "py3.14-pkg-v1.2"],
            id="ignored-when-pins-are-off",
        ),
    ],
)
def test_envs_that_do_not_install_drop_their_python(
    pins: str, records: list[tuple[str, EnvResolution]], expected: list[str]
) -> None:
    the_suite = suite(num_versions=2, python_policy="oldest-newest", latest_env=False, pins=pins)
    lock = replace(_lock(_pkg("1.0", "1.1", "1.2")), resolutions=dict(records))
    (suite_matrix,) = build_matrix(config(the_suite), lock).suites
    assert _names(suite_matrix.envs) == expected
    if pins == "off":
        return
    (first,) = (p for p in suite_matrix.selection.picks if str(p.version) == expected[0][-3:])
    records_of = {str(v.python): v for v in pick_verdicts(suite_matrix.selection.picks[0])}
    if str(first.version) == "1.0":
        assert not records_of["3.8"].supported
        assert records_of["3.8"].lead == f"not installable: {NO_WHEEL}"
    else:
        skipped = {
            c.version: (c.reason, c.detail)
            for c in suite_considered(config(the_suite), lock, suite_matrix)
        }
        assert skipped["1.0"][0] == "no-supported-python"
        assert f"3.8: not installable: {NO_WHEEL}" in skipped["1.0"][1]
