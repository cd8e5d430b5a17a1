"""The whole report, as Markdown and as JSON, for a matrix with every kind of change."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from compatrix._lock._format import Lock
from compatrix._report import BaseLock
from compatrix._report._changes import ReportFormat, render_report

from ._locks import NOW, WEEK_AGO, config, lock, monthly, rel

DATA = Path(__file__).parent / "data"

PYTHONS = 'python = ["3.9", "3.10", "3.11", "3.12", "3.13"]\n[defaults]\nnum-versions = 2\n'
ALPHA = '[suites.alpha]\npackage = "alpha"\n'
BETA = '[suites.beta]\npackage = "beta[fast]"\nnum-versions = 4\n'
BEFORE = config(PYTHONS + ALPHA + BETA + '[suites.gone]\npackage = "gone"\n')
AFTER = config(PYTHONS + ALPHA + BETA + '[suites.fresh_one]\npackage = "fresh-one"\n')
FRESH = NOW - timedelta(days=5)
YANK_REASON = "broken | see <https://example.org> @maintainer *now*"


def _scenario() -> tuple[BaseLock, Lock]:
    alpha = monthly("1.0.0", "1.1.0", "1.2.0")
    beta = monthly("1.0.0", "1.1.0")
    base = lock({"alpha": alpha, "beta": beta, "gone": monthly("0.1.0", "0.2.0")}, fetched=WEEK_AGO)
    current = lock(
        {
            "alpha": [
                *alpha[:2],
                rel("1.2.0", alpha[2].uploaded or NOW, yanked=YANK_REASON),
                rel("2.0.0b1", FRESH),
            ],
            "beta": [*beta, rel("1.1.1", FRESH), rel("1.2.0", FRESH)],
            "fresh-one": monthly("3.0.0", "3.1.0"),
        }
    )
    return BaseLock(lock=base, source="test", config=BEFORE), current


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        pytest.param("markdown", "report.md", id="markdown"),
        pytest.param("json", "report.json", id="json"),
    ],
)
def test_whole_report(output: ReportFormat, expected: str) -> None:
    base, current = _scenario()
    text = render_report(AFTER, base, current, output=output)
    assert text == (DATA / expected).read_text(encoding="utf-8")


def test_json_and_markdown_tell_the_same_story() -> None:
    base, current = _scenario()
    data = json.loads(render_report(AFTER, base, current, output="json"))
    markdown = render_report(AFTER, base, current)
    assert markdown.splitlines()[0] == data["summary"]
    assert [s["suite"] for s in data["suites"]] == ["alpha", "beta", "fresh_one", "gone"]
    assert [s["status"] for s in data["suites"]] == ["changed", "changed", "added", "removed"]
    rows = sum(len(s["changes"]) for s in data["suites"])
    assert markdown.count("\n| ") - 2 * len(data["suites"]) == rows  # header + rule per table


def test_index_text_cannot_break_the_table_or_mention_anyone() -> None:
    base, current = _scenario()
    markdown = render_report(AFTER, base, current)
    (row,) = [line for line in markdown.splitlines() if "yanked" in line]
    assert row.count(" | ") == 5  # six cells, the reason's "|" escaped
    assert "\\| see \\<https://example.org\\> @\u2060maintainer \\*now\\*" in row
    assert "@maintainer" not in markdown


def test_same_lock_gives_no_output_at_all() -> None:
    _, current = _scenario()
    for output in ("markdown", "json"):
        assert render_report(AFTER, current, current, output=output) == ""
