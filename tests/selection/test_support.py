"""Which Pythons a release supports, and the evidence (compatrix._support)."""

# Evidence joins ranges with an en dash (U+2013): the expected strings do too.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import date, datetime

import pytest
from packaging.specifiers import SpecifierSet

from compatrix._config._model import PythonRule
from compatrix._lock._facts import Release
from compatrix._support import SupportCache, python_verdicts

from ._build import RECENT, UTC, classifiers, facts, picked, py, pys, release, select, suite

OLD = datetime(2019, 5, 1, tzinfo=UTC)
"""Before 3.8's first beta (2019-06-04)."""


def _verdicts(
    rel: Release,
    pythons: str = "3.8-3.14",
    free_threaded: str = "3.14",
    restriction: str | None = None,
) -> dict[str, tuple[bool, tuple[str, ...]]]:
    rule = PythonRule(versions=None, pythons=SpecifierSet(restriction)) if restriction else None
    found = python_verdicts(
        rel, pythons=pys(pythons), free_threaded=pys(free_threaded), restriction=rule
    )
    assert all(not v.tested for v in found)
    assert [v.python for v in found] == sorted(v.python for v in found)
    return {str(v.python): (v.supported, v.evidence) for v in found}


CASES = [
    pytest.param(
        release("1.0", requires_python=">=3.10"),
        {},
        "3.10-3.14 3.14t",
        {
            "3.9": "Requires-Python '>=3.10' excludes 3.9",
            "3.10": "Requires-Python '>=3.10' admits 3.10",
        },
        id="requires-python-lower-bound",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.8.1"),
        {},
        "3.8-3.14 3.14t",
        {"3.8": "Requires-Python '>=3.8.1' admits 3.8"},
        id="requires-python-patch-bound-admits-the-feature-version",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.8,<3.11"),
        {},
        "3.8-3.10",
        {
            "3.11": "Requires-Python '>=3.8,<3.11' excludes 3.11",
            "3.14t": "3.14 is not supported: Requires-Python '>=3.8,<3.11' excludes 3.14",
        },
        id="requires-python-upper-bound",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.6.*"),
        {},
        "3.8-3.14 3.14t",
        {"3.8": "Requires-Python '>=3.6.*' is invalid: ignored"},
        id="invalid-requires-python-is-ignored",
    ),
    pytest.param(
        release("1.0", classifiers=[], metadata_requires_python=">=3.12"),
        {},
        "3.12-3.14 3.14t",
        {"3.11": "Requires-Python '>=3.12' excludes 3.11"},
        id="requires-python-from-metadata-when-the-page-has-none",
    ),
    pytest.param(
        release(
            "1.0",
            sdist=False,
            wheels=["cp38-cp38", "cp39-cp39", "cp310-cp310", "cp311-cp311"],
        ),
        {},
        "3.8-3.11",
        {
            "3.12": "only binary wheels for cp38–cp311",
            "3.9": "wheel cp39-cp39",
        },
        id="binary-only-wheels",
    ),
    pytest.param(
        release("1.0", sdist=True, wheels=["cp38-cp38", "cp39-cp39"]),
        {},
        "3.8-3.14",
        {
            "3.12": "sdist (no wheel for it)",
            "3.14t": "no free-threaded (cp314t) or pure-Python wheel",
        },
        id="binary-wheels-with-sdist-install-everywhere",
    ),
    pytest.param(
        release("1.0", sdist=False, wheels=["cp39-abi3"]),
        {},
        "3.9-3.14",
        {
            "3.8": "only binary wheels for cp39-abi3",
            "3.13": "abi3 wheel cp39-abi3",
            "3.14t": "no free-threaded (cp314t) or pure-Python wheel",
        },
        id="abi3-wheel-covers-newer-pythons-not-free-threaded",
    ),
    pytest.param(
        release("1.0", sdist=False, wheels=["cp313-cp313", "cp314-cp314", "cp314-cp314t"]),
        {},
        "3.13 3.14 3.14t",
        {
            "3.14t": "free-threaded wheel cp314-cp314t",
            "3.12": "only binary wheels for cp313–cp314, cp314t",
        },
        id="free-threaded-wheel",
    ),
    pytest.param(
        release("1.0", sdist=False, wheels=["py3-none"]),
        {},
        "3.8-3.14 3.14t",
        {"3.14t": "pure-Python wheel", "3.8": "pure-Python wheel"},
        id="pure-python-wheel-also-free-threaded",
    ),
    pytest.param(
        release("1.0", sdist=False, wheels=["py2.py3-none"]),
        {},
        "3.8-3.14 3.14t",
        {"3.10": "pure-Python wheel"},
        id="compressed-tag-set",
    ),
    pytest.param(
        release("1.0", sdist=False, wheels=["py2-none"]),
        {},
        "",
        {"3.8": "no sdist and no wheel for 3.8 (wheels: py2-none)"},
        id="python-2-only-wheel",
    ),
    pytest.param(
        release("1.0", sdist=False, wheels=[], files=1),
        {},
        "",
        {"3.8": "no sdist or wheel"},
        id="nothing-installable",
    ),
    pytest.param(
        release("1.0", sdist=False, wheels=["cp315-abi3", "cp315-abi3t"]),
        {"pythons": "3.14-3.15", "free_threaded": "3.14 3.15"},
        "3.15 3.15t",
        {
            "3.15t": "abi3t wheel cp315-abi3t",
            "3.14t": "3.14 is not supported: only binary wheels for cp315-abi3, cp315-abi3t",
        },
        id="abi3t-wheel-for-free-threaded-3.15",
    ),
    pytest.param(
        release("1.0", uploaded=OLD, requires_python=">=3.7"),
        {"pythons": "3.7-3.9"},
        "3.7",
        {"3.8": "uploaded 2019-05-01, before 3.8's first beta 2019-06-04"},
        id="uploaded-before-first-beta",
    ),
    pytest.param(
        release("1.0", uploaded=OLD, wheels=["cp37-cp37m", "cp38-cp38"]),
        {"pythons": "3.7-3.9"},
        "3.7 3.8",
        {
            "3.8": (
                "uploaded 2019-05-01, before 3.8's first beta 2019-06-04, "
                "but wheel cp38-cp38 targets 3.8"
            )
        },
        id="date-cap-lifted-by-an-exact-wheel",
    ),
    pytest.param(
        release("1.0", uploaded=OLD, classifiers=classifiers("3.7", "3.8")),
        {"pythons": "3.7-3.9"},
        "3.7 3.8",
        {
            "3.8": (
                "uploaded 2019-05-01, before 3.8's first beta 2019-06-04, "
                "but its classifiers list 3.8"
            )
        },
        id="date-cap-lifted-by-a-classifier",
    ),
    pytest.param(
        release("1.0", uploaded=None),
        {"pythons": "3.7-3.9"},
        "3.7-3.9",
        {"3.9": "pure-Python wheel"},
        id="unknown-upload-time-gives-no-date-evidence",
    ),
    pytest.param(
        release(
            "1.0", requires_python=">=3.8", classifiers=classifiers("3.8", "3.9", "3.10", "3.11")
        ),
        {},
        "3.8-3.11",
        {"3.12": "classifiers list 3.8–3.11, not 3.12", "3.11": "classifier 3.11"},
        id="classifiers-cap-newer-pythons",
    ),
    pytest.param(
        release(
            "1.0",
            sdist=False,
            wheels=["cp311-cp311", "cp312-cp312"],
            classifiers=classifiers("3.11"),
        ),
        {},
        "3.11 3.12",
        {"3.12": "classifiers list 3.11, but wheel cp312-cp312 targets 3.12"},
        id="exact-wheel-beats-classifiers",
    ),
    pytest.param(
        release("1.0", classifiers=classifiers("3.10", "3.11", "3.12")),
        {},
        "3.10-3.12",
        {"3.9": "classifiers list 3.10–3.12, not 3.9"},
        id="classifiers-floor-without-requires-python",
    ),
    pytest.param(
        release("1.0", classifiers=classifiers("2.7", "3.10", "3.11", "3.12")),
        {},
        "3.10-3.12",
        {"3.9": "classifiers list 3.10–3.12, not 3.9"},
        id="python-2-classifiers-do-not-lower-the-floor",
    ),
    pytest.param(
        release("1.0", classifiers=classifiers("2.7")),
        {"pythons": "3.12"},
        "3.12",
        {"3.12": "no Python 3.X classifiers"},
        id="python-2-classifiers-only",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.8", classifiers=classifiers("3.10", "3.11", "3.12")),
        {},
        "3.8-3.12",
        {"3.9": "classifiers list 3.10–3.12; Requires-Python decides 3.9"},
        id="requires-python-beats-the-classifiers-floor",
    ),
    pytest.param(
        release("1.0", classifiers=classifiers("3.8", "3.10")),
        {"pythons": "3.8-3.10"},
        "3.8-3.10",
        {"3.9": "classifiers list 3.8–3.10"},
        id="classifier-gap-is-not-a-hole",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.5", classifiers=classifiers("3.5", "3.6", "3.7")),
        {"pythons": "3.8-3.12"},
        "3.8-3.12",
        {"3.10": "classifiers list only 3.5–3.7: ignored as stale"},
        id="stale-classifiers-are-ignored",
    ),
    pytest.param(
        release(
            "1.0",
            requires_python=">=3.5",
            uploaded=datetime(2021, 1, 1, tzinfo=UTC),
            classifiers=classifiers("3.5", "3.6", "3.7", "3.8"),
        ),
        {"pythons": "3.8-3.11"},
        "3.8",
        {
            "3.9": "classifiers list 3.5–3.8, not 3.9",
            "3.10": "uploaded 2021-01-01, before 3.10's first beta 2021-05-03",
        },
        id="classifiers-narrow-but-never-empty",
    ),
    pytest.param(
        release("1.0", metadata_status="no-wheel", sdist=True, wheels=[]),
        {"pythons": "3.12"},
        "3.12",
        {"3.12": "no wheel: classifiers unknown"},
        id="no-wheel-classifiers-unknown",
    ),
    pytest.param(
        release("1.0"),
        {"restriction": "<3.13"},
        "3.8-3.12",
        {
            "3.13": "suite restriction '<3.13' excludes 3.13",
            "3.14t": "3.14 is not supported: suite restriction '<3.13' excludes 3.14",
        },
        id="suite-restriction",
    ),
    pytest.param(
        release("1.0"),
        {"free_threaded": "3.13"},
        "3.8-3.14 3.13t",
        {"3.13t": "pure-Python wheel"},
        id="free-threaded-only-for-listed-versions",
    ),
    pytest.param(
        release("1.0"),
        {"pythons": "3.8-3.13", "free_threaded": "3.14"},
        "3.8-3.13",
        {},
        id="free-threaded-build-outside-the-range-is-left-out",
    ),
]


