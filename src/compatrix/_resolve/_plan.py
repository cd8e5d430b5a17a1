"""Which envs are pinned, and the digest of what each one's resolution depends on.

A pinned env is an env of a picked version (not ``-latest``) in a suite whose ``pins`` is
not ``off``. Its resolution depends on what the env installs (the pick and the suite's
deps rules, both in the matrix; the project and the user's own tox settings, in the
project's files), its Python, the index, and the days it is resolved at (its cuts). The
digest of all that is the record's ``inputs``: an update resolves again only the envs
whose digest changed, and ``check`` reports records whose digest no longer matches.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
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
    """An env to pin: the days to resolve it at, and the digest of its inputs."""

    env: Env
    suite: Suite
    cuts: tuple[Cut, ...]
    inputs: str
    probed: date | None = None
    """The day ``compatrix probe`` installed and imported the pick on the env's Python
    (None: no such probe): it outweighs "its sdist needs a build"."""

    @property
    def name(self) -> str:
        return self.env.name


def project_digest(config: Config, tox_text: str, *, read: Reader) -> str:
    """sha256 of what every env's install depends on outside the matrix: the user's part of
    the tox configuration (``tox_text`` without compatrix's regions), the project's files
    next to it, and the requirement files the user's part names."""
    root = config.tox.file.parent
    user = outside_regions(tox_text)
    parts: dict[str, str | None] = {"tox": user}
    for name in PROJECT_FILES:
        parts[name] = read(root / name)
    for found in sorted(set(_REQUIREMENT_FILE.findall(user))):
        parts[f"file:{found}"] = read(root / found)
    return _digest(parts)


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
        probes = lock.probes.get(suite.package, {})
        for env in suite_matrix.envs:
            if env.version is None:
                continue
            days = cuts(env.version, releases, policy=policy, lock_day=day)
            probe = probes.get(str(env.version), {}).get(str(env.python))
            probed = probe.day if probe is not None and probe.outcome == "imports" else None
            index = pins_index or facts.index
            found.append(
                PinnedEnv(
                    env=env,
                    suite=suite,
                    cuts=days,
                    inputs=_inputs(env, days, project=project, index=index, probed=probed),
                    probed=probed,
                )
            )
    return tuple(found)


def _inputs(env: Env, days: Sequence[Cut], *, project: str, index: str, probed: date | None) -> str:
    data = {
        "format": DIGEST_FORMAT,
        "env": env.name,
        "requirement": env.requirement,
        "deps": list(env.deps),
        "python": str(env.python),
        "cuts": [[cut.day.isoformat(), cut.why] for cut in days],
        "project": project,
        "index": index,
        "platform": PLATFORM,
    }
    if probed is not None:  # only then: the digests of envs never probed stay as they were
        data["probed"] = probed.isoformat()
    return _digest(data)


def reusable(pinned: PinnedEnv, previous: Mapping[str, EnvResolution]) -> EnvResolution | None:
    """The previous record of ``pinned`` when its inputs are unchanged."""
    record = previous.get(pinned.name)
    return record if record is not None and record.inputs == pinned.inputs else None


def stale_pins(config: Config, matrix: Matrix, lock: Lock, tox_text: str) -> tuple[str, ...]:
    """Names of the pinned envs of ``matrix`` the lock has no current record for (never
    resolved, or resolved with other inputs): ``compatrix update`` resolves them.
    ``tox_text`` is the tox configuration as rendered for ``matrix``."""
    project = project_digest(config, tox_text, read=read_text)
    pinned = pinned_envs(config, matrix, lock, project=project)
    return tuple(p.name for p in pinned if reusable(p, lock.resolutions) is None)
