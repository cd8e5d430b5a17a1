"""The lock file: every index fact compatrix used, recorded so later steps run offline.

The format is JSON, documented in ``docs/lock-format.md``. Writing is deterministic (same
facts, same bytes): packages sorted by name, releases in version order, one release per
line so that a changed release shows as one changed line in a diff.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from packaging.version import Version

from compatrix._fs import read_text
from compatrix._lock._facts import (
    LATEST_AS_OF,
    CoreMetadata,
    MetadataStatus,
    PackageFacts,
    Probe,
    Release,
    as_of_day,
    as_of_text,
    cutoff_of,
    parse_as_of,
    parse_version,
    sort_releases,
)
from compatrix._lock._resolutions import EnvResolution, ResolutionStatus
from compatrix._text import shorten, visible
from compatrix._time import format_time, parse_time
from compatrix.errors import LockError, OutputError

__all__ = [
    "LOCK_FORMAT",
    "LOCK_NAME",
    "Lock",
    "Probes",
    "dumps_lock",
    "loads_lock",
    "read_lock",
]

LOCK_FORMAT = 1
"""The lock format this compatrix writes; it reads this and every older one."""
LOCK_NAME = "compatrix.lock"

Probes = Mapping[str, Mapping[str, Mapping[str, Probe]]]
"""Package -> version -> Python (``3.13``) -> what ``compatrix probe`` saw."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Lock:
    """The lock: index facts per package, the ``--as-of`` cutoff, and remembered picks."""

    as_of: date | None = None
    """When set, the lock describes the index as it stood at the end of this day (UTC)."""
    packages: Mapping[str, PackageFacts] = field(default_factory=dict)
    """Facts per PEP 503-normalized package name."""
    picks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per suite, the versions picked when the lock was last updated (for stable picks)."""
    probes: Probes = field(default_factory=dict)
    """What ``compatrix probe`` saw, kept across updates: selection prefers it to the
    heuristics of the Python-support rule."""
    resolutions: Mapping[str, EnvResolution] = field(default_factory=dict)
    """Per pinned env name, what resolving it found (``compatrix._resolve``)."""

    def reference_time(self, package: str) -> datetime:
        """The "now" of time-based rules (cooldown, prerelease age) for ``package``.

        The end of the ``as_of`` day when the lock has a cutoff, else when the package was
        fetched. Never the wall clock: the same lock always gives the same matrix.
        """
        if self.as_of is not None:
            return cutoff_of(self.as_of)
        return self.packages[package].fetched_at

    def imported_on(self, package: str, version: str, python: str) -> date | None:
        """The day ``compatrix probe`` installed and imported ``version`` of ``package`` on
        ``python`` (``3.12``); None when no probe of that pair did."""
        probe = self.probes.get(package, {}).get(version, {}).get(python)
        return probe.day if probe is not None and probe.outcome == "imports" else None

    def with_packages(self, packages: Mapping[str, PackageFacts]) -> Lock:
        """A copy with these packages added or replaced."""
        merged = dict(self.packages)
        merged.update(packages)
        return replace(self, packages=merged)


# --- writing ----------------------------------------------------------------------------


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
"""``json.dumps(value, ensure_ascii=False, separators=(", ", ": "))``, configured once."""


def _json(value: object) -> str:
    return _JSON.encode(value)


def _release_json(release: Release) -> dict[str, object]:
    """The release's line: keys in a fixed order, each left out when it has its default."""
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


def _package_text(name: str, facts: PackageFacts) -> str:
    fields = {
        "index": facts.index,
        "fetched-at": format_time(facts.fetched_at),
        "api-version": facts.api_version,
        "serial": facts.serial,
        "status": facts.status,
        "releases-from": None if facts.releases_from is None else str(facts.releases_from),
    }
    releases = [f"        {_json(_release_json(r))}" for r in sort_releases(list(facts.releases))]
    lines = [f"    {_json(name)}: {{"]
    lines += [f"      {_json(key)}: {_json(value)}," for key, value in fields.items()]
    lines.append(f'      "releases": {_one_per_line(releases, "[]", "      ")}')
    lines.append("    }")
    return "\n".join(lines)


def _one_per_line(items: list[str], brackets: str, indent: str) -> str:
    """``items`` between ``brackets``, one a line, the closing one at ``indent``."""
    if not items:
        return brackets
    return f"{brackets[0]}\n" + ",\n".join(items) + f"\n{indent}{brackets[1]}"


