"""Core metadata (PEP 658 ``METADATA``): which wheel to read, and reading it (pure)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable

from packaging.metadata import parse_email
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from compatrix._index._auth import redact_url
from compatrix._index._filenames import same_version
from compatrix._index._pages import DistFile, clean_line
from compatrix._lock import CoreMetadata
from compatrix._text import shorten
from compatrix.errors import PackageIndexError

__all__ = [
    "InvalidCoreMetadata",
    "metadata_candidates",
    "parse_core_metadata",
    "parse_json_metadata",
]

PYTHON_CLASSIFIER_PREFIX = "Programming Language :: Python"
_CLASSIFIER = re.compile(r"Programming Language :: Python(?: :: [A-Za-z0-9][A-Za-z0-9 .+_()/-]*)*")
_EXTRA = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MARKER_EXTRA = re.compile(
    r"""\bextra\s*==\s*(?:"([^"]*)"|'([^']*)')|(?:"([^"]*)"|'([^']*)')\s*==\s*extra\b"""
)
_CPYTHON = re.compile(r"cp3([0-9]+)")
_SINGLE_FIELDS = ("Metadata-Version", "Name", "Version", "Requires-Python")
"""The fields compatrix reads that may appear only once."""
MAX_REQUIRES_PYTHON = 1000
"""The longest Requires-Python read (characters); a longer one makes the metadata unusable.
Real ones are at most a few dozen characters."""
MAX_CLASSIFIER = 200
"""The longest classifier (any, not only Python's); the longest trove classifier has about
100 characters."""
MAX_CLASSIFIERS = 500
"""The most classifiers one release may list (PyPI knows about 1,000 in all)."""
MAX_EXTRA = 200
"""The longest extra name, normalized."""
MAX_EXTRAS = 1000
"""The most extras one release may provide (Provides-Extra and those named in markers)."""


class InvalidCoreMetadata(PackageIndexError):
    """A wheel's METADATA that cannot be used: not core metadata, of another release, or
    with a field compatrix reads repeated or unreadable. Only that wheel is at fault."""


def metadata_candidates(files: Iterable[DistFile]) -> list[DistFile]:
    """A release's wheels, best first, for reading its core metadata.

    Non-yanked before yanked; then a pure Python 3 wheel (``py3-none-any``,
    ``py2.py3-none-any``); then a CPython manylinux x86_64 wheel of the newest CPython; then
    any other wheel. Ties break on the file name, so the choice is deterministic. The
    wheel whose name sorts first comes second: an index that has metadata for only some
    wheels (a partial mirror, a recorded copy) most often has it for that one.
    """
    ranked: list[tuple[tuple[bool, int, int, str], DistFile]] = []
    for file in files:
        if file.kind != "wheel" or file.tags is None:
            continue
        interpreters, abis, platforms = (part.split(".") for part in file.tags.split("-"))
        if "none" in abis and "any" in platforms and any(i.startswith("py3") for i in interpreters):
            tier, newest = 0, 0
        elif any(p.startswith("manylinux") and p.endswith("_x86_64") for p in platforms) and (
            minors := [int(m[1]) for i in interpreters if (m := _CPYTHON.fullmatch(i))]
        ):
            tier, newest = 1, max(minors)
        else:
            tier, newest = 2, 0
        ranked.append(((file.yanked, tier, -newest, file.filename), file))
    ranked.sort(key=lambda pair: pair[0])
    order = [file for _, file in ranked]
    usable = [file for file in order if not file.yanked] or order
    first_named = min(usable, key=lambda file: file.filename, default=None)
    if first_named is not None and first_named is not order[0]:
        order.remove(first_named)
        order.insert(1, first_named)
    return order


