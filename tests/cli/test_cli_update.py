"""``compatrix update``, ``generate``, ``check`` and ``explain`` end to end, in-process,
against a real package index on loopback."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from tests.index_server import IndexServer

from compatrix._config import load_config
from compatrix._lock._format import dumps_lock, loads_lock
from compatrix._update import UpdateRequest, run_update

from ._project import TOX_INI, UTC, Index, Rel, day, minors, project, run, snapshot


def _index() -> Index:
    return Index(
        packages={
            "alpha": [
                Rel("0.9.0", day(2023, 1, 10)),
                *minors(1, 6, start=day(2023, 3, 1)),
                Rel("2.0.0", day(2024, 9, 1)),
            ],
            "beta": [*minors(2, 5, start=day(2024, 1, 5))],
        }
    )


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return _index().write(tmp_path / "index")


def _update(root: Path, server: IndexServer, *extra: str) -> object:
    return run("-C", str(root), "update", "--index-url", server.index_url, *extra)


def test_update_writes_lock_and_tox_ini_and_prints_the_matrix(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 0, result.err
    lock = loads_lock((root / "compatrix.lock").read_text())
    assert sorted(lock.packages) == ["alpha", "beta"]
    assert lock.packages["alpha"].index == server.index_url
    assert lock.picks["alpha"] == ("1.0.0", "1.5.0", "2.0.0")
    # Only picks carry core metadata in the lock.
    with_metadata = [r.version for r in lock.packages["alpha"].releases if r.metadata]
    assert with_metadata == ["1.0.0", "1.5.0", "2.0.0"]
    tox_ini = (root / "tox.ini").read_text()
    assert "    py3.8-alpha-v1.0.0\n" in tox_ini
    assert "    alpha-v2.0.0: alpha==2.0.0\n" in tox_ini
    assert "    beta: pytest-beta\n    beta-v2.0.0: legacy-helper<2\n" in tox_ini
    assert "    alpha: TESTPATH=tests/alpha\n" in tox_ini
    assert "[testenv:lint]\ndeps = ruff\n" in tox_ini  # the user's part is kept
    assert "alpha" in result.out
    assert "2.0.0" in result.out
    assert "wrote compatrix.lock" in result.err
    assert "wrote tox.ini" in result.err


def test_second_update_changes_nothing_and_check_passes(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
        tox_ini = (root / "tox.ini").read_bytes()
        again = run("-C", str(root), "-q", "generate")
    assert again.code == 0
    assert (root / "tox.ini").read_bytes() == tox_ini
    check = run("-C", str(root), "check")
    assert check.code == 0, check.err
    assert "generated files are current" in check.err


def test_a_test_path_the_commands_never_read_is_reported(tmp_path: Path, index: Path) -> None:
    tox_ini = TOX_INI.replace("pytest {env:TESTPATH} {posargs}", "pytest {posargs}")
    root = project(tmp_path / "proj", tox_ini=tox_ini)
    warning = (
        "warning: tox.ini: [testenv] commands never read TESTPATH, so test-path (alpha, beta) "
        "is ignored and those envs run every test; read it there, as in "
        "`commands = pytest {env:TESTPATH:tests} {posargs}`"
    )
    with IndexServer(index) as server:
        updated = _update(root, server)
    for result in (updated, run("-C", str(root), "generate"), run("-C", str(root), "check")):
        assert result.code == 0, result.err
        assert warning in " ".join(result.err.split())


def test_check_reports_a_hand_edit_inside_a_generated_region(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    tox_ini = root / "tox.ini"
    tox_ini.write_text(tox_ini.read_text().replace("alpha==2.0.0", "alpha==1.9"))
    check = run("-C", str(root), "check")
    assert check.code == 1
    assert "-    alpha-v2.0.0: alpha==1.9\n+    alpha-v2.0.0: alpha==2.0.0\n" in check.out
    assert "tox.ini not current: run `compatrix update`" in check.err
    # generate repairs it.
    assert run("-C", str(root), "generate").code == 0
    assert run("-C", str(root), "check").code == 0


def test_a_failed_update_leaves_every_file_untouched(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    before = snapshot(root)
    (root / "compatrix.toml").write_text(
        (root / "compatrix.toml").read_text() + '\n[suites.gamma]\npackage = "gamma"\n'
    )
    before["compatrix.toml"] = (root / "compatrix.toml").read_bytes()
    with IndexServer(index) as server:
        result = run("-C", str(root), "update", "--index-url", server.index_url)
    assert result.code == 3
    assert f"package 'gamma' not found on index {server.index_url}" in result.err
    assert snapshot(root) == before


def test_server_errors_are_retried_then_reported(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj", tox_ini=None)
    project_file = root / "compatrix.toml"
    project_file.write_text(project_file.read_text() + "\n[index]\nretries = 1\n")
    with IndexServer(index) as server:
        server.fail("/simple/beta/", status=503, times=None)
        result = run("-C", str(root), "update", "--index-url", server.index_url)
        beta_requests = [r for r in server.log if r.path == "/simple/beta/"]
    assert result.code == 3
    assert "/simple/beta/" in result.err
    assert "503" in result.err
    assert len(beta_requests) == 2  # the first try and one retry
    assert snapshot(root) == {"compatrix.toml": project_file.read_bytes()}


def test_only_refreshes_the_named_suites_package(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    before = loads_lock((root / "compatrix.lock").read_text())
    newer = _index()
    newer.packages["alpha"].append(Rel("2.1.0", day(2024, 10, 1)))
    newer.packages["beta"].append(Rel("2.5.0", day(2024, 10, 1)))
    later = newer.write(tmp_path / "index2")
    with IndexServer(later) as server:
        result = run("-C", str(root), "update", "--index-url", server.index_url, "--only", "beta")
    assert result.code == 0, result.err
    after = loads_lock((root / "compatrix.lock").read_text())
    assert after.packages["alpha"] == before.packages["alpha"]
    assert after.picks["alpha"] == before.picks["alpha"]
    assert after.packages["beta"].release("2.5.0") is not None
    with IndexServer(later) as server:
        skipped = run("-C", str(root), "update", "--index-url", server.index_url, "--skip", "beta")
    assert skipped.code == 0
    assert loads_lock((root / "compatrix.lock").read_text()).packages["alpha"].release("2.1.0")


def test_unknown_suite_names_are_usage_errors(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    result = run("-C", str(root), "update", "--only", "alfa", "--offline")
    assert result.code == 2
    assert "no suite named 'alfa' in compatrix.toml; did you mean 'alpha'?" in result.err
    explained = run("-C", str(root), "explain", "bta")
    assert explained.code == 2
    assert "did you mean 'beta'?" in explained.err
    listed = run("-C", str(root), "update", "--skip", "alpha,bta", "--offline")
    assert listed.code == 2
    assert "no suite named 'bta' in compatrix.toml; did you mean 'beta'?" in listed.err


@pytest.mark.parametrize(
    ("argv", "only", "skip"),
    [
        pytest.param(["--only", "a"], ["a"], [], id="one"),
        pytest.param(["--only", "a", "--only", "b"], ["a", "b"], [], id="repeated"),
        pytest.param(["--only", "a,b", "--only", "c"], ["a", "b", "c"], [], id="commas"),
        pytest.param(["--skip", "a, b"], [], ["a", "b"], id="spaces"),
    ],
)
def test_suites_are_named_one_by_one_or_with_commas(
    argv: list[str], only: list[str], skip: list[str]
) -> None:
    from compatrix._cli import build_parser

    args = build_parser().parse_args(["update", *argv])
    assert (args.only, args.skip) == (only, skip)


@pytest.mark.parametrize(
    "names", ["", ",", "a,,b", "a,"], ids=["empty", "comma", "gap", "trailing"]
)
def test_an_empty_suite_name_is_a_usage_error(tmp_path: Path, names: str) -> None:
    """``--only "$CHANGED"`` with nothing changed must not update every suite."""
    root = project(tmp_path / "proj")
    result = run("-C", str(root), "update", "--only", names, "--offline")
    assert result.code == 2
    assert f"argument --only: expected suite names separated by commas, got {names!r}" in (
        result.err
    )


def test_as_of_builds_the_lock_as_the_index_stood(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        result = run(
            "-C", str(root), "update", "--index-url", server.index_url, "--as-of", "2023-06-15"
        )
    assert result.code == 0, result.err
    lock = loads_lock((root / "compatrix.lock").read_text())
    assert lock.as_of == date(2023, 6, 15)
    # 0.9.0 is below min-version 1.0: never a candidate, so not recorded.
    assert [r.version for r in lock.packages["alpha"].releases] == [
        "1.0.0",
        "1.1.0",
        "1.2.0",
        "1.3.0",
    ]
    assert lock.packages["beta"].releases == ()
    assert lock.picks["alpha"] == ("1.0.0", "1.2.0", "1.3.0")
    assert "beta: no release of beta can be tested" in result.err
    # --only cannot mix cut-off dates within one lock.
    with IndexServer(index) as server:
        mixed = run("-C", str(root), "update", "--index-url", server.index_url, "--only", "beta")
    assert mixed.code == 2
    assert "--as-of applies to the whole lock" in mixed.err


@pytest.mark.parametrize(
    ("as_of", "recorded", "latest"),
    [
        pytest.param("2023-06-29", "2023-06-29", "1.4.0", id="a-day-ends-at-midnight"),
        pytest.param(
            "2023-06-29T11:00:00Z", "2023-06-29T11:00:00Z", "1.3.0", id="a-time-before-noon"
        ),
        pytest.param("2023-06-29T14:00+02:00", "2023-06-29T12:00:00Z", "1.3.0", id="an-offset"),
        pytest.param("2023-06-29T12:30", "2023-06-29T12:30:00Z", "1.4.0", id="no-offset-is-utc"),
    ],
)
def test_as_of_takes_a_date_or_a_time(
    tmp_path: Path, index: Path, as_of: str, recorded: str, latest: str
) -> None:
    # alpha 1.4.0 was uploaded on 2023-06-29 at 12:00 UTC.
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        result = run("-C", str(root), "update", "--index-url", server.index_url, "--as-of", as_of)
    assert result.code == 0, result.err
    lock = json.loads((root / "compatrix.lock").read_text())
    assert lock["as-of"] == recorded
    assert lock["picks"]["alpha"][-1] == latest
    assert {p["fetched-at"] for p in lock["packages"].values()} == {
        "2023-06-30T00:00:00Z" if len(as_of) == 10 else recorded
    }
    explained = run("-C", str(root), "explain", "alpha")
    assert f"index as of {recorded}" in explained.out


def test_as_of_that_is_neither_a_date_nor_a_time_is_a_usage_error(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    result = run("-C", str(root), "update", "--as-of", "2023-06-29 noon")
    assert result.code == 2
    assert "not a date (YYYY-MM-DD) or a UTC time" in result.err


def test_the_lock_records_releases_from_the_lowest_min_version(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    lock = loads_lock((root / "compatrix.lock").read_text())
    alpha, beta = lock.packages["alpha"], lock.packages["beta"]
    assert str(alpha.releases_from) == "1.0"
    assert alpha.releases[0].version == "1.0.0"
    assert beta.releases_from is None  # suite beta has no min-version: everything is kept
    assert '"releases-from": "1.0"' in (root / "compatrix.lock").read_text()

    # Raising min-version trims the lock without a request ...
    config = root / "compatrix.toml"
    config.write_text(config.read_text().replace('min-version = "1.0"', 'min-version = "1.3"'))
    assert run("-C", str(root), "-q", "update", "--offline").code == 0
    lock = loads_lock((root / "compatrix.lock").read_text())
    assert str(lock.packages["alpha"].releases_from) == "1.3"
    assert lock.packages["alpha"].releases[0].version == "1.3.0"

    # ... lowering it needs the index: the lock no longer has the older releases.
    config.write_text(config.read_text().replace('min-version = "1.3"', 'min-version = "1.1"'))
    before = snapshot(root)
    for argv in (["generate"], ["check"], ["update", "--offline"]):
        result = run("-C", str(root), *argv)
        assert result.code == 4, argv
        assert (
            "the lock records releases of 'alpha' from 1.3 on, but suite 'alpha' has "
            "min-version 1.1: run `compatrix update` to record older ones"
        ) in result.err
    assert snapshot(root) == before
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    lock = loads_lock((root / "compatrix.lock").read_text())
    assert lock.packages["alpha"].releases[0].version == "1.1.0"


def test_metadata_that_rules_out_a_pick_stays_in_the_lock(tmp_path: Path) -> None:
    """Round one picks gamma 1.0 (nothing on its page rules it out); its metadata says
    Python 2 only, so round two picks 2.0 instead. That metadata must stay in the lock,
    or generate would pick 1.0 again."""
    py2 = ("2", "2.7")
    index = Index(
        packages={
            "gamma": [
                Rel(
                    "1.0.0",
                    day(2023, 1, 1),
                    requires_python=None,
                    classifiers=py2,
                    wheel_tags="py2-none-any",
                ),
                Rel("2.0.0", day(2023, 6, 1)),
                Rel("3.0.0", day(2024, 1, 1)),
            ]
        }
    ).write(tmp_path / "index")
    config = (
        'python = ["3.8", "3.12"]\n[defaults]\ncooldown = 0\nnum-versions = 2\neach-major = false\n'
        'pins = "off"\n'
    )
    root = project(tmp_path / "proj", config=config + '[suites.gamma]\npackage = "gamma"\n')
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
        metadata_requests = [p for p in server.paths() if p.endswith(".metadata")]
    # Round one: the picks 1.0 and 3.0 (concurrently); round two: 2.0, which replaced 1.0.
    versions = [p.split("-")[1] for p in metadata_requests]
    assert sorted(versions[:2]) == ["1.0.0", "3.0.0"]
    assert versions[2:] == ["2.0.0"]
    lock = loads_lock((root / "compatrix.lock").read_text())
    assert lock.picks["gamma"] == ("2.0.0", "3.0.0")
    ruled_out = lock.packages["gamma"].release("1.0.0")
    assert ruled_out is not None and ruled_out.metadata is not None
    assert run("-C", str(root), "check").code == 0
    explained = run("-C", str(root), "explain", "gamma", "--format", "json")
    first = json.loads(explained.out)["releases"][0]
    assert first["reason"] == "no-supported-python"
    assert "classifiers declare Python 2.7 only" in first["detail"]


def test_offline_makes_no_request_and_needs_the_lock(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    missing = run("-C", str(root), "update", "--offline")
    assert missing.code == 4
    assert "--offline, but the lock has no facts for 'alpha', 'beta'" in missing.err
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
        requests_before = len(server.log)
        lock_before = (root / "compatrix.lock").read_bytes()
        offline = run("-C", str(root), "update", "--offline", "--index-url", server.index_url)
        assert len(server.log) == requests_before
    assert offline.code == 0, offline.err
    assert (root / "compatrix.lock").read_bytes() == lock_before


def test_same_index_same_clock_same_lock_bytes(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    config = load_config(directory=root)
    now = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    with IndexServer(index) as server:
        request = UpdateRequest(now=now, index_url=server.index_url, no_cache=True)
        first = dumps_lock(run_update(config, request).lock)
        # A second run with a warm cache (and new connections) gives the same bytes.
        cached = replace(request, no_cache=False, cache_dir=tmp_path / "cache")
        second = dumps_lock(run_update(config, cached).lock)
        third = dumps_lock(run_update(config, cached).lock)
    assert first == second == third
    assert json.loads(first)["packages"]["alpha"]["fetched-at"] == "2026-11-24T09:30:00Z"


def test_credentials_never_reach_the_lock_or_messages(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index, auth=("user", "s3cret")) as server:
        url = server.index_url.replace("http://", "http://user:s3cret@")
        ok = run("-C", str(root), "update", "--index-url", url)
        wrong = url.replace("s3cret", "wr0ng")
        refused = run("-C", str(root), "update", "--index-url", wrong)
    assert ok.code == 0, ok.err
    assert "s3cret" not in (root / "compatrix.lock").read_text()
    assert refused.code == 3
    assert "wr0ng" not in refused.err + refused.out


def test_explain_table_and_json(tmp_path: Path, index: Path) -> None:
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
    table = run("-C", str(root), "explain", "alpha")
    assert table.code == 0
    words = " ".join(table.out.split())  # the table wraps to the terminal width
    assert "releases below 1.0 (the lowest min-version) are not recorded" in words
    assert "not-chosen" in table.out
    assert "Requires-Python '>=3.8' admits 3.8" in table.out
    data = json.loads(run("-C", str(root), "explain", "alpha", "--format", "json").out)
    assert data["suite"] == "alpha"
    assert [p["version"] for p in data["picks"]] == ["1.0.0", "1.5.0", "2.0.0"]
    assert data["releases-from"] == "1.0"
    first, second = data["releases"][:2]
    assert (first["version"], first["picked"], first["reason"]) == ("1.0.0", True, None)
    assert (second["version"], second["picked"], second["reason"]) == (
        "1.1.0",
        False,
        "not-chosen",
    )
    verdict = data["picks"][-1]["verdicts"][0]
    assert verdict["python"] == "3.8"
    assert verdict["tested"] is True
    assert "py3.8-alpha-v2.0.0" in data["envs"]


@pytest.mark.parametrize(
    ("files", "argv", "code", "message"),
    [
        pytest.param({}, ["generate"], 2, "no compatrix.toml", id="no-config"),
        pytest.param(
            {"compatrix.toml": "[suites.a]\npackage = 'a'\nnum-versions = 1\nmin_version = '1'\n"},
            ["generate"],
            2,
            "(3 problems)",
            id="invalid-config-all-problems",
        ),
        pytest.param(
            {"compatrix.toml": "python = ['3.12']\n[suites.a]\npackage = 'a'\n"},
            ["generate"],
            4,
            "no lock file at",
            id="no-lock",
        ),
        pytest.param(
            {"compatrix.toml": "python = ['3.12']\n[suites.a]\npackage = 'a'\n"},
            ["update", "--as-of", "yesterday"],
            2,
            "not a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ): 'yesterday'",
            id="bad-as-of",
        ),
        pytest.param(
            {
                "compatrix.toml": "python = ['3.12']\n[suites.a]\npackage = 'a'\n",
                "compatrix.lock": '{"compatrix-lock": 99}',
            },
            ["generate"],
            4,
            "lock format 99 is newer than this compatrix understands",
            id="newer-lock",
        ),
    ],
)
def test_errors_name_the_problem(
    tmp_path: Path, files: dict[str, str], argv: list[str], code: int, message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = run("-C", str(tmp_path), *argv)
    assert result.code == code
    assert message in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)


def test_every_config_problem_is_listed_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "compatrix.toml").write_text(
        "[suites.a]\npackage = 'a'\nnum-versions = 1\nmin_version = '1'\n"
    )
    err = run("-C", str(tmp_path), "generate").err
    assert "suites.a.num-versions: must be an integer from 2 to 1000, got 1" in err
    assert "suites.a.min_version: unknown key; did you mean 'min-version'?" in err
    assert "python: not set" in err
