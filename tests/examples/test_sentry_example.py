"""The Sentry Python SDK example (``examples/sentry-python``).

Its committed lock was built from a recorded copy of the index (``regenerate.py``), its envs
pinned against PyPI and some releases probed; here it is only read. The example must hold
every value of toxgen's configuration (the reference data of ``tests/config``), and agree
with toxgen's picks on the same recorded index (``data/``, 2026-11-24) where the two
algorithms agree by design — the lowest and the latest pick of each suite, as the metadata
decides them — except for the differences listed (and explained in
docs/migrating-from-toxgen.md). What the probes change on top is checked here and in
``test_sentry_probes.py``; what the pins change (a Python, or a whole pick, whose env does
not install) must each be backed by a ``not-installable`` record of the lock.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version
from tests.config.test_config_sentry import REFERENCE, SUITES, check_suite

from compatrix._cli import main
from compatrix._config import Config
from compatrix._lock._format import Lock
from compatrix._pythons import PythonVersion
from compatrix._selection._matrix import build_matrix, suite_considered
from compatrix._selection._model import Matrix, SuiteMatrix, pick_verdicts

from ._sentry import EXAMPLE

DATA = Path(__file__).parent / "data"
TOXGEN: dict[str, list[dict[str, Any]]] = json.loads(
    (DATA / "toxgen-picks-corpus-2026-11-24.json").read_text(encoding="utf-8")
)
CONSTRAINTS = EXAMPLE / "constraints"
GENERATED_FILES = ("compatrix.toml", "compatrix.lock", "tox.ini")


@dataclass(frozen=True, slots=True, kw_only=True)
class Known:
    """A suite whose lowest pick differs from toxgen's, and why."""

    toxgen: str
    """toxgen's lowest pick."""
    compatrix: str
    """compatrix's lowest pick."""
    release: str
    """The release whose evidence (``explain``) shows the cause."""
    evidence: str
    """Text in that release's evidence: a verdict of a pick, or why it was skipped."""


SDIST_ONLY = "no Python 3.X classifiers"
KNOWN: dict[str, Known] = {
    # The recorded index's JSON API lists no classifiers for these sdist-only releases (it
    # has no metadata of theirs); toxgen saw none either and dropped them; compatrix lets
    # the sdist install wherever Requires-Python allows.
    "sqlalchemy": Known(toxgen="1.4.54", compatrix="1.2.19", release="1.2.19", evidence=SDIST_ONLY),
    # Its core metadata is not kept since probes dropped it from the picks: an sdist alone.
    "spark": Known(toxgen="3.1.3", compatrix="2.3.4", release="2.3.4", evidence="sdist"),
    "huey": Known(toxgen="3.5.4", compatrix="1.2.3", release="1.2.3", evidence=SDIST_ONLY),
    "pure_eval": Known(toxgen="0.1.1", compatrix="0.0.3", release="0.0.3", evidence=SDIST_ONLY),
    "redis_py_cluster_legacy": Known(
        toxgen="2.0.0", compatrix="1.3.6", release="1.3.6", evidence=SDIST_ONLY
    ),
    # A wheel built for exactly 3.7 outweighs classifiers that end at 3.5.
    "beam": Known(
        toxgen="2.14.0", compatrix="2.12.0", release="2.12.0", evidence="wheel cp37-cp37m"
    ),
    # Uploaded before Python 3.6 existed, and the suite allows nothing newer for rq < 0.13.
    "rq": Known(
        toxgen="0.6.0", compatrix="0.7.1", release="0.6.0", evidence="before 3.6's first beta"
    ),
}


@pytest.fixture(scope="module")
def unprobed_lock(lock: Lock) -> Lock:
    """The lock without its probes and its pins: what the index metadata alone decides, as
    for toxgen (its run skipped the pip dry run: the recorded index has no distributions)."""
    return replace(lock, probes={}, resolutions={})


@pytest.fixture(scope="module")
def unprobed(config: Config, unprobed_lock: Lock) -> Matrix:
    return build_matrix(config, unprobed_lock)


@pytest.fixture(scope="module")
def unpinned_lock(lock: Lock) -> Lock:
    """The lock with its probes and without its pins."""
    return replace(lock, resolutions={})


@pytest.fixture(scope="module")
def unpinned(config: Config, unpinned_lock: Lock) -> Matrix:
    return build_matrix(config, unpinned_lock)


def _suite_matrix(matrix: Matrix, name: str) -> SuiteMatrix:
    (found,) = [s for s in matrix.suites if s.suite.name == name]
    return found


# --- the committed files are current -------------------------------------------------------


def test_generated_files_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["-C", str(EXAMPLE), "-q", "check"])
    assert code == 0, capsys.readouterr().out


