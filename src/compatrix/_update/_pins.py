"""The pin rounds of an update: every pinned env of the selection resolved (or its record
reused, when its inputs are unchanged), and the suites whose envs do not install selected
again without those Pythons.

Each round resolves the envs the selection has that this run has not resolved yet. An env
found not installable drops its Python from its pick (selection reads the records in the
lock), which may bring other envs into the matrix: the next round resolves those. The
rounds' records are every env resolved in any of them; the update then goes through the
rounds once more from the picks it is about to write, as the next update will, and keeps
the records of that pass, so the same inputs give the same lock (``_run``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, replace

from packaging.version import Version

from compatrix._config import Config
from compatrix._fs import read_text
from compatrix._lock import EnvResolution, PackageFacts
from compatrix._pythons import PythonVersion
from compatrix._render import plan_tox
from compatrix._resolve import (
    NeededBuild,
    PinSettings,
    builds_in,
    pin_envs,
    pinned_envs,
    project_digest,
    reusable,
)
from compatrix._selection import SelectionMemo
from compatrix._support import SupportCache
from compatrix._update._rounds import Selected, select

__all__ = ["PinRound", "build_warnings", "pin_round"]

BUILD_WARNING_SUITES = 2
"""A dependency whose build rules Pythons out of envs of this many suites is warned about."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PinRound:
    """What one round did."""

    selected: Selected
    """The selection with this round's records (suites with envs that do not install
    selected again)."""
    resolved: Mapping[str, EnvResolution]
    """Every record of the run so far."""
    reused: int = 0
    fresh: int = 0

    @property
    def new(self) -> bool:
        return bool(self.reused or self.fresh)


async def pin_round(
    config: Config,
    selected: Selected,
    *,
    previous: Mapping[str, EnvResolution],
    resolved: Mapping[str, EnvResolution],
    settings: PinSettings,
    facts_of: Callable[[str], Awaitable[PackageFacts | None]],
    support: SupportCache,
    memo: SelectionMemo,
    counted: Callable[[int], None] | None = None,
    done: Callable[[], None] | None = None,
) -> PinRound:
    """Resolve the pinned envs of ``selected`` not in ``resolved`` (reusing the records of
    ``previous``, the lock's, whose inputs are unchanged); ``counted`` is told how many
    envs are resolved afresh, ``done`` as each is."""
    tox_text = plan_tox(config, selected.matrix)
    project = project_digest(config, tox_text, read=read_text)
    pinned = pinned_envs(config, selected.matrix, selected.lock, project=project)
    new = [p for p in pinned if p.name not in resolved]
    if not new:
        return PinRound(selected=selected, resolved=resolved)
    reused: dict[str, EnvResolution] = {}
    for p in new:
        record = reusable(p, previous)
        if record is not None:
            reused[p.name] = record
    todo = [p for p in new if p.name not in reused]
    if counted is not None and todo:
        counted(len(todo))
    fresh = await pin_envs(
        todo,
        tox_file=config.tox.file,
        tox_text=tox_text,
        settings=settings,
        facts_of=facts_of,
        done=done,
    )
    found = {**reused, **fresh}
    everything = {**resolved, **found}
    lock = replace(selected.lock, resolutions={**selected.lock.resolutions, **everything})
    # Only the suites with an env found not installable change (``memo`` keeps the rest).
    with_records = select(config, lock, selected.facts, support=support, memo=memo)
    return PinRound(
        selected=with_records, resolved=everything, reused=len(reused), fresh=len(fresh)
    )


def build_warnings(
    records: Mapping[str, EnvResolution], *, allowed: Collection[str] = ()
) -> tuple[str, ...]:
    """One warning per dependency whose sdist "needs a build" in not-installable envs of
    at least :data:`BUILD_WARNING_SUITES` suites (a project's own test requirements, not
    one suite's pick), sorted by its name: the fix is ``allow-builds`` when it builds.
    ``records``: env name -> its record; ``allowed``: the config's ``allow-builds``, whose
    packages are not warned about (records older than the list, of suites this update
    left out, still name them)."""
    blocked: dict[str, list[tuple[str, EnvResolution, NeededBuild]]] = {}
    for env, record in records.items():
        if record.status == "not-installable":
            for build in builds_in(record.reason):
                if build.name not in allowed:
                    blocked.setdefault(build.name, []).append((env, record, build))
    return tuple(
        _warning(name, hits)
        for name, hits in sorted(blocked.items())
        if len({record.suite for _, record, _ in hits}) >= BUILD_WARNING_SUITES
    )


def _warning(name: str, hits: list[tuple[str, EnvResolution, NeededBuild]]) -> str:
    versions = ", ".join(sorted({build.version for *_, build in hits}, key=Version))
    tags = sorted({build.tag for *_, build in hits}, key=lambda tag: int(tag.removeprefix("cp")))
    pythons = sorted({PythonVersion.parse(record.python) for _, record, _ in hits})
    envs = len({env for env, _, _ in hits})
    suites = len({record.suite for _, record, _ in hits})
    return (
        f"{name} {versions}: no wheel for {', '.join(tags)}; its sdist needs a build: "
        f"{envs} envs of {suites} suites are not installable on "
        f"{', '.join(map(str, pythons))} (if it builds on your CI, add it to allow-builds)"
    )
