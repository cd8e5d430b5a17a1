"""The lock: the index facts compatrix used (``PackageFacts`` per package, ``Release`` per
release) and the file that records them, so that every later step runs offline."""

from __future__ import annotations

from compatrix._lock._facts import (
    CoreMetadata,
    MetadataStatus,
    PackageFacts,
    Release,
    cutoff_of,
    parse_version,
    sort_releases,
)
from compatrix._lock._format import (
    LOCK_FORMAT,
    LOCK_NAME,
    Lock,
    dumps_lock,
    loads_lock,
    read_lock,
)
from compatrix._lock._resolutions import EnvResolution, ResolutionStatus
from compatrix._time import format_time

__all__ = [
    "LOCK_FORMAT",
    "LOCK_NAME",
    "CoreMetadata",
    "EnvResolution",
    "Lock",
    "MetadataStatus",
    "PackageFacts",
    "Release",
    "ResolutionStatus",
    "cutoff_of",
    "dumps_lock",
    "format_time",
    "loads_lock",
    "parse_version",
    "read_lock",
    "sort_releases",
]
