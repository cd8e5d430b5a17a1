"""The Python-support rule (compatrix._support): every rule, and the evidence it gives.

docs/selection.md ("Which Pythons a release supports") states the rule these tables
follow; every kind of finding, and its text, appears in :data:`CASES`.
"""

# Evidence joins ranges with an en dash (U+2013): the expected strings do too.
# ruff: noqa: RUF001

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any, get_args

import pytest
from packaging.specifiers import SpecifierSet
from tests.selection._build import RECENT, UTC, classifiers, py, pys, release

from compatrix._config import PythonRule
from compatrix._config import admits as every_patch
from compatrix._lock._facts import Release
from compatrix._pythons import PythonVersion
from compatrix._support import (
    TEXTS,
    Evidence,
    Finding,
    FindingKind,
    Probed,
    PythonVerdict,
    Support,
    SupportRule,
    evidence,
    lead,
    verdicts,
)

OLD = datetime(2019, 5, 1, tzinfo=UTC)
"""Before 3.8's first beta (2019-06-04)."""

PY2_CLASSIFIERS = (
    "Programming Language :: Python :: 2",
    "Programming Language :: Python :: 2.6",
    "Programming Language :: Python :: 2.7",
)


def _rule(restriction: str | None, versions: str | None = None) -> PythonRule | None:
    if restriction is None:
        return None
    return PythonRule(
        versions=SpecifierSet(versions) if versions is not None else None,
        pythons=SpecifierSet(restriction),
        key=versions or "python",
    )


def _judge(
    rel: Release,
    *,
    pythons: str = "3.8-3.14",
    free_threaded: str = "3.14",
    restriction: str | None = None,
    restricted_versions: str | None = None,
    since: date | None = None,
    recorded: Evidence | None = None,
) -> Support:
    rule = SupportRule(pys(pythons), pys(free_threaded))
    python_rule = _rule(restriction, restricted_versions)
    restricted = rule.restriction(python_rule) if python_rule is not None else None
    return rule.judge(rel, restricted, since=since, evidence=recorded)


def _verdicts(rel: Release, **options: Any) -> dict[str, tuple[bool, tuple[str, ...]]]:
    found = verdicts(_judge(rel, **options), uploaded=rel.uploaded, since=options.get("since"))
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
    pytest.param(
        release("1.0", sdist=True, wheels=[]),
        {"pythons": "3.12", "free_threaded": ""},
        "3.12",
        {"3.12": "sdist"},
        id="sdist-only",
    ),
    pytest.param(
        release("1.0", metadata_status="unavailable"),
        {"pythons": "3.12", "free_threaded": ""},
        "3.12",
        {"3.12": "metadata unavailable: classifiers unknown"},
        id="metadata-unavailable-classifiers-unknown",
    ),
    pytest.param(
        release("1.0", wheels=["py2-none"], classifiers=PY2_CLASSIFIERS),
        {"pythons": "3.12", "free_threaded": ""},
        "",
        {"3.12": "classifiers declare Python 2.6–2.7 only"},
        id="python-2-only-classifiers",
    ),
    pytest.param(
        release(
            "1.8.19",
            uploaded=datetime(2020, 2, 3, tzinfo=UTC),
            classifiers=classifiers("3.2", "3.3", "3.4", "3.5"),
        ),
        {"pythons": "3.6-3.8", "free_threaded": "", "since": date(2015, 4, 1)},
        "",
        {
            "3.6": (
                "classifiers list only 3.2–3.5, current when this minor came out "
                "(2015-04-01): trusted"
            )
        },
        id="classifiers-current-when-the-minor-came-out-are-trusted",
    ),
    pytest.param(
        release("1.0"),
        {"restriction": "<3.13"},
        "3.8-3.12",
        {"3.12": "suite restriction '<3.13' admits 3.12"},
        id="suite-restriction-admits",
    ),
    pytest.param(
        release("0.9"),
        {"restriction": "<3.13", "restricted_versions": "<1"},
        "3.8-3.12",
        {
            "3.12": "suite restriction '<3.13' (for versions '<1') admits 3.12",
            "3.13": "suite restriction '<3.13' (for versions '<1') excludes 3.13",
        },
        id="suite-restriction-for-some-versions",
    ),
    pytest.param(
        release("1.0"),
        {},
        "3.8-3.14 3.14t",
        {"3.14t": "3.14 is supported"},
        id="free-threaded-build-of-a-supported-python",
    ),
    pytest.param(
        release("1.0", uploaded=OLD, requires_python=">=3.7"),
        {
            "pythons": "3.7-3.9",
            "recorded": Evidence(probes=(Probed(py("3.8"), True, date(2026, 12, 3)),)),
        },
        "3.7 3.8",
        {
            "3.8": (
                "probed 2026-12-03: imports on 3.8 (outweighs: uploaded 2019-05-01, before "
                "3.8's first beta 2019-06-04)"
            ),
            "3.9": "uploaded 2019-05-01, before 3.9's first beta 2020-05-18",
        },
        id="a-probe-that-imports-outweighs-the-upload-date",
    ),
    pytest.param(
        release("1.0", requires_python=">=3.7"),
        {
            "pythons": "3.7-3.9",
            "recorded": Evidence(
                probes=(Probed(py("3.8"), False, date(2026, 12, 3), "No module named 'imp'"),)
            ),
        },
        "3.7 3.9",
        {"3.8": "probed 2026-12-03: does not install or import on 3.8 (No module named 'imp')"},
        id="a-probe-that-fails-rules-the-python-out",
    ),
    pytest.param(
        release("1.0", uploaded=RECENT, requires_python=">=3.7"),
        {
            "pythons": "3.7-3.9",
            "recorded": Evidence(
                probes=(
                    Probed(py("3.8"), False, date(2026, 12, 3), "import x", inferred_from="1.2"),
                )
            ),
        },
        "3.7 3.9",
        {
            "3.8": (
                "probed 1.2 on 2026-12-03: does not install or import on 3.8 (import x), "
                "older patches assumed the same"
            )
        },
        id="a-newer-patchs-failed-probe-rules-the-python-out",
    ),
    pytest.param(
        release("1.0", uploaded=OLD, requires_python=">=3.7"),
        {"pythons": "3.7-3.9", "recorded": Evidence(added=((py("3.9"), "checked by hand"),))},
        "3.7 3.9",
        {
            "3.9": (
                "added back by the suite's add-python: checked by hand (outweighs: uploaded "
                "2019-05-01, before 3.9's first beta 2020-05-18)"
            )
        },
        id="add-python-outweighs-the-upload-date",
    ),
    pytest.param(
        release("1.0", requires_python="<3.9"),
        {"pythons": "3.7-3.9", "recorded": Evidence(added=((py("3.9"), "checked by hand"),))},
        "3.7 3.8",
        {"3.9": "Requires-Python '<3.9' excludes 3.9"},
        id="add-python-does-not-outweigh-requires-python",
    ),
]


