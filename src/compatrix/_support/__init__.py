"""Which of the project's Pythons a release supports, and the evidence for each verdict.

Evidence is weighed strongest first (docs/selection.md): Requires-Python, the wheels a
release ships, its upload date against CPython's first betas, its Python classifiers, and
finally the suite's own Python restriction. One rule (:class:`SupportRule`, in ``_rule``)
weighs it and returns findings (``_findings``); selection reads the supported Pythons from
them, and ``explain`` and ``report`` read them worded as evidence (``_evidence``).
"""

from __future__ import annotations

from compatrix._support._evidence import TEXTS, evidence, lead, verdicts
from compatrix._support._findings import (
    Finding,
    FindingKind,
    PythonFindings,
    PythonVerdict,
    Support,
)
from compatrix._support._rule import (
    HEURISTICS,
    Evidence,
    Probed,
    Restriction,
    SupportCache,
    SupportRule,
)

__all__ = [
    "HEURISTICS",
    "TEXTS",
    "Evidence",
    "Finding",
    "FindingKind",
    "Probed",
    "PythonFindings",
    "PythonVerdict",
    "Restriction",
    "Support",
    "SupportCache",
    "SupportRule",
    "evidence",
    "lead",
    "verdicts",
]
