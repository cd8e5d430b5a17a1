"""The supported-versions table: spans per Python, declared floors, the docs region."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version
from tests.cli._project import run, snapshot
from tests.results._demo import DEMO, demo, tox_env, tox_json
from tests.selection._build import facts, release, suite

from compatrix._lock import Lock
from compatrix._results import declared_floors, fill_region
from compatrix._results._table import _releases, _spans
from compatrix.errors import OutputError

RELEASES = [Version(v) for v in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5")]


def _show(outcomes: dict[str, str]) -> list[str]:
    spans = _spans(RELEASES, {Version(k): v for k, v in outcomes.items()})
    return [f"{s.status} {s.label()} ({s.tested}/{s.count})" for s in spans]


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        pytest.param({}, ["untested 1.0 to 1.5 (0/6)"], id="nothing-run"),
        pytest.param(
            {"1.0": "passed", "1.3": "passed"},
            ["passed 1.0 to 1.3 (2/4)", "untested 1.4 to 1.5 (0/2)"],
            id="pass-range-spans-the-untested-between",
        ),
        pytest.param(
            {"1.0": "passed", "1.2": "passed", "1.4": "failed", "1.5": "failed"},
            ["passed 1.0 to 1.2 (2/3)", "untested 1.3 (0/1)", "failed 1.4 to 1.5 (2/2)"],
            id="break-between-a-pass-and-a-fail-is-untested",
        ),
        pytest.param(
            {"1.1": "failed", "1.3": "passed"},
            [
                "untested 1.0 (0/1)",
                "failed 1.1 (1/1)",
                "untested 1.2 (0/1)",
                "passed 1.3 (1/1)",
                "untested 1.4 to 1.5 (0/2)",
            ],
            id="a-fix-after-a-failure",
        ),
    ],
)
def test_spans(outcomes: dict[str, str], expected: list[str]) -> None:
    assert _show(outcomes) == expected


@pytest.mark.parametrize(
    ("keys", "covered"),
    [
        pytest.param({}, ["1.0", "1.1", "1.2", "1.3"], id="every-final-release"),
        pytest.param({"min_version": "1.1"}, ["1.1", "1.2", "1.3"], id="min-version"),
        pytest.param({"include": "<1.2"}, ["1.0", "1.1"], id="include"),
        pytest.param({"exclude": {"1.1": "broken"}}, ["1.0", "1.2", "1.3"], id="exclude"),
    ],
)
def test_the_table_covers_the_releases_the_config_lets_the_suite_test(
    keys: dict[str, Any], covered: list[str]
) -> None:
    """A release the suite may not pick is not "untested": it is not the suite's to test."""
    releases = (
        *(release(v) for v in ("1.0", "1.1", "1.2", "1.3")),
        release("1.4rc1"),
        release("0.9", yanked=True),
    )
    lock = Lock(packages={"pkg": facts(*releases)})
    assert [str(v) for v in _releases(lock, suite(**keys))] == covered


def test_declared_floors_from_dependencies_and_extras() -> None:
    pyproject = {
        "project": {
            "dependencies": ["HTTPX>=0.21,<1", "anyio"],
            "optional-dependencies": {
                "http": ["httpx[http2]~=0.23.0"],
                "any": ["httpx"],
                "bad": ["not a requirement ="],
            },
        }
    }
    floors = [(f.where, str(f.version)) for f in declared_floors(pyproject, "httpx")]
    assert floors == [
        ("pyproject.toml dependencies", "0.21"),
        ("pyproject.toml extra 'http'", "0.23.0"),
    ]


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        pytest.param(None, "<!-- >>> compatrix: supported-versions", id="new-file"),
        pytest.param("# Docs\n", "# Docs\n\n<!-- >>> compatrix", id="appended"),
        pytest.param(
            "a\n<!-- >>> compatrix: supported-versions -->\nold\n"
            "<!-- <<< compatrix: supported-versions -->\nb\n",
            "a\n<!-- >>> compatrix: supported-versions -->\nBODY\n"
            "<!-- <<< compatrix: supported-versions -->\nb\n",
            id="replaced-in-place",
        ),
    ],
)
def test_fill_region(existing: str | None, expected: str) -> None:
    assert fill_region(existing, "BODY\n", path="d.md").startswith(expected)


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        pytest.param(
            "<!-- >>> compatrix: supported-versions -->\n",
            "d.md:1: region 'supported-versions' begins here but never ends",
            id="no-end",
        ),
        pytest.param(
            "x\n<!-- <<< compatrix: supported-versions -->\n",
            "d.md:2: end of region 'supported-versions' without a matching begin marker",
            id="no-begin",
        ),
        pytest.param(
            "<!-- >>> compatrix: tables -->\n",
            "d.md:1: unknown compatrix region 'tables'",
            id="unknown-name",
        ),
    ],
)
def test_broken_markers(existing: str, message: str) -> None:
    with pytest.raises(OutputError) as info:
        fill_region(existing, "BODY\n", path="d.md")
    assert str(info.value).startswith(message)


