"""What compatrix tells about a matrix: ``explain`` (why each release was picked or not,
with the evidence per Python) and ``report`` (what changed since another lock)."""

from __future__ import annotations

from compatrix._report._changes import (
    BaseLock,
    Report,
    build_report,
    load_base_lock,
    render_report,
    report_data,
    report_json,
    report_markdown,
)
from compatrix._report._explain import explain_data, explain_json, explain_table

__all__ = [
    "BaseLock",
    "Report",
    "build_report",
    "explain_data",
    "explain_json",
    "explain_table",
    "load_base_lock",
    "render_report",
    "report_data",
    "report_json",
    "report_markdown",
]