def test_an_offline_update_changes_nothing(tmp_path: Path) -> None:
    """Re-picking from the lock gives the same lock, tox.ini and constraint files: the
    picks are stable, and every pin is current (an offline update resolves nothing)."""
    for name in GENERATED_FILES:
        shutil.copyfile(EXAMPLE / name, tmp_path / name)
    shutil.copytree(CONSTRAINTS, tmp_path / "constraints")
    assert main(["-C", str(tmp_path), "-q", "update", "--offline"]) == 0
    for name in GENERATED_FILES:
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name
    for path in CONSTRAINTS.iterdir():
        assert (tmp_path / "constraints" / path.name).read_bytes() == path.read_bytes(), path
    assert sorted(p.name for p in (tmp_path / "constraints").iterdir()) == sorted(
        p.name for p in CONSTRAINTS.iterdir()
    )


def test_every_pinned_env_has_its_pins(lock: Lock, matrix: Matrix) -> None:
    """One constraint file per pinned env and per -pinned_latest env, each with the pins
    of its record; nothing else in the directory."""
    records = lock.resolutions
    expected = {f"{env.name}.txt": env.name for env in matrix.envs}
    for suite_matrix in matrix.suites:
        for alias in suite_matrix.aliases:
            pick = alias.name.replace("-pinned_latest", f"-v{alias.version}")
            expected[f"{alias.name}.txt"] = pick
    assert sorted(p.name for p in CONSTRAINTS.iterdir()) == sorted(expected)
    for name, env in expected.items():
        record = records[env]
        assert record.status == "ok", env
        assert record.pins
        lines = (CONSTRAINTS / name).read_text(encoding="utf-8").splitlines()
        assert [line for line in lines if not line.startswith("#")] == list(record.pins), name


