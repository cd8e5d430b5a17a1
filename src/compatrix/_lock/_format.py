"""The lock file: every index fact compatrix used, recorded so later steps run offline.

The format is JSON, documented in ``docs/lock-format.md``. Writing is deterministic (same
facts, same bytes): packages sorted by name, releases in version order, one release per
line so that a changed release shows as one changed line in a diff.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, cast

from packaging.version import Version

from compatrix._fs import read_text
from compatrix._gc import gc_paused
from compatrix._lock._facts import (
    CoreMetadata,
    MetadataStatus,
    PackageFacts,
    Release,
    cutoff_of,
    new_release,
    parse_version,
    sort_releases,
)
from compatrix.errors import LockError

__all__ = [
    "LOCK_FORMAT",
    "LOCK_NAME",
    "Lock",
    "dumps_lock",
    "format_time",
    "loads_lock",
    "parse_time",
    "read_lock",
]

LOCK_FORMAT = 1
"""The lock format this compatrix writes; it reads this and every older one."""
LOCK_NAME = "compatrix.lock"

_METADATA_STATES: frozenset[str] = frozenset({"no-wheel", "unavailable", "not-fetched"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Lock:
    """The lock: index facts per package, the ``--as-of`` cutoff, and remembered picks."""

    as_of: date | None = None
    """When set, the lock describes the index as it stood at the end of this day (UTC)."""
    packages: Mapping[str, PackageFacts] = field(default_factory=dict)
    """Facts per PEP 503-normalized package name."""
    picks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per suite, the versions picked when the lock was last updated (for stable picks)."""

    def reference_time(self, package: str) -> datetime:
        """The "now" of time-based rules (cooldown, prerelease age) for ``package``.

        The end of the ``as_of`` day when the lock has a cutoff, else when the package was
        fetched. Never the wall clock: the same lock always gives the same matrix.
        """
        if self.as_of is not None:
            return cutoff_of(self.as_of)
        return self.packages[package].fetched_at

    def with_packages(self, packages: Mapping[str, PackageFacts]) -> Lock:
        """A copy with these packages added or replaced."""
        merged = dict(self.packages)
        merged.update(packages)
        return replace(self, packages=merged)


# --- time -------------------------------------------------------------------------------


def parse_time(text: str) -> datetime:
    """Parse an ISO-8601 UTC timestamp (``Z`` or ``+00:00``) into an aware datetime."""
    value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def format_time(value: datetime) -> str:
    """``2024-12-06T15:37:21Z`` (with ``.ffffff`` only when there are microseconds)."""
    value = value.astimezone(timezone.utc)
    if value.year >= 1000:  # isoformat() pads years to 4 digits, strftime("%Y") may not
        return value.isoformat()[:-6] + "Z"  # drop "+00:00"
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return value.strftime(pattern)


# --- writing ----------------------------------------------------------------------------

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
"""``json.dumps(value, ensure_ascii=False, separators=(", ", ": "))``, made once."""


def _dump(value: object) -> str:
    return _ENCODER.encode(value)


def _release_line(release: Release) -> str:
    """``_dump(_release_json(release))``, spelled out for the common release."""
    if release.metadata is not None or type(release.files) is not int:
        return _dump(_release_json(release))
    dump = encode_basestring  # what _ENCODER does with a string
    parts = ['{"version": ', dump(release.version)]
    if release.uploaded is not None:
        # Digits, '-', ':', '.', 'T' and 'Z' only: nothing to escape.
        parts.append(f', "uploaded": "{format_time(release.uploaded)}"')
    parts.append(f', "files": {release.files}')
    if release.sdist:
        parts.append(', "sdist": true')
    if release.wheel_tags:
        parts.append(', "wheels": [')
        parts.append(", ".join(map(dump, release.wheel_tags)))
        parts.append("]")
    if release.requires_python is not None:
        parts.append(', "requires-python": ')
        parts.append(dump(release.requires_python))
    if release.yanked:
        parts.append(', "yanked": true')
        if release.yanked_reason:
            parts.append(', "yanked-reason": ')
            parts.append(dump(release.yanked_reason))
    if release.metadata_status != "not-fetched":
        parts.append(', "metadata": ')
        parts.append(dump(release.metadata_status))
    parts.append("}")
    return "".join(parts)


