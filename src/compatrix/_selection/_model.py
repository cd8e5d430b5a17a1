"""What selection decides and the matrix built from it: pure data passed to rendering,
explain and report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from packaging.version import Version

from compatrix._config import Suite
from compatrix._pythons import PythonVersion
from compatrix._support import PythonVerdict, Support, verdicts

__all__ = [
    "PINNED_LATEST",
    "Considered",
    "Env",
    "Matrix",
    "NothingToTest",
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
    "local-version",
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
class NothingToTest:
    """Why a suite has no pick at all."""

    cause: Literal["config", "index"]
    """``config`` when the suite's own keys rule out every release (a ``min-version`` newer
    than every release, a ``python`` restriction that admits none of the project's Pythons,
    ``include``, ``exclude``, ``prereleases = false``); ``index`` when what the index lists
    does (no release at all, yanked, too young, no supported Python, ...)."""
    reason: str
    """The cause in words, naming the package."""


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
    notes: tuple[str, ...] = ()
    """What selection detected and acted on (a calendar-versioned package, prereleases
    picked as final releases), for ``explain``."""
    nothing: NothingToTest | None = None
    """Why there is no pick, when there is none."""


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
    alias: bool = False
    """A ``-pinned_latest`` env: the latest pick under a name that stays the same."""
    version_factor: str = field(init=False, repr=False, compare=False)
    """``v0.28.1``, ``latest`` or ``pinned_latest``; filled in by ``__post_init__`` (the
    renderers ask for it thousands of times, and spelling a version out is not cheap)."""

    def __post_init__(self) -> None:
        factor = PINNED_LATEST if self.alias else version_factor(self.version)
        object.__setattr__(self, "version_factor", factor)


PINNED_LATEST = "pinned_latest"
"""The tox factor of the envs pinned to a suite's latest pick (``pinned-latest``)."""


def env_name(python: PythonVersion, suite: str, factor: str) -> str:
    """The tox env of ``suite`` on ``python`` for a version factor: ``py3.12-httpx-v0.28.1``."""
    return f"{python.factor}-{suite}-{factor}"


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
    aliases: tuple[Env, ...] = ()
    """The ``-pinned_latest`` envs: rendered into tox's configuration, not listed in
    ``env_list`` and not run by CI."""
    budget_dropped: tuple[Version, ...] = ()
    """Middle picks the env budget dropped (``[budget]``)."""
    budget_pythons: bool = False
    """The env budget tested the picks on fewer Pythons than ``python-policy`` says."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Matrix:
    """The whole generated matrix, suites in config order."""

    suites: tuple[SuiteMatrix, ...]
    budget: tuple[str, ...] = ()
    """What the env budget trimmed, one line per limit it had to enforce."""
    budget_unmet: tuple[str, ...] = ()
    """The limits the env budget could not reach."""

    @property
    def envs(self) -> tuple[Env, ...]:
        return tuple(env for suite in self.suites for env in suite.envs)

    def groups(self) -> tuple[str, ...]:
        """Group names in order of first appearance."""
        seen: dict[str, None] = {}
        for suite in self.suites:
            seen.setdefault(suite.suite.policy.group, None)
        return tuple(seen)
