"""The findings of the Python-support rule, worded as the evidence ``explain`` and
``report`` show (docs/selection.md quotes these texts): one line per kind of finding."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from compatrix._pythons import PythonVersion
from compatrix._support._findings import Finding, PythonFindings, PythonVerdict, Support

__all__ = ["evidence", "lead", "verdicts"]


def evidence(
    finding: Finding, python: PythonVersion, *, uploaded: date | None, since: date | None
) -> str:
    """``finding`` about ``python`` in words; ``uploaded`` (the upload day) and ``since``
    (the first upload of the minor) are the release's."""
    s = finding.subject
    match finding.kind:
        case "requires-python-admits":
            return f"Requires-Python '{s}' admits {python}"
        case "requires-python-excludes":
            return f"Requires-Python '{s}' excludes {python}"
        case "requires-python-invalid":
            return f"Requires-Python '{s}' is invalid: ignored"
        case "pure-wheel":
            return "pure-Python wheel"
        case "abi3-wheel":
            return f"abi3 wheel {s}"
        case "wheel":
            return f"wheel {s}"
        case "sdist":
            return "sdist"
        case "sdist-no-wheel-for-it":
            return "sdist (no wheel for it)"
        case "no-files":
            return "no sdist or wheel"
        case "no-wheel-for-python":
            return f"no sdist and no wheel for {python} (wheels: {s})"
        case "only-binary-wheels":
            return f"only binary wheels for {s}"
        case "uploaded-before-first-beta":
            return f"uploaded {uploaded}, before {python}'s first beta {finding.first_beta}"
        case "uploaded-before-first-beta-but-wheel":
            return (
                f"uploaded {uploaded}, before {python}'s first beta {finding.first_beta}, "
                f"but wheel {finding.wheel} targets {python}"
            )
        case "uploaded-before-first-beta-but-classifier":
            return (
                f"uploaded {uploaded}, before {python}'s first beta {finding.first_beta}, "
                f"but its classifiers list {python}"
            )
        case "python-2-only":
            return f"classifiers declare {s} only"
        case "classifier":
            return f"classifier {python}"
        case "classifiers-around":
            return f"classifiers list {s}"
        case "classifiers-exclude":
            return f"classifiers list {s}, not {python}"
        case "classifiers-exclude-but-wheel":
            return f"classifiers list {s}, but wheel {finding.wheel} targets {python}"
        case "classifiers-leave-it-to-requires-python":
            return f"classifiers list {s}; Requires-Python decides {python}"
        case "no-classifiers-of-major":
            return f"no Python {python.major}.X classifiers"
        case "classifiers-unknown-no-wheel":
            return "no wheel: classifiers unknown"
        case "classifiers-unknown-unavailable":
            return "metadata unavailable: classifiers unknown"
        case "classifiers-stale":
            return f"classifiers list only {s}: ignored as stale"
        case "classifiers-current":
            return f"classifiers list only {s}, current when this minor came out ({since}): trusted"
        case "restriction-admits":
            return f"{s} admits {python}"
        case "restriction-excludes":
            return f"{s} excludes {python}"
        case "regular-build-supported":
            return f"{python.regular} is supported"
        case "regular-build-unsupported":
            if finding.cause is None:
                return f"{python.regular} is not supported"
            why = evidence(finding.cause, python.regular, uploaded=uploaded, since=since)
            return f"{python.regular} is not supported: {why}"
        case "free-threaded-wheel":
            return f"free-threaded wheel {s}"
        case "abi3t-wheel":
            return f"abi3t wheel {s}"
        case "no-free-threaded-wheel":
            return f"no free-threaded (cp{python.nodot}t) or pure-Python wheel"


def lead(found: PythonFindings, *, uploaded: datetime | None, since: date | None) -> str:
    """The strongest finding of one Python in words; ``unsupported`` when there is none.

    ``uploaded`` is the release's upload time, ``since`` what the rule was given."""
    if not found.findings:
        return "unsupported"
    day = uploaded.date() if uploaded is not None else None
    return evidence(found.findings[0], found.python, uploaded=day, since=since)


def verdicts(
    support: Support,
    *,
    uploaded: datetime | None,
    since: date | None,
    tested: Collection[PythonVersion] = (),
) -> tuple[PythonVerdict, ...]:
    """One verdict per Python with its evidence, ``tested`` ones marked.

    ``support`` is the rule's answer for a release uploaded at ``uploaded``; ``since`` the
    first upload of the release's minor (what the rule was given).
    """
    day = uploaded.date() if uploaded is not None else None
    return tuple(
        PythonVerdict(
            python=found.python,
            supported=found.supported,
            tested=found.python in tested,
            evidence=tuple(
                evidence(f, found.python, uploaded=day, since=since) for f in found.findings
            ),
        )
        for found in support.pythons
    )