@pytest.mark.parametrize(("rel", "options", "supported", "evidence"), CASES)
def test_python_verdicts(
    rel: Release, options: dict[str, Any], supported: str, evidence: dict[str, str]
) -> None:
    found = _verdicts(rel, **options)
    assert {p for p, (ok, _) in found.items() if ok} == {str(p) for p in pys(supported)}
    for python, line in evidence.items():
        assert line in found[python][1], found[python][1]


def test_the_cases_cover_every_kind_of_finding() -> None:
    seen: set[str] = set()
    for case in CASES:
        rel, options, _, _ = case.values
        for python in _judge(rel, **options).pythons:
            for finding in python.findings:
                seen.add(finding.kind)
                if finding.cause is not None:
                    seen.add(finding.cause.kind)
    # Selection adds these from the lock's resolutions (tests/selection).
    assert seen == set(get_args(FindingKind)) - {"not-installable", "needs-build"}


def test_every_kind_of_finding_has_one_strength() -> None:
    strengths: dict[str, set[str]] = {}
    for case in CASES:
        rel, options, _, _ = case.values
        for python in _judge(rel, **options).pythons:
            for finding in python.findings:
                strengths.setdefault(finding.kind, set()).add(finding.strength)
    assert {kind: len(found) for kind, found in strengths.items() if len(found) != 1} == {}


def test_every_kind_of_finding_has_words() -> None:
    assert set(TEXTS) == set(get_args(FindingKind))
    cause = Finding("pure-wheel", "for")
    for kind in get_args(FindingKind):
        finding = Finding(kind, "against", "S", "W", date(2020, 1, 1), cause=cause)
        text = evidence(finding, py("3.14t"), uploaded=date(2019, 1, 1), since=date(2018, 1, 1))
        assert text
        assert "None" not in text


def test_a_python_is_supported_when_no_finding_is_against_it() -> None:
    for case in CASES:
        rel, options, _, _ = case.values
        for python in _judge(rel, **options).pythons:
            against = [f for f in python.findings if f.strength == "against"]
            assert python.supported is not against, (case.id, python)


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


