"""Results: what running the envs proved (tox ``--result-json`` files and JUnit XML),
recorded per suite, version and Python in a committed results file."""

from __future__ import annotations

from compatrix._results._format import dumps_results, loads_results, read_results
from compatrix._results._ingest import ingest
from compatrix._results._markdown import fill_region, table_json, table_markdown
from compatrix._results._model import OUTCOMES, Outcome, Result, Results
from compatrix._results._parse import RunRecord, parse_junit, parse_result_file, parse_tox_json
from compatrix._results._table import declared_floors, support_table

__all__ = [
    "OUTCOMES",
    "Outcome",
    "Result",
    "Results",
    "RunRecord",
    "declared_floors",
    "dumps_results",
    "fill_region",
    "ingest",
    "loads_results",
    "parse_junit",
    "parse_result_file",
    "parse_tox_json",
    "read_results",
    "support_table",
    "table_json",
    "table_markdown",
]
