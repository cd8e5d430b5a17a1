"""``compatrix results``: runs of the demo's envs recorded in compatrix-results.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli._project import run, snapshot
from tests.results._demo import demo, tox_env, tox_json

from compatrix._results import loads_results, read_results


def test_records_pinned_and_latest_envs_and_ignores_the_rest(tmp_path: Path) -> None:
    project = demo(tmp_path)
    report = tox_json(
        tmp_path / "r.json",
        {
            "py3.8-httpx-v0.20.0": tox_env("3.8"),
            "py3.12-httpx-latest": tox_env("3.12", outcome="failed", installed=("httpx==0.28.1",)),
            "py3.13-requests-v2.34.2": tox_env("3.13", outcome="error"),
            "py3.12-httpx-v0.24.0": tox_env("3.12"),
            "py3.8-attrs-v99.0.0": tox_env("3.8"),
            "py3.8-django-v5.0.0": tox_env("3.8"),
            "py3.10-click-v8.2.1": tox_env("3.11"),
            "py3.12-click-latest": tox_env("3.12"),
            "lint": tox_env("3.12"),
        },
    )
    result = run(
        "-C", str(project), "results", str(report), "--date", "2026-12-03", "--commit", "abc"
    )
    assert result.code == 0, result.err
    ignored = [line for line in result.err.splitlines() if line.startswith("warning: ignored")]
    where = f"warning: ignored {report}: "
    assert ignored == [
        where
        + "py3.12-httpx-v0.24.0: not an env of the current matrix (from an older config or lock?)",
        where + "py3.8-attrs-v99.0.0: attrs 99.0.0 is not in the lock",
        where + "py3.8-django-v5.0.0: no suite of this env in compatrix.toml (an older config?)",
        where + "py3.10-click-v8.2.1: ran on Python 3.11, not 3.10",
        where + "py3.12-click-latest: cannot tell which version of click the -latest env installed",
        where + "lint: not an env compatrix generates",
    ]
    assert "3 results recorded, 6 runs ignored; wrote compatrix-results.json" in result.err
    text = (project / "compatrix-results.json").read_text(encoding="utf-8")
    assert text == (
        "{\n"
        '  "format": 1,\n'
        '  "suites": {\n'
        '    "httpx": {\n'
        '      "package": "httpx",\n'
        '      "results": [\n'
        '        {"version": "0.20.0", "python": "3.8", "outcome": "passed", '
        '"date": "2026-12-03", "env": "py3.8-httpx-v0.20.0", "commit": "abc"},\n'
        '        {"version": "0.28.1", "python": "3.12", "outcome": "failed", '
        '"date": "2026-12-03", "env": "py3.12-httpx-latest", "commit": "abc"}\n'
        "      ]\n"
        "    },\n"
        '    "requests": {\n'
        '      "package": "requests",\n'
        '      "results": [\n'
        '        {"version": "2.34.2", "python": "3.13", "outcome": "error", '
        '"date": "2026-12-03", "env": "py3.13-requests-v2.34.2", "commit": "abc"}\n'
        "      ]\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert loads_results(text, source="x") == read_results(project / "compatrix-results.json")


def test_a_newer_run_replaces_an_older_one_and_the_same_run_changes_nothing(
    tmp_path: Path,
) -> None:
    project = demo(tmp_path)
    first = tox_json(tmp_path / "a.json", {"py3.8-httpx-v0.20.0": tox_env("3.8", outcome="failed")})
    second = tox_json(tmp_path / "b.json", {"py3.8-httpx-v0.20.0": tox_env("3.8")})
    assert run("-C", str(project), "results", str(first), "--date", "2026-12-01").code == 0
    assert run("-C", str(project), "results", str(second), "--date", "2026-12-02").code == 0
    before = snapshot(project)
    again = run("-C", str(project), "results", str(first), "--date", "2026-11-30")
    assert again.code == 0
    assert "compatrix-results.json is up to date" in again.err
    assert snapshot(project) == before
    (kept,) = read_results(project / "compatrix-results.json").results.values()
    assert (kept.outcome, str(kept.date)) == ("passed", "2026-12-02")


def test_junit_report_named_after_its_env(tmp_path: Path) -> None:
    project = demo(tmp_path)
    report = tmp_path / "junit-py3.9-attrs-latest.xml"
    report.write_text('<testsuite name="pytest" tests="1"/>', encoding="utf-8")
    named = tmp_path / "report.xml"
    named.write_text(
        '<testsuites><testsuite name="py3.8-attrs-v19.3.0" tests="2" failures="1"'
        ' timestamp="2026-11-29T08:00:00"/></testsuites>',
        encoding="utf-8",
    )
    result = run("-C", str(project), "results", str(report), str(named), "--date", "2026-12-03")
    assert result.code == 0
    assert "py3.9-attrs-latest: cannot tell which version of attrs" in result.err
    (only,) = read_results(project / "compatrix-results.json").results.values()
    assert (only.env, only.outcome, str(only.date)) == (
        "py3.8-attrs-v19.3.0",
        "failed",
        "2026-11-29",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{", "not valid JSON", id="malformed"),
        pytest.param(
            '{"testenvs": {"py3.8-httpx-v0.20.0": {"setup": []}}}', "has no result", id="partial"
        ),
    ],
)
def test_a_bad_file_among_good_ones_writes_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    project = demo(tmp_path)
    good = tox_json(tmp_path / "good.json", {"py3.8-httpx-v0.20.0": tox_env("3.8")})
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    before = snapshot(project)
    result = run("-C", str(project), "results", str(good), str(bad))
    assert result.code == 6
    assert f"{bad}: " in result.err
    assert message in result.err
    assert snapshot(project) == before


def test_a_broken_results_file_is_reported_not_overwritten(tmp_path: Path) -> None:
    project = demo(tmp_path)
    target = project / "compatrix-results.json"
    target.write_text(
        json.dumps(
            {"format": 1, "suites": {"httpx": {"package": "httpx", "results": [{"version": "x"}]}}}
        ),
        encoding="utf-8",
    )
    good = tox_json(tmp_path / "good.json", {"py3.8-httpx-v0.20.0": tox_env("3.8")})
    result = run("-C", str(project), "results", str(good))
    assert result.code == 6
    assert (
        "compatrix-results.json: suites.httpx.results[0].python: missing, or not a string"
        in result.err
    )


def test_missing_result_file_is_a_usage_error(tmp_path: Path) -> None:
    project = demo(tmp_path)
    result = run("-C", str(project), "results", str(tmp_path / "nope.json"))
    assert (result.code, result.err.strip()) == (
        2,
        f"error: no such result file: {tmp_path / 'nope.json'}",
    )
