"""The env matrix: every suite's picks crossed with the Pythons they are tested on.

:func:`build_matrix` reads nothing but the config and the lock, so the same inputs always
give the same matrix.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from packaging.version import Version

from compatrix._config import Config, DepRule, Suite
from compatrix._lock import NEEDS_BUILD, Lock, as_of_day, parse_version
from compatrix._pythons import PythonVersion
from compatrix._selection._budget import apply_budget
from compatrix._selection._model import (
    PINNED_LATEST,
    Considered,
    Env,
    Matrix,
    SuiteMatrix,
    SuiteSelection,
    env_name,
    version_factor,
)
from compatrix._selection._select import Blocked, considered, select_suite
from compatrix._support import SupportCache, SupportRule
from compatrix.errors import ConfigError, LockError, UsageError

__all__ = [
    "SelectionMemo",
    "build_matrix",
    "env_deps",
    "lock_date",
    "pinned_env",
    "refuse_empty_by_config",
    "suite_considered",
    "suite_matrix",
    "support_rule",
]


def lock_date(lock: Lock) -> date | None:
    """The day the lock describes: its as-of date, else the newest ``fetched-at`` date."""
    if lock.as_of is not None:
        return as_of_day(lock.as_of)
    fetched = [facts.fetched_at.date() for facts in lock.packages.values()]
    return max(fetched) if fetched else None


def env_deps(suite: Suite, version: Version, python: PythonVersion) -> tuple[str, ...]:
    """Requirements of every ``deps`` rule that applies, in config order, each once."""
    return _deps_on(_rules_for(suite, version), python)


def _rules_for(suite: Suite, version: Version) -> list[DepRule]:
    """The suite's ``deps`` rules whose version range admits ``version``."""
    return [rule for rule in suite.deps if rule.admits_version(version)]


def _deps_on(rules: Sequence[DepRule], python: PythonVersion) -> tuple[str, ...]:
    """The requirements of the ``rules`` that apply on ``python``, in order, each once."""
    deps: dict[str, None] = {}
    for rule in rules:
        if rule.admits_python(python):
            for requirement in rule.requirements:
                deps.setdefault(requirement, None)
    return tuple(deps)


def _requirement(suite: Suite, version: Version | None) -> str:
    """``httpx==0.28.1``; for the ``-latest`` env the bare name, limited by ``include``."""
    if version is not None:
        return f"{suite.requirement}=={version}"
    if suite.include is not None:
        return f"{suite.requirement}{suite.include}"
    return suite.requirement


def _envs_of(
    suite: Suite,
    pythons: Sequence[PythonVersion],
    version: Version | None,
    *,
    rules_for: Version,
    alias: bool = False,
) -> list[Env]:
    """The envs of one version on each of ``pythons``: ``version`` None for the ``-latest``
    envs, whose rules are the latest pick's (``rules_for``); ``alias`` for the
    ``-pinned_latest`` envs. What depends on the version alone (its factor, its
    requirement, the deps rules whose version range admits it) is worked out once, not
    for each Python."""
    factor = PINNED_LATEST if alias else version_factor(version)
    requirement = _requirement(suite, version)
    prerelease = version is not None and version.is_prerelease
    rules = _rules_for(suite, rules_for)
    return [
        Env(
            name=env_name(python, suite.name, factor),
            suite=suite.name,
            python=python,
            version=version,
            requirement=requirement,
            deps=_deps_on(rules, python),
            group=suite.policy.group,
            prerelease=prerelease,
            alias=alias,
        )
        for python in pythons
    ]


def pinned_env(suite: Suite, version: Version, python: PythonVersion) -> Env:
    """The env testing ``version`` on ``python``, as a pick's env would be (``bisect``
    runs releases that are not picks this way)."""
    return _envs_of(suite, (python,), version, rules_for=version)[0]


def _envs(suite: Suite, selection: SuiteSelection) -> tuple[Env, ...]:
    envs = [
        env
        for pick in sorted(selection.picks, key=lambda p: p.version)
        for env in _envs_of(suite, pick.pythons, pick.version, rules_for=pick.version)
    ]
    latest = selection.latest
    if suite.policy.latest_env and latest is not None:
        envs.extend(_envs_of(suite, latest.pythons, None, rules_for=latest.version))
    return tuple(envs)


def _aliases(suite: Suite, selection: SuiteSelection) -> tuple[Env, ...]:
    """The ``-pinned_latest`` envs: the latest pick's, under a name that stays."""
    latest = selection.latest
    if not suite.policy.pinned_latest or latest is None:
        return ()
    return tuple(
        _envs_of(suite, latest.pythons, latest.version, rules_for=latest.version, alias=True)
    )


