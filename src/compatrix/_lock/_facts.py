"""Facts about releases, as read from a package index and recorded in the lock.

These are the only index data later steps see: selection, Python detection and rendering
run on :class:`PackageFacts`, never on raw index pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Literal

from packaging.version import InvalidVersion, Version

__all__ = [
    "CoreMetadata",
    "MetadataStatus",
    "PackageFacts",
    "Release",
    "cutoff_of",
    "parse_version",
    "sort_releases",
]

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
    except InvalidVersion:
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

    @property
    def installable(self) -> bool:
        """True when pip could install it: it has a wheel or an sdist."""
        return self.sdist or bool(self.wheel_tags)


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


def cutoff_of(as_of: date) -> datetime:
    """The first instant after ``as_of`` (UTC): releases uploaded before it are kept."""
    return datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc) + timedelta(days=1)


def sort_releases(releases: list[Release]) -> tuple[Release, ...]:
    """Oldest first: valid versions in version order, then legacy versions by text."""
    valid = [(r.parsed, r) for r in releases if r.parsed is not None]
    valid.sort(key=lambda pair: pair[0])
    legacy = sorted((r for r in releases if r.parsed is None), key=lambda r: r.version)
    return (*(r for _, r in valid), *legacy)
