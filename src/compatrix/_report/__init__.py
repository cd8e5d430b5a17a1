"""What compatrix tells about a matrix: ``explain`` (why each release was picked or not,
with the evidence per Python) and ``report`` (what changed since another lock)."""

from __future__ import annotations

from compatrix._report._base import BaseLock, load_base_lock
from compatrix._report._changes import render_report
from compatrix._report._explain import explain_json, explain_table

__all__ = ["BaseLock", "explain_json", "explain_table", "load_base_lock", "render_report"]
