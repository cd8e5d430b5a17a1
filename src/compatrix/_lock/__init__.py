"""The lock: the index facts compatrix used (``PackageFacts`` per package, ``Release`` per
release) and the file that records them, so that every later step runs offline."""

from __future__ import annotations

from compatrix._lock._facts import (
    LATEST_AS_OF,
    CoreMetadata,
    MetadataStatus,
    PackageFacts,
    Probe,
    ProbeOutcome,
    Release,
    as_of_day,
    as_of_text,
    cutoff_of,
    parse_as_of,
    parse_version,
    sort_releases,
)
from compatrix._lock._format import (
    LOCK_FORMAT,
    LOCK_NAME,
    Lock,
    Probes,
    dumps_lock,
    loads_lock,
    read_lock,
)
from compatrix._lock._resolutions import NEEDS_BUILD, EnvResolution, ResolutionStatus
from compatrix._time import format_time

__all__ = [
    "LATEST_AS_OF",
    "LOCK_FORMAT",
    "LOCK_NAME",
    "NEEDS_BUILD",
    "CoreMetadata",
    "EnvResolution",
    "Lock",
    "MetadataStatus",
    "PackageFacts",
    "Probe",
    "ProbeOutcome",
    "Probes",
    "Release",
    "ResolutionStatus",
    "as_of_day",
    "as_of_text",
    "cutoff_of",
    "dumps_lock",
    "format_time",
    "loads_lock",
    "parse_as_of",
    "parse_version",
    "read_lock",
    "sort_releases",
]