def test_tox_lists_the_generated_and_the_hand_written_envs(
    config: Config, matrix: Matrix, tmp_path: Path
) -> None:
    tox = Path(sys.executable).with_name("tox")
    if not tox.exists():
        pytest.skip(f"no tox next to {sys.executable}")
    result = subprocess.run(
        [str(tox), "-c", str(EXAMPLE / "tox.ini"), "-l"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split()
    # Sentry's tox.ini lists its hand-written envs first, then the generated ones; every
    # hand-written env runs in a group's workflow.
    hand_written = [env for envs in config.workflows.extra_envs.values() for env in envs]
    generated = [env.name for env in matrix.envs]
    assert len(set(listed)) == len(listed)
    assert sorted(listed[: len(hand_written)]) == sorted(hand_written)
    assert listed[len(hand_written) :] == generated


def test_every_env_runs_in_its_groups_workflow(config: Config, matrix: Matrix) -> None:
    """One workflow per toxgen group, named as toxgen's split_tox_gh_actions.py names it."""
    directory = EXAMPLE / ".github" / "workflows"
    slugs = {group: group.lower().replace(" ", "-") for group in REFERENCE["groups"]}
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        f"test-integrations-{slug}.yml" for slug in slugs.values()
    )
    by_group: dict[str, list[str]] = {}
    for env in matrix.envs:
        by_group.setdefault(env.group, []).append(env.name)
    for group, extra in config.workflows.extra_envs.items():
        by_group.setdefault(group, []).extend(extra)
    for group, envs in by_group.items():
        text = (directory / f"test-integrations-{slugs[group]}.yml").read_text(encoding="utf-8")
        tokens = set(re.findall(r"py3\.[0-9]+t?-[a-z0-9_.-]+", text))
        assert set(envs) <= tokens, group


def test_extra_envs_are_the_suites_toxgen_does_not_generate(config: Config) -> None:
    """Each hand-written env runs in the group toxgen's GROUPS give its suite."""
    not_generated = set(REFERENCE["not_generated"])
    seen = set()
    for group, envs in config.workflows.extra_envs.items():
        for env in envs:
            python, suite = env.split("-", 1)
            PythonVersion.parse(python)
            assert suite in not_generated, env
            assert suite in REFERENCE["groups"][group], env
            seen.add(suite)
    assert seen == not_generated


# --- the config is toxgen's ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SUITES))
def test_the_suite_holds_toxgens_settings(config: Config, name: str) -> None:
    suite = config.suite(name)
    assert suite is not None
    check_suite(suite, config)


def test_only_toxgens_suites(config: Config) -> None:
    assert sorted(suite.name for suite in config.suites) == sorted(SUITES)


def test_the_projects_pythons_are_the_sdks(config: Config, lock: Lock) -> None:
    today = max(facts.fetched_at for facts in lock.packages.values()).date()
    expected = [PythonVersion.parse(p) for p in REFERENCE["project_python_classifiers"]]
    assert list(config.pythons(today)) == [*expected, PythonVersion.parse("3.14t")]


# --- the lock ---------------------------------------------------------------------------------


def test_the_lock_covers_every_suite(config: Config, lock: Lock, matrix: Matrix) -> None:
    assert lock.as_of is None
    assert sorted(lock.packages) == sorted(config.packages)
    assert sorted(lock.picks) == sorted(suite.name for suite in config.suites)
    for suite_matrix in matrix.suites:
        name = suite_matrix.suite.name
        selection = suite_matrix.selection
        assert selection.picks, name
        assert suite_matrix.envs, name
        assert lock.picks[name] == selection.remembered, name
        facts = lock.packages[suite_matrix.suite.package]
        for pick in selection.picks:
            release = facts.release(str(pick.version))
            assert release is not None
            assert release.metadata_status != "not-fetched", (name, str(pick.version))


# --- agreement with toxgen's picks -------------------------------------------------------------


def _ends(versions: list[Version]) -> tuple[Version, Version]:
    finals = sorted(v for v in versions if not v.is_prerelease)
    return finals[0], finals[-1]


def _evidence(config: Config, lock: Lock, suite_matrix: SuiteMatrix, version: str) -> list[str]:
    for pick in suite_matrix.selection.picks:
        if pick.version == Version(version):
            return [
                text
                for verdict in pick_verdicts(pick)
                if verdict.tested
                for text in verdict.evidence
            ]
    considered = suite_considered(config, lock, suite_matrix)
    return [c.detail for c in considered if c.version == version]


@pytest.mark.parametrize("name", list(TOXGEN))
def test_lowest_and_latest_agree_with_toxgen(
    config: Config, unprobed_lock: Lock, unprobed: Matrix, name: str
) -> None:
    """On metadata alone, as toxgen decides; what the recorded probes change is checked by
    the next test and tests/examples/test_sentry_probes.py."""
    lock, suite_matrix = unprobed_lock, _suite_matrix(unprobed, name)
    lowest, latest = _ends([pick.version for pick in suite_matrix.selection.picks])
    toxgen_lowest, toxgen_latest = _ends([Version(pick["version"]) for pick in TOXGEN[name]])
    assert latest == toxgen_latest
    known = KNOWN.get(name)
    if known is None:
        assert lowest == toxgen_lowest
        return
    assert (toxgen_lowest, lowest) == (Version(known.toxgen), Version(known.compatrix))
    evidence = _evidence(config, lock, suite_matrix, known.release)
    assert any(known.evidence in text for text in evidence), evidence


@pytest.mark.parametrize("name", list(TOXGEN))
def test_where_probes_move_the_lowest_or_latest_pick_explain_cites_them(
    config: Config, unpinned_lock: Lock, unpinned: Matrix, unprobed: Matrix, name: str
) -> None:
    """A pick that the probes add is tested on a Python a probe found it imports on; one
    they drop (not displaced by a lower or newer pick they added) is ruled out, on every
    Python it was tested on, by a failed probe (its own, or a newer patch's). The pins are
    set aside here: what they change is the next tests' subject."""
    lock = unpinned_lock
    probed = _ends([p.version for p in _suite_matrix(unpinned, name).selection.picks])
    alone = _ends([p.version for p in _suite_matrix(unprobed, name).selection.picks])
    suite_matrix = _suite_matrix(unpinned, name)
    for version in sorted(set(probed) - set(alone)):
        evidence = _evidence(config, lock, suite_matrix, str(version))
        assert any(text.startswith("probed ") and " imports on " in text for text in evidence)
    lowest, latest = alone
    if probed[0] > lowest or probed[1] < latest:  # not displaced by a pick the probes added
        for version in sorted({lowest, latest} - set(probed)):
            (was,) = [
                p for p in _suite_matrix(unprobed, name).selection.picks if p.version == version
            ]
            detail = " ".join(_evidence(config, lock, suite_matrix, str(version)))
            for python in was.pythons:
                assert f"{python}: probed " in detail, (python, detail)


def test_known_differences_are_toxgen_suites() -> None:
    assert set(KNOWN) <= set(TOXGEN)


# --- what the pins change -------------------------------------------------------------------


def _tested(suite_matrix: SuiteMatrix) -> dict[Version, set[str]]:
    return {pick.version: {str(p) for p in pick.pythons} for pick in suite_matrix.selection.picks}


@pytest.mark.parametrize("name", list(SUITES))
def test_what_the_pins_change_is_recorded_evidence(
    lock: Lock, matrix: Matrix, unpinned: Matrix, name: str
) -> None:
    """Every (pick, Python) the unpinned matrix tests and the pinned one does not has a
    ``not-installable`` record, shown as the first evidence of its verdict; a pick is
    replaced only when none of its Pythons installs."""
    pinned_matrix = _suite_matrix(matrix, name)
    pinned, before = _tested(pinned_matrix), _tested(_suite_matrix(unpinned, name))
    records = {
        (Version(r.version), r.python): r for r in lock.resolutions.values() if r.suite == name
    }

    def not_installable(version: Version, python: str) -> bool:
        record = records.get((version, python))
        return record is not None and record.status == "not-installable"

    for version, pythons in before.items():
        if version not in pinned:  # replaced: no Python it was tested on installs
            assert all(not_installable(version, p) for p in pythons), (version, pythons)
            continue
        dropped = pythons - pinned[version]
        assert all(not_installable(version, p) for p in dropped), (version, dropped)
        if pinned[version] - pythons:  # another Python chosen in a dropped one's place
            assert dropped, version
        (pick,) = [p for p in pinned_matrix.selection.picks if p.version == version]
        for verdict in pick_verdicts(pick):
            if str(verdict.python) in dropped:
                reason = records[(version, str(verdict.python))].reason
                assert verdict.evidence[0] == f"not installable: {reason}"
    if set(pinned) - set(before):  # a pick in the place of one that does not install
        assert set(before) - set(pinned), name


# --- the envs the metadata alone tested although they do not install ------------------------

NO_FREE_THREADED = "not installable: no free-threaded (cp314t) or pure-Python wheel of "


@pytest.mark.parametrize(
    ("env", "evidence"),
    [
        pytest.param(
            "py3.14t-pydantic_ai-v1.107.10", NO_FREE_THREADED + "grpcio", id="pydantic-ai"
        ),
        pytest.param("py3.14t-langchain-base-v1.5.0", NO_FREE_THREADED + "orjson", id="langchain"),
        pytest.param(
            "py3.14t-langchain-notiktoken-v1.2.18",
            NO_FREE_THREADED + "orjson",
            id="langchain-notiktoken",
        ),
        pytest.param("py3.14t-langgraph-v0.6.11", NO_FREE_THREADED + "orjson", id="langgraph"),
        pytest.param("py3.14t-statsig-v0.72.1", NO_FREE_THREADED + "brotli", id="statsig"),
        pytest.param(
            "py3.8-litellm-v1.77.7",
            "not installable: Because the requested Python version (>=3.8.99) does not "
            "satisfy Python>=3.9",
            id="litellm-on-3.8",
        ),
    ],
)
def test_envs_that_do_not_install_are_not_tested_and_explain_says_why(
    capsys: pytest.CaptureFixture[str], env: str, evidence: str
) -> None:
    """The known-bad envs of the metadata-only matrix (a dependency without a free-threaded
    wheel; litellm 1.77.7's dependencies of its day need Python 3.9): not in tox.ini, and
    `explain` shows why, from the committed files alone."""
    python, rest = env.split("-", 1)
    suite, version = rest.rsplit("-v", 1)
    tox_ini = (EXAMPLE / "tox.ini").read_text(encoding="utf-8")
    assert env not in re.findall(r"py3\.[0-9]+t?-[a-z0-9_.-]+", tox_ini)
    assert not (CONSTRAINTS / f"{env}.txt").exists()
    assert main(["-C", str(EXAMPLE), "explain", suite, "--format", "json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    (pick,) = [p for p in explained["picks"] if p["version"] == version]
    assert python.removeprefix("py") not in pick["pythons"]
    (verdict,) = [v for v in pick["verdicts"] if v["python"] == python.removeprefix("py")]
    assert verdict["evidence"][0].startswith(evidence), verdict["evidence"]


# --- builds a probe vouched for ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "built"),
    [
        pytest.param("py3.9-sqlalchemy-v1.2.19", "sqlalchemy 1.2.19", id="sqlalchemy-1.2"),
        pytest.param("py3.12-flask-v1.1.4", "markupsafe 1.1.1", id="flask-1.1-markupsafe"),
        pytest.param("py3.6-falcon-v3.1.3", "falcon 3.1.3", id="falcon-3.1-on-3.6"),
    ],
)
def test_a_build_a_probe_vouched_for_is_pinned(lock: Lock, env: str, built: str) -> None:
    """Packages whose C extension is optional: "its sdist needs a build" alone would drop
    these envs, but the pick installed and imported there when probed, so they are
    pinned with the sdist built, and the record says why."""
    record = lock.resolutions[env]
    assert record.status == "ok"
    assert f"no wheel of {built} for cp" in record.why
    assert "its sdist needs a build, built: the pick installed and imported on" in record.why
    tox_ini = (EXAMPLE / "tox.ini").read_text(encoding="utf-8")
    assert env in re.findall(r"py3\.[0-9]+t?-[a-z0-9_.-]+", tox_ini)
    lines = (CONSTRAINTS / f"{env}.txt").read_text(encoding="utf-8").splitlines()
    assert built.replace(" ", "==") in lines