def parse_core_metadata(
    data: bytes,
    *,
    url: str,
    wheel: str,
    advertised: bool,
    extras_memo: dict[str, tuple[str, ...] | None] | None = None,
) -> CoreMetadata:
    """Read what compatrix uses from a wheel's METADATA.

    ``url`` is where it came from (for errors), ``wheel`` the wheel's file name: the
    metadata must describe that wheel's project and version. Classifiers are kept when they
    start with ``Programming Language :: Python``; extras are ``Provides-Extra`` plus extras
    named in ``Requires-Dist`` markers, normalized. Requirements that do not parse are
    ignored (old releases have a few); METADATA that is not core metadata at all, describes
    another wheel, repeats a single-use field compatrix reads (``Requires-Python`` twice,
    in any spelling) or has a value over its limit (:data:`MAX_REQUIRES_PYTHON`,
    :data:`MAX_CLASSIFIER`, :data:`MAX_CLASSIFIERS`, :data:`MAX_EXTRA`,
    :data:`MAX_EXTRAS`) raises :class:`InvalidCoreMetadata` naming the URL. Characters
    that are not printable (control characters, escape sequences, bidi overrides) become
    spaces, as in page strings. ``extras_memo`` keeps what requirements gave across calls
    (releases of a project repeat most of them); pass one dict per run.
    """

    def bad(problem: str) -> InvalidCoreMetadata:
        return InvalidCoreMetadata(f"invalid core metadata at {redact_url(url)}: {problem}")

    raw, unparsed = parse_email(_headers(data))
    for field in _SINGLE_FIELDS:
        # parse_email files a repeated single-use field (header names are case-insensitive)
        # or one that is not UTF-8 under its lower-case name in ``unparsed``.
        values = unparsed.get(field.lower())
        if values is not None:
            raise bad(
                f"{field} appears {len(values)} times"
                if len(values) > 1
                else f"{field} is not valid UTF-8"
            )
    if "metadata_version" not in raw:
        raise bad("no Metadata-Version field (is this a METADATA file?)")
    name = raw.get("name")
    if not name:
        raise bad("no Name field")
    wheel_parts = wheel[:-4].split("-") if wheel.endswith(".whl") else []
    if len(wheel_parts) >= 5:
        if canonicalize_name(name) != canonicalize_name(wheel_parts[0]):
            raise bad(f"it describes {shorten(repr(name))}, not the wheel {wheel}")
        version = raw.get("version")
        if version is not None and not same_version(version, wheel_parts[1]):
            raise bad(f"it describes version {shorten(repr(version))}, not the wheel {wheel}")
    return _core_metadata(
        bad,
        wheel=wheel,
        sha256=hashlib.sha256(data).hexdigest(),
        advertised=advertised,
        requires_python=raw.get("requires_python"),
        classifiers=raw.get("classifiers", []),
        provides_extra=raw.get("provides_extra", []),
        requires_dist=raw.get("requires_dist", []),
        extras_memo=extras_memo,
    )


def parse_json_metadata(
    data: bytes,
    *,
    url: str,
    sdist: str,
    project: str,
    version: str,
    extras_memo: dict[str, tuple[str, ...] | None] | None = None,
) -> CoreMetadata:
    """Read what compatrix uses from the ``info`` of a release's JSON document (PyPI's
    per-version JSON API, ``/pypi/{name}/{version}/json``): ``requires_python``,
    ``classifiers``, ``provides_extra`` and ``requires_dist``, checked and cleaned as in
    :func:`parse_core_metadata`. ``info.name`` and ``info.version`` must be ``project``
    and ``version``. The result names ``sdist`` (the release's sdist) as its file, and has
    the sha256 of the fields read (the document also carries file URLs and serials, which
    change when nothing compatrix reads does). Raises :class:`InvalidCoreMetadata` naming
    the URL.
    """

    def bad(problem: str) -> InvalidCoreMetadata:
        return InvalidCoreMetadata(f"invalid release JSON at {redact_url(url)}: {problem}")

    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise bad("not JSON") from None
    except RecursionError:
        raise bad("not JSON (nested too deeply)") from None
    info = document.get("info") if isinstance(document, dict) else None
    if not isinstance(info, dict):
        raise bad("no 'info' object")
    name, found_version = info.get("name"), info.get("version")
    if not isinstance(name, str) or canonicalize_name(name) != canonicalize_name(project):
        raise bad(f"it describes {shorten(repr(name))}, not {project}")
    if not isinstance(found_version, str) or not same_version(found_version, version):
        raise bad(f"it describes version {shorten(repr(found_version))}, not {version}")
    requires_python = info.get("requires_python")
    if requires_python is not None and not isinstance(requires_python, str):
        raise bad("info.requires_python is not a string")
    lists: dict[str, list[str]] = {}
    for key in ("classifiers", "provides_extra", "requires_dist"):
        value = info.get(key)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad(f"info.{key} is not a list of strings")
        lists[key] = value
    read = json.dumps({"requires_python": requires_python, **lists}, sort_keys=True)
    return _core_metadata(
        bad,
        wheel=sdist,
        sha256=hashlib.sha256(read.encode()).hexdigest(),
        advertised=False,
        requires_python=requires_python,
        classifiers=lists["classifiers"],
        provides_extra=lists["provides_extra"],
        requires_dist=lists["requires_dist"],
        extras_memo=extras_memo,
    )