def test_evidence_is_against_then_for_then_notes_then_the_restriction() -> None:
    rel = release(
        "1.0",
        uploaded=OLD,
        requires_python=">=3.6.*",
        sdist=False,
        wheels=["cp37-cp37m", "cp38-cp38"],
        classifiers=classifiers("3.7"),
    )
    found = _verdicts(rel, pythons="3.7-3.9", free_threaded="", restriction=">=3.7")
    assert found["3.8"] == (
        True,
        (
            "wheel cp38-cp38",
            "Requires-Python '>=3.6.*' is invalid: ignored",
            (
                "uploaded 2019-05-01, before 3.8's first beta 2019-06-04, "
                "but wheel cp38-cp38 targets 3.8"
            ),
            "classifiers list 3.7, but wheel cp38-cp38 targets 3.8",
            "suite restriction '>=3.7' admits 3.8",
        ),
    )
    assert found["3.9"] == (
        False,
        (
            "only binary wheels for cp37–cp38",
            "uploaded 2019-05-01, before 3.9's first beta 2020-05-18",
            "classifiers list 3.7, not 3.9",
            "Requires-Python '>=3.6.*' is invalid: ignored",
            "suite restriction '>=3.7' admits 3.9",
        ),
    )


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
    rel = release("1.0")
    support = SupportRule([py("3.14")], [py("3.14t")]).judge(rel)
    assert [str(v.python) for v in verdicts(support, uploaded=rel.uploaded, since=None)] == [
        "3.14",
        "3.14t",
    ]
    assert support.supported == (py("3.14"), py("3.14t"))
    assert support.any_regular


def test_tested_pythons_are_marked() -> None:
    rel = release("1.0")
    support = SupportRule(pys("3.12-3.14"), pys("3.14t")).judge(rel)
    found = verdicts(support, uploaded=rel.uploaded, since=None, tested=pys("3.12 3.14 3.14t"))
    assert [(str(v.python), v.tested) for v in found] == [
        ("3.12", True),
        ("3.13", False),
        ("3.14", True),
        ("3.14t", True),
    ]


def test_lead_is_the_strongest_evidence() -> None:
    rel = release("1.0", uploaded=OLD, requires_python=">=3.7")
    support = SupportRule(pys("3.7-3.8"), ()).judge(rel)
    assert [lead(p, uploaded=rel.uploaded, since=None) for p in support.pythons] == [
        "Requires-Python '>=3.7' admits 3.7",
        "uploaded 2019-05-01, before 3.8's first beta 2019-06-04",
    ]
    verdict = PythonVerdict(python=py("3.8"), supported=False, tested=False, evidence=())
    assert verdict.lead == "unsupported"


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
    assert _judge(rel, pythons="3.6-3.8", free_threaded="").any_regular is not python2_only


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
    support = _judge(rel, pythons="3.6-3.8", free_threaded="", since=minor_since)
    found = verdicts(support, uploaded=rel.uploaded, since=minor_since)
    assert support.any_regular is not trusted
    if trusted:
        assert [v.supported for v in found] == [False, False, False]
        assert found[0].evidence[0] == "classifiers list 3.2–3.5, not 3.6"
        assert found[0].evidence[-1] == (
            f"classifiers list only 3.2–3.5, current when this minor came out "
            f"({minor_since}): trusted"
        )
    else:
        assert [v.supported for v in found] == [True, True, True]
        assert found[0].evidence[-1] == "classifiers list only 3.2–3.5: ignored as stale"


def test_classifiers_narrow_before_the_suite_restriction() -> None:
    """Classifiers rule out 3.11 and 3.12, the restriction rules out 3.10: none is left."""
    rel = release("1.0", classifiers=classifiers("3.10"))
    assert _judge(rel, pythons="3.10-3.12", free_threaded="").supported == pys("3.10")
    support = _judge(rel, pythons="3.10-3.12", free_threaded="", restriction=">=3.11")
    assert not support.any_regular
    assert (
        lead(support.pythons[-1], uploaded=rel.uploaded, since=None)
        == "classifiers list 3.10, not 3.12"
    )


# --- what the rule remembers ------------------------------------------------------------


def _judged_by_one_rule(*releases: Release, since: date | None = None) -> list[tuple[str, ...]]:
    """The evidence for 3.8 of each release, all judged by one rule (one memo)."""
    rule = SupportRule(pys("3.7-3.8"), ())
    out = []
    for rel in releases:
        support = rule.judge(rel, since=since)
        (verdict,) = (
            v
            for v in verdicts(support, uploaded=rel.uploaded, since=since)
            if v.python == py("3.8")
        )
        out.append(verdict.evidence)
    return out


