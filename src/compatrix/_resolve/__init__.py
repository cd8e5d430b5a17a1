"""Resolving envs: what each pinned env installs, pinned and checked installable, with
the index as it stood in the pick's own era."""

from __future__ import annotations

from compatrix._resolve._uv import (
    PLATFORM,
    Distribution,
    Resolution,
    ResolveRequest,
    ResolverError,
    Unsatisfiable,
    find_uv,
    resolve,
)

__all__ = [
    "PLATFORM",
    "Distribution",
    "Resolution",
    "ResolveRequest",
    "ResolverError",
    "Unsatisfiable",
    "find_uv",
    "resolve",
]
