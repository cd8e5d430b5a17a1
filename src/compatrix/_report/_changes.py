"""``compatrix report``: what changed in the test matrix since an older lock.

The matrix of the base (an older lock file, or the lock at a git revision) and the current
matrix are built by the same selection; every difference is explained from why each
release was picked or not in the current selection and in the base's, and from the facts
in both locks. The output is a pull-request description (Markdown) or JSON, and is empty
when nothing changed. Everything here is a pure function of its inputs (``_base`` reads
the base).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Literal

from packaging.version import Version

from compatrix._config import Config, Suite
from compatrix._lock import Lock, parse_version
from compatrix._pythons import PythonVersion
from compatrix._report._base import BaseLock
from compatrix._report._pins import PinChange, pin_changes, pins_summary
from compatrix._selection import (
    Considered,
    Matrix,
    Pick,
    PickRole,
    SuiteMatrix,
    SuiteSelection,
    build_matrix,
    pick_verdicts,
    suite_considered,
)
from compatrix._support import SupportCache
from compatrix._text import plural

__all__ = [
    "ChangeReason",
    "Report",
    "ReportFormat",
    "build_report",
    "render_report",
    "report_data",
]

ReportFormat = Literal["markdown", "json"]
ChangeKind = Literal["added", "dropped", "replaced", "pythons"]
ChangeReason = Literal[
    "new-release",
    "new-prerelease",
    "cooldown-passed",
    "yanked",
    "newer-patch",
    "prerelease-superseded",
    "prerelease-too-old",
    "spacing",
    "config",
    "python-support",
    "removed-from-index",
    "suite-added",
    "suite-removed",
    "budget",
    "other",
]
"""Why a version was added, dropped or replaced (docs/update-pr.md lists each)."""
Cause = Literal["config", "index", "time", "evidence", "pins"]
"""What made a change: the project's ``config`` (min-version, include, exclude, a policy, a
suite), the ``index`` (a release appeared, was yanked or removed), ``time`` (a cooldown
ended, a prerelease aged), the ``evidence`` of Python support (metadata, the project's
Pythons), or ``pins`` (reserved: picks held or dropped by a pin; nothing makes it yet)."""
_CAUSES: Mapping[ChangeReason, Cause] = {
    "new-release": "index",
    "new-prerelease": "index",
    "cooldown-passed": "time",
    "yanked": "index",
    "newer-patch": "index",
    "prerelease-superseded": "index",
    "prerelease-too-old": "time",
    "spacing": "index",
    "config": "config",
    "python-support": "evidence",
    "removed-from-index": "index",
    "suite-added": "config",
    "suite-removed": "config",
    "budget": "config",
}
"""Each reason's cause, unless the comparison finds another (spacing moved by a changed
``num-versions`` is ``config``)."""
_POLICIES = ("num_versions", "each_major", "stable_picks")
"""The suite policies that move picks without changing any candidate."""
SuiteStatus = Literal["changed", "added", "removed"]

_CONFIG_REASONS = frozenset(
    {"below-min-version", "not-included", "excluded", "prereleases-disabled"}
)
_MIDDLE_ROLES: frozenset[str] = frozenset({"spaced", "kept"})
_KIND_ORDER: dict[ChangeKind, int] = {"replaced": 0, "added": 1, "dropped": 2, "pythons": 3}
_MAX_CELL = 300


# --- the report as data -----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionChange:
    """One row of a suite's table."""

    kind: ChangeKind
    version: str
    """The version now tested (``added``, ``replaced``, ``pythons``) or no longer
    (``dropped``)."""
    previous: str | None = None
    """For ``replaced``: the version it replaces."""
    roles: tuple[PickRole, ...] = ()
    """Why ``version`` is picked (for ``dropped``: why it was)."""
    pythons: tuple[PythonVersion, ...] = ()
    """The Pythons ``version`` is tested on (for ``dropped``: was)."""
    pythons_added: tuple[PythonVersion, ...] = ()
    pythons_dropped: tuple[PythonVersion, ...] = ()
    prerelease: bool = False
    reason: ChangeReason | None = None
    """None for ``pythons`` rows: ``detail`` gives a reason per Python."""
    detail: str = ""
    cause: Cause | None = None
    """What made the change; None for ``pythons`` rows and ``other`` reasons."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SuiteReport:
    """The changes of one suite."""

    suite: str
    requirement: str
    status: SuiteStatus
    changes: tuple[VersionChange, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Every suite whose matrix changed, current suites in config order, then removed ones."""

    suites: tuple[SuiteReport, ...]
    envs_before: int
    envs_after: int
    budget: tuple[str, ...] = ()
    """What the env budget trimmed in the current matrix."""
    pins: tuple[PinChange, ...] = ()
    """The changed pins of the envs both locks resolved."""

    @property
    def empty(self) -> bool:
        return not self.suites and not self.pins

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for s in self.suites for c in s.changes if c.kind == kind)

    @property
    def summary(self) -> str:
        """One line: what changed, in numbers."""
        statuses = [(sum(1 for s in self.suites if s.status == k), k) for k in _STATUSES]
        versions = [(self.count(kind), kind) for kind in ("added", "dropped", "replaced")]
        groups = [_counted("suite", statuses), _counted("version", versions)]
        picks = self.count("pythons")
        if picks:
            groups.append(f"Pythons changed for {plural(picks, 'pick')}")
        prereleases = sum(
            1
            for s in self.suites
            for c in s.changes
            if c.prerelease and c.kind in ("added", "replaced")
        )
        if prereleases:
            groups.append(plural(prereleases, "new prerelease"))
        groups.append(f"{self.envs_before} → {self.envs_after} envs")
        groups.extend(self.budget)
        return "Test matrix: " + "; ".join(g for g in groups if g) + "."


