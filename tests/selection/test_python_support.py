"""Python support in selection: releases that support none of the project's Pythons, and
the evidence a pick carries (compatrix._selection)."""

# Evidence joins ranges with an en dash (U+2013): the expected strings do too.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import datetime

import pytest

from compatrix._lock._facts import Release
from compatrix._selection._model import pick_verdicts

from ._build import UTC, classifiers, considered, picked, py, release, select, suite

PY2_CLASSIFIERS = (
    "Programming Language :: Python :: 2",
    "Programming Language :: Python :: 2.6",
    "Programming Language :: Python :: 2.7",
)


@pytest.mark.parametrize(
    ("rel", "options", "detail"),
    [
        pytest.param(
            release("1.0", requires_python=">=3.20"),
            {},
            "3.8: Requires-Python '>=3.20' excludes 3.8; "
            "3.14: Requires-Python '>=3.20' excludes 3.14",
            id="the-oldest-and-the-newest-python",
        ),
        pytest.param(
            release("1.0", requires_python=">=3.20"),
            {"pythons": "3.12", "free_threaded": ""},
            "3.12: Requires-Python '>=3.20' excludes 3.12",
            id="one-python",
        ),
        pytest.param(
            release("1.0"),
            {"pythons": "", "free_threaded": ""},
            ("the project has no Pythons"),
            id="no-python",
        ),
        pytest.param(
            release("1.0", uploaded=datetime(2019, 5, 1, tzinfo=UTC), sdist=False),
            {"pythons": "3.8"},
            "3.8: uploaded 2019-05-01, before 3.8's first beta 2019-06-04",
            id="the-release-s-own-upload-day",
        ),
        pytest.param(
            release("1.0"),
            {"suite_python": ">=3.20"},
            "3.8: suite restriction '>=3.20' excludes 3.8; "
            "3.14: suite restriction '>=3.20' excludes 3.14",
            id="the-suite-restriction",
        ),
        pytest.param(
            release("1.0", requires_python=">=3.11"),
            {"suite_python": "<3.11"},
            "3.8: Requires-Python '>=3.11' excludes 3.8; "
            "3.10: Requires-Python '>=3.11' excludes 3.10; "
            "3.11: suite restriction '<3.11' excludes 3.11; "
            "3.14: suite restriction '<3.11' excludes 3.14",
            id="each-span-of-one-kind-by-its-ends",
        ),
        pytest.param(
            release("3.2.18", wheels=("py2-none",), classifiers=PY2_CLASSIFIERS),
            {},
            "3.8: classifiers declare Python 2.6–2.7 only; "
            "3.14: classifiers declare Python 2.6–2.7 only",
            id="python-2-only",
        ),
    ],
)
def test_no_supported_python_detail(rel: Release, options: dict[str, str], detail: str) -> None:
    """docs/selection.md: the first piece of evidence for the oldest and the newest Python of
    each span of Pythons ruled out by one kind of evidence."""
    later = release("9.0", requires_python=">=3.20")
    suite_python = options.pop("suite_python", None)
    selection = select(suite(python=suite_python), rel, later, **options)
    assert selection.picks == ()
    assert considered(selection, rel.version) == ("no-supported-python", detail)


def test_python_2_only_release_is_skipped_as_a_candidate() -> None:
    old = release("3.2.18", wheels=("py2-none",), classifiers=PY2_CLASSIFIERS)
    new = release("4.0.0", classifiers=classifiers("3.6", "3.7", "3.8"))
    selection = select(suite(num_versions=2), old, new)
    assert picked(selection) == ["4.0.0"]
    reason, detail = considered(selection, "3.2.18")
    assert reason == "no-supported-python"
    assert "classifiers declare Python 2.6–2.7 only" in detail


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
    assert considered(selection, "3.8.17") == (
        "no-supported-python",
        "3.8.18, a newer patch, supports none of the project's Pythons by its metadata",
    )
    assert considered(selection, "3.8.16")[0] == "no-supported-python"


# --- a pick's verdicts ------------------------------------------------------------------


def test_a_pick_carries_every_verdict_with_its_evidence() -> None:
    rel = release("1.0", requires_python=">=3.12", classifiers=classifiers("3.12", "3.13"))
    selection = select(suite(python_policy="newest"), rel, pythons="3.11-3.14")
    (pick,) = selection.picks
    assert pick.pythons == (py("3.13"),)
    assert [(str(v.python), v.supported, v.tested, v.evidence) for v in pick_verdicts(pick)] == [
        (
            "3.11",
            False,
            False,
            (
                "Requires-Python '>=3.12' excludes 3.11",
                "pure-Python wheel",
                "classifiers list 3.12–3.13; Requires-Python decides 3.11",
            ),
        ),
        (
            "3.12",
            True,
            False,
            ("Requires-Python '>=3.12' admits 3.12", "pure-Python wheel", "classifier 3.12"),
        ),
        (
            "3.13",
            True,
            True,
            ("Requires-Python '>=3.12' admits 3.13", "pure-Python wheel", "classifier 3.13"),
        ),
        (
            "3.14",
            False,
            False,
            (
                "classifiers list 3.12–3.13, not 3.14",
                "Requires-Python '>=3.12' admits 3.14",
                "pure-Python wheel",
            ),
        ),
        ("3.14t", False, False, ("3.14 is not supported: classifiers list 3.12–3.13, not 3.14",)),
    ]


def test_a_pick_s_verdicts_apply_the_restriction_of_its_version() -> None:
    releases = [release("0.9"), release("1.0")]
    selection = select(suite(python={"<1": "<3.10"}), *releases, pythons="3.8-3.11")
    old, new = selection.picks
    assert pick_verdicts(old)[-1].evidence[0] == (
        "suite restriction '<3.10' (for versions '<1') excludes 3.11"
    )
    assert all("suite restriction" not in line for v in pick_verdicts(new) for line in v.evidence)


def test_classifiers_current_when_the_minor_came_out_rule_out_a_maintenance_release() -> None:
    """Django 1.8.19: a 2020 maintenance release of a 2015 minor whose classifiers end at
    3.5 supports no newer Python; the 1.8 minor came out when 3.5 was current."""
    releases = [
        release("1.8", uploaded=datetime(2015, 4, 1, tzinfo=UTC)),
        release(
            "1.8.19",
            uploaded=datetime(2020, 2, 3, tzinfo=UTC),
            classifiers=classifiers("3.2", "3.3", "3.4", "3.5"),
        ),
        release("2.0", uploaded=datetime(2020, 3, 1, tzinfo=UTC)),
    ]
    selection = select(suite(), *releases, pythons="3.6-3.8", free_threaded="")
    assert considered(selection, "1.8.19") == (
        "no-supported-python",
        "3.6: classifiers list 3.2–3.5, not 3.6; 3.8: classifiers list 3.2–3.5, not 3.8",
    )
    assert considered(selection, "1.8") == (
        "no-supported-python",
        (
            "3.6: uploaded 2015-04-01, before 3.6's first beta 2016-09-12; "
            "3.8: uploaded 2015-04-01, before 3.8's first beta 2019-06-04"
        ),
    )
    assert picked(selection) == ["2.0"]
