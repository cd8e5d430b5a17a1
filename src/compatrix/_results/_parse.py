"""Reading what ran: tox ``--result-json`` files and JUnit XML, as one record per env.

Both readers are pure functions of the file's text; a file that is not what it claims, or
that stops half-way (an interrupted run), is a :class:`ResultsError` naming the file and
the entry. Which suite, version and Python an env is, is :mod:`._ingest`'s to decide.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from packaging.utils import canonicalize_name

from compatrix._pythons import PythonVersion
from compatrix._results._model import Outcome
from compatrix._time import parse_time
from compatrix.errors import ResultsError

__all__ = ["RunRecord", "fail", "parse_junit", "parse_result_file", "parse_tox_json"]

_JUNIT_PREFIX = re.compile(r"^(junit|test-results|results)[-_.]", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRecord:
    """One env's run as a result file tells it."""

    source: str
    """The file it came from (for messages)."""
    env: str
    outcome: Outcome
    python: PythonVersion | None = None
    """The Python that actually ran it, when the file says (tox JSON does)."""
    installed: Mapping[str, str] = field(default_factory=dict)
    """Normalized name -> version installed in the env, when the file says (tox JSON)."""
    day: date | None = None
    """When it ran, when the file says (JUnit ``timestamp``)."""
    output: str = ""
    """What the test commands printed (tox JSON), the end of it when long."""


def parse_result_file(text: str, *, source: str) -> tuple[RunRecord, ...]:
    """The records of a tox result JSON or a JUnit XML file, told apart by content."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return parse_tox_json(text, source=source)
    if stripped.startswith("<"):
        return parse_junit(text, source=source)
    msg = f"{source}: neither a tox --result-json file (JSON) nor JUnit XML"
    raise ResultsError(msg)


def fail(source: str, where: str, problem: str) -> ResultsError:
    """The error for a result or results file: the file, where in it, what is wrong."""
    return ResultsError(f"{source}: {where}: {problem}")


def parse_tox_json(text: str, *, source: str) -> tuple[RunRecord, ...]:
    """Every env of a ``tox --result-json`` file (tox 4), in file order."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        msg = f"{source}: not valid JSON ({exc})"
        raise ResultsError(msg) from None
    if not isinstance(data, dict) or not isinstance(data.get("testenvs"), dict):
        raise fail(source, "top level", 'not a tox result file (no "testenvs" object)')
    records = []
    for env, body in cast("Mapping[str, Any]", data["testenvs"]).items():
        if env.startswith(".pkg"):
            continue  # tox's packaging env
        if body == {}:
            continue  # in env_list but not run (tox lists every env of env_list)
        records.append(_tox_env(env, body, source=source))
    return tuple(records)


def _tox_env(env: str, body: object, *, source: str) -> RunRecord:
    where = f"testenvs.{env}"
    if not isinstance(body, dict):
        raise fail(source, where, "expected an object")
    entry = cast("Mapping[str, Any]", body)
    result = entry.get("result")
    outcome: Outcome
    if isinstance(result, dict) and isinstance(result.get("success"), bool):
        if result.get("skipped") is True:
            outcome = "skipped"
        elif result["success"]:
            outcome = "passed"
        elif any(_failed(step) for step in entry.get("setup") or ()):
            outcome = "error"
        else:
            outcome = "failed"
    elif isinstance(entry.get("test"), list) and entry["test"]:
        # tox 3 (the Python 3.5 and 3.6 containers) writes no "result": the commands say.
        if any(_failed(step) for step in entry.get("setup") or ()):
            outcome = "error"
        else:
            outcome = "failed" if any(_failed(step) for step in entry["test"]) else "passed"
    else:
        problem = "has no result (was the run interrupted before this env finished?)"
        raise fail(source, where, problem)
    return RunRecord(
        source=source,
        env=env,
        outcome=outcome,
        python=_tox_python(entry.get("python"), source=source, where=f"{where}.python"),
        installed=_installed(entry.get("installed_packages")),
        output=_output(entry.get("test")),
    )


_OUTPUT_LIMIT = 20_000


def _output(steps: object) -> str:
    parts = []
    for step in steps if isinstance(steps, list) else ():
        if isinstance(step, dict):
            parts += [t for t in (step.get("output"), step.get("err")) if isinstance(t, str)]
    return "".join(parts)[-_OUTPUT_LIMIT:]


def _failed(step: object) -> bool:
    if not isinstance(step, dict):
        return False
    code = step.get("retcode")
    return code is not None and str(code).strip() != "0"


def _tox_python(value: object, *, source: str, where: str) -> PythonVersion | None:
    if value is None:
        return None  # an env that failed before its interpreter was found
    info = value.get("version_info") if isinstance(value, dict) else None
    if not isinstance(info, list) or len(info) < 2 or not all(isinstance(i, int) for i in info[:2]):
        raise fail(source, where, "expected version_info [major, minor, ...]")
    threaded = bool(cast("Mapping[str, Any]", value).get("free_threaded"))
    return PythonVersion(info[0], info[1], free_threaded=threaded)


def _installed(value: object) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in value if isinstance(value, list) else ():
        if isinstance(line, str) and "==" in line:
            name, _, version = line.partition("==")
            found[canonicalize_name(name.split("[")[0].strip())] = version.strip()
    return found


def parse_junit(text: str, *, source: str) -> tuple[RunRecord, ...]:
    """One record per ``<testsuite>`` of a JUnit XML file.

    The env is the testsuite's ``name`` when it is not pytest's default (``pytest -o
    junit_suite_name={envname}``), else the file's name without its suffix and a leading
    ``junit-`` (``junit-py3.12-httpx-v0.28.1.xml``).
    """
    try:
        root = ET.fromstring(text)  # noqa: S314 (the project's own CI output)
    except ET.ParseError as exc:
        msg = f"{source}: not valid XML ({exc})"
        raise ResultsError(msg) from None
    if root.tag == "testsuite":
        suites = [root]
    elif root.tag == "testsuites":
        suites = root.findall("testsuite")
    else:
        raise fail(source, f"<{root.tag}>", "not JUnit XML (expected <testsuites> or <testsuite>)")
    if not suites:
        raise fail(source, "<testsuites>", "no <testsuite> (was the run interrupted?)")
    stem = source.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".xml")
    stem = _JUNIT_PREFIX.sub("", stem)
    records = []
    for index, suite in enumerate(suites):
        name = suite.get("name") or ""
        env = name if name and name != "pytest" else stem
        where = f"testsuite[{index}] ({env})"
        counts = {}
        for key in ("tests", "failures", "errors", "skipped"):
            raw = suite.get(key, "0")
            if not raw.isdigit():
                raise fail(source, f"{where}.{key}", f"not a count: {raw!r}")
            counts[key] = int(raw)
        outcome: Outcome
        if counts["failures"]:
            outcome = "failed"
        elif counts["errors"]:
            outcome = "error"
        elif counts["tests"] == counts["skipped"]:
            outcome = "skipped"
        else:
            outcome = "passed"
        stamp = suite.get("timestamp")
        day = None
        if stamp:
            try:
                day = parse_time(stamp).date()
            except ValueError:
                raise fail(source, f"{where}.timestamp", f"not a time: {stamp!r}") from None
        records.append(RunRecord(source=source, env=env, outcome=outcome, day=day))
    return tuple(records)