def test_table_of_the_demo_from_recorded_runs(tmp_path: Path) -> None:
    project = demo(tmp_path)
    report = tox_json(
        tmp_path / "r.json",
        {
            "py3.8-httpx-v0.20.0": tox_env("3.8"),
            "py3.8-httpx-v0.23.3": tox_env("3.8"),
            "py3.8-httpx-v0.25.2": tox_env("3.8", outcome="failed"),
            "py3.12-httpx-v0.25.2": tox_env("3.12"),
        },
    )
    assert run("-C", str(project), "results", str(report), "--date", "2026-12-03").code == 0
    result = run("-C", str(project), "table", "httpx")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "| 3.8 | 0.20.0 to 0.23.3 | 0.25.2 | 0.24.0 to 0.25.1, 0.26.0 to 0.29.0 |" in lines
    assert "| 3.12 | 0.25.2 | none | 0.20.0 to 0.25.1, 0.26.0 to 0.29.0 |" in lines
    assert (
        "- suites.httpx.min-version declares 0.20.0: the lowest release that passed is "
        "0.25.2 on 3.12; nothing passed on 3.9, 3.10, 3.11, 3.13"
    ) in lines

    docs = project / "SUPPORTED.md"
    docs.write_text("# Supported versions\n\nHand-written intro.\n", encoding="utf-8")
    written = run("-C", str(project), "table", "httpx", "--write", "SUPPORTED.md")
    assert (written.code, written.err.strip()) == (0, "wrote SUPPORTED.md")
    text = docs.read_text(encoding="utf-8")
    assert text.startswith("# Supported versions\n\nHand-written intro.\n\n<!-- >>> compatrix")
    assert "| 3.8 | 0.20.0 to 0.23.3 | 0.25.2 | 0.24.0 to 0.25.1, 0.26.0 to 0.29.0 |" in text
    before = snapshot(project)
    again = run("-C", str(project), "table", "httpx", "--write", "SUPPORTED.md")
    assert again.err.strip() == "SUPPORTED.md is up to date"
    assert snapshot(project) == before


def test_table_json_and_stale_results(tmp_path: Path) -> None:
    project = demo(tmp_path)
    (project / "compatrix-results.json").write_text(
        '{"format": 1, "suites": {"gone": {"package": "gone", "results": []}, '
        '"attrs": {"package": "attrs", "results": [{"version": "22.2.0", "python": "3.10", '
        '"outcome": "passed", "date": "2026-12-01", "env": "py3.10-attrs-v22.2.0"}]}}}',
        encoding="utf-8",
    )
    result = run("-C", str(project), "table", "attrs", "--format", "json")
    assert result.code == 0
    assert (
        "warning: left out results of suite 'gone': no such suite in compatrix.toml" in result.err
    )

    (attrs,) = json.loads(result.out)["suites"]
    row = next(p for p in attrs["pythons"] if p["python"] == "3.10")
    assert row["proven-floor"] == "22.2.0"
    assert row["passed"] == [{"first": "22.2.0", "last": "22.2.0", "releases": 1, "tested": 1}]


def test_write_and_json_together_is_a_usage_error(tmp_path: Path) -> None:
    project = demo(tmp_path)
    result = run("-C", str(project), "table", "--format", "json", "--write", "x.md")
    assert result.code == 2


def test_the_demo_table_in_the_docs_is_current(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"
    copy = tmp_path / "evidence.md"
    copy.write_bytes(docs.read_bytes())
    result = run("-C", str(DEMO), "table", "--write", str(copy))
    assert result.code == 0, result.err
    assert copy.read_text(encoding="utf-8") == docs.read_text(encoding="utf-8"), (
        "run: compatrix -C examples/demo table --write ../../docs/evidence.md"
    )
