"""Results: what running the envs proved (tox ``--result-json`` files and JUnit XML),
recorded per suite, version and Python in a committed results file."""

from __future__ import annotations

from compatrix._results._format import (
    RESULTS_FORMAT,
    dumps_results,
    loads_results,
    read_results,
)
from compatrix._results._ingest import Ingested, Rejected, ingest, parse_env_name
from compatrix._results._markdown import REGION, fill_region, table_json, table_markdown
from compatrix._results._model import OUTCOMES, Outcome, Result, ResultKey, Results
from compatrix._results._parse import RunRecord, parse_junit, parse_result_file, parse_tox_json
from compatrix._results._table import (
    DeclaredFloor,
    PythonRow,
    Span,
    SuiteTable,
    SupportTable,
    declared_floors,
    support_table,
)

__all__ = [
    "OUTCOMES",
    "REGION",
    "RESULTS_FORMAT",
    "DeclaredFloor",
    "Ingested",
    "Outcome",
    "PythonRow",
    "Rejected",
    "Result",
    "ResultKey",
    "Results",
    "RunRecord",
    "Span",
    "SuiteTable",
    "SupportTable",
    "declared_floors",
    "dumps_results",
    "fill_region",
    "ingest",
    "loads_results",
    "parse_env_name",
    "parse_junit",
    "parse_result_file",
    "parse_tox_json",
    "read_results",
    "support_table",
    "table_json",
    "table_markdown",
]
