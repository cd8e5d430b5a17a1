"""A finished bisect, in words and as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from packaging.version import Version

from compatrix._bisect._surface import SurfaceDiff
from compatrix._pythons import PythonVersion
from compatrix._results import Outcome
from compatrix._time import format_time

__all__ = ["BisectReport", "report_json", "report_lines"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BisectReport:
    suite: str
    package: str
    python: PythonVersion
    last_good: Version
    last_good_uploaded: datetime | None
    first_bad: Version
    first_bad_uploaded: datetime | None
    releases: tuple[Version, ...]
    """The range searched, from the good end to the bad end."""
    runs: tuple[tuple[Version, Outcome], ...]
    """The envs run by this invocation, in order."""
    known: int
    """Outcomes known before it (recorded results, an interrupted bisect)."""
    changelog: str | None = None
    surface: SurfaceDiff | None = None
    surface_error: str | None = None
    touched: tuple[str, ...] = ()
    """Removed or changed names the first bad release's failing output mentions."""


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value is not None else "upload date unknown"


def report_lines(report: BisectReport) -> list[str]:
    between = report.releases[1:-1]
    lines = [
        (
            f"{report.suite}: first bad release {report.package} {report.first_bad} "
            f"(uploaded {_day(report.first_bad_uploaded)}) on Python {report.python}"
        ),
        f"last good release: {report.last_good} (uploaded {_day(report.last_good_uploaded)})",
        (
            f"searched {report.releases[0]} to {report.releases[-1]}: {len(between)} releases "
            f"between; {len(report.runs)} env runs, {report.known} outcomes known before"
        ),
    ]
    lines += [f"  ran {version}: {outcome}" for version, outcome in report.runs]
    if report.changelog:
        lines.append(f"changelog: {report.changelog}")
    if report.surface_error:
        lines.append(f"public surface: not compared ({report.surface_error})")
    elif report.surface is not None:
        diff = report.surface
        lines.append(f"public surface, {report.last_good} -> {report.first_bad}:")
        if report.touched:
            lines.append(f"  named in the failing run's output: {', '.join(report.touched)}")
        if diff.empty:
            lines.append("  no change found in public modules, names or signatures")
        lines += [f"  module added: {m}" for m in diff.modules_added]
        lines += [f"  module removed: {m}" for m in diff.modules_removed]
        lines += [f"  removed: {n}" for n in diff.names_removed]
        lines += [f"  added: {n}" for n in diff.names_added]
        for name, before, after in diff.changed:
            lines.append(f"  changed: {name}: {before} -> {after}")
    return lines


def _release(version: Version, uploaded: datetime | None) -> dict[str, Any]:
    return {
        "version": str(version),
        "uploaded": format_time(uploaded) if uploaded is not None else None,
    }


def report_json(report: BisectReport) -> str:
    surface: dict[str, Any] | None = None
    if report.surface is not None:
        diff = report.surface
        surface = {
            "modules-added": list(diff.modules_added),
            "modules-removed": list(diff.modules_removed),
            "names-added": list(diff.names_added),
            "names-removed": list(diff.names_removed),
            "changed": [{"name": n, "before": b, "after": a} for n, b, a in diff.changed],
        }
    data = {
        "suite": report.suite,
        "package": report.package,
        "python": str(report.python),
        "first-bad": _release(report.first_bad, report.first_bad_uploaded),
        "last-good": _release(report.last_good, report.last_good_uploaded),
        "between": [str(v) for v in report.releases[1:-1]],
        "runs": [{"version": str(v), "outcome": o} for v, o in report.runs],
        "known-before": report.known,
        "changelog": report.changelog,
        "surface": surface,
        "surface-error": report.surface_error,
        "touched": list(report.touched),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
