"""Reading tox --result-json files and JUnit XML into one record per env."""

from __future__ import annotations

import json

import pytest
from tests.results._demo import tox_env

from compatrix._pythons import PythonVersion
from compatrix._results import parse_junit, parse_result_file, parse_tox_json
from compatrix.errors import ResultsError


@pytest.mark.parametrize(
    ("outcome"),
    [
        pytest.param("passed", id="passed"),
        pytest.param("failed", id="test-command-failed"),
        pytest.param("error", id="install-failed"),
        pytest.param("skipped", id="skipped"),
    ],
)
def test_tox_json_outcomes(outcome: str) -> None:
    env = tox_env("3.12", outcome=outcome, installed=("HTTPX==0.28.1", "anyio==4.0"))
    not_run: dict[str, object] = {}
    text = json.dumps({"testenvs": {".pkg": {}, "py3.12-httpx-v0.28.1": env, "lint": not_run}})
    (record,) = parse_tox_json(text, source="r.json")
    assert record.env == "py3.12-httpx-v0.28.1"
    assert record.outcome == outcome
    assert record.python == PythonVersion(3, 12)
    assert record.installed == {"httpx": "0.28.1", "anyio": "4.0"}


JUNIT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="{name}" errors="{errors}" failures="{failures}" skipped="{skipped}"
 tests="{tests}" time="0.1" timestamp="2026-11-30T10:00:00.1"></testsuite></testsuites>
"""


@pytest.mark.parametrize(
    ("counts", "outcome"),
    [
        pytest.param((3, 0, 0, 1), "passed", id="passed-with-a-skip"),
        pytest.param((3, 1, 1, 0), "failed", id="failure-wins-over-error"),
        pytest.param((3, 0, 1, 0), "error", id="error"),
        pytest.param((2, 0, 0, 2), "skipped", id="all-skipped"),
    ],
)
def test_junit_outcomes(counts: tuple[int, int, int, int], outcome: str) -> None:
    tests, failures, errors, skipped = counts
    text = JUNIT.format(
        name="py3.9-click-v8.2.1", tests=tests, failures=failures, errors=errors, skipped=skipped
    )
    (record,) = parse_junit(text, source="out/report.xml")
    assert (record.env, record.outcome) == ("py3.9-click-v8.2.1", outcome)
    assert str(record.day) == "2026-11-30"


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [
        pytest.param({"test": [{"retcode": "0"}]}, "passed", id="passed"),
        pytest.param({"test": [{"retcode": 0}, {"retcode": "1"}]}, "failed", id="failed"),
        pytest.param(
            {"setup": [{"retcode": 1}], "test": [{"retcode": 0}]}, "error", id="setup-failed"
        ),
    ],
)
def test_tox3_files_have_no_result_but_commands(steps: dict[str, object], outcome: str) -> None:
    env = {"python": {"version_info": [3, 6, 15, "final", 0]}, **steps}
    (record,) = parse_tox_json(json.dumps({"testenvs": {"py3.6-a-v1": env}}), source="r")
    assert record.outcome == outcome


def test_junit_env_from_file_name_when_the_suite_has_pytest_default_name() -> None:
    text = JUNIT.format(name="pytest", tests=1, failures=0, errors=0, skipped=0)
    (record,) = parse_result_file(text, source="reports/junit-py3.9-click-v8.2.1.xml")
    assert record.env == "py3.9-click-v8.2.1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{not json", "r.json: not valid JSON", id="bad-json"),
        pytest.param('{"envs": {}}', "r.json: top level: not a tox result file", id="no-testenvs"),
        pytest.param(
            '{"testenvs": {"py3.8-a-v1": {"python": null}}}',
            "r.json: testenvs.py3.8-a-v1: has no result (was the run interrupted",
            id="partial-env",
        ),
        pytest.param(
            '{"testenvs": {"py3.8-a-v1": {"result": {"success": true}, "python": {"x": 1}}}}',
            "r.json: testenvs.py3.8-a-v1.python: expected version_info",
            id="bad-python",
        ),
        pytest.param("<testsuites><testsuite", "r.json: not valid XML", id="bad-xml"),
        pytest.param("<html/>", "r.json: <html>: not JUnit XML", id="not-junit"),
        pytest.param("<testsuites/>", "r.json: <testsuites>: no <testsuite>", id="empty-junit"),
        pytest.param(
            '<testsuite name="py3.8-a-v1" tests="x"/>',
            "r.json: testsuite[0] (py3.8-a-v1).tests: not a count: 'x'",
            id="bad-count",
        ),
        pytest.param("hello", "r.json: neither a tox --result-json file", id="neither"),
    ],
)
def test_malformed_files_name_file_and_entry(text: str, message: str) -> None:
    with pytest.raises(ResultsError) as info:
        parse_result_file(text, source="r.json")
    assert str(info.value).startswith(message)