@dataclass(slots=True)
class SelectionMemo:
    """The suite selections of one run (with their envs), each with the inputs it was
    made from.

    An update selects round after round (each round of core metadata or pins changes a
    few packages), then once more from the new lock. A suite whose inputs are equal to
    those of a selection made before gets that selection: the same inputs always give the
    same selection, and the same envs.
    """

    made: dict[str, tuple[tuple[object, ...], SuiteMatrix]] = field(default_factory=dict)

    def select(self, suite: Suite, inputs: tuple[object, ...]) -> SuiteMatrix | None:
        """The selection made for ``suite`` from equal ``inputs``, with its envs, if any."""
        known = self.made.get(suite.name)
        return known[1] if known is not None and known[0] == inputs else None

    def remember(self, suite: Suite, inputs: tuple[object, ...], made: SuiteMatrix) -> None:
        """Keep ``made``, the selection for ``suite`` from ``inputs`` with its envs."""
        self.made[suite.name] = (inputs, made)


def build_matrix(
    config: Config,
    lock: Lock,
    *,
    suites: Sequence[str] | None = None,
    support: SupportCache | None = None,
    memo: SelectionMemo | None = None,
    budget: bool = True,
) -> Matrix:
    """Select every suite's releases from the lock and cross them with their Pythons.

    ``suites`` limits the matrix to those suites (config order is kept). ``support``
    shares what is learnt of Python support with other builds of the same run, ``memo``
    the selections made. With a
    ``[budget]`` (and ``budget``), every suite whose package is in the lock is selected and
    trimmed together, then the ones asked for are kept. Raises
    LockError when a suite's package is not in the lock, UsageError for an unknown suite
    name.
    """
    chosen = config.suites
    if suites is not None:
        unknown = sorted(set(suites) - {s.name for s in config.suites})
        if unknown:
            known = ", ".join(s.name for s in config.suites) or "none"
            msg = f"unknown suite {unknown[0]!r} (suites: {known})"
            raise UsageError(msg)
        wanted = set(suites)
        chosen = tuple(s for s in config.suites if s.name in wanted)

    missing = [s for s in chosen if s.package not in lock.packages]
    if missing:
        suite = missing[0]
        msg = (
            f"the lock has no facts for package {suite.package!r} (suite {suite.name!r}): "
            "run `compatrix update` to fetch them"
        )
        raise LockError(msg)
    for suite in chosen:
        floor = lock.packages[suite.package].releases_from
        if floor is not None and (suite.min_version is None or suite.min_version < floor):
            needs = f"min-version {suite.min_version}" if suite.min_version else "no min-version"
            msg = (
                f"the lock records releases of {suite.package!r} from {floor} on, but suite "
                f"{suite.name!r} has {needs}: run `compatrix update` to record older ones"
            )
            raise LockError(msg)

    rule = support_rule(config, lock, support)
    not_installable = _not_installable(lock)

    def one(suite: Suite) -> SuiteMatrix:
        return suite_matrix(suite, lock, rule=rule, not_installable=not_installable, memo=memo)

    if not budget or (config.budget.max_envs is None and not config.budget.groups):
        return Matrix(suites=tuple(one(suite) for suite in chosen))
    scope = [s for s in config.suites if s.package in lock.packages]
    budgeted = apply_budget(config, [one(s) for s in scope], _rebuild)
    wanted = {s.name for s in chosen}
    return Matrix(
        suites=tuple(s for s in budgeted.suites if s.suite.name in wanted),
        budget=budgeted.lines,
        budget_unmet=budgeted.unmet,
    )


def _rebuild(suite: Suite, selection: SuiteSelection) -> SuiteMatrix:
    return SuiteMatrix(
        suite=suite,
        selection=selection,
        envs=_envs(suite, selection),
        aliases=_aliases(suite, selection),
    )


def support_rule(config: Config, lock: Lock, support: SupportCache | None = None) -> SupportRule:
    """The Python-support rule for the project's Pythons on the lock's date (and their
    free-threaded builds); from ``support`` when given, to share what it learns."""
    day = lock_date(lock)
    pythons = config.python.resolve(day) if day is not None else ()
    cache = support if support is not None else SupportCache()
    return cache.rule(pythons, config.free_threaded_builds(pythons))


def _not_installable(lock: Lock) -> Mapping[str, Blocked]:
    """Per suite, per version of its package, the Pythons whose env the lock's resolutions
    found not installable, and why."""
    found: dict[str, dict[Version, dict[PythonVersion, str]]] = {}
    for record in lock.resolutions.values():
        if record.status != "not-installable":
            continue
        version = parse_version(record.version)
        python = PythonVersion.match(record.python)
        if version is not None and python is not None:
            by_version = found.setdefault(record.suite, {})
            by_version.setdefault(version, {})[python] = record.reason
    return found