def _release_json(release: Release) -> dict[str, object]:
    out: dict[str, object] = {"version": release.version}
    if release.uploaded is not None:
        out["uploaded"] = format_time(release.uploaded)
    out["files"] = release.files
    if release.sdist:
        out["sdist"] = True
    if release.wheel_tags:
        out["wheels"] = list(release.wheel_tags)
    if release.requires_python is not None:
        out["requires-python"] = release.requires_python
    if release.yanked:
        out["yanked"] = True
        if release.yanked_reason:
            out["yanked-reason"] = release.yanked_reason
    if release.metadata is not None:
        meta = release.metadata
        out["metadata"] = {
            "wheel": meta.wheel,
            "sha256": meta.sha256,
            "advertised": meta.advertised,
            "requires-python": meta.requires_python,
            "classifiers": list(meta.classifiers),
            "extras": list(meta.extras),
        }
    elif release.metadata_status != "not-fetched":
        out["metadata"] = release.metadata_status
    return out


def dumps_lock(lock: Lock) -> str:
    """The lock file's text. Same lock, same text, byte for byte."""
    with gc_paused():
        return _dumps(lock)


def _dumps(lock: Lock) -> str:
    lines = ["{", f'  "compatrix-lock": {LOCK_FORMAT},']
    lines.append(f'  "as-of": {_dump(lock.as_of.isoformat() if lock.as_of else None)},')
    lines.append('  "packages": {')
    names = sorted(lock.packages)
    for n, name in enumerate(names):
        facts = lock.packages[name]
        lines.append(f"    {_dump(name)}: {{")
        lines.append(f'      "index": {_dump(facts.index)},')
        lines.append(f'      "fetched-at": {_dump(format_time(facts.fetched_at))},')
        lines.append(f'      "api-version": {_dump(facts.api_version)},')
        lines.append(f'      "serial": {_dump(facts.serial)},')
        lines.append(f'      "status": {_dump(facts.status)},')
        floor = str(facts.releases_from) if facts.releases_from is not None else None
        lines.append(f'      "releases-from": {_dump(floor)},')
        if facts.releases:
            lines.append('      "releases": [')
            ordered = sort_releases(list(facts.releases))
            body = [f"        {_release_line(r)}" for r in ordered]
            lines.append(",\n".join(body))
            lines.append("      ]")
        else:
            lines.append('      "releases": []')
        lines.append("    }" + ("," if n < len(names) - 1 else ""))
    lines.append("  },")
    suites = sorted(lock.picks)
    if suites:
        lines.append('  "picks": {')
        body = [f"    {_dump(s)}: {_dump(list(lock.picks[s]))}" for s in suites]
        lines.append(",\n".join(body))
        lines.append("  }")
    else:
        lines.append('  "picks": {}')
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- reading ----------------------------------------------------------------------------


