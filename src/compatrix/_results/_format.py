"""The results file (``compatrix-results.json``): every outcome recorded, deterministic.

The format is JSON, documented in ``docs/evidence.md``: suites sorted by name, each with
the package it tested and its results by version then Python, one result per line so that
a new outcome shows as one changed line in a diff.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, cast

from packaging.version import InvalidVersion, Version

from compatrix._fs import read_text
from compatrix._pythons import PythonVersion
from compatrix._results._model import OUTCOMES, Outcome, Result, Results
from compatrix._results._parse import fail
from compatrix.errors import ResultsError

__all__ = ["RESULTS_FORMAT", "dumps_results", "loads_results", "read_results"]

RESULTS_FORMAT = 1
"""The results format this compatrix writes and reads."""

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _line(result: Result) -> dict[str, str]:
    entry = {
        "version": str(result.version),
        "python": str(result.python),
        "outcome": result.outcome,
        "date": result.date.isoformat(),
        "env": result.env,
    }
    if result.commit is not None:
        entry["commit"] = result.commit
    return entry


def dumps_results(results: Results) -> str:
    """The file's text: the same results always give the same bytes."""
    suites = sorted({r.suite for r in results.results.values()} | set(results.packages))
    out = ["{", f'  "format": {RESULTS_FORMAT},', '  "suites": {']
    for i, suite in enumerate(suites):
        rows = results.of_suite(suite)
        out.append(f"    {_JSON.encode(suite)}: {{")
        out.append(f'      "package": {_JSON.encode(results.packages.get(suite, suite))},')
        if not rows:
            out.append('      "results": []')
        else:
            out.append('      "results": [')
            out.extend(
                f"        {_JSON.encode(_line(r))}{',' if j < len(rows) - 1 else ''}"
                for j, r in enumerate(rows)
            )
            out.append("      ]")
        out.append("    }" + ("," if i < len(suites) - 1 else ""))
    out += ["  }", "}", ""]
    return "\n".join(out)


def read_results(path: Path) -> Results:
    """The results file at ``path``; empty results when there is none yet."""
    text = read_text(path)
    if text is None:
        return Results()
    return loads_results(text, source=str(path))


def loads_results(text: str, *, source: str) -> Results:
    """Parse the results file; :class:`ResultsError` names the file and the entry."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        msg = f"{source}: not valid JSON ({exc})"
        raise ResultsError(msg) from None
    if not isinstance(data, dict):
        raise fail(source, "top level", "expected an object")
    version = data.get("format")
    if version != RESULTS_FORMAT:
        problem = (
            f"results format {version!r} is not supported (this compatrix reads format "
            f"{RESULTS_FORMAT}); upgrade compatrix"
        )
        raise fail(source, "format", problem)
    suites = data.get("suites")
    if not isinstance(suites, dict):
        raise fail(source, "suites", "expected an object of suite name -> results")
    results: dict[tuple[str, Version, PythonVersion], Result] = {}
    packages: dict[str, str] = {}
    for suite, body in cast("Mapping[str, Any]", suites).items():
        if not isinstance(body, dict) or not isinstance(body.get("package"), str):
            raise fail(source, f"suites.{suite}", 'expected {"package": ..., "results": [...]}')
        packages[suite] = body["package"]
        rows = body.get("results")
        if not isinstance(rows, list):
            raise fail(source, f"suites.{suite}.results", "expected an array")
        for index, row in enumerate(rows):
            result = _result(suite, row, source=source, where=f"suites.{suite}.results[{index}]")
            results[result.key] = result
    return Results(results=results, packages=packages)


def _result(suite: str, row: object, *, source: str, where: str) -> Result:
    if not isinstance(row, dict):
        raise fail(source, where, "expected an object")
    fields = cast("Mapping[str, Any]", row)
    for key in ("version", "python", "outcome", "date", "env"):
        if not isinstance(fields.get(key), str):
            raise fail(source, f"{where}.{key}", "missing, or not a string")
    commit = fields.get("commit")
    if commit is not None and not isinstance(commit, str):
        raise fail(source, f"{where}.commit", "not a string")
    try:
        version = Version(fields["version"])
    except InvalidVersion:
        raise fail(source, f"{where}.version", f"not a version: {fields['version']!r}") from None
    try:
        python = PythonVersion.parse(fields["python"])
    except ValueError as exc:
        raise fail(source, f"{where}.python", str(exc)) from None
    outcome = fields["outcome"]
    if outcome not in OUTCOMES:
        raise fail(source, f"{where}.outcome", f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
    try:
        day = date.fromisoformat(fields["date"])
    except ValueError:
        raise fail(source, f"{where}.date", f"not a date: {fields['date']!r}") from None
    return Result(
        suite=suite,
        version=version,
        python=python,
        outcome=cast("Outcome", outcome),
        date=day,
        env=fields["env"],
        commit=commit,
    )
