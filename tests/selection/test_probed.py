"""Recorded probes in selection: a newer patch's failed probe stands for the older patches
of its minor on that Python, so selection does not step down to an older patch that would
fail the same way (docs/evidence.md, "A failed probe and the older patches")."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from tests.selection._build import UTC, considered, picked, release, select, series, suite

from compatrix._lock import Probe
from compatrix._selection._probed import recorded_evidence

DAY = date(2026, 12, 3)

Probes = dict[str, dict[str, str]]
"""Per version, per Python: ``imports`` or ``fails``."""


def _probes(probes: Probes) -> dict[str, dict[str, Probe]]:
    return {
        version: {
            python: Probe(
                outcome="imports" if outcome == "imports" else "fails",
                day=DAY,
                detail=f"{version} {outcome}",
            )
            for python, outcome in pythons.items()
        }
        for version, pythons in probes.items()
    }


CASES = [
    pytest.param(
        {"2.4.8": {"3.8": "fails"}},
        {"2.4.7": {"3.8": "2.4.8"}, "2.4.6": {"3.8": "2.4.8"}, "2.4.5": {"3.8": "2.4.8"}},
        id="a-failed-probe-stands-for-every-older-patch-of-its-minor",
    ),
    pytest.param(
        {"2.4.6": {"3.8": "fails"}},
        {"2.4.5": {"3.8": "2.4.6"}},
        id="not-for-newer-patches",
    ),
    pytest.param(
        {"2.4.8": {"3.8": "fails"}, "2.4.6": {"3.8": "imports"}},
        {"2.4.7": {"3.8": "2.4.8"}},
        id="an-older-patch-that-imports-keeps-its-own-probe-and-speaks-for-those-below",
    ),
    pytest.param(
        {"2.4.8": {"3.8": "fails"}, "2.4.6": {"3.8": "fails"}},
        {"2.4.7": {"3.8": "2.4.8"}, "2.4.5": {"3.8": "2.4.6"}},
        id="the-nearest-newer-probed-patch-speaks",
    ),
    pytest.param(
        {"2.4.8": {"3.8": "fails", "3.7": "imports"}},
        {"2.4.7": {"3.8": "2.4.8"}, "2.4.6": {"3.8": "2.4.8"}, "2.4.5": {"3.8": "2.4.8"}},
        id="only-on-the-python-it-failed-on",
    ),
    pytest.param(
        {"2.4.5": {"3.8": "fails"}},
        {},
        id="not-across-minors",
    ),
    pytest.param(
        {"2.4.8": {"3.8": "imports"}},
        {},
        id="a-probe-that-imports-stands-for-no-other-release",
    ),
    pytest.param(
        {"2.4.8": {"3.8": "fails"}, "9.9.9": {"3.8": "fails"}},
        {"2.4.7": {"3.8": "2.4.8"}, "2.4.6": {"3.8": "2.4.8"}, "2.4.5": {"3.8": "2.4.8"}},
        id="a-probe-of-a-release-gone-from-the-lock-stands-for-nothing",
    ),
]


@pytest.mark.parametrize(("probes", "inferred"), CASES)
def test_failed_probes_stand_for_the_older_patches_of_their_minor(
    probes: Probes, inferred: dict[str, dict[str, str]]
) -> None:
    releases = series(["2.3.4", "2.4.5", "2.4.6", "2.4.7", "2.4.8", "3.0.0"])
    evidence, added = recorded_evidence(suite(), _probes(probes), releases)
    assert added is None
    found = {
        version: {str(p.python): p.inferred_from for p in e.probes if p.inferred_from}
        for version, e in evidence.items()
    }
    assert {v: f for v, f in found.items() if f} == inferred
    for version, pythons in inferred.items():
        for python, newer in pythons.items():
            (probe,) = [p for p in evidence[version].probes if str(p.python) == python]
            assert (probe.imports, probe.day, probe.detail) == (False, DAY, f"{newer} fails")
    for version, pythons in probes.items():  # each release's own probes are kept as recorded
        own = {str(p.python): p.imports for p in evidence[version].probes if not p.inferred_from}
        assert own == {python: outcome == "imports" for python, outcome in pythons.items()}


def test_selection_does_not_step_down_to_an_older_patch_that_would_fail_the_same_way() -> None:
    """pyspark on Sentry's matrix: 2.4.8 fails to import on 3.8, and the suite allows 3.8
    and newer only; 2.4.5 to 2.4.7, unprobed, are not picked in its place, and explain
    says why."""
    old = datetime(2020, 2, 6, tzinfo=UTC)  # before 3.9's first beta: 3.8 only, by the date
    releases = [release(v, uploaded=old, wheels=()) for v in ("2.4.5", "2.4.6", "2.4.7", "2.4.8")]
    releases.append(release("3.0.0", wheels=()))
    the_suite = suite(python=">=3.8")
    assert picked(select(the_suite, *releases, pythons="3.8-3.10")) == ["2.4.8", "3.0.0"]

    # 3.7 (ruled out by the suite) and 3.10 are the ends the detail names anyway; 3.8 is
    # named because a probe ruled it out.
    probed = select(
        the_suite, *releases, pythons="3.7-3.10", probes=_probes({"2.4.8": {"3.8": "fails"}})
    )
    assert picked(probed) == ["3.0.0"]
    reason, detail = considered(probed, "2.4.5")
    assert reason == "no-supported-python"
    assert (
        "3.8: probed 2.4.8 on 2026-12-03: does not install or import on 3.8 (2.4.8 fails), "
        "older patches assumed the same"
    ) in detail


def test_an_excluded_patchs_failed_probe_speaks_for_no_other() -> None:
    """The way out when the newest patch broke a Python its older patches support."""
    old = datetime(2020, 2, 6, tzinfo=UTC)
    releases = [release(v, uploaded=old, wheels=()) for v in ("2.4.5", "2.4.6", "2.4.7", "2.4.8")]
    the_suite = suite(python=">=3.8", exclude={"2.4.8": "fails on 3.8 (2.4.7 does not)"})
    probed = select(
        the_suite, *releases, pythons="3.8-3.10", probes=_probes({"2.4.8": {"3.8": "fails"}})
    )
    assert picked(probed) == ["2.4.7"]