class _Reader:
    """Validates lock JSON, collecting the first problem with its path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str) -> LockError:
        return LockError(f"{self.source}: {path}: {problem}")

    def obj(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, got {type(value).__name__}")
        return cast("dict[str, Any]", value)

    def text(self, value: object, path: str, *, optional: bool = False) -> str:
        if value is None and optional:
            return cast("str", None)
        if not isinstance(value, str):
            raise self.fail(path, f"expected a string, got {_kind(value)}")
        return value

    def time(self, value: object, path: str) -> datetime:
        text = self.text(value, path)
        try:
            return parse_time(text)
        except ValueError:
            raise self.fail(path, f"not an ISO-8601 time: {text!r}") from None

    def strings(self, value: object, path: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "expected a list of strings")
        return tuple(cast("list[str]", value))

    def release(self, value: object, path: str) -> Release:
        data = self.obj(value, path)
        unknown = sorted(set(data) - _RELEASE_KEYS)
        if unknown:
            raise self.fail(path, f"unknown key {unknown[0]!r}")
        files = data.get("files")
        if not isinstance(files, int) or isinstance(files, bool) or files < 0:
            raise self.fail(f"{path}.files", "expected a non-negative integer")
        uploaded = data.get("uploaded")
        metadata, status = self.metadata(data.get("metadata", "not-fetched"), f"{path}.metadata")
        yanked = data.get("yanked", False)
        if not isinstance(yanked, bool):
            raise self.fail(f"{path}.yanked", "expected true or false")
        sdist = data.get("sdist", False)
        if not isinstance(sdist, bool):
            raise self.fail(f"{path}.sdist", "expected true or false")
        return Release(
            version=self.text(data.get("version"), f"{path}.version"),
            uploaded=None if uploaded is None else self.time(uploaded, f"{path}.uploaded"),
            files=files,
            sdist=sdist,
            wheel_tags=self.strings(data.get("wheels", []), f"{path}.wheels"),
            requires_python=self.text(
                data.get("requires-python"), f"{path}.requires-python", optional=True
            ),
            yanked=yanked,
            yanked_reason=self.text(
                data.get("yanked-reason"), f"{path}.yanked-reason", optional=True
            ),
            metadata=metadata,
            metadata_status=status,
        )

    def metadata(self, value: object, path: str) -> tuple[CoreMetadata | None, MetadataStatus]:
        if isinstance(value, str):
            if value not in _METADATA_STATES:
                raise self.fail(path, f"unknown metadata state {value!r}")
            return None, cast("MetadataStatus", value)
        data = self.obj(value, path)
        advertised = data.get("advertised")
        if not isinstance(advertised, bool):
            raise self.fail(f"{path}.advertised", "expected true or false")
        meta = CoreMetadata(
            wheel=self.text(data.get("wheel"), f"{path}.wheel"),
            sha256=self.text(data.get("sha256"), f"{path}.sha256"),
            advertised=advertised,
            requires_python=self.text(
                data.get("requires-python"), f"{path}.requires-python", optional=True
            ),
            classifiers=self.strings(data.get("classifiers", []), f"{path}.classifiers"),
            extras=self.strings(data.get("extras", []), f"{path}.extras"),
        )
        return meta, "ok"

    def package(self, name: str, value: object, path: str) -> PackageFacts:
        data = self.obj(value, path)
        serial = data.get("serial")
        if serial is not None and (not isinstance(serial, int) or isinstance(serial, bool)):
            raise self.fail(f"{path}.serial", "expected an integer or null")
        releases_value = data.get("releases", [])
        if not isinstance(releases_value, list):
            raise self.fail(f"{path}.releases", "expected a list")
        releases: list[Release] = []
        add = releases.append
        fast = _fast_release
        for i, item in enumerate(releases_value):
            release = fast(item)
            if release is None:  # something to report, or a rare shape: check every field
                release = self.release(item, f"{path}.releases[{i}]")
            add(release)
        floor_text = data.get("releases-from")
        floor: Version | None = None
        if floor_text is not None:
            floor = parse_version(self.text(floor_text, f"{path}.releases-from"))
            if floor is None:
                raise self.fail(f"{path}.releases-from", f"not a version: {floor_text!r}")
        return PackageFacts(
            name=name,
            index=self.text(data.get("index"), f"{path}.index"),
            releases_from=floor,
            fetched_at=self.time(data.get("fetched-at"), f"{path}.fetched-at"),
            serial=serial,
            api_version=self.text(data.get("api-version", "1.0"), f"{path}.api-version"),
            status=self.text(data.get("status"), f"{path}.status", optional=True),
            releases=sort_releases(releases),
        )


_RELEASE_KEYS: frozenset[str] = frozenset(
    {
        "version",
        "uploaded",
        "files",
        "sdist",
        "wheels",
        "requires-python",
        "yanked",
        "yanked-reason",
        "metadata",
    }
)
_UTC = timezone.utc
_ABSENT: Any = object()


def _fast_release(value: object) -> Release | None:
    """The release of a well-formed lock entry without core metadata facts, else None.

    Locks hold thousands of releases, nearly all in the shape ``dumps_lock`` writes. This
    reads that shape with as few checks as give the same answer; anything else (including
    every invalid entry) returns None, and :meth:`_Reader.release` reads it field by field
    and reports the first problem.
    """
    if type(value) is not dict or not _RELEASE_KEYS.issuperset(value):
        return None
    get = value.get
    version = get("version")
    files = get("files")
    if type(version) is not str or type(files) is not int or files < 0:
        return None
    uploaded = get("uploaded")
    if uploaded is not None:
        if type(uploaded) is not str:
            return None
        if uploaded.endswith("Z"):  # what parse_time reads, as dumps_lock writes it
            uploaded = uploaded[:-1] + "+00:00"
        try:
            uploaded = datetime.fromisoformat(uploaded)
        except ValueError:
            return None
        if uploaded.tzinfo is not _UTC:
            return None
    sdist = get("sdist", False)
    yanked = get("yanked", False)
    if type(sdist) is not bool or type(yanked) is not bool:
        return None
    wheels = get("wheels", _ABSENT)
    if wheels is _ABSENT:
        wheel_tags: tuple[str, ...] = ()
    elif type(wheels) is list and all(type(w) is str for w in wheels):
        wheel_tags = tuple(wheels)
    else:
        return None
    requires_python = get("requires-python")
    yanked_reason = get("yanked-reason")
    if (requires_python is not None and type(requires_python) is not str) or (
        yanked_reason is not None and type(yanked_reason) is not str
    ):
        return None
    status = get("metadata", "not-fetched")
    if type(status) is not str or status not in _METADATA_STATES:
        return None  # metadata facts (picks only) or something to report
    return new_release(
        version=version,
        uploaded=uploaded,
        files=files,
        sdist=sdist,
        wheel_tags=wheel_tags,
        requires_python=requires_python,
        yanked=yanked,
        yanked_reason=yanked_reason,
        metadata_status=cast("MetadataStatus", status),
    )


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def loads_lock(text: str, *, source: str = "compatrix.lock") -> Lock:
    """Parse and validate lock text; a problem raises LockError naming where it is."""
    with gc_paused():
        return _loads(text, source)


def _loads(text: str, source: str) -> Lock:
    reader = _Reader(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        raise LockError(msg) from None
    root = reader.obj(data, "(top level)")
    version = root.get("compatrix-lock")
    if not isinstance(version, int) or isinstance(version, bool):
        raise reader.fail("compatrix-lock", "missing or not an integer: is this a compatrix lock?")
    if version > LOCK_FORMAT:
        msg = (
            f"{source}: lock format {version} is newer than this compatrix understands "
            f"(format {LOCK_FORMAT}); upgrade compatrix"
        )
        raise LockError(msg)
    if version < 1:
        raise reader.fail("compatrix-lock", f"unknown lock format {version}")
    as_of_value = root.get("as-of")
    as_of: date | None = None
    if as_of_value is not None:
        as_of_text = reader.text(as_of_value, "as-of")
        try:
            as_of = date.fromisoformat(as_of_text)
        except ValueError:
            raise reader.fail("as-of", f"not a date (YYYY-MM-DD): {as_of_text!r}") from None
    packages_value = reader.obj(root.get("packages", {}), "packages")
    packages = {
        name: reader.package(name, value, f"packages.{name}")
        for name, value in packages_value.items()
    }
    picks_value = reader.obj(root.get("picks", {}), "picks")
    picks = {suite: reader.strings(value, f"picks.{suite}") for suite, value in picks_value.items()}
    return Lock(as_of=as_of, packages=packages, picks=picks)


def read_lock(path: Path, *, missing_ok: bool = False) -> Lock | None:
    """Read the lock at ``path``; None when it does not exist and ``missing_ok``."""
    text = read_text(path)
    if text is None:
        if missing_ok:
            return None
        msg = f"no lock file at {path}: run `compatrix update` to create it"
        raise LockError(msg)
    return loads_lock(text, source=str(path))
