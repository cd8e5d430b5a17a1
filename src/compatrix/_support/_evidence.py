"""The findings of the Python-support rule in words: the evidence ``explain`` and ``report``
show (docs/selection.md quotes these texts)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from compatrix._pythons import PythonVersion
from compatrix._support._findings import (
    Finding,
    FindingKind,
    PythonFindings,
    PythonVerdict,
    Support,
)

__all__ = ["TEXTS", "evidence", "lead", "verdicts"]

_BEFORE_BETA = "uploaded {uploaded}, before {python}'s first beta {first_beta}"

TEXTS: dict[FindingKind, str] = {
    "requires-python-admits": "Requires-Python '{subject}' admits {python}",
    "requires-python-excludes": "Requires-Python '{subject}' excludes {python}",
    "requires-python-invalid": "Requires-Python '{subject}' is invalid: ignored",
    "pure-wheel": "pure-Python wheel",
    "abi3-wheel": "abi3 wheel {subject}",
    "wheel": "wheel {subject}",
    "sdist": "sdist",
    "sdist-no-wheel-for-it": "sdist (no wheel for it)",
    "no-files": "no sdist or wheel",
    "no-wheel-for-python": "no sdist and no wheel for {python} (wheels: {subject})",
    "only-binary-wheels": "only binary wheels for {subject}",
    "uploaded-before-first-beta": _BEFORE_BETA,
    "uploaded-before-first-beta-but-wheel": _BEFORE_BETA + ", but wheel {wheel} targets {python}",
    "uploaded-before-first-beta-but-classifier": (
        _BEFORE_BETA + ", but its classifiers list {python}"
    ),
    "python-2-only": "classifiers declare {subject} only",
    "classifier": "classifier {python}",
    "classifiers-around": "classifiers list {subject}",
    "classifiers-exclude": "classifiers list {subject}, not {python}",
    "classifiers-exclude-but-wheel": (
        "classifiers list {subject}, but wheel {wheel} targets {python}"
    ),
    "classifiers-leave-it-to-requires-python": (
        "classifiers list {subject}; Requires-Python decides {python}"
    ),
    "no-classifiers-of-major": "no Python {python.major}.X classifiers",
    "classifiers-unknown-no-wheel": "no wheel: classifiers unknown",
    "classifiers-unknown-unavailable": "metadata unavailable: classifiers unknown",
    "classifiers-stale": "classifiers list only {subject}: ignored as stale",
    "classifiers-current": (
        "classifiers list only {subject}, current when this minor came out ({since}): trusted"
    ),
    "restriction-admits": "{subject} admits {python}",
    "restriction-excludes": "{subject} excludes {python}",
    "regular-build-supported": "{python.regular} is supported",
    "regular-build-unsupported": "{python.regular} is not supported{because}",
    "free-threaded-wheel": "free-threaded wheel {subject}",
    "abi3t-wheel": "abi3t wheel {subject}",
    "no-free-threaded-wheel": "no free-threaded (cp{python.nodot}t) or pure-Python wheel",
    "probed-imports": "probed {subject}: imports on {python}{because}",
    "probed-fails": "probed {subject}: does not install or import on {python}{because}",
    "probed-fails-newer-patch": (
        "probed {subject}: does not install or import on {python}{because}, "
        "older patches assumed the same"
    ),
    "added-by-config": "added back by the suite's add-python: {subject}{because}",
    "needs-build": "not installable: {subject}",
    "not-installable": "not installable: {subject}",
}
"""The words of each kind of finding. ``{python}`` is the Python judged; ``{uploaded}`` (the
upload day) and ``{since}`` (the first upload of the minor) are the release's."""


def evidence(
    finding: Finding, python: PythonVersion, *, uploaded: date | None, since: date | None
) -> str:
    """``finding`` about ``python`` in words."""
    because = f" ({finding.detail})" if finding.detail else ""
    if finding.cause is not None:
        why = evidence(finding.cause, python.regular, uploaded=uploaded, since=since)
        outweighs = finding.kind in ("probed-imports", "added-by-config")
        because = f" (outweighs: {why})" if outweighs else f": {why}"
    return TEXTS[finding.kind].format(
        python=python,
        subject=finding.subject,
        wheel=finding.wheel,
        first_beta=finding.first_beta,
        uploaded=uploaded,
        since=since,
        because=because,
    )


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
