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
from compatrix._results._model import OUTCOMES, Outcome, Result, ResultKey, Results
from compatrix._results._parse import RunRecord, parse_junit, parse_result_file, parse_tox_json

__all__ = [
    "OUTCOMES",
    "RESULTS_FORMAT",
    "Ingested",
    "Outcome",
    "Rejected",
    "Result",
    "ResultKey",
    "Results",
    "RunRecord",
    "dumps_results",
    "ingest",
    "loads_results",
    "parse_env_name",
    "parse_junit",
    "parse_result_file",
    "parse_tox_json",
    "read_results",
]
