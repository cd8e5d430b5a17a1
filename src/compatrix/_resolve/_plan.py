"""Which envs are pinned, and the digest of what each one's resolution depends on.

A pinned env is an env of a picked version (not ``-latest``) in a suite whose ``pins`` is
not ``off``. Its resolution depends on what the env installs (the pick and the suite's
deps rules, both in the matrix; the project and the user's own tox settings, in the
project's files), its Python, the index, the days it is resolved at (its cuts), and the
config's ``allow-builds`` (only when not empty: the digests of a config without it stay). The
digest of all that is the record's ``inputs``: an update resolves again only the envs
whose digest changed, and ``check`` reports records whose digest no longer matches.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from compatrix._config import Config, Suite
from compatrix._fs import read_text
from compatrix._lock import EnvResolution, Lock
from compatrix._render import outside_regions
from compatrix._resolve._era import Cut, cuts
from compatrix._resolve._uv import PLATFORM
from compatrix._selection import Env, Matrix, lock_date
from compatrix._toml import tomllib
from compatrix._urls import redact_url

__all__ = [
    "PROJECT_FILES",
    "PinnedEnv",
    "Reader",
    "pinned_envs",
    "project_digest",
    "reusable",
    "stale_pins",
]

DIGEST_FORMAT = 2
"""Changes when what the digest covers changes (every record is then resolved again)."""

PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
"""The project's files that say what installing it installs."""

Reader = Callable[[Path], "str | None"]

_REQUIREMENT_FILE = re.compile(r"(?:^|\s)-[rc]\s*([^\s{}]+)")
"""``-r FILE`` / ``-c FILE`` in the user's tox settings (not those with substitutions)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PinnedEnv:
    """An env to pin: the days to resolve it at, and what its record's digest covers."""

    env: Env
    suite: Suite
    cuts: tuple[Cut, ...]
    project: str
    """:func:`project_digest`."""
    index: str
    """The index the env is resolved against."""
    probed: date | None = None
    """The day ``compatrix probe`` installed and imported the pick on the env's Python
    (None: no such probe): it outweighs "its sdist needs a build"."""
    allow_builds: tuple[str, ...] = ()
    """The config's ``allow-builds``: packages whose sdists may be built."""

    @property
    def name(self) -> str:
        return self.env.name

    def inputs(self, resolved_at: date | None = None) -> str:
        """The digest of a record resolved at ``resolved_at``, a day of :attr:`cuts`: its
        inputs with the ladder up to that day, as the later days (the lock's day among
        them) play no part in it. None, or a day not on the ladder: the whole ladder (a
        record not installable on any day, or resolved with today's index)."""
        days = self.cuts
        for i, cut in enumerate(self.cuts):
            if cut.day == resolved_at:
                days = self.cuts[: i + 1]
                break
        data = {
            "format": DIGEST_FORMAT,
            "env": self.env.name,
            "requirement": self.env.requirement,
            "deps": list(self.env.deps),
            "python": str(self.env.python),
            "cuts": [[cut.day.isoformat(), cut.why] for cut in days],
            "project": self.project,
            "index": self.index,
            "platform": PLATFORM,
        }
        if self.probed is not None:  # only then: the digests of envs never probed stay
            data["probed"] = self.probed.isoformat()
        if self.allow_builds:  # likewise: the digests of a config without it stay
            data["allow-builds"] = sorted(set(self.allow_builds))
        return _digest(data)


def project_digest(config: Config, tox_text: str, *, read: Reader) -> str:
    """sha256 of what every env's install depends on outside the matrix: the user's part of
    the tox configuration (``tox_text`` without compatrix's regions), the project's files
    next to it, and the requirement files the user's part names. pyproject.toml counts
    without its ``[tool.compatrix]`` table; when tox is configured there, it counts as the
    tox configuration (as rendered, without compatrix's regions), not as on disk."""
    root = config.tox.file.parent
    user = outside_regions(tox_text)
    in_pyproject = config.tox.format == "pyproject"
    parts: dict[str, str | None] = {"tox": _without_config(user) if in_pyproject else user}
    for name in PROJECT_FILES:
        if in_pyproject and name == "pyproject.toml":
            continue  # the tox configuration itself, as rendered: its user part is "tox"
        text = read(root / name)
        if name == "pyproject.toml" and text is not None:
            text = _without_config(text)
        parts[name] = text
    for found in sorted(set(_REQUIREMENT_FILE.findall(user))):
        parts[f"file:{found}"] = read(root / found)
    return _digest(parts)


def _without_config(pyproject: str) -> str:
    """``pyproject`` without its ``[tool.compatrix]`` table, which installs nothing (what
    it asks an env to install is in the env's own digest): editing the config leaves the
    records of the envs it does not change current. A pyproject.toml without that table,
    or one that does not parse, is kept as it is."""
    try:
        data = tomllib.loads(pyproject)
    except tomllib.TOMLDecodeError:
        return pyproject
    tool = data.get("tool")
    if not isinstance(tool, dict) or "compatrix" not in tool:
        return pyproject
    del tool["compatrix"]
    return json.dumps(data, sort_keys=True, default=str)


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def pinned_envs(
    config: Config, matrix: Matrix, lock: Lock, *, project: str
) -> tuple[PinnedEnv, ...]:
    """Every pinned env of ``matrix``, in matrix order.

    ``lock`` gives the releases (the era of each pick), the index they came from and the
    lock's day; ``project`` is :func:`project_digest`. The index in the digest is the one
    the envs are resolved against: the config's ``pins-index-url``, else the facts' index.
    """
    day = lock_date(lock)
    if day is None:
        return ()
    pins_index = redact_url(config.pins_index_url) if config.pins_index_url else None
    found = []
    for suite_matrix in matrix.suites:
        suite = suite_matrix.suite
        policy = suite.policy.pins
        if policy == "off":
            continue
        facts = lock.packages[suite.package]
        releases = facts.releases
        for env in suite_matrix.envs:
            if env.version is None:
                continue
            days = cuts(env.version, releases, policy=policy, lock_day=day)
            found.append(
                PinnedEnv(
                    env=env,
                    suite=suite,
                    cuts=days,
                    project=project,
                    index=pins_index or facts.index,
                    probed=lock.imported_on(suite.package, str(env.version), str(env.python)),
                    allow_builds=config.allow_builds,
                )
            )
    return tuple(found)


def reusable(pinned: PinnedEnv, previous: Mapping[str, EnvResolution]) -> EnvResolution | None:
    """The previous record of ``pinned`` when its inputs are unchanged (for a record that
    resolved, up to the day it resolved at: a new lock day does not resolve it again)."""
    record = previous.get(pinned.name)
    if record is None:
        return None
    resolved_at = record.cut if record.status == "ok" else None
    return record if record.inputs == pinned.inputs(resolved_at) else None


def stale_pins(config: Config, matrix: Matrix, lock: Lock, tox_text: str) -> tuple[str, ...]:
    """Names of the pinned envs of ``matrix`` the lock has no current record for (never
    resolved, or resolved with other inputs): ``compatrix update`` resolves them.
    ``tox_text`` is the tox configuration as rendered for ``matrix``."""
    project = project_digest(config, tox_text, read=read_text)
    pinned = pinned_envs(config, matrix, lock, project=project)
    return tuple(p.name for p in pinned if reusable(p, lock.resolutions) is None)