_STATUSES: tuple[SuiteStatus, ...] = ("changed", "added", "removed")


def _counted(noun: str, items: Sequence[tuple[int, str]]) -> str:
    """``2 suites changed, 1 added``: the noun with the first non-zero count only."""
    present = [(n, label) for n, label in items if n]
    if not present:
        return ""
    (first, label), rest = present[0], present[1:]
    return ", ".join([f"{plural(first, noun)} {label}", *(f"{n} {lab}" for n, lab in rest)])


# --- comparing --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Side:
    """One selection, indexed by version."""

    suite: Suite
    selection: SuiteSelection
    considered: Mapping[Version, Considered]
    picks: Mapping[Version, Pick]
    budget_dropped: tuple[Version, ...] = ()
    budget_pythons: bool = False

    @classmethod
    def of(
        cls, config: Config, lock: Lock, suite_matrix: SuiteMatrix, support: SupportCache
    ) -> _Side:
        selection = suite_matrix.selection
        considered = {}
        for item in suite_considered(config, lock, suite_matrix, support=support):
            parsed = parse_version(item.version)
            if parsed is not None:
                considered[parsed] = item
        picks = {pick.version: pick for pick in selection.picks}
        return cls(
            suite=suite_matrix.suite,
            selection=selection,
            considered=considered,
            picks=picks,
            budget_dropped=suite_matrix.budget_dropped,
            budget_pythons=suite_matrix.budget_pythons,
        )

    @property
    def candidates(self) -> int:
        """How many final releases were candidates (picked or not chosen)."""
        return sum(
            1
            for version, item in self.considered.items()
            if (item.picked and not version.is_prerelease) or item.reason == "not-chosen"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Why:
    reason: ChangeReason
    detail: str
    successor: Version | None = None
    """The pick that took a dropped version's place, when one clearly did."""
    cause: Cause | None = None
    """When not the reason's own (:data:`_CAUSES`)."""

    @property
    def attributed(self) -> Cause | None:
        return self.cause if self.cause is not None else _CAUSES.get(self.reason)


def build_report(config: Config, base: BaseLock | Lock, lock: Lock) -> Report:
    """Compare the matrix of (base config, base lock) with that of (config, lock)."""
    if isinstance(base, Lock):
        base = BaseLock(lock=base, source="base")
    base_config = base.config or config
    support = SupportCache()
    after = build_matrix(config, lock, support=support)
    known = [s.name for s in base_config.suites if s.package in base.lock.packages]
    before = build_matrix(base_config, base.lock, suites=known, support=support)
    old = {s.suite.name: s for s in before.suites}
    suites: list[SuiteReport] = []
    for suite_matrix in after.suites:
        suite = suite_matrix.suite
        previous = old.get(suite.name)
        if previous is None:
            suites.append(_whole(suite_matrix, "added"))
            continue
        changes = _compare(
            _Side.of(base_config, base.lock, previous, support),
            _Side.of(config, lock, suite_matrix, support),
            python_policy=suite.policy.python_policy,
        )
        if changes:
            suites.append(
                SuiteReport(
                    suite=suite.name,
                    requirement=suite.requirement,
                    status="changed",
                    changes=changes,
                )
            )
    suites.extend(_removed(config, base, before))
    return Report(
        suites=tuple(suites),
        envs_before=len(before.envs),
        envs_after=len(after.envs),
        budget=after.budget,
        pins=pin_changes(base.lock, lock, [env.name for env in after.envs]),
    )


def _removed(config: Config, base: BaseLock, before: Matrix) -> list[SuiteReport]:
    current = {s.name for s in config.suites}
    out = [_whole(s, "removed") for s in before.suites if s.suite.name not in current]
    if base.config is None:
        # Only a lock: its remembered picks name the suites it was made for.
        for name in sorted(set(base.lock.picks) - current):
            versions = sorted(v for v in map(parse_version, base.lock.picks[name]) if v)
            rows = tuple(
                VersionChange(
                    kind="dropped",
                    version=str(v),
                    prerelease=v.is_prerelease,
                    reason="suite-removed",
                    detail="suite removed",
                    cause="config",
                )
                for v in versions
            )
            out.append(SuiteReport(suite=name, requirement=name, status="removed", changes=rows))
    return out


_SUITE_ADDED = _Why(reason="suite-added", detail="new suite")
_SUITE_REMOVED = _Why(reason="suite-removed", detail="suite removed")


def _whole(suite_matrix: SuiteMatrix, status: Literal["added", "removed"]) -> SuiteReport:
    """A suite added or removed as a whole: each of its picks is a row."""
    suite = suite_matrix.suite
    kind: ChangeKind = "added" if status == "added" else "dropped"
    why = _SUITE_ADDED if status == "added" else _SUITE_REMOVED
    rows = tuple(_row(pick, kind, why) for pick in suite_matrix.selection.picks)
    return SuiteReport(suite=suite.name, requirement=suite.requirement, status=status, changes=rows)


def _policy_change(old: Suite, new: Suite) -> str | None:
    """``num-versions 2 → 3``: the policies that move picks and changed, or None."""
    changed = [
        f"{name.replace('_', '-')} {_toml_value(getattr(old.policy, name))} → "
        f"{_toml_value(getattr(new.policy, name))}"
        for name in _POLICIES
        if getattr(old.policy, name) != getattr(new.policy, name)
    ]
    return ", ".join(changed) if changed else None


def _toml_value(value: object) -> str:
    if value is None:
        return "unset"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _by_config(why: _Why, policy: str | None) -> _Why:
    """Spacing that moved because a policy changed is the config's doing."""
    if why.reason != "spacing" or policy is None:
        return why
    return replace(why, cause="config", detail=f"{why.detail}; config: {policy}")


def _compare(old: _Side, new: _Side, *, python_policy: str) -> tuple[VersionChange, ...]:
    spacing = _spacing(old, new)
    policy = _policy_change(old.suite, new.suite)
    dropped = sorted(set(old.picks) - set(new.picks))
    added = sorted(set(new.picks) - set(old.picks))
    why_dropped = {v: _by_config(_why_dropped(v, old, new, spacing), policy) for v in dropped}
    why_added = {v: _by_config(_why_added(v, old, new, spacing), policy) for v in added}
    rows: list[VersionChange] = []
    replaced: dict[Version, Version] = {}  # dropped -> added
    for version in dropped:
        successor = why_dropped[version].successor
        if successor is not None and successor in why_added and successor not in replaced.values():
            replaced[version] = successor
            why = why_dropped[version]
            rows.append(_row(new.picks[successor], "replaced", why, previous=old.picks[version]))
    # Another release holds the role (lowest, latest, newest of a major) the dropped one had:
    # the reason is why the old one went, unless it is merely no longer chosen (then why the
    # new one came: a new release, for example).
    for version in dropped:
        if version in replaced:
            continue
        partner = _role_partner(old.picks[version], new, why_added, set(replaced.values()))
        if partner is not None:
            replaced[version] = partner
            why = why_dropped[version]
            if why.reason == "spacing":
                why = why_added[partner]
            rows.append(_row(new.picks[partner], "replaced", why, previous=old.picks[version]))
    # A middle pick that moved: the dropped one was not chosen, a new middle pick was.
    moved_out = [v for v in dropped if v not in replaced and why_dropped[v].reason == "spacing"]
    moved_in = [
        v for v in added if v not in replaced.values() and set(new.picks[v].roles) <= _MIDDLE_ROLES
    ]
    for out_version, in_version in zip(moved_out, moved_in, strict=False):
        replaced[out_version] = in_version
        why = why_added[in_version]
        detail = spacing if why.reason == "spacing" else f"{spacing}; {in_version}: {why.detail}"
        rows.append(
            _row(
                new.picks[in_version],
                "replaced",
                _by_config(_Why(reason="spacing", detail=detail), policy),
                previous=old.picks[out_version],
            )
        )
    for version in added:
        if version not in replaced.values():
            rows.append(_row(new.picks[version], "added", why_added[version]))
    for version in dropped:
        if version not in replaced:
            rows.append(_row(old.picks[version], "dropped", why_dropped[version]))
    for version in sorted(set(old.picks) & set(new.picks)):
        row = _pythons_changed(
            old.picks[version],
            new.picks[version],
            python_policy,
            budget=(old.budget_pythons, new.budget_pythons),
        )
        if row is not None:
            rows.append(row)
    rows.sort(key=_row_key)
    return tuple(rows)


def _role_partner(
    old: Pick, new: _Side, added: Mapping[Version, _Why], taken: set[Version]
) -> Version | None:
    """The added pick that took over ``old``'s ``lowest``, ``latest`` or
    ``newest-of-major`` (of the same major) role, if one did."""
    for version in sorted(added):
        if version in taken:
            continue
        roles = new.picks[version].roles
        same_major = (version.epoch, version.major) == (old.version.epoch, old.version.major)
        for role in ("lowest", "latest", "newest-of-major"):
            if role in old.roles and role in roles and (role != "newest-of-major" or same_major):
                return version
    return None


def _row_key(row: VersionChange) -> tuple[Version, int]:
    shown = row.previous if row.previous is not None else row.version
    return (Version(shown), _KIND_ORDER[row.kind])


def _row(pick: Pick, kind: ChangeKind, why: _Why, *, previous: Pick | None = None) -> VersionChange:
    """The row of ``pick``: added, dropped, or replacing ``previous``."""
    return VersionChange(
        kind=kind,
        version=str(pick.version),
        previous=None if previous is None else str(previous.version),
        roles=pick.roles,
        pythons=pick.pythons,
        prerelease=pick.is_prerelease,
        reason=why.reason,
        detail=why.detail,
        cause=why.attributed,
    )


def _spacing(old: _Side, new: _Side) -> str:
    before, after = old.candidates, new.candidates
    if before == after:
        return "spacing moved"
    return f"spacing moved ({before} → {after} candidates)"


def _minor(version: Version) -> tuple[int, int, int]:
    return (version.epoch, version.major, version.minor)


def _uploaded(pick: Pick) -> str:
    return f", uploaded {pick.uploaded.date().isoformat()}" if pick.uploaded else ""


def _why_dropped(version: Version, old: _Side, new: _Side, spacing: str) -> _Why:
    """Why a base pick is not picked any more, from the current selection."""
    item = new.considered.get(version)
    minimum = new.suite.min_version
    if item is None and minimum is not None and version < minimum:
        # Below every min-version now: the lock no longer records it, but the index may.
        return _Why(reason="config", detail=f"config: {_below(old.suite, new.suite)}")
    if item is None:
        return _Why(reason="removed-from-index", detail="no longer on the index")
    reason = item.reason
    if reason == "yanked":
        return _Why(reason="yanked", detail=item.detail)
    if reason == "not-newest-patch":
        successor = next(
            (v for v in new.picks if _minor(v) == _minor(version) and v > version), None
        )
        return _Why(reason="newer-patch", detail=item.detail, successor=successor)
    if reason == "older-prerelease":
        newer = [v for v in new.picks if v.is_prerelease and v > version]
        if newer:
            detail = f"superseded by prerelease {newer[-1]}"
            return _Why(reason="prerelease-superseded", detail=detail, successor=newer[-1])
        return _Why(reason="prerelease-superseded", detail=item.detail)
    if reason == "prerelease-not-newer":
        latest = new.selection.latest
        if latest is not None and latest.version > version:
            detail = f"superseded by final release {latest.version}"
            return _Why(reason="prerelease-superseded", detail=detail, successor=latest.version)
        return _Why(reason="prerelease-superseded", detail=item.detail)
    if reason == "prerelease-too-old":
        return _Why(reason="prerelease-too-old", detail=item.detail)
    if reason == "not-chosen" and version in new.budget_dropped:
        return _Why(reason="budget", detail="dropped by the env budget ([budget])")
    if reason == "not-chosen":
        return _Why(reason="spacing", detail=spacing)
    if reason == "below-min-version":
        return _Why(reason="config", detail=f"config: {_below(old.suite, new.suite)}")
    if reason in _CONFIG_REASONS:
        shown = f"excluded: {item.detail}" if reason == "excluded" else item.detail
        return _Why(reason="config", detail=f"config: {shown}")
    if reason == "no-supported-python":
        detail = f"supports none of the project's Pythons ({item.detail})"
        return _Why(reason="python-support", detail=detail)
    return _Why(reason="other", detail=f"{reason}: {item.detail}")


def _below(old: Suite, new: Suite) -> str:
    """``below min-version 1.1 (was 1.0)``."""
    text = f"below min-version {new.min_version}"
    if old.min_version != new.min_version:
        text += f" (was {old.min_version or 'unset'})"
    return text


def _why_added(version: Version, old: _Side, new: _Side, spacing: str) -> _Why:
    """Why a current pick was not picked in the base, from the base selection."""
    pick = new.picks[version]
    item = old.considered.get(version)
    if item is None or item.reason == "after-as-of":
        if version.is_prerelease:
            return _Why(reason="new-prerelease", detail="new prerelease" + _uploaded(pick))
        return _Why(reason="new-release", detail="new release" + _uploaded(pick))
    reason = item.reason
    if reason == "cooldown":
        return _Why(reason="cooldown-passed", detail="cooldown passed" + _uploaded(pick))
    if reason == "not-chosen":
        return _Why(reason="spacing", detail=spacing)
    if reason in _CONFIG_REASONS:
        shown = f"excluded: {item.detail}" if reason == "excluded" else item.detail
        return _Why(reason="config", detail=f"config changed; was {shown}")
    if reason == "no-supported-python":
        detail = f"supports the project's Pythons now (was: {item.detail})"
        return _Why(reason="python-support", detail=detail)
    if reason == "yanked":
        return _Why(reason="other", detail="no longer yanked", cause="index")
    return _Why(reason="other", detail=f"was {reason}: {item.detail}")


def _pythons_changed(
    old: Pick, new: Pick, policy: str, *, budget: tuple[bool, bool] = (False, False)
) -> VersionChange | None:
    if old.pythons == new.pythons:
        return None
    plus = tuple(sorted(set(new.pythons) - set(old.pythons)))
    minus = tuple(sorted(set(old.pythons) - set(new.pythons)))
    old_verdicts = {v.python: v for v in pick_verdicts(old)}
    new_verdicts = {v.python: v for v in pick_verdicts(new)}
    details = []
    for python in plus:
        verdict = old_verdicts.get(python)
        if verdict is None:
            details.append(f"{python}: new in the project's Pythons")
        elif not verdict.supported:
            details.append(f"{python}: supported now (was: {verdict.lead})")
        elif budget[0]:
            details.append(f"{python}: tested now (the env budget trims less)")
        else:
            details.append(f"{python}: tested now (python-policy {policy})")
    for python in minus:
        verdict = new_verdicts.get(python)
        if verdict is None:
            details.append(f"{python}: no longer in the project's Pythons")
        elif not verdict.supported:
            details.append(f"{python}: {verdict.lead}")
        elif budget[1]:
            details.append(f"{python}: no longer tested (trimmed by the env budget)")
        else:
            details.append(f"{python}: no longer tested (python-policy {policy})")
    return VersionChange(
        kind="pythons",
        version=str(new.version),
        roles=new.roles,
        pythons=new.pythons,
        pythons_added=plus,
        pythons_dropped=minus,
        prerelease=new.is_prerelease,
        detail="; ".join(details),
    )


# --- output -----------------------------------------------------------------------------


def render_report(
    config: Config, base: BaseLock | Lock, lock: Lock, *, output: ReportFormat = "markdown"
) -> str:
    """The report as Markdown (a pull-request description) or JSON; "" when nothing changed."""
    report = build_report(config, base, lock)
    return report_json(report) if output == "json" else report_markdown(report)


_ESCAPED = re.compile(r"([\\`*_\[\]<>|~&#])")
_SPACE = re.compile(r"\s+")


def _cell(text: str) -> str:
    """Untrusted text (index data finds its way into details) as inert Markdown.

    Markdown punctuation is escaped, whitespace collapsed, and ``@`` followed by a word
    joiner so that a yank reason cannot mention anyone in the pull request.
    """
    text = _SPACE.sub(" ", "".join(c for c in text if c.isprintable() or c.isspace())).strip()
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - 1] + "…"
    return _ESCAPED.sub(r"\\\1", text).replace("@", "@\u2060")


