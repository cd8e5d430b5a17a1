"""What ``compatrix report`` finds changed in one suite, and why."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest
from packaging.version import Version

from compatrix._config._model import Config
from compatrix._lock._facts import Release
from compatrix._lock._format import Lock
from compatrix._pythons import PythonVersion
from compatrix._report import BaseLock
from compatrix._report._changes import build_report, render_report

from ._locks import NOW, UTC, WEEK_AGO, config, lock, monthly, rel, suite_config

Row = tuple[str, str, "str | None", "str | None", str]
"""(kind, version, previous, reason, detail)"""

BASE = monthly("1.0.0", "1.1.0")
THREE = monthly("1.0.0", "1.1.0", "1.2.0")
FRESH = NOW - timedelta(days=5)  # 2026-11-19, out of the 2-day cooldown
FRESH_DAY = "2026-11-19"


@dataclass(frozen=True)
class Case:
    before: list[Release]
    after: list[Release]
    rows: list[Row]
    num_versions: int = 2
    config_before: Config | None = None
    config_after: Config | None = None
    fetched_before: datetime = WEEK_AGO
    fetched_after: datetime = NOW
    prerelease_rows: list[str] = field(default_factory=list)


def _yanked(release: Release, reason: str) -> Release:
    return rel(release.version, release.uploaded or NOW, yanked=reason)


def _min_version(version: str) -> Config:
    return config(
        'python = ["3.9", "3.10", "3.11", "3.12", "3.13"]\n[defaults]\nnum-versions = 2\n'
        f'[suites.pkg]\npackage = "pkg"\nmin-version = "{version}"\n'
    )


def _pythons(listed: str) -> Config:
    return config(
        f'python = {listed}\n[defaults]\nnum-versions = 2\n[suites.pkg]\npackage = "pkg"\n'
    )


RC1 = rel("2.0.0rc1", NOW - timedelta(days=30))

CASES = [
    pytest.param(
        Case(
            before=BASE,
            after=[*BASE, rel("1.2.0", FRESH)],
            rows=[
                ("replaced", "1.2.0", "1.1.0", "new-release", f"new release, uploaded {FRESH_DAY}")
            ],
        ),
        id="new-release-takes-over-latest",
    ),
    pytest.param(
        Case(
            before=BASE,
            after=[*BASE, rel("1.2.0", FRESH)],
            num_versions=4,
            rows=[("added", "1.2.0", None, "new-release", f"new release, uploaded {FRESH_DAY}")],
        ),
        id="new-release-added",
    ),
    pytest.param(
        Case(
            before=THREE,
            after=[THREE[0], _yanked(THREE[1], "broken wheel"), THREE[2]],
            num_versions=4,
            rows=[("dropped", "1.1.0", None, "yanked", "yanked: broken wheel")],
        ),
        id="yanked-dropped",
    ),
    pytest.param(
        Case(
            before=THREE,
            after=[*THREE[:2], _yanked(THREE[2], "broken wheel")],
            rows=[("replaced", "1.1.0", "1.2.0", "yanked", "yanked: broken wheel")],
        ),
        id="latest-yanked-previous-release-takes-over",
    ),
    pytest.param(
        Case(
            before=[*BASE, rel("1.2.0", WEEK_AGO - timedelta(days=1))],
            after=[*BASE, rel("1.2.0", WEEK_AGO - timedelta(days=1))],
            num_versions=4,
            rows=[
                ("added", "1.2.0", None, "cooldown-passed", "cooldown passed, uploaded 2026-11-16")
            ],
        ),
        id="cooldown-passed",
    ),
    pytest.param(
        Case(
            before=BASE,
            after=[*BASE, rel("1.1.1", FRESH)],
            num_versions=4,
            rows=[
                (
                    "replaced",
                    "1.1.1",
                    "1.1.0",
                    "newer-patch",
                    "1.1.1 is the newest patch of its minor",
                )
            ],
        ),
        id="no-longer-newest-patch-of-its-minor",
    ),
    pytest.param(
        Case(
            before=[*BASE, RC1],
            after=[*BASE, RC1, rel("2.0.0", FRESH)],
            num_versions=4,
            rows=[
                (
                    "replaced",
                    "2.0.0",
                    "2.0.0rc1",
                    "prerelease-superseded",
                    "superseded by final release 2.0.0",
                )
            ],
        ),
        id="prerelease-superseded-by-final",
    ),
    pytest.param(
        Case(
            before=[*BASE, RC1],
            after=[*BASE, RC1, rel("2.0.0rc2", FRESH)],
            num_versions=4,
            rows=[
                (
                    "replaced",
                    "2.0.0rc2",
                    "2.0.0rc1",
                    "prerelease-superseded",
                    "superseded by prerelease 2.0.0rc2",
                )
            ],
            prerelease_rows=["2.0.0rc2"],
        ),
        id="prerelease-superseded-by-newer-prerelease",
    ),
    pytest.param(
        Case(
            before=BASE,
            after=[*BASE, rel("2.0.0b1", FRESH)],
            rows=[
                (
                    "added",
                    "2.0.0b1",
                    None,
                    "new-prerelease",
                    f"new prerelease, uploaded {FRESH_DAY}",
                )
            ],
            prerelease_rows=["2.0.0b1"],
        ),
        id="new-prerelease",
    ),
    pytest.param(
        Case(
            before=[*BASE, rel("2.0.0rc1", NOW - timedelta(days=182))],
            after=[*BASE, rel("2.0.0rc1", NOW - timedelta(days=182))],
            rows=[
                (
                    "dropped",
                    "2.0.0rc1",
                    None,
                    "prerelease-too-old",
                    (
                        "uploaded 2026-05-26T12:00:00Z, 182 days 0 h before "
                        "2026-11-24T12:00:00Z; prerelease-max-age is 180 days"
                    ),
                )
            ],
        ),
        id="prerelease-too-old",
    ),
    pytest.param(
        Case(
            before=monthly("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"),
            after=[
                *monthly("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"),
                rel("1.5.0", NOW - timedelta(days=20)),
                rel("1.6.0", FRESH),
            ],
            num_versions=3,
            rows=[
                ("replaced", "1.3.0", "1.2.0", "spacing", "spacing moved (5 → 7 candidates)"),
                ("replaced", "1.6.0", "1.4.0", "new-release", f"new release, uploaded {FRESH_DAY}"),
            ],
        ),
        id="spacing-moved",
    ),
    pytest.param(
        Case(
            before=THREE,
            after=THREE,
            config_before=_min_version("1.0"),
            config_after=_min_version("1.1"),
            rows=[
                ("replaced", "1.1.0", "1.0.0", "config", "config: below min-version 1.1 (was 1.0)")
            ],
        ),
        id="min-version-raised",
    ),
    pytest.param(
        Case(
            before=THREE,
            after=THREE,
            config_before=_min_version("1.1"),
            config_after=_min_version("1.0"),
            rows=[
                (
                    "replaced",
                    "1.0.0",
                    "1.1.0",
                    "config",
                    "config changed; was below min-version 1.1",
                )
            ],
        ),
        id="min-version-lowered",
    ),
    pytest.param(
        Case(
            before=THREE,
            after=THREE,
            config_before=suite_config("pkg", num_versions=4),
            config_after=config(
                'python = ["3.9", "3.10", "3.11", "3.12", "3.13"]\n[defaults]\nnum-versions = 4\n'
                '[suites.pkg]\npackage = "pkg"\n'
                '[suites.pkg.exclude]\n"1.2.0" = "breaks our tests"\n'
            ),
            rows=[("dropped", "1.2.0", None, "config", "config: excluded: breaks our tests")],
        ),
        id="excluded",
    ),
    pytest.param(
        Case(
            before=THREE,
            after=[THREE[0], THREE[2]],
            num_versions=4,
            rows=[("dropped", "1.1.0", None, "removed-from-index", "no longer on the index")],
        ),
        id="removed-from-the-index",
    ),
    pytest.param(
        Case(
            before=[
                rel("1.0.0", datetime(2024, 6, 1, tzinfo=UTC)),
                rel("1.1.0", datetime(2024, 7, 1, tzinfo=UTC)),
            ],
            after=[
                rel("1.0.0", datetime(2024, 6, 1, tzinfo=UTC)),
                rel("1.1.0", datetime(2024, 7, 1, tzinfo=UTC)),
            ],
            config_before=_pythons('">=3.9"'),
            config_after=_pythons('">=3.9"'),
            fetched_before=datetime(2024, 9, 1, tzinfo=UTC),
            fetched_after=datetime(2024, 11, 1, tzinfo=UTC),
            rows=[
                (
                    "pythons",
                    version,
                    None,
                    None,
                    (
                        "3.13: new in the project's Pythons; "
                        "3.11: no longer tested (python-policy spread)"
                    ),
                )
                for version in ("1.0.0", "1.1.0")
            ],
        ),
        id="pythons-new-cpython-released",
    ),
    pytest.param(
        Case(
            before=[
                rel("1.0.0", datetime(2025, 1, 1, tzinfo=UTC), requires_python=">=3.8,<3.11"),
                *monthly("1.1.0", "1.2.0"),
            ],
            after=[
                rel("1.0.0", datetime(2025, 1, 1, tzinfo=UTC), requires_python=">=3.8,<3.11"),
                *monthly("1.1.0", "1.2.0"),
            ],
            config_before=_pythons('["3.9", "3.10"]'),
            config_after=_pythons('["3.12", "3.13"]'),
            rows=[
                (
                    "replaced",
                    "1.1.0",
                    "1.0.0",
                    "python-support",
                    (
                        "supports none of the project's Pythons (3.12: Requires-Python "
                        "'>=3.8,<3.11' excludes 3.12; 3.13: Requires-Python '>=3.8,<3.11' "
                        "excludes 3.13)"
                    ),
                ),
                (
                    "pythons",
                    "1.2.0",
                    None,
                    None,
                    (
                        "3.12: new in the project's Pythons; 3.13: new in the project's "
                        "Pythons; 3.9: no longer in the project's Pythons; "
                        "3.10: no longer in the project's Pythons"
                    ),
                ),
            ],
        ),
        id="python-range-moved",
    ),
    pytest.param(
        Case(before=THREE, after=THREE, num_versions=3, rows=[]),
        id="nothing-changed",
    ),
]


def _report_rows(case: Case) -> tuple[list[Row], list[str], str]:
    after_config = case.config_after or suite_config("pkg", num_versions=case.num_versions)
    before = BaseLock(
        lock=lock({"pkg": case.before}, fetched=case.fetched_before),
        source="test",
        config=case.config_before,
    )
    current = lock({"pkg": case.after}, fetched=case.fetched_after)
    report = build_report(after_config, before, current)
    rows = [
        (c.kind, c.version, c.previous, c.reason, c.detail)
        for s in report.suites
        for c in s.changes
    ]
    prereleases = [c.version for s in report.suites for c in s.changes if c.prerelease]
    return rows, prereleases, render_report(after_config, before, current)


@pytest.mark.parametrize("case", CASES)
def test_changes_and_reasons(case: Case) -> None:
    rows, _, text = _report_rows(case)
    assert rows == case.rows
    if case.rows:
        assert text.startswith("Test matrix: 1 suite changed;")
    else:
        assert text == ""


@pytest.mark.parametrize("case", CASES)
def test_new_prereleases_are_flagged_and_counted(case: Case) -> None:
    rows, prereleases, text = _report_rows(case)
    new = [r[1] for r in rows if r[0] in {"added", "replaced"} and r[1] in prereleases]
    assert new == case.prerelease_rows
    if new:
        assert f"; {len(new)} new prerelease;" in text.splitlines()[0]


def test_pythons_changed_lists_each_python() -> None:
    releases = [
        rel("1.0.0", datetime(2024, 6, 1, tzinfo=UTC)),
        rel("1.1.0", datetime(2024, 7, 1, tzinfo=UTC)),
    ]
    before = lock({"pkg": releases}, fetched=datetime(2024, 9, 1, tzinfo=UTC))
    after = lock({"pkg": releases}, fetched=datetime(2024, 11, 1, tzinfo=UTC))
    report = build_report(_pythons('">=3.9"'), before, after)
    (suite,) = report.suites
    first = suite.changes[0]
    assert first.pythons_added == (PythonVersion(3, 13),)
    assert first.pythons_dropped == (PythonVersion(3, 11),)
    assert first.pythons == (PythonVersion(3, 9), PythonVersion(3, 12), PythonVersion(3, 13))
    # 2 picks and the -latest env, each on 3 Pythons.
    assert (
        report.summary == "Test matrix: 1 suite changed; Pythons changed for 2 picks; 9 → 9 envs."
    )


def test_a_plain_lock_as_base_uses_the_current_config() -> None:
    """A Lock (not a BaseLock) is compared under the current config."""
    cfg = suite_config("pkg")
    base: Lock = lock({"pkg": BASE}, fetched=WEEK_AGO)
    current = lock({"pkg": [*BASE, rel("1.2.0", FRESH)]})
    assert render_report(cfg, base, current).startswith(
        "Test matrix: 1 suite changed; 1 version replaced; 9 → 9 envs.\n"
    )


@pytest.mark.parametrize(
    ("base", "status", "rows"),
    [
        pytest.param(
            BaseLock(lock=lock({"pkg": BASE}, fetched=WEEK_AGO), source="test"),
            {"new": "added"},
            {"new": [("added", "1.0.0", "suite-added"), ("added", "1.1.0", "suite-added")]},
            id="added-package-not-in-the-base-lock",
        ),
        pytest.param(
            BaseLock(
                lock=lock({"pkg": BASE, "old": BASE}, fetched=WEEK_AGO),
                source="test",
                config=suite_config("pkg", "old"),
            ),
            {"new": "added", "old": "removed"},
            {
                "new": [("added", "1.0.0", "suite-added"), ("added", "1.1.0", "suite-added")],
                "old": [
                    ("dropped", "1.0.0", "suite-removed"),
                    ("dropped", "1.1.0", "suite-removed"),
                ],
            },
            id="removed-from-the-base-config",
        ),
        pytest.param(
            BaseLock(
                lock=lock(
                    {"pkg": BASE, "old": BASE}, fetched=WEEK_AGO, picks={"old": ["1.1.0", "1.0.0"]}
                ),
                source="test",
            ),
            {"new": "added", "old": "removed"},
            {
                "new": [("added", "1.0.0", "suite-added"), ("added", "1.1.0", "suite-added")],
                "old": [
                    ("dropped", "1.0.0", "suite-removed"),
                    ("dropped", "1.1.0", "suite-removed"),
                ],
            },
            id="removed-named-by-the-base-locks-picks",
        ),
    ],
)
def test_suites_added_and_removed(
    base: BaseLock, status: dict[str, str], rows: dict[str, list[tuple[str, str, str]]]
) -> None:
    current = lock({"pkg": BASE, "new": BASE})
    report = build_report(suite_config("pkg", "new"), base, current)
    assert {s.suite: s.status for s in report.suites} == status
    assert {
        s.suite: [(c.kind, c.version, c.reason) for c in s.changes] for s in report.suites
    } == rows


CAUSES = {
    "new-release-takes-over-latest": ["index"],
    "new-release-added": ["index"],
    "yanked-dropped": ["index"],
    "cooldown-passed": ["time"],
    "no-longer-newest-patch-of-its-minor": ["index"],
    "prerelease-superseded-by-final": ["index"],
    "new-prerelease": ["index"],
    "prerelease-too-old": ["time"],
    "spacing-moved": ["index", "index"],
    "min-version-raised": ["config"],
    "min-version-lowered": ["config"],
    "excluded": ["config"],
    "removed-from-the-index": ["index"],
    "pythons-new-cpython-released": [None, None],
    "python-range-moved": ["evidence", None],
}


@pytest.mark.parametrize("case", [c for c in CASES if c.id in CAUSES])
def test_each_change_is_attributed_to_its_cause(case: Case) -> None:
    after_config = case.config_after or suite_config("pkg", num_versions=case.num_versions)
    base = BaseLock(
        lock=lock({"pkg": case.before}, fetched=case.fetched_before),
        source="test",
        config=case.config_before,
    )
    report = build_report(after_config, base, lock({"pkg": case.after}, fetched=case.fetched_after))
    causes = [c.cause for s in report.suites for c in s.changes]
    (param_id,) = [p.id for p in CASES if p.values[0] is case]
    assert causes == CAUSES[param_id]


def _trimmed(releases: list[Release], floor: str) -> Lock:
    """The lock an update writes for min-version ``floor``: older releases not recorded."""
    current = lock({"pkg": [r for r in releases if Version(r.version) >= Version(floor)]})
    facts = replace(current.packages["pkg"], releases_from=Version(floor))
    return current.with_packages({"pkg": facts})


def test_a_raised_min_version_is_the_configs_doing_not_the_indexs() -> None:
    # The update after raising min-version records no release below it: the dropped
    # lowest pick is gone from the lock, not from the index.
    base = BaseLock(
        lock=lock({"pkg": THREE}, fetched=WEEK_AGO), source="t", config=_min_version("1.0")
    )
    report = build_report(_min_version("1.1"), base, _trimmed(THREE, "1.1"))
    (row,) = [c for s in report.suites for c in s.changes]
    assert (row.kind, row.previous, row.version) == ("replaced", "1.0.0", "1.1.0")
    assert (row.reason, row.cause) == ("config", "config")
    assert row.detail == "config: below min-version 1.1 (was 1.0)"
    assert "| config | config: below min-version 1.1 (was 1.0) |" in render_report(
        _min_version("1.1"), base, _trimmed(THREE, "1.1")
    )


def test_spacing_moved_by_a_changed_num_versions_is_the_configs_doing() -> None:
    releases = monthly("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0")
    base = BaseLock(
        lock=lock({"pkg": releases}, fetched=WEEK_AGO),
        source="t",
        config=suite_config("pkg", num_versions=2),
    )
    report = build_report(suite_config("pkg", num_versions=3), base, lock({"pkg": releases}))
    rows = [
        (c.kind, c.version, c.reason, c.cause, c.detail) for s in report.suites for c in s.changes
    ]
    assert rows == [
        ("added", "1.2.0", "spacing", "config", "spacing moved; config: num-versions 2 → 3")
    ]


def test_a_pick_the_env_budget_dropped_is_the_configs_doing() -> None:
    releases = monthly("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0")
    base = BaseLock(
        lock=lock({"pkg": releases}, fetched=WEEK_AGO),
        source="t",
        config=suite_config("pkg", num_versions=3),
    )
    budgeted = suite_config("pkg", num_versions=3, extra="[budget]\nmax-envs = 3\n")
    report = build_report(budgeted, base, lock({"pkg": releases}))
    rows = [(c.kind, c.version, c.reason, c.cause) for s in report.suites for c in s.changes]
    assert ("dropped", "1.2.0", "budget", "config") in rows
    assert "env budget, total: 12 envs trimmed to 3 (limit 3)" in report.summary
    pythons = [c.detail for s in report.suites for c in s.changes if c.kind == "pythons"]
    assert pythons and all("trimmed by the env budget" in d for d in pythons)