@pytest.mark.parametrize(("rel", "options", "supported", "evidence"), CASES)
def test_python_verdicts(
    rel: Release, options: dict[str, str], supported: str, evidence: dict[str, str]
) -> None:
    found = _verdicts(rel, **options)
    assert {p for p, (ok, _) in found.items() if ok} == {str(p) for p in pys(supported)}
    for python, line in evidence.items():
        assert line in found[python][1], found[python][1]


def test_every_project_python_gets_a_verdict() -> None:
    found = _verdicts(release("1.0", requires_python=">=3.20"), pythons="3.8-3.14")
    assert list(found) == ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"]
    assert not any(ok for ok, _ in found.values())


@pytest.mark.parametrize(
    ("restriction", "supported"),
    [
        pytest.param(">3.7", "3.8-3.14", id="greater-than-leaves-the-version-out"),
        pytest.param("!=3.9", "3.7 3.8 3.10-3.14", id="not-equal-leaves-the-version-out"),
        pytest.param("<=3.11", "3.7-3.11", id="less-or-equal-keeps-the-version"),
        pytest.param(">=3.8.1", "3.9-3.14", id="patch-level-bound-is-a-feature-version"),
    ],
)
def test_suite_restriction_names_feature_versions(restriction: str, supported: str) -> None:
    """A restriction in the config is matched against the feature version itself, unlike
    Requires-Python, which admits a feature version when it admits any of its releases."""
    found = _verdicts(release("1.0"), pythons="3.7-3.14", restriction=restriction)
    assert [p for p, (ok, _) in found.items() if ok and "t" not in p] == [
        str(p) for p in pys(supported)
    ]


