"""What goes into tox's configuration, independent of the file format.

:func:`build_plan` turns the matrix into a :class:`ToxPlan`: env names per suite, and the
conditional lines for ``deps``, ``set_env`` and ``pass_env`` with the most compact tox
factor condition that selects exactly the intended envs. tox matches a condition such as
``py3.8-httpx,httpx-v0.16.1`` against an env's factors (its name split on ``-``): the
comma is OR between alternatives, the dash is AND between factors. Every condition is
checked against all generated envs before it is used, so a condition that would also
select envs of another suite is caught here rather than in a test run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from compatrix._config import Config, DepRule, Suite, control_character
from compatrix._pythons import PythonVersion
from compatrix._render._constraints import constraints_reference
from compatrix._render._regions import bug, refuse_control_characters
from compatrix._selection import Env, Matrix, SuiteMatrix
from compatrix.errors import OutputError

__all__ = [
    "CONSTRAINT_VARIABLES",
    "PRERELEASE_SETENV",
    "ConditionalLine",
    "SuitePlan",
    "ToxPlan",
    "build_plan",
]

PRERELEASE_SETENV = ("UV_PRERELEASE", "allow")
"""Set in the envs of a prerelease pick (unless the suite's ``setenv`` sets it): tox-uv
then lets the prerelease's own dependencies be prereleases too, as pip does for a pinned
prerelease. Other installers ignore it."""

CONSTRAINT_VARIABLES = ("UV_CONSTRAINT", "PIP_CONSTRAINT")
"""What points uv (tox-uv) and pip at a pinned env's constraint file: every install tox
makes in the env (the deps, the project, its extras and groups) is constrained."""

_FACTOR_RE = re.compile(r"^[a-z0-9_.]+$")
"""Characters a factor of a generated env name may use (tox's own rule is looser)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConditionalLine:
    """``CONDITION: VALUE`` in a tox.ini value; ``envs`` are the generated envs it selects."""

    condition: str
    value: str
    envs: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class SuitePlan:
    """Everything rendered for one suite."""

    name: str
    group: str
    envs: tuple[Env, ...]
    """The envs listed in ``env_list``."""
    deps: tuple[ConditionalLine, ...]
    """Pins first (one line per version, then ``-latest``), then the ``deps`` rules."""
    setenv: tuple[ConditionalLine, ...]
    passenv: tuple[ConditionalLine, ...]
    env_deps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Env name -> what it installs: the package requirement, then the rules' requirements."""
    setenv_items: tuple[tuple[str, str], ...] = ()
    passenv_items: tuple[str, ...] = ()
    aliases: tuple[Env, ...] = ()
    """The ``-pinned_latest`` envs: configured like the others, not listed."""

    @property
    def configured(self) -> tuple[Env, ...]:
        """Every env configured: the listed ones, then the aliases."""
        return (*self.envs, *self.aliases)

    constrained: frozenset[str] = frozenset()
    """The envs that read a constraint file (``constraints``, with ``{toxinidir}``)."""
    constraints: str = ""

    @property
    def comment(self) -> str:
        """The heading of the suite's env list entries: ``httpx (group Network)``."""
        return f"{self.name} (group {self.group})"


@dataclass(frozen=True, slots=True, kw_only=True)
class ToxPlan:
    suites: tuple[SuitePlan, ...]
    test_path_variable: str

    @property
    def env_names(self) -> tuple[str, ...]:
        return tuple(env.name for suite in self.suites for env in suite.envs)


def build_plan(matrix: Matrix, config: Config) -> ToxPlan:
    """Validate the matrix for rendering and work out every generated line.

    The config is valid (config validation checked every value written here). Raises
    :class:`OutputError` for env names tox cannot use as factors (a version from the
    index), and ``AssertionError`` when the matrix contradicts itself (a bug elsewhere).
    """
    variable = config.tox.test_path_variable
    constraints = constraints_reference(config)
    # Factor -> the generated envs that have it, to find what a condition selects.
    having: dict[str, set[str]] = {}
    seen: set[str] = set()
    for env in (e for s in matrix.suites for e in (*s.envs, *s.aliases)):
        if env.name in seen:
            bug(f"env {env.name!r} is generated twice")
        seen.add(env.name)
        for factor in env.name.split("-"):
            having.setdefault(factor, set()).add(env.name)
    checked: set[str] = set()  # requirement strings already checked, for every suite
    plans = tuple(
        _plan_suite(suite_matrix, variable, checked, constraints)
        for suite_matrix in matrix.suites
        if suite_matrix.envs
    )
    for plan in plans:
        for line in (*plan.deps, *plan.setenv, *plan.passenv):
            matched: set[str] = set()
            for alternative in line.condition.split(","):
                matched |= set.intersection(
                    *(having.get(factor, set()) for factor in alternative.split("-"))
                )
            if matched != line.envs:
                extra = sorted(matched - line.envs)
                missing = sorted(line.envs - matched)
                bug(
                    f"condition {line.condition!r} of {line.value!r} (suite {plan.name!r}) "
                    f"would select {extra or 'no extra envs'} and miss {missing or 'none'}; "
                    "are two suites' names overlapping?"
                )
    return ToxPlan(suites=plans, test_path_variable=variable)


def _plan_suite(
    suite_matrix: SuiteMatrix, variable: str, checked: set[str], constraints: str
) -> SuitePlan:
    suite = suite_matrix.suite
    envs = (*suite_matrix.envs, *suite_matrix.aliases)
    for env in envs:
        _check_env(env, suite, checked)
    latest = suite_matrix.selection.latest
    latest_version = latest.version if latest is not None else None

    by_version: dict[str, list[Env]] = {}
    for env in envs:
        by_version.setdefault(env.version_factor, []).append(env)
    pins: list[ConditionalLine] = []
    for version_factor, version_envs in sorted(
        by_version.items(), key=lambda item: _version_order(item[1][0])
    ):
        requirements = {env.requirement for env in version_envs}
        if len(requirements) != 1:
            bug(f"envs of {suite.name} {version_factor} install different things: {requirements}")
        condition = _term(suite, version=version_factor)
        pins.append(_line(condition, version_envs[0].requirement, version_envs))

    rule_lines: list[ConditionalLine] = []
    applies: dict[str, list[DepRule]] = {env.name: [] for env in envs}
    for rule in suite.deps:
        admitted: dict[Version, bool] = {}  # the rule's version range, asked once a version
        target = [env for env in envs if _rule_applies(rule, env, latest_version, admitted)]
        for env in target:
            applies[env.name].append(rule)
        if target:
            pythons_first = rule.pythons is not None and rule.versions is None
            condition = _condition(suite, envs, target, pythons_first=pythons_first)
            rule_lines.extend(_line(condition, req, target) for req in rule.requirements)

    env_deps: dict[str, tuple[str, ...]] = {}
    for env in envs:
        expected = [req for rule in applies[env.name] for req in rule.requirements]
        if list(dict.fromkeys(expected)) != list(dict.fromkeys(env.deps)):
            bug(
                f"env {env.name!r} lists deps {list(env.deps)} but the suite's rules give "
                f"{expected}"
            )
        env_deps[env.name] = (env.requirement, *env.deps)

    setenv_items = list(suite.setenv.items())
    if suite.test_path is not None:
        setenv_items.insert(0, (variable, suite.test_path))
    suite_term = _term(suite)
    setenv = [_line(suite_term, f"{key}={value}", envs) for key, value in setenv_items]
    if PRERELEASE_SETENV[0] not in suite.setenv:
        setenv.extend(
            _line(_term(suite, version=version_factor), "=".join(PRERELEASE_SETENV), version_envs)
            for version_factor, version_envs in by_version.items()
            if version_envs[0].prerelease
        )
    constrained = [env for env in envs if env.version is not None and suite.policy.pins != "off"]
    if constrained:
        condition = _condition(suite, envs, constrained)
        setenv.extend(
            _line(condition, f"{key}={constraints}", constrained) for key in CONSTRAINT_VARIABLES
        )
    return SuitePlan(
        name=suite.name,
        group=suite.policy.group,
        envs=suite_matrix.envs,
        aliases=suite_matrix.aliases,
        deps=(*pins, *rule_lines),
        setenv=tuple(setenv),
        passenv=tuple(_line(suite_term, name, envs) for name in suite.passenv),
        env_deps=env_deps,
        setenv_items=tuple(setenv_items),
        passenv_items=suite.passenv,
        constrained=frozenset(env.name for env in constrained),
        constraints=constraints,
    )


def _line(condition: str, value: str, envs: Iterable[Env]) -> ConditionalLine:
    return ConditionalLine(
        condition=condition, value=value, envs=frozenset(env.name for env in envs)
    )


def _version_order(env: Env) -> tuple[int, Version]:
    """Pinned versions in version order, then ``-latest``, then ``-pinned_latest``."""
    if env.alias and env.version is not None:
        return (2, env.version)
    if env.version is None:
        return (1, Version("0"))
    return (0, env.version)


def _check_env(env: Env, suite: Suite, checked: set[str]) -> None:
    if env.suite != suite.name:
        bug(f"env {env.name!r} of suite {env.suite!r} listed under suite {suite.name!r}")
    refuse_control_characters([(f"env {env.name!r}", env.name)])
    parts = env.name.split("-")
    expected = [env.python.factor, *suite.factors, env.version_factor]
    for part in parts:
        if not _FACTOR_RE.match(part):
            msg = (
                f"cannot generate the tox env {env.name!r}: {part!r} is not usable as a tox "
                "factor (only lowercase letters, digits, '.' and '_' are)"
            )
            raise OutputError(msg)
    if parts != expected:
        bug(f"env name {env.name!r} is not {'-'.join(expected)!r}")
    if env.version is not None and env.version_factor == "latest":
        bug(f"env {env.name!r} pins a version but is named -latest")
    # A pin is the suite's requirement (checked once) and a parsed version: comparing its
    # shape is as strict as parsing it again, for each of thousands of envs.
    requirement = env.requirement
    if env.version is not None and requirement == f"{suite.requirement}=={env.version}":
        requirement = suite.requirement
    for position, text in enumerate((requirement, *env.deps)):
        if text not in checked:
            where = f"env {env.name!r}" + (f" deps[{position - 1}]" if position else "")
            _check_requirement(text, where)
            checked.add(text)


def _check_requirement(requirement: str, where: str) -> None:
    """A requirement the matrix built (a pin, or a deps rule's): valid, and writable."""
    if control_character(requirement) is not None or requirement.endswith("\\"):
        bug(f"{where}: {requirement!r} cannot be written into tox's configuration")
    try:
        Requirement(requirement)
    except InvalidRequirement as exc:
        bug(f"{where}: {requirement!r} is not a valid requirement: {exc}")


def _rule_applies(
    rule: DepRule, env: Env, latest_version: Version | None, admitted: dict[Version, bool]
) -> bool:
    """Does ``rule`` apply to ``env``? ``admitted``: the answers of the rule's version range
    so far, per version (the envs of a version share them)."""
    if not rule.admits_python(env.python):
        return False
    if rule.versions is None:
        return True
    version = env.version if env.version is not None else latest_version
    if version is None:
        # A -latest env without a latest pick: the env's own deps say whether it applies.
        return all(requirement in env.deps for requirement in rule.requirements)
    answer = admitted.get(version)
    if answer is None:
        answer = admitted[version] = rule.admits_version(version)
    return answer


def _term(suite: Suite, *, python: PythonVersion | None = None, version: str | None = None) -> str:
    factors = [python.factor] if python else []
    factors.extend(suite.factors)
    if version:
        factors.append(version)
    return "-".join(factors)


def _condition(
    suite: Suite, envs: Sequence[Env], target: Sequence[Env], *, pythons_first: bool = False
) -> str:
    """The most compact condition selecting exactly ``target`` among the suite's ``envs``.

    Whole version groups (``SUITE-vX``) and whole Python groups (``py3.8-SUITE``) are used
    where the rule covers them, versions first unless ``pythons_first``; single envs
    (``py3.8-SUITE-vX``) cover the rest.
    """
    wanted = frozenset(env.name for env in target)
    if wanted == frozenset(env.name for env in envs):
        return _term(suite)
    by_version: dict[str, set[str]] = {}
    by_python: dict[PythonVersion, set[str]] = {}
    for env in sorted(envs, key=_version_order):
        by_version.setdefault(env.version_factor, set()).add(env.name)
        by_python.setdefault(env.python, set()).add(env.name)
    version_terms = [
        (_term(suite, version=factor), frozenset(names))
        for factor, names in by_version.items()
        if names <= wanted
    ]
    python_terms = [
        (_term(suite, python=python), frozenset(by_python[python]))
        for python in sorted(by_python)
        if by_python[python] <= wanted
    ]
    groups = [python_terms, version_terms] if pythons_first else [version_terms, python_terms]
    chosen: list[tuple[str, frozenset[str]]] = []
    covered: set[str] = set()
    for terms in groups:
        for term, names in terms:
            if not names <= covered:
                chosen.append((term, names))
                covered |= names
    for env in target:
        if env.name not in covered:
            chosen.append(
                (_term(suite, python=env.python, version=env.version_factor), frozenset({env.name}))
            )
            covered.add(env.name)
    # Drop terms the others already cover.
    index = 0
    while index < len(chosen):
        others = set().union(*(names for i, (_, names) in enumerate(chosen) if i != index))
        if chosen[index][1] <= others:
            del chosen[index]
        else:
            index += 1
    return ",".join(term for term, _ in chosen)
