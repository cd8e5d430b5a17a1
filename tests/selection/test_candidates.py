"""Candidates: every skip reason, in the order they apply (compatrix._selection._select)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from compatrix._config._model import Suite
from compatrix._lock._facts import Release
from compatrix._selection._select import considered, select_suite
from compatrix._support import SupportRule

from ._build import NOW, UTC, facts, picked, pys, release, select, suite
from ._build import considered as considered_of

DAY = timedelta(days=1)


def _at(days_before_now: float) -> datetime:
    return NOW - timedelta(days=days_before_now)


CASES = [
    pytest.param(
        suite(),
        [release("1.0"), release("2004d")],
        {},
        "2004d",
        ("invalid-version", "'2004d' is not PEP 440"),
        id="invalid-version",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1", sdist=False, wheels=[], files=0)],
        {},
        "1.1",
        ("no-files", "listed without files"),
        id="no-files",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1", sdist=False, wheels=[], files=2)],
        {},
        "1.1",
        ("no-files", "no sdist or wheel pip could install"),
        id="only-legacy-files",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1", yanked=True, yanked_reason="broken")],
        {},
        "1.1",
        ("yanked", "yanked: broken"),
        id="yanked",
    ),
    pytest.param(
        suite(min_version="2.0"),
        [release("1.0", yanked=True), release("2.0")],
        {},
        "1.0",
        ("yanked", "yanked"),
        id="first-applicable-reason-wins",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("99.0+zqx9.local")],
        {},
        "99.0+zqx9.local",
        ("local-version", "local version label '+zqx9.local': not for a public index"),
        id="local-version",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.0+cpu", yanked=True)],
        {},
        "1.0+cpu",
        ("local-version", "local version label '+cpu': not for a public index"),
        id="local-version-before-yanked",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.0.post1")],
        {},
        "1.0.post1",
        ("post-or-dev-release", "post-release"),
        id="post-release",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1.dev3")],
        {},
        "1.1.dev3",
        ("post-or-dev-release", "dev release"),
        id="dev-release",
    ),
    pytest.param(
        suite(min_version="1.5"),
        [release("1.4"), release("1.5")],
        {},
        "1.4",
        ("below-min-version", "below min-version 1.5"),
        id="below-min-version",
    ),
    pytest.param(
        suite(include="<2"),
        [release("1.0"), release("2.0")],
        {},
        "2.0",
        ("not-included", "not in include '<2'"),
        id="not-included",
    ),
    pytest.param(
        suite(include="!=1.1"),
        [release("1.0"), release("1.1"), release("1.2")],
        {},
        "1.1",
        ("not-included", "not in include '!=1.1'"),
        id="not-included-by-exclusion-specifier",
    ),
    pytest.param(
        suite(include=">=1.0"),
        [release("1.0"), release("2.0rc1", uploaded=_at(5))],
        {},
        "2.0rc1",
        (None, "prerelease"),
        id="include-considers-prereleases",
    ),
    pytest.param(
        suite(exclude={"1.1": "segfaults on import"}),
        [release("1.0"), release("1.1"), release("1.2")],
        {},
        "1.1",
        ("excluded", "segfaults on import"),
        id="excluded-version",
    ),
    pytest.param(
        suite(exclude={">=1.1,<1.3": "broken signals"}),
        [release("1.0"), release("1.2"), release("1.3")],
        {},
        "1.2",
        ("excluded", "broken signals"),
        id="excluded-specifier",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1", uploaded=datetime(2026, 3, 2, 0, 0, tzinfo=UTC))],
        {"as_of": date(2026, 3, 1)},
        "1.1",
        ("after-as-of", "uploaded 2026-03-02T00:00:00Z, after as-of 2026-03-01"),
        id="after-as-of",
    ),
    pytest.param(
        suite(cooldown=timedelta(0)),
        [
            release("1.0", uploaded=datetime(2026, 1, 1, tzinfo=UTC)),
            release("1.1", uploaded=datetime(2026, 3, 1, 23, 59, tzinfo=UTC)),
        ],
        {"as_of": date(2026, 3, 1), "now": datetime(2026, 3, 2, tzinfo=UTC)},
        "1.1",
        (None, "latest"),
        id="uploaded-on-the-as-of-day-is-kept",
    ),
    pytest.param(
        suite(),
        [release("1.0", uploaded=datetime(2026, 1, 1, tzinfo=UTC)), release("1.1", uploaded=None)],
        {"as_of": date(2026, 3, 1)},
        "1.1",
        ("after-as-of", "no upload time, and as-of is set"),
        id="no-upload-time-with-as-of",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1", uploaded=None)],
        {},
        "1.1",
        (None, "latest"),
        id="no-upload-time-without-as-of",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1", uploaded=NOW - timedelta(hours=30))],
        {},
        "1.1",
        (
            "cooldown",
            (
                "uploaded 2026-11-23T06:00:00Z, 1 day 6 h before 2026-11-24T12:00:00Z; "
                "cooldown is 2 days"
            ),
        ),
        id="cooldown",
    ),
    pytest.param(
        suite(cooldown=timedelta(0)),
        [release("1.0"), release("1.1", uploaded=NOW - timedelta(minutes=5))],
        {},
        "1.1",
        (None, "latest"),
        id="cooldown-zero",
    ),
    pytest.param(
        suite(),
        [release("1.0"), release("1.1", requires_python=">=3.20")],
        {"pythons": "3.8-3.14"},
        "1.1",
        (
            "no-supported-python",
            (
                "3.8: Requires-Python '>=3.20' excludes 3.8; "
                "3.14: Requires-Python '>=3.20' excludes 3.14"
            ),
        ),
        id="no-supported-python",
    ),
    pytest.param(
        suite(python=">=3.13"),
        [release("1.0", requires_python="<3.12"), release("1.1")],
        {"pythons": "3.8-3.14"},
        "1.0",
        (
            "no-supported-python",
            (
                "3.8: suite restriction '>=3.13' excludes 3.8; "
                "3.12: suite restriction '>=3.13' excludes 3.12; "
                "3.13: Requires-Python '<3.12' excludes 3.13; "
                "3.14: Requires-Python '<3.12' excludes 3.14"
            ),
        ),
        id="no-supported-python-after-suite-restriction",
    ),
    pytest.param(
        suite(python={"<2": "<3.9", ">=2": ">=3.10"}),
        [release("1.0", requires_python=">=3.9"), release("2.0")],
        {"pythons": "3.8-3.14"},
        "1.0",
        (
            "no-supported-python",
            (
                "3.8: Requires-Python '>=3.9' excludes 3.8; "
                "3.9: suite restriction '<3.9' (for versions '<2') excludes 3.9; "
                "3.14: suite restriction '<3.9' (for versions '<2') excludes 3.14"
            ),
        ),
        id="no-supported-python-after-suite-restriction-table",
    ),
    pytest.param(
        suite(),
        [release("1.0", classifiers=["Programming Language :: Python :: 3.7"])],
        {"pythons": "3.8-3.14"},
        "1.0",
        (None, "lowest, latest"),
        id="stale-classifiers-never-remove-a-release",
    ),
    pytest.param(
        suite(),
        [release("1.0.0"), release("1.0.1"), release("1.1.0")],
        {},
        "1.0.0",
        ("not-newest-patch", "1.0.1 is the newest patch of its minor"),
        id="not-newest-patch",
    ),
    pytest.param(
        suite(),
        [release("1.0.0"), release("1.0.1", requires_python=">=3.20"), release("1.1.0")],
        {},
        "1.0.0",
        (None, "lowest"),
        id="newest-patch-among-survivors",
    ),
    pytest.param(
        suite(num_versions=2),
        [release("1.0"), release("1.1"), release("1.2")],
        {},
        "1.1",
        ("not-chosen", "a candidate; num-versions 2 chose others"),
        id="not-chosen",
    ),
]


@pytest.mark.parametrize(("the_suite", "releases", "options", "version", "expected"), CASES)
def test_skip_reasons(
    the_suite: Suite,
    releases: list[Release],
    options: dict[str, Any],
    version: str,
    expected: tuple[str | None, str],
) -> None:
    selection = select(the_suite, *releases, **options)
    assert considered_of(selection, version) == expected


def test_every_release_is_considered_in_order() -> None:
    releases = [release("1.0"), release("0.9"), release("legacy-1"), release("1.0.post1")]
    selection = select(suite(), *releases)
    assert [c.version for c in selection.considered] == ["0.9", "1.0", "1.0.post1", "legacy-1"]
    assert [c.picked for c in selection.considered] == [True, True, False, False]


def test_older_patches_are_judged_only_for_the_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """Selection judges each minor's patches newest first, up to its candidate; the older
    ones are judged when someone asks why each release was picked or not."""
    judged: list[str] = []
    judge = SupportRule.judge

    def counting_judge(self: SupportRule, rel: Release, *args: Any, **kwargs: Any) -> Any:
        judged.append(rel.version)
        return judge(self, rel, *args, **kwargs)

    monkeypatch.setattr(SupportRule, "judge", counting_judge)
    releases = [
        release("1.0.0"),
        release("1.0.1", requires_python=">=3.20"),
        release("1.0.2"),
        release("1.0.3", yanked=True),
        release("1.1.0"),
        release("1.1.1"),
    ]
    the_suite = suite()
    the_facts = facts(*releases)
    rule = SupportRule(pys("3.8-3.14"), pys("3.14"))
    selection = select_suite(the_suite, the_facts, rule=rule, now=NOW, as_of=None, remembered=())
    assert picked(selection) == ["1.0.2", "1.1.1"]
    assert sorted(set(judged)) == ["1.0.2", "1.1.1"]

    records = considered(the_suite, the_facts, selection, rule=rule, now=NOW, as_of=None)
    assert {c.version: c.reason for c in records} == {
        "1.0.0": "not-newest-patch",
        "1.0.1": "no-supported-python",
        "1.0.2": None,
        "1.0.3": "yanked",
        "1.1.0": "not-newest-patch",
        "1.1.1": None,
    }
    assert sorted(set(judged)) == ["1.0.0", "1.0.1", "1.0.2", "1.1.0", "1.1.1"]
    (detail,) = (c.detail for c in records if c.version == "1.0.1")
    assert detail == (
        "3.8: Requires-Python '>=3.20' excludes 3.8; 3.14: Requires-Python '>=3.20' excludes 3.14"
    )