def test_requires_python_admits_a_feature_version_by_any_release() -> None:
    found = _verdicts(release("1.0", requires_python=">=3.8.1"), pythons="3.8-3.9")
    assert found["3.8"] == (True, ("Requires-Python '>=3.8.1' admits 3.8", "pure-Python wheel"))


def test_excluding_evidence_comes_first() -> None:
    found = _verdicts(release("1.0", requires_python=">=3.9"), restriction=">=3.8")
    assert found["3.8"][1][0] == "Requires-Python '>=3.9' excludes 3.8"
    found = _verdicts(release("1.0", requires_python=">=3.8"), restriction=">=3.9")
    assert found["3.8"][1][0] == "suite restriction '>=3.9' excludes 3.8"


def test_free_threaded_build_follows_its_feature_version() -> None:
    rel = release("1.0", sdist=False, wheels=["cp314-cp314t"])
    found = _verdicts(rel, pythons="3.14", free_threaded="3.14")
    # Only a free-threaded wheel: the regular build cannot install it, so neither is tested.
    assert found["3.14"][0] is False
    assert found["3.14t"] == (False, ("3.14 is not supported: only binary wheels for cp314t",))


def test_date_cap_uses_the_cpython_table_only_for_known_pythons() -> None:
    found = _verdicts(release("1.0", uploaded=OLD), pythons="3.16", free_threaded="")
    assert found["3.16"][0] is True