def _resolution_text(name: str, record: EnvResolution) -> str:
    """One env's record: its fields on one line, then its pins one a line (a changed pin
    is one changed line in a diff)."""
    fields: dict[str, object] = {
        "suite": record.suite,
        "version": record.version,
        "python": record.python,
        "inputs": record.inputs,
        "cut": record.cut.isoformat() if record.cut else None,
        "why": record.why,
        "status": record.status,
    }
    if record.reason:
        fields["reason"] = record.reason
    head = _json(fields)[:-1]  # without its closing brace: the pins follow
    pins = [f"      {_json(pin)}" for pin in record.pins]
    return f'    {_json(name)}: {head}, "pins": {_one_per_line(pins, "[]", "    ")}}}'


def dumps_lock(lock: Lock) -> str:
    """The lock file's text. Same lock, same text, byte for byte."""
    packages = [_package_text(name, lock.packages[name]) for name in sorted(lock.packages)]
    picks = [f"    {_json(name)}: {_json(list(lock.picks[name]))}" for name in sorted(lock.picks)]
    lines = [
        "{",
        f'  "compatrix-lock": {LOCK_FORMAT},',
        f'  "as-of": {_json(as_of_text(lock.as_of) if lock.as_of else None)},',
        '  "packages": {',
    ]
    if packages:
        lines.append(",\n".join(packages))
    lines += ["  },", f'  "picks": {_one_per_line(picks, "{}", "  ")}']
    if lock.probes:
        lines[-1] += ","
        lines.append(f'  "probes": {_probes_text(lock.probes)}')
    if lock.resolutions:  # left out when no env is pinned, as locks before pins were
        records = [_resolution_text(n, lock.resolutions[n]) for n in sorted(lock.resolutions)]
        lines[-1] += ","
        lines.append(f'  "resolutions": {_one_per_line(records, "{}", "  ")}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _probes_text(probes: Probes) -> str:
    """One line per release: ``"2.3.3": {"3.13": {"outcome": "imports", "date": ...}}``."""
    packages = []
    for name in sorted(probes):
        by_version = probes[name]
        rows = []
        for version in sorted(
            by_version,
            key=lambda v: (parse_version(v) is None, parse_version(v) or Version("0"), v),
        ):
            entry = {
                python: _probe_json(by_version[version][python])
                for python in sorted(by_version[version], key=_python_key)
            }
            rows.append(f"      {_json(version)}: {_json(entry)}")
        packages.append(f"    {_json(name)}: {_one_per_line(rows, '{}', '    ')}")
    return _one_per_line(packages, "{}", "  ")


def _python_key(text: str) -> tuple[int, ...]:
    major, _, minor = text.rstrip("t").partition(".")
    return (int(major), int(minor), text.endswith("t"))


def _probe_json(probe: Probe) -> dict[str, str]:
    out = {"outcome": probe.outcome, "date": probe.day.isoformat()}
    if probe.detail:
        out["detail"] = probe.detail
    return out


# --- reading ----------------------------------------------------------------------------

_RELEASE_KEYS = frozenset(
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
_METADATA_STATES: dict[object, MetadataStatus] = {
    state: state for state in ("no-wheel", "unavailable", "not-fetched")
}
"""The metadata states a release records without metadata, each as itself."""
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!-]{0,99}")
"""A version compatrix records: the index client keeps no other (``is_valid_legacy_version``)."""
MAX_TEXT = 1000
"""The longest string read from a lock (characters; the rest is cut). compatrix records
none longer: the index client caps what it keeps (Requires-Python at 1,000, free text at
500)."""
_RESOLUTION_KEYS = frozenset(
    {"suite", "version", "python", "inputs", "cut", "why", "status", "reason", "pins"}
)
_RESOLUTION_STATES = frozenset({"ok", "not-installable"})


def _clean(value: str) -> str:
    """``value`` cut to ``MAX_TEXT`` characters, every character that is not printable a
    space (:meth:`_Reader.text`)."""
    value = value[:MAX_TEXT]
    if not value.isprintable():
        value = "".join(c if c.isprintable() else " " for c in value)
    return value


class _Reader:
    """Validates lock JSON; the first problem raises a LockError naming its path.

    A value is checked at ``path`` (``packages.flask.releases[3]``) under ``key``
    (``uploaded``): the two are joined into the path a message names only when it fails,
    not for every value of every release."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str, key: str = "") -> LockError:
        return LockError(f"{self.source}: {_join(path, key)}: {problem}")

    def obj(self, value: object, path: str, key: str = "") -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, got {type(value).__name__}", key)
        return value

    def text(self, value: object, path: str, key: str = "") -> str:
        """A string, made as safe as the index client makes what it records: at most
        ``MAX_TEXT`` characters, every character that is not printable (escape sequences,
        bidi overrides) a space. A lock compatrix wrote reads back unchanged; one edited by
        hand or by someone else never brings control sequences to a terminal or a file."""
        if not isinstance(value, str):
            kind = "null" if value is None else type(value).__name__
            raise self.fail(path, f"expected a string, got {kind}", key)
        return _clean(value)

    def version(self, value: object, path: str, key: str = "") -> str:
        """A version as the index client records them (PEP 440 or not: safe characters,
        at most 100)."""
        if not isinstance(value, str):
            kind = "null" if value is None else type(value).__name__
            raise self.fail(path, f"expected a string, got {kind}", key)
        if not _VERSION.fullmatch(value):
            shown = shorten(visible(value))
            raise self.fail(path, f"not a version compatrix records: {shown!r}", key)
        return value

    def optional_text(self, value: object, path: str, key: str = "") -> str | None:
        return None if value is None else self.text(value, path, key)

    def flag(self, value: object, path: str, key: str = "") -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, "expected true or false", key)
        return value

    def time(self, value: object, path: str, key: str = "") -> datetime:
        text = self.text(value, path, key)
        try:
            return parse_time(text)
        except ValueError:
            raise self.fail(path, f"not an ISO-8601 time: {shorten(text)!r}", key) from None
        except OverflowError:  # 9999-12-31T23:00:00-05:00 is after the last UTC time
            raise self.fail(path, f"out of range in UTC: {text!r}", key) from None

    def strings(self, value: object, path: str, key: str = "") -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(path, "expected a list of strings", key)
        # The path of an element is spelled out only for one that is not a string.
        return tuple(
            [
                _clean(v) if isinstance(v, str) else self.text(v, f"{_join(path, key)}[{i}]")
                for i, v in enumerate(value)
            ]
        )

    def versions(self, value: object, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(path, "expected a list of strings")
        return tuple(self.version(v, f"{path}[{i}]") for i, v in enumerate(value))

    def probe(self, value: object, path: str) -> Probe:
        data = self.obj(value, path)
        outcome = data.get("outcome")
        if outcome not in ("imports", "fails"):
            raise self.fail(path, "expected 'imports' or 'fails'", "outcome")
        text = self.text(data.get("date"), path, "date")
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise self.fail(path, f"not a date (YYYY-MM-DD): {text!r}", "date") from None
        detail = self.text(data.get("detail", ""), path, "detail")
        return Probe(outcome=outcome, day=day, detail=detail)

    def release(self, value: object, path: str) -> Release:
        data = self.obj(value, path)
        if not _RELEASE_KEYS.issuperset(data):
            unknown = sorted(set(data) - _RELEASE_KEYS)
            raise self.fail(path, f"unknown key {unknown[0]!r}")
        files = data.get("files")
        if not isinstance(files, int) or isinstance(files, bool) or files < 0:
            raise self.fail(path, "expected a non-negative integer", "files")
        # A key left out (as the writer leaves out every default) takes its default
        # unchecked; a key given is checked.
        metadata: CoreMetadata | None = None
        status: MetadataStatus = "not-fetched"
        if "metadata" in data:
            metadata, status = self.metadata(data["metadata"], path, "metadata")
        yanked = "yanked" in data and self.flag(data["yanked"], path, "yanked")
        sdist = "sdist" in data and self.flag(data["sdist"], path, "sdist")
        uploaded = data.get("uploaded")
        return Release(
            version=self.version(data.get("version"), path, "version"),
            uploaded=None if uploaded is None else self.time(uploaded, path, "uploaded"),
            files=files,
            sdist=sdist,
            wheel_tags=self.strings(data["wheels"], path, "wheels") if "wheels" in data else (),
            requires_python=self.optional_text(
                data.get("requires-python"), path, "requires-python"
            ),
            yanked=yanked,
            yanked_reason=self.optional_text(data.get("yanked-reason"), path, "yanked-reason"),
            metadata=metadata,
            metadata_status=status,
        )

    def metadata(
        self, value: object, path: str, key: str
    ) -> tuple[CoreMetadata | None, MetadataStatus]:
        if isinstance(value, str):
            status = _METADATA_STATES.get(value)
            if status is None:
                raise self.fail(path, f"unknown metadata state {value!r}", key)
            return None, status
        data = self.obj(value, path, key)
        path = _join(path, key)
        advertised = self.flag(data.get("advertised"), path, "advertised")
        meta = CoreMetadata(
            wheel=self.text(data.get("wheel"), path, "wheel"),
            sha256=self.text(data.get("sha256"), path, "sha256"),
            advertised=advertised,
            requires_python=self.optional_text(
                data.get("requires-python"), path, "requires-python"
            ),
            classifiers=self.strings(data.get("classifiers", []), path, "classifiers"),
            extras=self.strings(data.get("extras", []), path, "extras"),
        )
        return meta, "ok"

    def day(self, value: object, path: str, key: str) -> date | None:
        text = self.optional_text(value, path, key)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(path, f"not a date (YYYY-MM-DD): {text!r}", key) from None

    def resolution(self, value: object, path: str) -> EnvResolution:
        data = self.obj(value, path)
        unknown = sorted(set(data) - _RESOLUTION_KEYS)
        if unknown:
            raise self.fail(path, f"unknown key {unknown[0]!r}")
        status = self.text(data.get("status"), path, "status")
        if status not in _RESOLUTION_STATES:
            raise self.fail(path, f"unknown status {status!r}", "status")
        return EnvResolution(
            suite=self.text(data.get("suite"), path, "suite"),
            version=self.text(data.get("version"), path, "version"),
            python=self.text(data.get("python"), path, "python"),
            inputs=self.text(data.get("inputs"), path, "inputs"),
            cut=self.day(data.get("cut"), path, "cut"),
            why=self.text(data.get("why", ""), path, "why"),
            status=cast("ResolutionStatus", status),
            pins=self.strings(data.get("pins", []), path, "pins"),
            reason=self.text(data.get("reason", ""), path, "reason"),
        )

    def package(self, name: str, value: object, path: str) -> PackageFacts:
        data = self.obj(value, path)
        serial = data.get("serial")
        if serial is not None and (not isinstance(serial, int) or isinstance(serial, bool)):
            raise self.fail(path, "expected an integer or null", "serial")
        releases = data.get("releases", [])
        if not isinstance(releases, list):
            raise self.fail(path, "expected a list", "releases")
        read = [self.release(item, f"{path}.releases[{i}]") for i, item in enumerate(releases)]
        floor_text = data.get("releases-from")
        floor: Version | None = None
        if floor_text is not None:
            floor = parse_version(self.text(floor_text, path, "releases-from"))
            if floor is None:
                raise self.fail(path, f"not a version: {floor_text!r}", "releases-from")
        return PackageFacts(
            name=name,
            index=self.text(data.get("index"), path, "index"),
            releases_from=floor,
            fetched_at=self.time(data.get("fetched-at"), path, "fetched-at"),
            serial=serial,
            api_version=self.text(data.get("api-version", "1.0"), path, "api-version"),
            status=self.optional_text(data.get("status"), path, "status"),
            releases=sort_releases(read),
        )


def _join(path: str, key: str) -> str:
    """``path.key``, or ``path`` without a key."""
    return f"{path}.{key}" if key else path


def loads_lock(text: str, *, source: str = "compatrix.lock") -> Lock:
    """Parse and validate lock text; a problem raises LockError naming where it is."""
    reader = _Reader(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        raise LockError(msg) from None
    except RecursionError:  # a lock is at most six levels deep
        msg = f"{source}: not valid JSON (nested too deeply)"
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
    as_of_raw = reader.optional_text(root.get("as-of"), "as-of")
    as_of: date | None = None
    if as_of_raw is not None:
        try:
            as_of = parse_as_of(as_of_raw)
        except (ValueError, OverflowError):
            msg = f"not a date (YYYY-MM-DD) or an ISO-8601 time: {as_of_raw!r}"
            raise reader.fail("as-of", msg) from None
        if as_of_day(as_of) > LATEST_AS_OF:
            latest = LATEST_AS_OF.isoformat()
            raise reader.fail("as-of", f"{as_of_raw} is out of range (the latest is {latest})")
    packages: dict[str, PackageFacts] = {}
    for key, value in reader.obj(root.get("packages", {}), "packages").items():
        name = reader.text(key, "packages")
        packages[name] = reader.package(name, value, f"packages.{name}")
    picks = {
        reader.text(suite, "picks"): reader.versions(value, f"picks.{suite}")
        for suite, value in reader.obj(root.get("picks", {}), "picks").items()
    }
    probes = {
        reader.text(name, "probes"): {
            reader.version(version, f"probes.{name}"): {
                reader.text(python, f"probes.{name}.{version}"): reader.probe(
                    entry, f"probes.{name}.{version}.{python}"
                )
                for python, entry in reader.obj(pythons, f"probes.{name}.{version}").items()
            }
            for version, pythons in reader.obj(versions, f"probes.{name}").items()
        }
        for name, versions in reader.obj(root.get("probes", {}), "probes").items()
    }
    resolutions = {
        env: reader.resolution(value, f"resolutions.{env}")
        for env, value in reader.obj(root.get("resolutions", {}), "resolutions").items()
    }
    return Lock(as_of=as_of, packages=packages, picks=picks, resolutions=resolutions, probes=probes)


def read_lock(path: Path, *, missing_ok: bool = False) -> Lock | None:
    """Read the lock at ``path``; None when it does not exist and ``missing_ok``."""
    try:
        text = read_text(path)
    except OutputError as exc:  # a directory, no permission, not UTF-8: the lock's problem
        raise LockError(exc.message) from None
    if text is None:
        if missing_ok:
            return None
        msg = f"no lock file at {path}: run `compatrix update` to create it"
        raise LockError(msg)
    return loads_lock(text, source=str(path))
