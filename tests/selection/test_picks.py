"""Picks, prereleases, tested Pythons and warnings (compatrix._selection._select)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from compatrix._lock._facts import Release
from compatrix._selection._model import pick_verdicts

from ._build import NOW, UTC, classifiers, picked, release, select, series, suite


def _minors(prefix: str, count: int, start: int = 0) -> list[str]:
    return [f"{prefix}.{n}" for n in range(start, start + count)]


def _roles(versions: list[str], **policy: Any) -> list[tuple[str, str]]:
    selection = select(suite(**policy), *series(versions))
    return [(str(p.version), ", ".join(p.roles)) for p in selection.picks]


PICKS = [
    pytest.param(["1.0.0"], {}, [("1.0.0", "lowest, latest")], id="single-release"),
    pytest.param(["1.0", "1.1"], {}, [("1.0", "lowest"), ("1.1", "latest")], id="two-releases"),
    pytest.param(
        ["1.0", "1.1", "1.2"],
        {"num_versions": 4},
        [("1.0", "lowest"), ("1.1", "spaced"), ("1.2", "latest")],
        id="num-versions-larger-than-candidates",
    ),
    pytest.param(
        _minors("0", 13, start=16),
        {"num_versions": 4},
        [("0.16", "lowest"), ("0.20", "spaced"), ("0.24", "spaced"), ("0.28", "latest")],
        id="evenly-spaced",
    ),
    pytest.param(
        _minors("0", 12, start=1),
        {"num_versions": 3},
        [("0.1", "lowest"), ("0.7", "spaced"), ("0.12", "latest")],
        id="zero-major-package-rounds-half-up",
    ),
    pytest.param(
        [*_minors("0", 5, start=1), "1.0"],
        {"num_versions": 2},
        [
            ("0.1", "lowest"),
            ("0.5", "newest-of-major"),
            ("1.0", "latest, newest-of-major"),
        ],
        id="zero-major-then-one",
    ),
    pytest.param(
        ["1.0", "1.1", "1.2", "2.0", "2.1", "3.0", "4.0", "5.0"],
        {"num_versions": 2},
        [
            ("1.0", "lowest"),
            ("1.2", "newest-of-major"),
            ("2.1", "newest-of-major"),
            ("3.0", "newest-of-major"),
            ("4.0", "newest-of-major"),
            ("5.0", "latest, newest-of-major"),
        ],
        id="majors-exceed-num-versions",
    ),
    pytest.param(
        [*_minors("1", 10), "2.0"],
        {"num_versions": 4},
        [
            ("1.0", "lowest"),
            ("1.5", "spaced"),
            ("1.9", "newest-of-major"),
            ("2.0", "latest, newest-of-major"),
        ],
        id="free-slot-goes-to-the-widest-gap",
    ),
    pytest.param(
        [*_minors("1", 5), *_minors("2", 4)],
        {"num_versions": 4},
        [
            ("1.0", "lowest"),
            ("1.2", "spaced"),
            ("1.4", "newest-of-major"),
            ("2.3", "latest, newest-of-major"),
        ],
        id="equal-gaps-tie-to-the-lower-gap",
    ),
    pytest.param(
        [*_minors("1", 5), *_minors("2", 4)],
        {"num_versions": 5},
        [
            ("1.0", "lowest"),
            ("1.2", "spaced"),
            ("1.4", "newest-of-major"),
            ("2.1", "spaced"),
            ("2.3", "latest, newest-of-major"),
        ],
        id="slots-shared-between-gaps",
    ),
    pytest.param(
        [f"{year}.{minor}.0" for year in range(19, 27) for minor in range(3)],
        {"num_versions": 3, "each_major": False},
        [("19.0.0", "lowest"), ("23.0.0", "spaced"), ("26.2.0", "latest")],
        id="calendar-versioning-without-each-major",
    ),
    pytest.param(
        ["1.0", "1!0.5"],
        {},
        [("1.0", "lowest, newest-of-major"), ("1!0.5", "latest, newest-of-major")],
        id="epoch-counts-as-a-major",
    ),
]


@pytest.mark.parametrize(("versions", "policy", "expected"), PICKS)
def test_picks(versions: list[str], policy: dict[str, Any], expected: object) -> None:
    assert _roles(versions, **policy) == expected


def test_latest_and_remembered_are_final_picks() -> None:
    releases = [*series(["1.0", "1.1", "1.2"]), release("2.0b1", uploaded=NOW - timedelta(days=9))]
    selection = select(suite(num_versions=2), *releases)
    assert picked(selection) == ["1.0", "1.2", "2.0b1"]
    assert selection.latest is not None
    assert str(selection.latest.version) == "1.2"
    assert selection.remembered == ("1.0", "1.2")
    assert selection.picks[-1].roles == ("prerelease",)


# --- prereleases ------------------------------------------------------------------------

FRESH = NOW - timedelta(days=10)
STALE = NOW - timedelta(days=200)

PRERELEASES = [
    pytest.param(
        [release("1.0"), release("2.0rc1", uploaded=FRESH)],
        {},
        ["1.0", "2.0rc1"],
        {"2.0rc1": (None, "prerelease")},
        id="newer-and-recent-prerelease-is-picked",
    ),
    pytest.param(
        [release("1.0"), release("2.0rc1", uploaded=FRESH)],
        {"prereleases": False},
        ["1.0"],
        {"2.0rc1": ("prereleases-disabled", "prereleases = false")},
        id="prereleases-disabled",
    ),
    pytest.param(
        [release("2.0rc1", uploaded=FRESH), release("2.0", uploaded=FRESH)],
        {},
        ["2.0"],
        {"2.0rc1": ("prerelease-not-newer", "not newer than the latest final release 2.0")},
        id="prerelease-not-newer",
    ),
    pytest.param(
        [release("1.0"), release("2.0rc1", uploaded=STALE)],
        {},
        ["1.0"],
        {
            "2.0rc1": (
                "prerelease-too-old",
                (
                    "uploaded 2026-05-08T12:00:00Z, 200 days 0 h before 2026-11-24T12:00:00Z; "
                    "prerelease-max-age is 180 days"
                ),
            )
        },
        id="prerelease-too-old",
    ),
    pytest.param(
        [release("1.0"), release("2.0rc1", uploaded=STALE)],
        {"prerelease_max_age": timedelta(days=365)},
        ["1.0", "2.0rc1"],
        {},
        id="prerelease-max-age-option",
    ),
    pytest.param(
        [release("1.0"), release("2.0rc1", uploaded=None)],
        {},
        ["1.0"],
        {"2.0rc1": ("prerelease-too-old", "upload time unknown, so its age is unknown")},
        id="prerelease-without-upload-time",
    ),
    pytest.param(
        [release("1.0"), release("2.0a1", uploaded=FRESH), release("2.0b1", uploaded=FRESH)],
        {},
        ["1.0", "2.0b1"],
        {"2.0a1": ("older-prerelease", "2.0b1 is newer")},
        id="older-prerelease",
    ),
    pytest.param(
        [
            release("1.0"),
            release("2.0b1", uploaded=FRESH),
            release("2.0rc1", uploaded=NOW - timedelta(hours=1)),
        ],
        {},
        ["1.0", "2.0b1"],
        {"2.0rc1": ("cooldown", None)},
        id="prerelease-in-cooldown-leaves-the-older-one",
    ),
    pytest.param(
        [release("1.0"), release("2.0b1", uploaded=FRESH, requires_python=">=3.20")],
        {},
        ["1.0"],
        {"2.0b1": ("no-supported-python", None)},
        id="prerelease-needs-a-supported-python",
    ),
    pytest.param(
        [release("1.0a1", uploaded=FRESH), release("1.0b1", uploaded=FRESH)],
        {},
        ["1.0b1"],
        {"1.0a1": ("not-newest-patch", "1.0b1 is the newest prerelease of its minor")},
        id="only-prereleases",
    ),
    pytest.param(
        [release("1.0a1", uploaded=FRESH), release("1.0b1", uploaded=FRESH)],
        {"prereleases": False},
        [],
        {"1.0b1": ("prereleases-disabled", "prereleases = false")},
        id="only-prereleases-disabled",
    ),
    pytest.param(
        [release("0.9b1", uploaded=STALE), release("1.0", requires_python=">=3.20")],
        {},
        ["0.9b1"],
        {"1.0": ("no-supported-python", None)},
        id="finals-none-testable-prereleases-stand-in",
    ),
]


@pytest.mark.parametrize(("releases", "policy", "expected", "reasons"), PRERELEASES)
def test_prereleases(
    releases: list[Release],
    policy: dict[str, Any],
    expected: list[str],
    reasons: dict[str, tuple[str | None, str | None]],
) -> None:
    selection = select(suite(**policy), *releases)
    assert picked(selection) == expected
    found = {c.version: (c.reason, c.detail) for c in selection.considered}
    for version, (reason, detail) in reasons.items():
        assert found[version][0] == reason
        if detail is not None:
            assert found[version][1] == detail


def test_only_prereleases_are_sampled_as_final_releases() -> None:
    # OpenTelemetry instrumentations publish only betas (0.40b0 ... 0.60b0): they get
    # spaced picks, the newest of each minor, not only their newest beta.
    versions = [f"0.{minor}b{n}" for minor in range(40, 61) for n in (0, 1)]
    releases = series(versions, start=STALE, step=timedelta(days=3))
    selection = select(suite(num_versions=4), *releases)
    assert [(str(p.version), ", ".join(p.roles)) for p in selection.picks] == [
        ("0.40b1", "lowest"),
        ("0.47b1", "spaced"),
        ("0.53b1", "spaced"),
        ("0.60b1", "latest"),
    ]
    assert selection.latest is not None
    assert str(selection.latest.version) == "0.60b1"
    assert selection.remembered == ("0.40b1", "0.47b1", "0.53b1", "0.60b1")
    note = (
        "pkg has no final release that can be tested: its prereleases are picked as final "
        "releases are (the newest of each minor)"
    )
    assert selection.selection.notes == (note,)
    found = {c.version: (c.reason, c.detail) for c in selection.considered}
    assert found["0.40b0"] == ("not-newest-patch", "0.40b1 is the newest prerelease of its minor")
    assert found["0.41b1"][0] == "not-chosen"


def test_prerelease_is_not_counted_in_num_versions() -> None:
    releases = [*series(_minors("1", 6)), release("2.0rc1", uploaded=FRESH)]
    selection = select(suite(num_versions=3), *releases)
    assert picked(selection) == ["1.0", "1.3", "1.5", "2.0rc1"]


# --- tested Pythons ---------------------------------------------------------------------

POLICIES = [
    pytest.param("spread", ["3.8", "3.13", "3.14", "3.14t"], id="spread"),
    pytest.param("all", ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"], id="all"),
    pytest.param("oldest-newest", ["3.8", "3.14", "3.14t"], id="oldest-newest"),
    pytest.param("newest", ["3.14", "3.14t"], id="newest"),
]


@pytest.mark.parametrize(("policy", "expected"), POLICIES)
def test_python_policy(policy: str, expected: list[str]) -> None:
    selection = select(suite(python_policy=policy), release("1.0"))
    (pick,) = selection.picks
    assert [str(p) for p in pick.pythons] == expected
    assert [str(v.python) for v in pick_verdicts(pick) if v.tested] == expected


PYTHONS = [
    pytest.param(
        release("1.0", requires_python=">=3.12"),
        "3.8-3.14",
        "",
        ["3.12", "3.13", "3.14"],
        id="three-supported",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.13"),
        "3.8-3.14",
        "",
        ["3.13", "3.14"],
        id="two-supported",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.14"),
        "3.8-3.14",
        "3.14",
        ["3.14", "3.14t"],
        id="one-supported",
    ),
    pytest.param(
        release("1.0", sdist=True, wheels=["cp313-cp313", "cp314-cp314"]),
        "3.8-3.14",
        "3.14",
        ["3.8", "3.13", "3.14"],
        id="no-free-threaded-wheel",
    ),
    pytest.param(
        release("1.0", wheels=["py3-none"]),
        "3.8-3.14",
        "3.13 3.14",
        ["3.8", "3.13", "3.13t", "3.14", "3.14t"],
        id="free-threaded-build-of-each-tested-python",
    ),
    pytest.param(
        release("1.0", classifiers=classifiers("3.9", "3.10", "3.11", "3.12")),
        "3.6-3.14",
        "3.14",
        ["3.9", "3.11", "3.12"],
        id="classifiers-narrow-the-tested-pythons",
    ),
]


@pytest.mark.parametrize(("rel", "pythons", "free_threaded", "expected"), PYTHONS)
def test_tested_pythons(
    rel: Release, pythons: str, free_threaded: str, expected: list[str]
) -> None:
    selection = select(suite(), rel, pythons=pythons, free_threaded=free_threaded)
    assert [str(p) for p in selection.picks[0].pythons] == expected


def test_suite_python_table_restricts_per_version() -> None:
    releases = [release("0.27.2"), release("0.28.1")]
    selection = select(suite(python={">=0.28": ">=3.9"}), *releases, pythons="3.6-3.12")
    assert [[str(p) for p in pick.pythons] for pick in selection.picks] == [
        ["3.6", "3.11", "3.12"],
        ["3.9", "3.11", "3.12"],
    ]


# --- warnings ---------------------------------------------------------------------------


def test_warning_min_version_newer_than_every_release() -> None:
    selection = select(suite(min_version="3.0"), release("1.0"), release("2.0"))
    assert selection.picks == ()
    assert selection.warnings == (
        "min-version 3.0 is newer than every release of pkg (the newest is 2.0)",
    )


def test_warning_effective_lowest_differs_from_min_version() -> None:
    releases = [release("1.0", requires_python="<3.8"), release("1.1"), release("1.2")]
    selection = select(suite(min_version="1.0"), *releases)
    warning = (
        "min-version is 1.0, but the lowest release of pkg that can be tested is 1.1 "
        "(`compatrix explain pkg` says why)"
    )
    assert selection.warnings == (warning,)


def test_no_warning_when_lowest_is_a_newer_patch_of_min_version() -> None:
    releases = [release("1.0.0"), release("1.0.3"), release("1.1")]
    assert select(suite(min_version="1.0.0"), *releases).warnings == ()


def test_warning_no_testable_release_all_yanked() -> None:
    releases = [release("1.0", yanked=True), release("1.1", yanked=True)]
    selection = select(suite(), *releases)
    assert selection.picks == ()
    assert selection.latest is None
    assert selection.warnings == ("no release of pkg can be tested (2 yanked)",)


def test_warning_no_releases_at_all() -> None:
    assert select(suite()).warnings == (
        "no release of pkg can be tested (the index lists no releases)",
    )


# --- version schemes --------------------------------------------------------------------


def _dated(*versions: tuple[str, int]) -> list[Release]:
    """Releases uploaded in the given years, in July to December (after 3.8's first beta,
    so that the date rule leaves the project's Pythons alone)."""
    return [
        release(v, uploaded=datetime(year, 7 + n % 6, 1, tzinfo=UTC))
        for n, (v, year) in enumerate(versions)
    ]


ATTRS = _dated(*((f"{year}.{minor}.0", 2000 + year) for year in range(20, 27) for minor in (1, 2)))
SANIC = _dated(*((f"{year}.{month}.0", 2000 + year) for year in range(20, 26) for month in (3, 12)))
MYSQL = _dated(
    *((f"8.{minor}.0", 2019 + minor // 4) for minor in range(13)),
    *((f"9.{minor}.0", 2024 + minor // 3) for minor in range(5)),
    ("26.1.0", 2026),
)
SEMVER_NOW = _dated(("1.0", 2019), ("1.5", 2020), ("2.0", 2021), ("3.0", 2023), ("3.1", 2024))

SCHEMES = [
    pytest.param(
        ATTRS,
        {"num_versions": 3},
        [("20.1.0", "lowest"), ("23.2.0", "spaced"), ("26.2.0", "latest")],
        "calendar versioning detected: every major (20 … 26) is the year",
        id="attrs-calendar-detected",
    ),
    pytest.param(
        SANIC,
        {"num_versions": 2},
        [("20.3.0", "lowest"), ("25.12.0", "latest")],
        "calendar versioning detected: every major (20 … 25)",
        id="sanic-calendar-detected",
    ),
    pytest.param(
        ATTRS,
        {"num_versions": 3, "each_major": True},
        [
            ("20.1.0", "lowest"),
            *((f"{year}.2.0", "newest-of-major") for year in range(20, 26)),
            ("26.2.0", "latest, newest-of-major"),
        ],
        None,
        id="each-major-set-overrides",
    ),
    pytest.param(
        MYSQL,
        {"num_versions": 3},
        [
            ("8.0.0", "lowest"),
            ("8.12.0", "newest-of-major"),
            ("9.4.0", "newest-of-major"),
            ("26.1.0", "latest"),
        ],
        "version scheme jump detected: 9.x → 26.x",
        id="mysql-connector-scheme-jump",
    ),
    pytest.param(
        SEMVER_NOW,
        {"num_versions": 2},
        [
            ("1.0", "lowest"),
            ("1.5", "newest-of-major"),
            ("2.0", "newest-of-major"),
            ("3.1", "latest, newest-of-major"),
        ],
        None,
        id="semantic-versioning-untouched",
    ),
]


@pytest.mark.parametrize(("releases", "policy", "expected", "note"), SCHEMES)
def test_version_schemes(
    releases: list[Release], policy: dict[str, Any], expected: object, note: str | None
) -> None:
    selection = select(suite(**policy), *releases)
    assert [(str(p.version), ", ".join(p.roles)) for p in selection.picks] == expected
    notes = selection.selection.notes
    if note is None:
        assert notes == ()
    else:
        assert len(notes) == 1
        assert note in notes[0]


# --- nothing to test: the cause -------------------------------------------------------


@pytest.mark.parametrize(
    ("the_suite", "releases", "cause", "reason"),
    [
        pytest.param(
            suite(),
            [],
            "index",
            "no release of pkg can be tested (the index lists no releases)",
            id="no-releases",
        ),
        pytest.param(
            suite(min_version="3.0"),
            [release("1.0"), release("2.0")],
            "config",
            "min-version 3.0 is newer than every release of pkg (the newest is 2.0)",
            id="min-version-above-every-release",
        ),
        pytest.param(
            suite(python="<3.8"),
            [release("1.0"), release("2.0")],
            "config",
            "no release of pkg can be tested: the suite restriction '<3.8' admits none of the "
            "project's Pythons",
            id="python-restriction-admits-none",
        ),
        pytest.param(
            suite(python={"<2": "<3.8", ">=2": "<3.7"}),
            [release("1.0"), release("2.0")],
            "config",
            "no release of pkg can be tested: the suite restriction '<3.8' (for versions '<2') "
            "and the suite restriction '<3.7' (for versions '>=2') admit none of the project's "
            "Pythons",
            id="two-python-restrictions",
        ),
        pytest.param(
            suite(min_version="1.5", exclude={">=2": "broken"}),
            [release("1.0"), release("2.0"), release("2.1.dev1")],
            "config",
            "no release of pkg can be tested: the suite's min-version, include, exclude, "
            "prereleases and python keys rule them all out (1 below-min-version, 1 excluded, "
            "1 post-or-dev-release)",
            id="min-version-and-exclude",
        ),
        pytest.param(
            suite(prereleases=False),
            [release("1.0b1"), release("1.0b2")],
            "config",
            "no release of pkg can be tested: the suite's min-version, include, exclude, "
            "prereleases and python keys rule them all out (2 prereleases-disabled)",
            id="only-prereleases-and-prereleases-off",
        ),
        pytest.param(
            suite(min_version="1.5"),
            [release("1.0"), release("2.0", yanked=True)],
            "index",
            "no release of pkg can be tested (1 below-min-version, 1 yanked)",
            id="the-index-yanked-the-rest",
        ),
        pytest.param(
            suite(),
            [release("1.0", requires_python=">=3.20")],
            "index",
            "no release of pkg can be tested (1 no-supported-python)",
            id="requires-python-of-the-release",
        ),
    ],
)
def test_a_suite_with_nothing_to_test_says_why(
    the_suite: Any, releases: list[Release], cause: str, reason: str
) -> None:
    selection = select(the_suite, *releases).selection
    assert selection.picks == ()
    assert selection.nothing is not None
    assert (selection.nothing.cause, selection.nothing.reason) == (cause, reason)
    assert selection.warnings[-1] == reason


def test_a_suite_with_picks_has_nothing_to_explain() -> None:
    assert select(suite(), release("1.0")).selection.nothing is None