@pytest.mark.parametrize(
    ("releases", "expected"),
    [
        pytest.param(
            [
                release("1.0", uploaded=datetime(2019, 6, 3, 23, 59, tzinfo=UTC)),
                release("1.1", uploaded=datetime(2019, 6, 4, 0, 0, tzinfo=UTC)),
            ],
            [
                ("uploaded 2019-06-03, before 3.8's first beta 2019-06-04", "pure-Python wheel"),
                ("pure-Python wheel",),
            ],
            id="upload-days-either-side-of-a-first-beta",
        ),
        pytest.param(
            [
                release("1.0", uploaded=OLD),
                release("1.1", uploaded=datetime(2019, 5, 20, tzinfo=UTC)),
            ],
            [
                ("uploaded 2019-05-01, before 3.8's first beta 2019-06-04", "pure-Python wheel"),
                ("uploaded 2019-05-20, before 3.8's first beta 2019-06-04", "pure-Python wheel"),
            ],
            id="each-release-quotes-its-own-upload-day",
        ),
        pytest.param(
            [
                release("1.0", metadata_status="no-wheel"),
                release("1.1", metadata_status="unavailable"),
                release("1.2"),
            ],
            [
                ("pure-Python wheel", "no wheel: classifiers unknown"),
                ("pure-Python wheel", "metadata unavailable: classifiers unknown"),
                ("pure-Python wheel",),
            ],
            id="why-the-classifiers-are-unknown",
        ),
        pytest.param(
            [
                release("1.0", requires_python=" "),
                release(
                    "1.1", requires_python=" ", classifiers=[], metadata_requires_python="<3.8"
                ),
            ],
            [
                ("pure-Python wheel",),
                (
                    "Requires-Python '<3.8' excludes 3.8",
                    "pure-Python wheel",
                    "no Python 3.X classifiers",
                ),
            ],
            id="a-blank-requires-python-leaves-it-to-the-metadata",
        ),
    ],
)
def test_releases_are_told_apart_by_every_deciding_fact(
    releases: list[Release], expected: list[tuple[str, ...]]
) -> None:
    assert _judged_by_one_rule(*releases) == expected


def test_the_trusted_note_quotes_each_minors_first_upload() -> None:
    rule = SupportRule(pys("3.6"), ())
    rel = release("1.8.19", classifiers=classifiers("3.5"))
    for since in (date(2015, 4, 1), date(2016, 1, 1)):
        (verdict,) = verdicts(rule.judge(rel, since=since), uploaded=rel.uploaded, since=since)
        assert verdict.evidence[-1] == (
            f"classifiers list only 3.5, current when this minor came out ({since}): trusted"
        )


def test_a_suite_restriction_is_part_of_the_answer() -> None:
    rule = SupportRule(pys("3.8-3.9"), ())
    rel = release("1.0")
    assert rule.judge(rel).supported == pys("3.8-3.9")
    at_least = rule.restriction(PythonRule(versions=None, pythons=SpecifierSet(">=3.9")))
    assert at_least.admits == frozenset(pys("3.9"))
    assert at_least.text == "suite restriction '>=3.9'"
    assert rule.judge(rel, at_least).supported == pys("3.9")
    below_one = rule.restriction(
        PythonRule(versions=SpecifierSet("<1"), pythons=SpecifierSet(">=3.9"), key="<1")
    )
    assert below_one.text == "suite restriction '>=3.9' (for versions '<1')"
    assert rule.judge(rel, below_one).supported == pys("3.9")
    assert rule.judge(rel).supported == pys("3.8-3.9")


# --- Requires-Python: admits ----------------------------------------------------------------


def test_requires_python_admits_a_python_when_it_admits_any_of_its_releases() -> None:
    """The rule asks a few patch levels where ``admits`` of the config asks every 3.X.0 ..
    3.X.30: the answers are the same."""
    rules = {minor: SupportRule([PythonVersion(3, minor)], ()) for minor in (7, 8, 9, 12)}
    rng = random.Random(42)
    operators = ["==", "!=", "<", "<=", ">", ">=", "~=", "==*"]
    suffixes = ["", "rc1", ".post1", ".1", "a2", ".dev0"]
    for _ in range(3000):
        clauses = []
        for _ in range(rng.randint(1, 3)):
            op = rng.choice(operators)
            minor = rng.choice([7, 8, 9, 12])
            patch = rng.choice([None, 0, 1, 5, 29, 30, 31])
            version = f"3.{minor}" + (f".{patch}" if patch is not None else "")
            if op == "==*":
                clauses.append(f"=={version}.*")
            elif op == "~=" and patch is None:
                clauses.append(f"~={version}")
            else:
                clauses.append(f"{op}{version}{rng.choice(suffixes) if op != '~=' else ''}")
        text = ",".join(clauses)
        try:
            specifier = SpecifierSet(text)
        except ValueError:
            continue
        for minor, rule in rules.items():
            support = rule.judge(release("1.0", requires_python=text))
            expected = every_patch(specifier, PythonVersion(3, minor))
            assert support.any_regular == expected, (text, minor)