def _markdown_row(row: VersionChange) -> str:
    version = f"{row.previous} → {row.version}" if row.kind == "replaced" else row.version
    if row.kind == "pythons":
        pythons = ", ".join(
            [*(f"+{p}" for p in row.pythons_added), *(f"-{p}" for p in row.pythons_dropped)]
        )
        change = "Pythons"
    else:
        pythons = ", ".join(str(p) for p in row.pythons)
        change = row.kind
    cells = [change, version, ", ".join(row.roles), pythons, row.cause or "", row.detail]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


_STATUS_HEADINGS: Mapping[SuiteStatus, str] = {"added": ": new suite", "removed": ": removed"}


def report_markdown(report: Report) -> str:
    """A pull-request description: the summary line, then a table per changed suite."""
    if report.empty:
        return ""
    lines = [report.summary]
    if report.pins:
        lines += ["", pins_summary(report.pins)]
    for suite in report.suites:
        heading = f"### {_cell(suite.suite)}"
        if suite.requirement != suite.suite:
            heading += f" (`{suite.requirement}`)"
        heading += _STATUS_HEADINGS.get(suite.status, "")
        lines += ["", heading, ""]
        if not suite.changes:
            lines.append("No release can be tested.")
            continue
        lines += [
            "| change | version | role | Pythons | cause | why |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [_markdown_row(row) for row in suite.changes]
    if report.pins:
        lines += ["", "<details><summary>Pins per env</summary>", ""]
        lines += ["| env | changes |", "| --- | --- |"]
        for env, changes in groupby(report.pins, key=lambda change: change.env):
            lines.append(f"| {_cell(env)} | {_cell(', '.join(c.text for c in changes))} |")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _row_data(row: VersionChange) -> dict[str, object]:
    return {
        "change": row.kind,
        "version": row.version,
        "from": row.previous,
        "roles": list(row.roles),
        "pythons": [str(p) for p in row.pythons],
        "pythons-added": [str(p) for p in row.pythons_added],
        "pythons-dropped": [str(p) for p in row.pythons_dropped],
        "prerelease": row.prerelease,
        "reason": row.reason,
        "cause": row.cause,
        "detail": row.detail,
    }


def report_data(report: Report) -> dict[str, object]:
    """The report as plain data (the JSON output, documented in docs/update-pr.md)."""
    return {
        "summary": report.summary,
        "envs": {"before": report.envs_before, "after": report.envs_after},
        "suites": [
            {
                "suite": suite.suite,
                "requirement": suite.requirement,
                "status": suite.status,
                "changes": [_row_data(row) for row in suite.changes],
            }
            for suite in report.suites
        ],
        "pins": [
            {"env": c.env, "name": c.name, "from": c.before, "to": c.after} for c in report.pins
        ],
    }


def report_json(report: Report) -> str:
    """The report as JSON (``""`` when nothing changed)."""
    if report.empty:
        return ""
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"