def test_recent_release_has_no_date_evidence() -> None:
    found = _verdicts(release("1.0", uploaded=RECENT), pythons="3.14", free_threaded="")
    assert not any("uploaded" in line for line in found["3.14"][1])


def test_verdict_python_objects() -> None:
    found = python_verdicts(
        release("1.0"), pythons=[py("3.14")], free_threaded=[py("3.14t")], restriction=None
    )
    assert [str(v.python) for v in found] == ["3.14", "3.14t"]


PY2_CLASSIFIERS = (
    "Programming Language :: Python :: 2",
    "Programming Language :: Python :: 2.6",
    "Programming Language :: Python :: 2.7",
)


@pytest.mark.parametrize(
    ("classifier_list", "wheels", "python2_only"),
    [
        pytest.param(PY2_CLASSIFIERS, ("py2-none",), True, id="python-2-only"),
        pytest.param(
            ("Programming Language :: Python :: 2 :: Only",), (), True, id="two-only-classifier"
        ),
        pytest.param(
            (*PY2_CLASSIFIERS, "Programming Language :: Python :: 3"),
            ("py2-none",),
            False,
            id="also-says-python-3",
        ),
        pytest.param(PY2_CLASSIFIERS, ("py2-none", "py3-none"), False, id="python-3-wheel"),
        pytest.param(("Programming Language :: Python",), ("py2-none",), False, id="no-versions"),
    ],
)
def test_python_2_only_releases_support_no_python_3(
    classifier_list: tuple[str, ...], wheels: tuple[str, ...], python2_only: bool
) -> None:
    rel = release("3.2.18", sdist=True, wheels=wheels, classifiers=classifier_list)
    found = _verdicts(rel, pythons="3.6-3.8", free_threaded="")
    if python2_only:
        assert all(not ok for ok, _ in found.values())
        evidence = found["3.6"][1][0]
        assert evidence.startswith("classifiers declare Python 2") and evidence.endswith("only")
    else:
        assert all(ok for ok, _ in found.values())
    # The quick eligibility check agrees with the verdicts.
    judge = SupportCache().judge(pys("3.6-3.8"), ())
    assert judge.supports_any(rel, None) is not python2_only