def blocked_pythons(
    suite: Suite, lock: Lock, *, found: Mapping[str, Blocked] | None = None
) -> Blocked:
    """Per version of the suite's package, the Pythons whose env the lock's resolutions
    found not installable, and why (none when the suite is not pinned). ``found``: the
    lock's :func:`_not_installable`, when already made.

    A probe that installed and imported the release on the Python outweighs "its sdist
    needs a build" (the next update pins the env with the sdist built)."""
    if suite.policy.pins == "off":
        return {}
    blocked = (_not_installable(lock) if found is None else found).get(suite.name, {})
    if not blocked or suite.package not in lock.probes:
        return blocked
    out: dict[Version, Mapping[PythonVersion, str]] = {}
    for version, pythons in blocked.items():
        kept = {
            python: reason
            for python, reason in pythons.items()
            if not (
                reason.endswith(NEEDS_BUILD)
                and lock.imported_on(suite.package, str(version), str(python))
            )
        }
        if kept:
            out[version] = kept
    return out


def suite_matrix(
    suite: Suite,
    lock: Lock,
    *,
    rule: SupportRule,
    not_installable: Mapping[str, Blocked] | None = None,
    memo: SelectionMemo | None = None,
) -> SuiteMatrix:
    """One suite of :func:`build_matrix`, ``rule`` judging the project's Pythons."""
    facts = lock.packages[suite.package]
    now = lock.reference_time(suite.package)
    remembered = lock.picks.get(suite.name, ())
    probes = lock.probes.get(suite.package, {})
    blocked = blocked_pythons(suite, lock, found=not_installable)
    inputs = (suite, facts, rule.key, now, lock.as_of, remembered, probes, blocked)
    known = memo.select(suite, inputs) if memo is not None else None
    if known is not None:
        return known
    selection = select_suite(
        suite,
        facts,
        rule=rule,
        now=now,
        as_of=lock.as_of,
        remembered=remembered,
        probes=probes,
        blocked=blocked,
    )
    made = SuiteMatrix(
        suite=suite,
        selection=selection,
        envs=_envs(suite, selection),
        aliases=_aliases(suite, selection),
    )
    if memo is not None:
        memo.remember(suite, inputs, made)
    return made


def suite_considered(
    config: Config,
    lock: Lock,
    suite_matrix: SuiteMatrix,
    *,
    support: SupportCache | None = None,
    versions: Collection[str] | None = None,
) -> tuple[Considered, ...]:
    """Every release of the suite's package (or those of ``versions``), picked (with its
    roles) or why not: what ``explain`` lists (see
    :func:`compatrix._selection._select.considered`)."""
    suite = suite_matrix.suite
    records = considered(
        suite,
        lock.packages[suite.package],
        suite_matrix.selection,
        rule=support_rule(config, lock, support),
        now=lock.reference_time(suite.package),
        as_of=lock.as_of,
        probes=lock.probes.get(suite.package, {}),
        blocked=blocked_pythons(suite, lock),
        versions=versions,
    )
    if not suite_matrix.budget_dropped:
        return records
    dropped = {str(v) for v in suite_matrix.budget_dropped}
    return tuple(
        replace(c, detail="a candidate picked, then dropped by the env budget ([budget])")
        if c.reason == "not-chosen" and c.version in dropped
        else c
        for c in records
    )


def refuse_empty_by_config(config: Config, matrix: Matrix) -> None:
    """Raise ConfigError when the config leaves nothing to test: it has no suite, or a
    suite's own keys rule out every release (``min-version`` above every release, a
    ``python`` restriction admitting none of the project's Pythons, ...) and the suite does
    not set ``allow-empty``. Rendering such a matrix would remove the suite's envs."""
    table = "tool.compatrix." if config.path.name == "pyproject.toml" else ""
    if not config.suites:
        problem = f"{table}suites: no suite is configured: add a [suites.NAME] table per package"
        raise ConfigError([problem], source=str(config.path))
    problems = [
        f"{table}suites.{m.suite.name}: nothing to test: {m.selection.nothing.reason}; "
        "correct the suite, or set allow-empty = true to accept a suite without envs"
        for m in matrix.suites
        if m.selection.nothing is not None
        and m.selection.nothing.cause == "config"
        and not m.suite.allow_empty
    ]
    if problems:
        raise ConfigError(problems, source=str(config.path))
