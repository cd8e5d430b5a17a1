"""Which (release, Python) pairs to probe: those the Python-support rule decided by a
heuristic or by thin evidence, and the Pythons just outside each pick's tested range.
Pure: the matrix and the lock in, a list of tasks out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from packaging.version import Version

from compatrix._lock import Lock
from compatrix._pythons import PythonVersion
from compatrix._selection import Matrix, env_deps
from compatrix._support import HEURISTICS, FindingKind, PythonFindings, Support

__all__ = ["Floor", "ProbeTask", "probe_tasks"]

_THIN: frozenset[FindingKind] = frozenset(
    {
        "classifiers-stale",
        "classifiers-unknown-no-wheel",
        "classifiers-unknown-unavailable",
        "sdist",
    }
)
"""Findings that leave a supported Python a guess: stale classifiers set aside, unknown
classifiers, an sdist-only release (it may not build)."""

_INSTALLER: frozenset[FindingKind] = frozenset(
    {
        "requires-python-excludes",
        "no-files",
        "no-wheel-for-python",
        "only-binary-wheels",
        "not-installable",
    }
)
"""Findings an installer enforces: probing would only confirm them (``not-installable``:
the env's requirements cannot be satisfied, or a free-threaded build lacks wheels)."""

_SKIP_EDGE: frozenset[FindingKind] = _INSTALLER | {
    "restriction-excludes",
    "probed-fails-newer-patch",
}
"""Findings that leave a Python next to a pick's tested ones unprobed: an installer would
refuse it, the suite's restriction rules it out whatever a probe finds, or a newer patch's
failed probe already stands for it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbeTask:
    suite: str
    package: str
    requirement: str
    """What installs it: ``flask==2.3.3``, ``gql[all]==3.5.0``."""
    version: Version
    python: PythonVersion
    why: str
    deps: tuple[str, ...] = ()
    """The suite's ``deps`` for this release and Python, installed with it."""
    smoke: str | None = None
    uploaded: date | None = None
    """The release's upload day: a second attempt resolves its dependencies as they were
    the day after it (``uv --exclude-newer``)."""


def _why(found: PythonFindings, tested: bool) -> str | None:
    kinds = {f.kind for f in found.findings}
    if kinds & _INSTALLER or any(f.kind == "restriction-excludes" for f in found.findings):
        return None
    if not found.supported:
        lead = found.findings[0].kind if found.findings else None
        if lead in HEURISTICS:
            return f"ruled out by {lead}"
        return None
    thin = sorted(kinds & _THIN)
    if thin and tested:
        return f"tested on thin evidence ({', '.join(thin)})"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Floor:
    """A suite's lowest release from ``min-version`` on, when selection skipped it because
    the heuristics left it no Python: its Pythons ruled out by them are probed too."""

    suite: str
    version: Version
    support: Support
    uploaded: date | None = None


def probe_tasks(
    matrix: Matrix,
    lock: Lock,
    *,
    pythons: Iterable[PythonVersion],
    again: bool = False,
    floors: Sequence[Floor] = (),
) -> tuple[ProbeTask, ...]:
    """The pairs to probe, suite by suite in matrix order, each pick's Pythons oldest
    first, then the ``floors``; pairs already probed are left out unless ``again``."""
    project = sorted(p for p in pythons if not p.free_threaded)
    tasks: list[ProbeTask] = []
    for suite_matrix in matrix.suites:
        suite = suite_matrix.suite
        probed = lock.probes.get(suite.package, {})
        facts = lock.packages[suite.package]
        for pick in suite_matrix.selection.picks:
            tested = [p for p in pick.pythons if not p.free_threaded]
            wanted: dict[PythonVersion, str] = {}
            for found in pick.support.pythons:
                if found.python.free_threaded:
                    continue
                why = _why(found, found.python in tested)
                if why is not None:
                    wanted[found.python] = why
            if tested:
                below = [p for p in project if p < tested[0]]
                above = [p for p in project if p > tested[-1]]
                findings = {f.python: f for f in pick.support.pythons}
                for edge in (below[-1:], above[:1]):
                    for python in edge:
                        edge_found = findings.get(python)
                        kinds = (
                            {f.kind for f in edge_found.findings}
                            if edge_found is not None
                            else set()
                        )
                        if not kinds & _SKIP_EDGE:
                            wanted.setdefault(python, "next to the tested Pythons")
            release = facts.release(pick.version)
            recorded = probed.get(release.version if release else str(pick.version), {})
            for python in sorted(wanted):
                if str(python) in recorded and not again:
                    continue
                tasks.append(
                    ProbeTask(
                        suite=suite.name,
                        package=suite.package,
                        requirement=f"{suite.requirement}=={pick.version}",
                        version=pick.version,
                        python=python,
                        why=wanted[python],
                        deps=env_deps(suite, pick.version, python),
                        smoke=suite.smoke,
                        uploaded=pick.uploaded.date() if pick.uploaded is not None else None,
                    )
                )
    suites = {s.suite.name: s.suite for s in matrix.suites}
    for floor in floors:
        suite = suites[floor.suite]
        recorded = lock.probes.get(suite.package, {}).get(str(floor.version), {})
        for found in floor.support.pythons:
            why = None if found.python.free_threaded else _why(found, tested=False)
            if why is None or (str(found.python) in recorded and not again):
                continue
            tasks.append(
                ProbeTask(
                    suite=suite.name,
                    package=suite.package,
                    requirement=f"{suite.requirement}=={floor.version}",
                    version=floor.version,
                    python=found.python,
                    why=f"the lowest release from min-version, {why}",
                    deps=env_deps(suite, floor.version, found.python),
                    smoke=suite.smoke,
                    uploaded=floor.uploaded,
                )
            )
    return tuple(tasks)
