"""The env budget (``[budget]``): the matrix trimmed to at most so many envs, per group and
in total (docs/selection.md, "The env budget").

Trimming only ever removes: Pythons of a pick, then middle picks. The picks left are
picks selection made, so nothing new (no release without core metadata) enters the matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from packaging.version import Version

from compatrix._config import Config, Suite
from compatrix._pythons import PythonVersion
from compatrix._selection._model import Pick, SuiteMatrix, SuiteSelection

__all__ = ["Budgeted", "apply_budget"]

_MIDDLE = frozenset({"spaced", "kept"})
"""Roles of a middle pick: the only picks the budget drops."""

Rebuild = Callable[[Suite, SuiteSelection], SuiteMatrix]
"""The suite's envs from a (trimmed) selection."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Trim:
    """What the budget took from one suite."""

    pythons: int = 0
    """0: as selected; 1: each pick on its oldest and newest Python; 2: on one Python."""
    dropped: tuple[Version, ...] = ()
    """Middle picks dropped, in the order they were."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Budgeted:
    """The suites after the budget, and what it did (one line per limit), for ``explain``,
    ``report`` and the command line."""

    suites: tuple[SuiteMatrix, ...]
    lines: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    """The limits that trimming everything it may could not reach."""


def _regular(pick: Pick) -> list[PythonVersion]:
    return [p for p in pick.pythons if not p.free_threaded]


def _pythons(pick: Pick, level: int) -> Pick:
    """``pick`` on fewer Pythons: level 1 the oldest and the newest (with their
    free-threaded builds), level 2 one Python (the oldest for the lowest pick, else the
    newest)."""
    regular = [p for p in pick.pythons if not p.free_threaded]
    if level == 0 or not regular:
        return pick
    if level == 1:
        keep = {regular[0], regular[-1]}
        pythons = tuple(p for p in pick.pythons if p.regular in keep)
    else:
        one = regular[0] if "lowest" in pick.roles and "latest" not in pick.roles else regular[-1]
        pythons = (one,)
    return replace(pick, pythons=pythons)


def _middle(selection: SuiteSelection, dropped: Sequence[Version]) -> list[Pick]:
    return [
        p
        for p in selection.picks
        if p.roles and set(p.roles) <= _MIDDLE and p.version not in dropped
    ]


def _drop_next(selection: SuiteSelection, dropped: Sequence[Version]) -> Version:
    """The middle pick to drop next: the one nearest the middle of the picks left (ties:
    the older)."""
    left = [p for p in selection.picks if p.version not in dropped and not p.is_prerelease]
    centre = (len(left) - 1) / 2
    middle = _middle(selection, dropped)
    position = {p.version: i for i, p in enumerate(left)}
    return min(middle, key=lambda p: (abs(position[p.version] - centre), p.version)).version


def _trimmed(suite_matrix: SuiteMatrix, trim: _Trim, rebuild: Rebuild) -> SuiteMatrix:
    selection = suite_matrix.selection
    picks = tuple(
        _pythons(p, trim.pythons) for p in selection.picks if p.version not in trim.dropped
    )
    latest = selection.latest
    if latest is not None:
        latest = next(p for p in picks if p.version == latest.version)
    return rebuild(suite_matrix.suite, replace(selection, picks=picks, latest=latest))


def _can(stage: int, suite_matrix: SuiteMatrix, trim: _Trim) -> bool:
    """Can ``stage`` (1, 2: Pythons; 3: a middle pick) take more from this suite?"""
    picks = suite_matrix.selection.picks
    if stage == 1:
        return trim.pythons < 1 and any(len(_regular(p)) > 2 for p in picks)
    if stage == 2:
        return trim.pythons < 2 and any(len(_regular(p)) > 1 or len(p.pythons) > 1 for p in picks)
    return bool(_middle(suite_matrix.selection, trim.dropped))


def _step(stage: int, suite_matrix: SuiteMatrix, trim: _Trim) -> _Trim:
    if stage in (1, 2):
        return replace(trim, pythons=stage)
    return replace(trim, dropped=(*trim.dropped, _drop_next(suite_matrix.selection, trim.dropped)))


def _count(names: Sequence[str], current: Mapping[str, SuiteMatrix]) -> int:
    return sum(len(current[n].envs) for n in names)


def apply_budget(config: Config, suites: Sequence[SuiteMatrix], rebuild: Rebuild) -> Budgeted:
    """``suites`` trimmed to the config's budget: each group's limit, then the total.

    Within a limit, first every suite's picks go to their oldest and newest Python, then to
    one Python, then middle picks are dropped one at a time; each step is taken from the
    suite with the most envs (ties: the first in config order), until the envs fit.
    """
    budget = config.budget
    if budget.max_envs is None and not budget.groups:
        return Budgeted(suites=tuple(suites))
    order = [s.suite.name for s in suites]
    original = {s.suite.name: s for s in suites}
    current = dict(original)
    trims = {name: _Trim() for name in order}
    limits = [
        (f"group {group}", limit, [n for n in order if original[n].suite.policy.group == group])
        for group, limit in budget.groups.items()
    ]
    if budget.max_envs is not None:
        limits.append(("total", budget.max_envs, order))
    lines: list[str] = []
    unmet: list[str] = []
    for label, limit, names in limits:
        before = _count(names, current)
        for stage in (1, 2, 3):
            while _count(names, current) > limit:
                able = [n for n in names if _can(stage, current[n], trims[n])]
                if not able:
                    break
                name = max(able, key=lambda n: (len(current[n].envs), -order.index(n)))
                trims[name] = _step(stage, current[name], trims[name])
                current[name] = _trimmed(original[name], trims[name], rebuild)
        after = _count(names, current)
        if before > limit:
            lines.append(f"env budget, {label}: {before} envs trimmed to {after} (limit {limit})")
        if after > limit:
            unmet.append(
                f"env budget, {label}: {after} envs after trimming all it may, over the "
                f"limit of {limit} (lowest, latest, newest-of-major and prerelease picks are "
                "never dropped)"
            )
    out = []
    for name in order:
        trim = trims[name]
        if trim == _Trim():
            out.append(current[name])
            continue
        note = _note(trim, len(original[name].envs), len(current[name].envs))
        selection = current[name].selection
        selection = replace(selection, notes=(*selection.notes, note))
        rebuilt = rebuild(current[name].suite, selection)
        out.append(replace(rebuilt, budget_dropped=trim.dropped, budget_pythons=trim.pythons > 0))
    return Budgeted(suites=tuple(out), lines=tuple(lines), unmet=tuple(unmet))


def _note(trim: _Trim, before: int, after: int) -> str:
    done = []
    if trim.pythons == 1:
        done.append("each pick tested on its oldest and newest Python only")
    elif trim.pythons == 2:
        done.append("each pick tested on one Python only")
    if trim.dropped:
        done.append("middle picks dropped: " + ", ".join(str(v) for v in trim.dropped))
    return f"env budget: {'; '.join(done)} ({before} → {after} envs)"
