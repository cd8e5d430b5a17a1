"""Facts about releases, as read from a package index and recorded in the lock.

These are the only index data later steps see: selection, Python detection and rendering
run on :class:`PackageFacts`, never on raw index pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from operator import attrgetter
from typing import Literal

from packaging.version import InvalidVersion, Version

from compatrix._time import format_time, parse_time

__all__ = [
    "CoreMetadata",
    "MetadataStatus",
    "PackageFacts",
    "Probe",
    "ProbeOutcome",
    "Release",
    "as_of_day",
    "as_of_text",
    "cutoff_of",
    "parse_as_of",
    "parse_version",
    "sort_releases",
]

ProbeOutcome = Literal["imports", "fails"]
"""What ``compatrix probe`` saw: the release installed and imported (and its smoke command
passed) on the Python, or it did not."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Probe:
    """The outcome of installing and importing one release on one Python, and when."""

    outcome: ProbeOutcome
    day: date
    detail: str = ""
    """Why it failed, in one line (the end of the installer's or the import's error)."""


MetadataStatus = Literal["ok", "no-wheel", "unavailable", "not-fetched"]
"""What is known of a release's core metadata.

``ok``: read from a wheel's METADATA (its ``.metadata`` file, or inside the wheel), or for
a release without wheels from the index's per-version JSON API. ``no-wheel``: the release
has no wheel and the JSON API gave nothing, so its classifiers are unknown.
``unavailable``: neither a ``.metadata`` file nor the wheels gave it. ``not-fetched``:
selection did not need it.
"""


def parse_version(text: str) -> Version | None:
    """``Version(text)``, or None for a legacy version PEP 440 cannot parse."""
    try:
        return Version(text)
    except (InvalidVersion, ValueError):  # ValueError: a number too long to convert
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class CoreMetadata:
    """What selection uses from one wheel's core metadata (METADATA)."""

    wheel: str
    """File name of the wheel the metadata was read from; for a release without wheels,
    of its sdist (the metadata then came from the index's per-version JSON API)."""
    sha256: str
    """sha256 of the METADATA bytes, verified against the index's hash when advertised (of
    the JSON document, for an sdist)."""
    advertised: bool
    """True when the index advertised the metadata (PEP 658/714), False when probed."""
    requires_python: str | None
    classifiers: tuple[str, ...]
    """The ``Programming Language :: Python ...`` classifiers, sorted."""
    extras: tuple[str, ...]
    """Extras the release provides (``Provides-Extra``, normalized, sorted)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """One release of a package, summarised from all of its files."""

    version: str
    """The version as recorded: PEP 440-normalized when valid, else as the index spelled it."""
    uploaded: datetime | None
    """Upload time of the earliest file (UTC); None when the index gives none (PEP 503)."""
    yanked: bool
    """True when every file of the release is yanked."""
    yanked_reason: str | None = None
    requires_python: str | None = None
    """Requires-Python as the index gives it (raw, may be invalid)."""
    sdist: bool = False
    wheel_tags: tuple[str, ...] = ()
    """Sorted, unique ``interpreter-abi`` pairs of its wheels: ``py3-none``, ``cp312-cp312``,
    ``cp39-abi3``, ``cp313-cp313t``. Platform tags are not kept."""
    files: int = 0
    """Number of files; 0 for a version listed without files (PEP 700 ``versions``)."""
    metadata: CoreMetadata | None = None
    metadata_status: MetadataStatus = "not-fetched"
    parsed: Version | None = field(default=None, compare=False, repr=False)
    """``Version(version)``; filled in by ``__post_init__``, None for a legacy version."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "parsed", parse_version(self.version))


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageFacts:
    """Everything compatrix knows about one package on one index."""

    name: str
    """PEP 503-normalized project name."""
    index: str
    """The index URL, without credentials."""
    fetched_at: datetime
    """When the project page was read (UTC)."""
    serial: int | None = None
    """The index's last serial for the project when it gives one (PyPI)."""
    api_version: str = "1.0"
    status: str | None = None
    """PEP 792 project status (``archived``, ``quarantined``, ``deprecated``) when given."""
    releases: tuple[Release, ...] = ()
    """Every recorded release, oldest first: valid versions in version order, then legacy
    ones."""
    releases_from: Version | None = None
    """When set, only releases at or above this version are recorded: the lowest
    ``min-version`` of the suites testing the package when the lock was updated (older
    releases are never candidates, so the lock does not carry them)."""

    def release(self, version: str | Version) -> Release | None:
        """The release with this version, if recorded."""
        wanted = str(version) if isinstance(version, Version) else version
        parsed = parse_version(wanted)
        for release in self.releases:
            if release.version == wanted or (parsed is not None and release.parsed == parsed):
                return release
        return None


LATEST_AS_OF = date.max - timedelta(days=1)
"""The latest ``as-of`` day: the first instant after it must be a datetime."""


def cutoff_of(as_of: date) -> datetime:
    """The first instant after ``as_of`` (UTC): releases uploaded before it are kept.

    ``as_of`` is a day (the cutoff is the end of it) or, as a ``datetime``, a moment (the
    cutoff is that moment).
    """
    if isinstance(as_of, datetime):
        return as_of.astimezone(timezone.utc)
    return datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc) + timedelta(days=1)


def parse_as_of(text: str) -> date:
    """``2026-08-10`` (a day) or an ISO-8601 time (``2026-08-10T14:30:00Z``; a moment, as
    an aware UTC ``datetime``; without an offset, UTC). ValueError when it is neither."""
    if len(text) == len("YYYY-MM-DD"):
        return date.fromisoformat(text)
    if "T" not in text.upper():
        raise ValueError(text)
    return parse_time(text)


def as_of_text(as_of: date) -> str:
    """``2026-08-10``, or ``2026-08-10T14:30:00Z`` for a moment."""
    if isinstance(as_of, datetime):
        return format_time(as_of)
    return as_of.isoformat()


def as_of_day(as_of: date) -> date:
    """The day of ``as_of`` (UTC)."""
    if isinstance(as_of, datetime):
        return as_of.astimezone(timezone.utc).date()
    return as_of


def sort_releases(releases: list[Release]) -> tuple[Release, ...]:
    """Oldest first: valid versions in version order, then legacy versions by text."""
    valid = sorted((r for r in releases if r.parsed is not None), key=attrgetter("parsed"))
    legacy = sorted((r for r in releases if r.parsed is None), key=attrgetter("version"))
    return (*valid, *legacy)
