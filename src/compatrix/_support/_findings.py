"""What the Python-support rule finds: per Python, supported or not, and the facts that say so.

Findings are data; :mod:`compatrix._support._evidence` words them for humans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from compatrix._pythons import PythonVersion

__all__ = [
    "Finding",
    "FindingKind",
    "PythonFindings",
    "PythonVerdict",
    "Support",
]

Strength = Literal["against", "for", "note"]
"""``against`` rules the Python out; ``for`` supports it; a ``note`` says what was weighed
but decided nothing (or why a fact that would have decided was set aside). Strongest first
is alphabetical order, which the rule sorts findings by."""

FindingKind = Literal[
    # 1. Requires-Python
    "requires-python-admits",
    "requires-python-excludes",
    "requires-python-invalid",
    # 2. files
    "pure-wheel",
    "abi3-wheel",
    "wheel",
    "sdist",
    "sdist-no-wheel-for-it",
    "no-files",
    "no-wheel-for-python",
    "only-binary-wheels",
    # 3. upload date
    "uploaded-before-first-beta",
    "uploaded-before-first-beta-but-wheel",
    "uploaded-before-first-beta-but-classifier",
    # 4. classifiers
    "python-2-only",
    "classifier",
    "classifiers-around",
    "classifiers-exclude",
    "classifiers-exclude-but-wheel",
    "classifiers-leave-it-to-requires-python",
    "no-classifiers-of-major",
    "classifiers-unknown-no-wheel",
    "classifiers-unknown-unavailable",
    "classifiers-stale",
    "classifiers-current",
    # the suite's restriction
    "restriction-admits",
    "restriction-excludes",
    # free-threaded builds
    "regular-build-supported",
    "regular-build-unsupported",
    "free-threaded-wheel",
    "abi3t-wheel",
    "no-free-threaded-wheel",
    # recorded evidence, which outweighs the heuristics (upload date, classifiers)
    "probed-imports",
    "probed-fails",
    "probed-fails-newer-patch",
    "added-by-config",
    # the env's resolution (compatrix._resolve)
    "needs-build",
    "not-installable",
]
"""What a finding is about, by the step of the rule that finds it."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One fact weighed for one Python (the Python is the one of its :class:`PythonFindings`)."""

    kind: FindingKind
    strength: Strength
    subject: str = ""
    """What the finding quotes: a Requires-Python, a wheel tag, the wheels or the classifiers
    in short (``cp38\u2013cp311``, ``3.8\u20133.12``), ``Python 2.7``, a suite restriction."""
    wheel: str = ""
    """The wheel built for exactly the Python, when one lifts a cap (``cp312-cp312``)."""
    first_beta: date | None = None
    """The Python's first beta, for an upload before it."""
    cause: Finding | None = None
    """For a free-threaded build whose regular build is unsupported: the strongest finding
    against the regular build, if any."""
    detail: str = ""
    """For a failed probe: why it failed, in one line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonFindings:
    """Whether a release supports one Python, and every finding, strongest first."""

    python: PythonVersion
    supported: bool
    """True when no finding is against the Python."""
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Support:
    """The rule's answer for one release: one :class:`PythonFindings` per Python.

    Releases with the same deciding facts share one answer: the upload day and the first
    upload of the release's minor, which some findings quote, are the release's own and
    are given when the evidence is worded.
    """

    pythons: tuple[PythonFindings, ...]
    """Oldest first, a free-threaded build right after its regular build."""
    supported: tuple[PythonVersion, ...]
    """The supported ones, in the same order."""
    any_regular: bool
    """Some regular (not free-threaded) Python is supported."""

    @classmethod
    def of(cls, pythons: tuple[PythonFindings, ...]) -> Support:
        supported = tuple(p.python for p in pythons if p.supported)
        any_regular = any(not p.free_threaded for p in supported)
        return cls(pythons=pythons, supported=supported, any_regular=any_regular)


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonVerdict:
    """Whether a release supports one of the project's Pythons, and the evidence."""

    python: PythonVersion
    supported: bool
    tested: bool
    """True when an env tests this Python (chosen by the suite's Python policy)."""
    evidence: tuple[str, ...]
    """Human-readable facts, strongest first (``Requires-Python '>=3.9' excludes 3.8``)."""

    @property
    def lead(self) -> str:
        """The strongest piece of evidence; ``unsupported`` when there is none."""
        return self.evidence[0] if self.evidence else "unsupported"
