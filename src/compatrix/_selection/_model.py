"""What selection decides and the matrix built from it: pure data passed to rendering,
explain and report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from packaging.version import Version

from compatrix._config import Suite
from compatrix._pythons import PythonVersion
from compatrix._support import PythonVerdict, Support, verdicts

__all__ = [
    "Considered",
    "Env",
    "Matrix",
    "Pick",
    "PickRole",
    "SkipReason",
    "SuiteMatrix",
    "SuiteSelection",
    "pick_verdicts",
    "version_factor",
]

PickRole = Literal["lowest", "latest", "newest-of-major", "spaced", "kept", "prerelease"]
"""Why a release was picked. ``kept``: an earlier pick kept for stability."""

SkipReason = Literal[
    "invalid-version",
    "no-files",
    "yanked",
    "post-or-dev-release",
    "below-min-version",
    "not-included",
    "excluded",
    "after-as-of",
    "cooldown",
    "no-supported-python",
    "not-newest-patch",
    "prerelease-not-newer",
    "prerelease-too-old",
    "prereleases-disabled",
    "older-prerelease",
    "not-chosen",
]
"""Why a release was not picked (docs/selection.md explains each)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Pick:
    """A picked release and the Pythons to test it on."""

    version: Version
    roles: tuple[PickRole, ...]
    pythons: tuple[PythonVersion, ...]
    """Pythons to test, oldest first, free-threaded builds included (``3.14t``)."""
    support: Support
    """What the Python-support rule found for each Python considered (the project's range
    and free-threaded builds); :func:`pick_verdicts` words it."""
    since: date | None = None
    """The first upload of its minor, when its classifiers are known (the rule was given it)."""
    uploaded: datetime | None = None

    @property
    def is_prerelease(self) -> bool:
        return self.version.is_prerelease


def pick_verdicts(pick: Pick) -> tuple[PythonVerdict, ...]:
    """One verdict per Python considered, oldest first, the tested ones marked, with the
    evidence in words (for ``explain`` and ``report``)."""
    return verdicts(pick.support, uploaded=pick.uploaded, since=pick.since, tested=pick.pythons)


@dataclass(frozen=True, slots=True, kw_only=True)
class Considered:
    """One release as selection saw it: picked, or skipped and why."""

    version: str
    uploaded: datetime | None
    picked: bool
    reason: SkipReason | None
    """None when picked."""
    detail: str
    """One line for humans: the roles of a pick, or what made it skip."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SuiteSelection:
    """Selection's result for one suite (why each release was picked or not is
    :func:`compatrix._selection.considered`'s to say)."""

    suite: str
    picks: tuple[Pick, ...]
    """Oldest first; the prerelease, if any, last."""
    latest: Pick | None
    """The newest final pick: the ``-latest`` env tests on its Pythons with its rules."""
    remembered: tuple[str, ...]
    """Versions to remember in the lock so the next update keeps them while valid."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Env:
    """One tox environment compatrix generates."""

    name: str
    """``py3.12-httpx-v0.28.1`` or ``py3.12-httpx-latest``."""
    suite: str
    python: PythonVersion
    version: Version | None
    """The pinned version; None for the ``-latest`` env."""
    requirement: str
    """What installs the package: ``httpx==0.28.1``, ``gql[all]==3.5.0``, or ``httpx``."""
    deps: tuple[str, ...]
    """Extra requirements from the suite's ``deps`` rules that apply, in config order."""
    group: str
    prerelease: bool = False

    @property
    def version_factor(self) -> str:
        """``v0.28.1`` or ``latest``."""
        return version_factor(self.version)


def version_factor(version: Version | None) -> str:
    """The tox factor naming a version: ``v0.28.1``, or ``latest`` for None."""
    if version is None:
        return "latest"
    # "!" (an epoch) would read as negation in a tox factor condition.
    return "v" + str(version).replace("!", "_")


@dataclass(frozen=True, slots=True, kw_only=True)
class SuiteMatrix:
    """A suite, its selection, and the envs generated for it."""

    suite: Suite
    selection: SuiteSelection
    envs: tuple[Env, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Matrix:
    """The whole generated matrix, suites in config order."""

    suites: tuple[SuiteMatrix, ...]

    @property
    def envs(self) -> tuple[Env, ...]:
        return tuple(env for suite in self.suites for env in suite.envs)

    def groups(self) -> tuple[str, ...]:
        """Group names in order of first appearance."""
        seen: dict[str, None] = {}
        for suite in self.suites:
            seen.setdefault(suite.suite.policy.group, None)
        return tuple(seen)