def _core_metadata(
    bad: Callable[[str], InvalidCoreMetadata],
    *,
    wheel: str,
    sha256: str,
    advertised: bool,
    requires_python: str | None,
    classifiers: list[str],
    provides_extra: list[str],
    requires_dist: list[str],
    extras_memo: dict[str, tuple[str, ...] | None] | None,
) -> CoreMetadata:
    """The recorded facts from the fields read, cleaned and bounded."""
    if requires_python is not None:
        if len(requires_python) > MAX_REQUIRES_PYTHON:
            raise bad(
                f"Requires-Python is longer than {MAX_REQUIRES_PYTHON} characters "
                f"({len(requires_python)})"
            )
        requires_python = clean_line(requires_python) or None
    if len(classifiers) > MAX_CLASSIFIERS:
        raise bad(f"more than {MAX_CLASSIFIERS} classifiers ({len(classifiers)})")
    kept: set[str] = set()
    for classifier in classifiers:
        if len(classifier) > MAX_CLASSIFIER:
            raise bad(
                f"a classifier is longer than {MAX_CLASSIFIER} characters "
                f"({shorten(repr(classifier), 60)})"
            )
        text = clean_line(classifier)
        if text.startswith(PYTHON_CLASSIFIER_PREFIX) and _CLASSIFIER.fullmatch(text):
            kept.add(text)
    extras: set[str] = set()
    for extra in provides_extra:
        _add_extra(extras, extra)
    memo = {} if extras_memo is None else extras_memo
    for requirement in requires_dist:
        if _names_only(requirement, extras):
            continue  # whether it parses or not, it adds nothing (most of them)
        if requirement in memo:
            named = memo[requirement]
        else:
            named = memo[requirement] = _marker_extras(requirement)
        if named:
            extras.update(named)
    if len(extras) > MAX_EXTRAS:
        raise bad(f"more than {MAX_EXTRAS} extras ({len(extras)})")
    if extras and (longest := max(extras, key=len)) and len(longest) > MAX_EXTRA:
        raise bad(f"an extra is longer than {MAX_EXTRA} characters ({shorten(longest, 60)})")
    return CoreMetadata(
        wheel=wheel,
        sha256=sha256,
        advertised=advertised,
        requires_python=requires_python,
        classifiers=tuple(sorted(kept)),
        extras=tuple(sorted(extras)),
    )


def _headers(data: bytes) -> bytes:
    """The header block of METADATA: what compatrix reads. The body (the long description,
    often most of the file) is left out, as parsing it line by line is most of the cost."""
    ends = [i for i in (data.find(b"\n\n"), data.find(b"\r\n\r\n")) if i >= 0]
    return data[: min(ends) + 1] if ends else data


def _names_only(requirement: str, extras: set[str]) -> bool:
    """Whether a Requires-Dist entry's marker, as written, names no extra outside
    ``extras``: then it adds nothing, and it need not be parsed. (Parsing only
    normalizes the quotes and spaces around what this reads; an entry that does not
    parse adds nothing either.)"""
    marker = requirement.partition(";")[2]
    if "extra" not in marker:
        return True
    for match in _MARKER_EXTRA.finditer(marker):
        text = next(g for g in match.groups() if g is not None)
        if canonicalize_name(text.strip()) not in extras:
            return False
    return True


def _marker_extras(requirement: str) -> tuple[str, ...] | None:
    """The extras a Requires-Dist entry's marker names; None when it does not parse."""
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement:
        return None
    if parsed.marker is None:
        return ()
    found: set[str] = set()
    for match in _MARKER_EXTRA.finditer(str(parsed.marker)):
        _add_extra(found, next(g for g in match.groups() if g is not None))
    return tuple(sorted(found))


def _add_extra(extras: set[str], text: str) -> None:
    name = canonicalize_name(text.strip())
    if _EXTRA.fullmatch(name):
        extras.add(name)
