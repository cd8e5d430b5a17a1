"""Sentry's example, probed on CPython 3.6 to 3.13 (docs/evidence.md, "Measured"): what the
committed lock's ``probes`` decide in the committed matrix and tox.ini.

The combinations that the heuristics left out and that install and import are tested; the
pyspark 2.x releases that do not import on 3.8 are not, nor their older patches; explain
cites the probes. Each check reads the committed files, so it fails when the probes are
dropped (by a lock rebuilt from scratch, say) or the outputs not regenerated from them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from packaging.version import Version

from compatrix._cli import main
from compatrix._config import Config
from compatrix._lock import Lock
from compatrix._selection import Matrix, build_matrix, suite_considered

from ._sentry import EXAMPLE


@pytest.fixture(scope="module")
def tox_ini() -> str:
    return (EXAMPLE / "tox.ini").read_text(encoding="utf-8")


def _tested(matrix: Matrix) -> set[tuple[str, str, str]]:
    return {(e.suite, str(e.version), str(e.python)) for e in matrix.envs if e.version}


GAINED = [
    pytest.param(("flask", "flask", "2.3.3", "3.13"), id="flask-2.3.3-on-3.13"),
    pytest.param(("flask", "flask", "1.1.4", "3.13"), id="flask-1.1.4-on-3.13"),
    pytest.param(("sqlalchemy", "sqlalchemy", "1.2.19", "3.8"), id="sqlalchemy-1.2.19-on-3.8"),
    pytest.param(("sqlalchemy", "sqlalchemy", "1.2.19", "3.9"), id="sqlalchemy-1.2.19-on-3.9"),
    pytest.param(("rq", "rq", "0.6.0", "3.6"), id="rq-0.6.0-the-declared-minimum-on-3.6"),
]


@pytest.mark.parametrize("pair", GAINED)
def test_what_the_heuristics_left_out_and_imports_is_tested(
    config: Config, lock: Lock, matrix: Matrix, tox_ini: str, pair: tuple[str, str, str, str]
) -> None:
    suite, package, version, python = pair
    assert lock.probes[package][version][python].outcome == "imports"
    assert (suite, version, python) in _tested(matrix)
    assert f"py{python}-{suite}-v{version}" in tox_ini.split()
    unprobed = build_matrix(config, replace(lock, probes={}))
    assert (suite, version, python) not in _tested(unprobed)


def test_pyspark_2_is_not_tested_on_3_8(config: Config, lock: Lock, matrix: Matrix) -> None:
    assert lock.probes["pyspark"]["2.4.8"]["3.8"].outcome == "fails"
    assert lock.probes["pyspark"]["2.3.4"]["3.8"].outcome == "fails"
    spark = {(v, p) for s, v, p in _tested(matrix) if s == "spark"}
    assert not [(v, p) for v, p in spark if Version(v).major == 2]
    unprobed = build_matrix(config, replace(lock, probes={}))
    before = {(v, p) for s, v, p in _tested(unprobed) if s == "spark"}
    assert ("2.4.8", "3.8") in before


def test_the_3_14_pairs_are_not_probed_here(lock: Lock) -> None:
    """No CPython 3.14 on the machine that probed: reported, never run on another."""
    assert not [
        (package, version)
        for package, versions in lock.probes.items()
        for version, pythons in versions.items()
        if "3.14" in pythons
    ]


def test_explain_cites_the_probes(
    config: Config, lock: Lock, matrix: Matrix, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(EXAMPLE), "explain", "flask", "--format", "json"]) == 0
    flask = capsys.readouterr().out
    assert "probed 2026-12-03: imports on 3.13 (outweighs: uploaded 2023-08-21, before 3.13" in (
        flask
    )
    (spark,) = [s for s in matrix.suites if s.suite.name == "spark"]
    details = {c.version: c.detail for c in suite_considered(config, lock, spark)}
    assert details["2.4.8"].startswith(
        "3.6: suite restriction '>=3.8' excludes 3.6; "
        "3.7: suite restriction '>=3.8' excludes 3.7; 3.8: probed"
    )
    for older in ("2.4.5", "2.4.6", "2.4.7"):
        assert (
            "3.8: probed 2.4.8 on 2026-12-03: does not install or import on 3.8 (install: "
            "Failed to build `pyspark==2.4.8`; with dependencies of 2021-05-16: import pyspark: "
            "TypeError: an integer is required (got type bytes)), older patches assumed the same"
        ) in details[older], details[older]
