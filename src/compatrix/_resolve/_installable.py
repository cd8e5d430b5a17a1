"""Whether a resolution installs without building extension code, on a regular or a
free-threaded build.

uv lists, for each distribution of a resolution, the wheels that install on the target;
a distribution without one comes as an sdist. An sdist of a pure-Python package builds in
seconds anywhere; an sdist of a package that ships compiled wheels needs a compiler and
its toolchain (Rust for tokenizers), which CI jobs do not have. A free-threaded build
(``3.14t``) installs only pure-Python wheels and wheels built for it (``cp314-cp314t``,
``abi3t``), so every distribution of the regular build's resolution must have one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from compatrix._lock import NEEDS_BUILD, PackageFacts
from compatrix._pythons import PythonVersion
from compatrix._resolve._uv import Distribution

__all__ = ["NeededBuild", "build_needed", "builds_in", "free_threaded_missing", "is_pure_package"]

_NEEDED = re.compile(rf"no wheel of (\S+) (\S+) for cp([0-9]+); {re.escape(NEEDS_BUILD)}")
"""What :func:`build_needed` says, read back from a record's reason."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NeededBuild:
    """A distribution that has no wheel for a Python, and whose sdist needs a build."""

    name: str
    version: str
    tag: str
    """``cp313``."""


def _tags(wheel: str) -> frozenset[Tag]:
    """The compatibility tags of a wheel's file name (none when it is not valid)."""
    try:
        return parse_wheel_filename(wheel)[3]
    except InvalidWheelFilename:
        return frozenset()


def is_pure_package(facts: PackageFacts) -> bool:
    """True when no release of the package ships a compiled wheel: its sdists build
    without a compiler (a package with no wheels at all counts as pure)."""
    return all(pair.endswith("-none") for release in facts.releases for pair in release.wheel_tags)


def build_needed(
    distribution: Distribution, facts: PackageFacts | None, python: PythonVersion
) -> str | None:
    """Why installing ``distribution`` on ``python`` would build extension code, or None.

    ``facts`` are the package's releases (None when unknown: then an sdist counts as
    buildable, as most are).
    """
    if distribution.wheels:
        return None
    if distribution.sdist is None:
        return (
            f"no wheel or sdist of {distribution.name} {distribution.version} for cp{python.nodot}"
        )
    if facts is None or is_pure_package(facts):
        return None
    name = f"{distribution.name} {distribution.version}"
    return f"no wheel of {name} for cp{python.nodot}; {NEEDS_BUILD}"


def builds_in(reason: str) -> tuple[NeededBuild, ...]:
    """The builds a record's ``reason`` (one or more :func:`build_needed`, ``; ``-joined)
    says an env needs, in order."""
    return tuple(
        NeededBuild(name=name, version=version, tag=f"cp{nodot}")
        for name, version, nodot in _NEEDED.findall(reason)
    )


def _free_threaded_pairs(facts: PackageFacts | None, distribution: Distribution) -> Iterable[str]:
    if facts is None:
        return ()
    release = facts.release(distribution.version)
    return release.wheel_tags if release is not None else ()


def free_threaded_missing(
    distribution: Distribution, facts: PackageFacts | None, python: PythonVersion
) -> str | None:
    """Why ``distribution`` (resolved for ``python``'s regular build) does not install on
    its free-threaded build, or None.

    ``facts`` are the package's releases, needed only for a distribution whose wheel for
    the regular build is compiled (its other wheels are not in the resolution).
    """
    tags = {tag for wheel in distribution.wheels for tag in _tags(wheel)}
    if any(tag.abi == "none" and tag.platform == "any" for tag in tags):
        return None
    sdist_only = not distribution.wheels and distribution.sdist is not None
    if sdist_only and facts is not None and is_pure_package(facts):
        return None
    built = f"cp{python.nodot}t"
    for pair in _free_threaded_pairs(facts, distribution):
        interpreter, _, abi = pair.partition("-")
        if abi == built and interpreter == f"cp{python.nodot}":
            return None
        if abi == "abi3t" and (python.major, python.minor) >= (3, 15):
            return None
    if {tag.abi for tag in tags} & {built, "abi3t"}:
        return None
    return (
        f"no free-threaded ({built}) or pure-Python wheel of "
        f"{distribution.name} {distribution.version}"
    )