def test_python_2_only_release_is_skipped_as_a_candidate() -> None:
    old = release("3.2.18", wheels=("py2-none",), classifiers=PY2_CLASSIFIERS)
    new = release("4.0.0", classifiers=classifiers("3.6", "3.7", "3.8"))
    selection = select(suite(num_versions=2), old, new)
    assert picked(selection) == ["4.0.0"]
    (first,) = [c for c in selection.considered if c.version == "3.2.18"]
    assert first.reason == "no-supported-python"
    assert "classifiers declare Python 2.6\u20132.7 only" in first.detail


def test_a_minor_whose_newest_patch_is_ruled_out_by_metadata_has_no_candidate() -> None:
    """Older patches without metadata do not stand in for a newest patch its metadata
    rules out (else each update would walk the patches down one request at a time)."""
    py2 = {"wheels": ("py2-none",), "sdist": True}
    releases = [
        release("3.8.16", **py2),
        release("3.8.17", **py2),
        release("3.8.18", classifiers=PY2_CLASSIFIERS, **py2),
        release("3.9.0", classifiers=classifiers("3.6")),
    ]
    selection = select(suite(num_versions=2), *releases)
    assert picked(selection) == ["3.9.0"]
    reasons = {c.version: (c.reason, c.detail) for c in selection.considered}
    assert reasons["3.8.17"] == (
        "no-supported-python",
        "3.8.18, a newer patch, supports none of the project's Pythons by its metadata",
    )
    assert reasons["3.8.16"][0] == "no-supported-python"


def test_metadata_is_read_ahead_once_a_release_was_ruled_out_by_its_own() -> None:
    from compatrix._selection._select import READ_AHEAD, metadata_wanted

    py2 = release("1.0.0", wheels=("py2-none",), classifiers=PY2_CLASSIFIERS)
    later = [release(f"{minor}.0.0") for minor in range(2, 14)]
    facts_with_one_ruled_out = facts(py2, *later)
    selection = select(suite(num_versions=2, each_major=False), py2, *later)
    assert picked(selection) == ["2.0.0", "13.0.0"]
    wanted = metadata_wanted(selection, facts_with_one_ruled_out)
    assert wanted[:2] == ("2.0.0", "13.0.0")  # the picks first
    assert wanted[2:] == tuple(f"{minor}.0.0" for minor in range(3, 3 + READ_AHEAD))

    # Nothing ruled out by metadata: only the picks are wanted.
    plain = select(suite(num_versions=2, each_major=False), *later)
    assert metadata_wanted(plain, facts(*later)) == ("2.0.0", "13.0.0")


@pytest.mark.parametrize(
    ("minor_since", "trusted"),
    [
        # 3.6 came out 2016-12-23: a minor from 2015 listing up to 3.5 was current.
        pytest.param(date(2015, 4, 1), True, id="current-when-the-minor-came-out"),
        pytest.param(date(2017, 12, 22), True, id="within-a-year-of-the-next-python"),
        pytest.param(date(2017, 12, 24), False, id="a-year-after-the-next-python"),
        pytest.param(None, False, id="first-upload-unknown"),
    ],
)
def test_classifiers_that_rule_out_every_python_are_trusted_when_current(
    minor_since: date | None, trusted: bool
) -> None:
    # A maintenance release uploaded in 2020 whose classifiers end at 3.5.
    rel = release(
        "1.8.19",
        uploaded=datetime(2020, 2, 3, tzinfo=UTC),
        classifiers=classifiers("3.2", "3.3", "3.4", "3.5"),
    )
    found = python_verdicts(
        rel, pythons=pys("3.6-3.8"), free_threaded=(), restriction=None, since=minor_since
    )
    supported = [v.supported for v in found]
    judge = SupportCache().judge(pys("3.6-3.8"), ())
    assert judge.supports_any(rel, None, since=minor_since) is not trusted
    if trusted:
        assert supported == [False, False, False]
        assert found[0].evidence[0] == "classifiers list 3.2\u20133.5, not 3.6"
        assert found[0].evidence[-1] == (
            f"classifiers list only 3.2\u20133.5, current when this minor came out "
            f"({minor_since}): trusted"
        )
    else:
        assert supported == [True, True, True]
        assert found[0].evidence[-1] == "classifiers list only 3.2\u20133.5: ignored as stale"
