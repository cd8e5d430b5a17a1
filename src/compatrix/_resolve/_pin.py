"""Pin envs: what tox installs in each, resolved with uv, concurrently, into lock records.

The I/O end of the stage: :func:`pin_envs` asks tox what each env installs (one ``tox
config`` call for all of them), turns that into a uv request per env, and resolves every
env along its ladder of days, at most ``jobs`` uv processes at once.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from compatrix._lock import EnvResolution
from compatrix._resolve._envs import EnvPins, FactsOf, Resolver, resolve_env
from compatrix._resolve._plan import PROJECT_FILES, PinnedEnv
from compatrix._resolve._tox import EnvInstall, tox_installs
from compatrix._resolve._uv import Resolution, ResolveRequest, Unsatisfiable, find_uv, resolve

__all__ = ["PinSettings", "pin_envs", "request_for"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PinSettings:
    """How envs are resolved: the index (with its credentials, given to uv through its
    environment), how many uv processes at once, and the environment tox and uv run in."""

    index_url: str
    jobs: int = 8
    environ: Mapping[str, str]


def _is_project(line: str, root: Path) -> bool:
    """Is the deps line the project itself (``.``, ``-e .``, ``-e /abs/project``)?"""
    target = line.removeprefix("-e").strip() if line.startswith("-e") else line
    target = target.split("[", 1)[0].strip()
    if not target or not (target.startswith((".", "/")) or target == str(root)):
        return False
    path = Path(target) if Path(target).is_absolute() else root / target
    return path.resolve() == root.resolve()


def _absolute(line: str, root: Path) -> str:
    """``-r FILE`` / ``-c FILE`` with FILE made absolute (tox reads it from the project's
    directory; uv would read it from the temporary one)."""
    for option in ("-r", "-c"):
        if line.startswith(option):
            target = line[len(option) :].strip()
            if target and not Path(target).is_absolute():
                return f"{option} {root / target}"
    return line


def request_for(
    install: EnvInstall, root: Path, *, pinned: PinnedEnv, index_url: str
) -> ResolveRequest:
    """The uv request for what tox installs in one env (its day set per attempt)."""
    lines = []
    project_line = False
    for line in install.deps:
        stripped = line.strip()
        if _is_project(stripped, root):
            project_line = True
            continue
        lines.append(_absolute(stripped, root))
    project = None
    if install.installs_project or project_line:
        project = next((root / n for n in PROJECT_FILES if (root / n).is_file()), None)
    return ResolveRequest(
        requirements=tuple(lines),
        project=project,
        extras=install.extras if project is not None else (),
        groups=install.groups if project is not None and project.suffix == ".toml" else (),
        python=pinned.env.python.regular,
        index_url=index_url,
        label=pinned.name,
    )


def _record(pinned: PinnedEnv, found: EnvPins) -> EnvResolution:
    return EnvResolution(
        suite=pinned.suite.name,
        version=str(pinned.env.version),
        python=str(pinned.env.python),
        inputs=pinned.inputs(found.day if found.status == "ok" else None),
        cut=found.day,
        why=found.why_day,
        status=found.status,
        pins=found.pins,
        reason=found.reason,
    )


async def pin_envs(
    todo: Sequence[PinnedEnv],
    *,
    tox_file: Path,
    tox_text: str,
    settings: PinSettings,
    facts_of: FactsOf,
    resolver: Resolver | None = None,
    done: Callable[[], None] | None = None,
) -> dict[str, EnvResolution]:
    """Resolve every env of ``todo`` (tox reads ``tox_text`` as ``tox_file``): env name ->
    its record. Raises :class:`~compatrix._resolve.ResolverError` when a resolution fails
    for a reason other than unsatisfiable requirements, ``OutputError`` when tox cannot
    read the configuration. ``done`` is called as each env is resolved."""
    if not todo:
        return {}
    names = [p.name for p in todo]
    installs = await asyncio.to_thread(
        tox_installs, tox_file, tox_text, names, environ=settings.environ
    )
    gate = asyncio.Semaphore(settings.jobs)
    uv = find_uv() if resolver is None else ""

    async def bounded(request: ResolveRequest) -> Resolution | Unsatisfiable:
        async with gate:
            if resolver is not None:
                return await resolver(request)
            return await resolve(request, uv=uv, python=sys.executable, environ=settings.environ)

    root = tox_file.parent

    async def one(pinned: PinnedEnv) -> EnvResolution:
        request = request_for(
            installs[pinned.name], root, pinned=pinned, index_url=settings.index_url
        )
        found = await resolve_env(
            request,
            pinned.cuts,
            python=pinned.env.python,
            resolver=bounded,
            facts_of=facts_of,
            probed=pinned.probed,
            allow_builds=frozenset(pinned.allow_builds),
        )
        if done is not None:
            done()
        return _record(pinned, found)

    tasks = [asyncio.ensure_future(one(p)) for p in todo]
    try:
        records = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return dict(zip(names, records, strict=True))
