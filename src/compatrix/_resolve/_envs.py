"""One env resolved: at the first day of its ladder where its requirements can be satisfied
with distributions that install without a build, on its Python.

That an sdist "needs a build" is a heuristic (its package ships compiled wheels), wrong for a
package whose C extension is optional. A probe is evidence: when ``compatrix probe``
installed and imported the pick on the env's Python, an env that no day of the ladder
resolves without a build is pinned at its first day, sdists and all, and the record says
which sdists are built on the probe's word.

The config's ``allow-builds`` is the user's word for a dependency: a listed package's
sdist is built wherever it comes as one (on a free-threaded build too, where it has no
wheel for it), and the record says so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from compatrix._lock import PackageFacts
from compatrix._pythons import PythonVersion
from compatrix._resolve._era import Cut
from compatrix._resolve._installable import build_needed, free_threaded_missing
from compatrix._resolve._uv import (
    Distribution,
    Resolution,
    ResolveRequest,
    ResolverError,
    Unsatisfiable,
)

__all__ = ["EnvPins", "FactsOf", "Resolver", "resolve_env"]

Resolver = Callable[[ResolveRequest], Awaitable[Resolution | Unsatisfiable]]
"""Resolves one request (``compatrix._resolve._uv.resolve`` with its settings bound)."""
FactsOf = Callable[[str], Awaitable[PackageFacts | None]]
"""The releases of a package on the index (None when the index does not list it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvPins:
    """What resolving one env found."""

    status: Literal["ok", "not-installable"]
    day: date | None
    """The day the index was taken as it stood (None: today's index, unpinned policy)."""
    why_day: str
    pins: tuple[str, ...] = ()
    """``name==version`` of every distribution, sorted by name (status ``ok``)."""
    reason: str = ""
    """Why it does not install (status ``not-installable``), for ``explain``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Installs:
    """A resolution that installs, building only the sdists of ``allowed``."""

    resolution: Resolution
    allowed: tuple[str, ...] = ()
    """``name version`` of each distribution built from its sdist on ``allow-builds``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Builds:
    """A resolution that installs only by building the sdists named in ``reason``."""

    resolution: Resolution
    reason: str
    allowed: tuple[str, ...] = ()


async def resolve_env(
    request: ResolveRequest,
    cuts: Sequence[Cut],
    *,
    python: PythonVersion,
    resolver: Resolver,
    facts_of: FactsOf,
    probed: date | None = None,
    allow_builds: frozenset[str] = frozenset(),
) -> EnvPins:
    """Resolve ``request`` at each of ``cuts`` in turn until it installs on ``python``,
    the env's Python (a free-threaded build is resolved as its regular build, then
    checked). An empty ``cuts`` resolves once, with today's index. ``probed``: the day a
    probe installed and imported the pick on ``python``, which outweighs "needs a build"
    when no day installs without one. ``allow_builds``: names of packages whose sdists
    are built (the config's ``allow-builds``)."""
    reasons: list[str] = []
    built: tuple[Cut | None, _Builds] | None = None
    days: Sequence[Cut | None] = cuts or [None]
    for cut in days:
        attempt = replace(request, python=python.regular, exclude_newer=cut.day if cut else None)
        found = await _installable(
            attempt, python=python, resolver=resolver, facts_of=facts_of, allowed=allow_builds
        )
        if isinstance(found, _Installs):
            first_failure = reasons[0] if reasons else None
            return _pinned(found, cut, cuts, first_failure=first_failure)
        if isinstance(found, _Builds):
            built = built or (cut, found)
        reasons.append(found.reason)
    if isinstance(found, Unsatisfiable) and found.project:
        # Not evidence about the pick: the project does not build even on the last day.
        when = f"the index of {cut.day.isoformat()}" if cut else "today's index"
        msg = f"resolving {request.describe()} failed: with {when}, {found.reason}"
        raise ResolverError(msg)
    if built is not None and probed is not None:
        cut, builds = built
        pinned = _pinned(
            _Installs(resolution=builds.resolution, allowed=builds.allowed),
            cut,
            cuts,
            first_failure=None,
        )
        vouched = (
            f"{builds.reason}, built: the pick installed and imported on {python} "
            f"when probed on {probed.isoformat()}"
        )
        return replace(pinned, why_day=f"{pinned.why_day}; {vouched}")
    last = cuts[-1] if cuts else None
    return EnvPins(
        status="not-installable",
        day=last.day if last else None,
        why_day=last.why if last else "today's index",
        reason=reasons[-1] if reasons else "nothing to resolve",
    )


def _pinned(
    found: _Installs, cut: Cut | None, cuts: Sequence[Cut], *, first_failure: str | None
) -> EnvPins:
    """The record of ``found``, found at ``cut``; ``first_failure``: why the first day of
    ``cuts`` did not install (when it did not)."""
    pins = tuple(d.pin for d in found.resolution.distributions)
    day, why = (cut.day, cut.why) if cut else (None, "today's index")
    if first_failure is not None and cuts:
        why = f"{why}; as of {cuts[0].day.isoformat()}: {first_failure}"
    if found.allowed:
        sdists = "its sdist" if len(found.allowed) == 1 else "their sdists"
        why = f"{why}; {', '.join(found.allowed)} built from {sdists}: allow-builds"
    return EnvPins(status="ok", day=day, why_day=why, pins=pins)


async def _installable(
    request: ResolveRequest,
    *,
    python: PythonVersion,
    resolver: Resolver,
    facts_of: FactsOf,
    allowed: frozenset[str],
) -> _Installs | _Builds | Unsatisfiable:
    """The resolution if it installs without a build on ``python`` (but of the sdists of
    ``allowed``); else, when only builds stand in the way (on a regular build), the
    resolution with them; else why not."""
    result = await resolver(request)
    if isinstance(result, Unsatisfiable):
        return result
    builds, built = await _needing_builds(result, python=python, facts_of=facts_of, allowed=allowed)
    if builds:
        # Ask again with wheels only for those: an older release may have wheels.
        names = tuple(sorted({*request.only_binary, *builds}))
        again = await resolver(replace(request, only_binary=names))
        if not isinstance(again, Unsatisfiable):
            result = again
            builds, built = await _needing_builds(
                result, python=python, facts_of=facts_of, allowed=allowed
            )
        if builds:
            reason = "; ".join(builds.values())
            if python.free_threaded:
                return Unsatisfiable(reason=reason)
            return _Builds(resolution=result, reason=reason, allowed=built)
    if python.free_threaded:
        for distribution in result.distributions:
            facts = None if _pure(distribution) else await facts_of(distribution.name)
            missing = free_threaded_missing(distribution, facts, python.regular)
            if missing is None:
                continue
            if distribution.name not in allowed or distribution.sdist is None:
                return Unsatisfiable(reason=missing)
            if _named(distribution) not in built:  # not a build on the regular one
                built = (*built, _named(distribution))
    return _Installs(resolution=result, allowed=built)


def _pure(distribution: Distribution) -> bool:
    return any(wheel.endswith("-none-any.whl") for wheel in distribution.wheels)


def _named(distribution: Distribution) -> str:
    return f"{distribution.name} {distribution.version}"


async def _needing_builds(
    resolution: Resolution, *, python: PythonVersion, facts_of: FactsOf, allowed: frozenset[str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Distribution name -> why it would be built, for those that would and are not
    ``allowed``; and ``name version`` of those of ``allowed`` that would be built."""
    out: dict[str, str] = {}
    built: list[str] = []
    for distribution in resolution.distributions:
        if distribution.wheels:
            continue
        why = build_needed(distribution, await facts_of(distribution.name), python.regular)
        if why is None:
            continue
        if distribution.name in allowed and distribution.sdist is not None:
            built.append(_named(distribution))
        else:
            out[distribution.name] = why
    return out, tuple(built)
