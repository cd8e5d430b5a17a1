"""Resolving envs: what each pinned env installs, pinned and checked installable, with
the index as it stood in the pick's own era.

``_plan`` says which envs are pinned and digests what each resolution depends on (pure);
``_pin`` asks tox what each env installs (``_tox``) and resolves it with uv (``_uv``)
along its ladder of days (``_era``, ``_envs``), judging whether it installs without a
build (``_installable``).
"""

from __future__ import annotations

from compatrix._resolve._installable import NeededBuild, builds_in
from compatrix._resolve._pin import PinSettings, pin_envs
from compatrix._resolve._plan import pinned_envs, project_digest, reusable, stale_pins
from compatrix._resolve._uv import (
    Distribution,
    Resolution,
    ResolveRequest,
    ResolverError,
    Unsatisfiable,
    find_uv,
    resolve,
)

__all__ = [
    "Distribution",
    "NeededBuild",
    "PinSettings",
    "Resolution",
    "ResolveRequest",
    "ResolverError",
    "Unsatisfiable",
    "builds_in",
    "find_uv",
    "pin_envs",
    "pinned_envs",
    "project_digest",
    "resolve",
    "reusable",
    "stale_pins",
]
