"""Parsing Simple API project pages: PEP 691 JSON and PEP 503 HTML (pure, no I/O)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any, NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from compatrix._index._auth import redact_url
from compatrix._index._filenames import FileKind, FilenameParser, is_valid_legacy_version
from compatrix._text import shorten
from compatrix._time import parse_time
from compatrix.errors import PackageIndexError

__all__ = ["DistFile", "ProjectPage", "clean_line", "media_kind", "parse_project_page"]

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPES = frozenset({"application/vnd.pypi.simple.v1+html", "text/html"})
SUPPORTED_API_VERSION = (1, 4)
"""The newest Simple API version whose fields compatrix knows (1.4: PEP 792 status)."""

_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEX = "0123456789abcdef"
_API_VERSION = re.compile(r"([0-9]+)\.([0-9]+)")
_STATUS = re.compile(r"[a-z][a-z-]{0,49}")


class DistFile(NamedTuple):
    """One file listed on a project page.

    A named tuple rather than a frozen dataclass: pages list tens of thousands of files,
    and a tuple is made in one step, where a frozen dataclass sets each of its fields
    through ``object.__setattr__``."""

    filename: str
    url: str
    """Absolute URL (resolved against the page's final URL, or its HTML ``<base href>``),
    without fragment."""
    kind: FileKind
    """From the file name: ``wheel``, ``sdist`` or ``other`` (legacy or invalid)."""
    version: str
    """The version as the file name spells it."""
    sha256: str | None = None
    size: int | None = None
    upload_time: datetime | None = None
    """UTC; None when the index gives none (always for PEP 503 HTML)."""
    yanked: bool = False
    yanked_reason: str | None = None
    requires_python: str | None = None
    """As the index gives it, unvalidated (may be invalid)."""
    core_metadata: bool | str = False
    """PEP 658/714: False (not advertised), True (advertised without hash), or its sha256."""
    tags: str | None = None
    """A wheel's lower-case compatibility tag triple (``py2.py3-none-any``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectPage:
    """A parsed project page."""

    name: NormalizedName
    url: str
    """The page's final URL (after redirects), without credentials."""
    api_version: str
    serial: int | None = None
    """The index's last serial for the project (``meta._last-serial`` or the
    ``X-PyPI-Last-Serial`` header)."""
    versions: tuple[str, ...] | None = None
    """PEP 700 ``versions`` as listed (JSON 1.1+), None when not given."""
    status: str | None = None
    """PEP 792 ``project-status`` (``active``, ``archived``, ...) when given."""
    status_reason: str | None = None
    files: tuple[DistFile, ...] = ()
    warnings: tuple[str, ...] = ()
    """Problems that did not stop parsing (skipped files, a newer minor API version)."""
    release_keys: dict[str, Version | str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Version texts of this page already parsed (``Version``, or the text when PEP 440
    cannot parse it): filled while parsing and by whoever groups the files, so each text is
    parsed once."""


def media_kind(content_type: str) -> str | None:
    """``json``, ``html`` or None for a Content-Type header value."""
    media = content_type.partition(";")[0].strip().lower()
    if media in {JSON_TYPE, "application/vnd.pypi.simple.latest+json"}:
        return "json"
    if media in HTML_TYPES or media == "application/vnd.pypi.simple.latest+html":
        return "html"
    return None


def parse_project_page(
    body: bytes,
    *,
    content_type: str,
    url: str,
    project: str | None = None,
    last_serial: str | None = None,
) -> ProjectPage:
    """Parse a project page.

    ``url`` is the page's final URL (relative file URLs resolve against it); ``project`` the
    name asked for (by default the JSON ``name``, or the URL's last path segment for HTML);
    ``last_serial`` the ``X-PyPI-Last-Serial`` header. Malformed pages, unsupported API
    versions and pages of another project raise :class:`PackageIndexError` naming the URL.
    """
    kind = media_kind(content_type)
    if kind == "json":
        return _JsonPage(body, url, project, last_serial).parse()
    if kind == "html":
        return _HtmlPage(body, url, project, last_serial).parse(content_type)
    msg = f"unexpected Content-Type {content_type!r} from {redact_url(url)}"
    raise PackageIndexError(msg)


def _error(url: str, problem: str) -> PackageIndexError:
    return PackageIndexError(f"invalid project page {redact_url(url)}: {problem}")


def _check_api_version(text: object, url: str, warnings: list[str]) -> str:
    if not isinstance(text, str) or (match := _API_VERSION.fullmatch(text)) is None:
        raise _error(url, f"invalid api-version {text!r}")
    major, minor = int(match[1]), int(match[2])
    if major != SUPPORTED_API_VERSION[0]:
        msg = (
            f"{redact_url(url)} uses Simple API version {text}; this compatrix reads version "
            f"{SUPPORTED_API_VERSION[0]}.x only: upgrade compatrix"
        )
        raise PackageIndexError(msg)
    if minor > SUPPORTED_API_VERSION[1]:
        known = ".".join(map(str, SUPPORTED_API_VERSION))
        warnings.append(
            f"{redact_url(url)} uses Simple API version {text}, newer than {known}: "
            "fields added since are ignored"
        )
    return text


def _serial(value: object, header: str | None) -> int | None:
    for candidate in (value, header):
        if isinstance(candidate, int) and not isinstance(candidate, bool) and candidate >= 0:
            return candidate
        if isinstance(candidate, str) and candidate.strip().isdigit():
            digits = candidate.strip()
            return int(digits) if len(digits) <= 30 else None
    return None


def clean_line(value: str) -> str:
    """Text from the index made safe to record and show: every character that is not
    printable (control characters, escape sequences, bidi overrides) a space, whitespace
    collapsed, one line."""
    if not value.isprintable():
        value = "".join(c if c.isprintable() else " " for c in value)
    return " ".join(value.split())


def _clean_text(value: str) -> str | None:
    """Free text from the index made safe to record: printable, one line, bounded."""
    return clean_line(value)[:500] or None


class _Resolver:
    """``urljoin`` against the page URL, memoized by directory (pages repeat them)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._dirs: dict[str, str] = {}

    def resolve(self, href: str) -> str:
        href = href.partition("#")[0]
        directory, slash, leaf = href.rpartition("/")
        if not slash or "?" in href or leaf in {"", ".", ".."}:
            return urljoin(self.base, href)
        resolved = self._dirs.get(directory)
        if resolved is None:
            resolved = self._dirs[directory] = urljoin(self.base, directory + "/")
        return resolved + leaf


class _Collector:
    """What both page formats start from (the body, its URL, the project asked for, the
    serial header), and their bookkeeping: filename analysis and aggregated warnings."""

    def __init__(self, body: bytes, url: str, project: str | None, serial: str | None) -> None:
        self.body = body
        self.url = url
        self.project = project
        self.serial_header = serial
        self.warnings: list[str] = []
        self.foreign: list[str] = []
        self.unusable: list[str] = []

    def finish(self, project: NormalizedName) -> tuple[str, ...]:
        if self.foreign:
            self.warnings.append(
                f"{redact_url(self.url)}: skipped {len(self.foreign)} file(s) that are not "
                f"distributions of {project!r} (for example {shorten(repr(self.foreign[0]))})"
            )
        if self.unusable:
            self.warnings.append(
                f"{redact_url(self.url)}: {len(self.unusable)} file(s) counted but never "
                f"installable ({shorten(self.unusable[0])})"
            )
        return tuple(self.warnings)


def _project_of(url: str) -> NormalizedName:
    path = unquote(urlsplit(url).path).rstrip("/")
    return canonicalize_name(path.rpartition("/")[2])


class _JsonPage(_Collector):
    def parse(self) -> ProjectPage:
        url = self.url
        try:
            data = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _error(url, f"not valid JSON ({exc})") from None
        except RecursionError:
            raise _error(url, "not valid JSON (nested too deeply)") from None
        if not isinstance(data, dict):
            raise _error(url, f"expected a JSON object, got {type(data).__name__}")
        meta = data.get("meta")
        if not isinstance(meta, dict):
            raise _error(url, "'meta' is missing or not an object")
        api_version = _check_api_version(meta.get("api-version"), url, self.warnings)
        name_value = data.get("name")
        if not isinstance(name_value, str) or not name_value:
            raise _error(url, "'name' is missing or not a string")
        name = canonicalize_name(name_value)
        if self.project is not None and name != canonicalize_name(self.project):
            raise _error(url, f"the page is for {name_value!r}, not {self.project!r}")
        files_value = data.get("files")
        if not isinstance(files_value, list):
            raise _error(url, "'files' is missing or not a list")
        versions = self._versions(data.get("versions"))
        status, reason = self._status(data.get("project-status"))
        parser = FilenameParser(name)
        files = self._files(files_value, parser)
        page = ProjectPage(
            name=name,
            url=url,
            api_version=api_version,
            serial=_serial(meta.get("_last-serial"), self.serial_header),
            versions=versions,
            status=status,
            status_reason=reason,
            files=files,
            warnings=self.finish(name),
        )
        page.release_keys.update(parser.versions())
        return page

    def _versions(self, value: object) -> tuple[str, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _error(self.url, "'versions' is not a list of strings")
        good = [v for v in value if is_valid_legacy_version(v)]
        if len(good) != len(value):
            bad = next(v for v in value if not is_valid_legacy_version(v))
            self.warnings.append(
                f"{redact_url(self.url)}: ignored unsafe version {shorten(repr(bad))}"
            )
        return tuple(good)

    def _status(self, value: object) -> tuple[str | None, str | None]:
        if value is None:
            return None, None
        if not isinstance(value, dict):
            raise _error(self.url, "'project-status' is not an object")
        status = value.get("status")
        reason = value.get("reason")
        if status is not None and (not isinstance(status, str) or not _STATUS.fullmatch(status)):
            raise _error(self.url, f"invalid project-status.status {status!r}")
        if reason is not None and not isinstance(reason, str):
            raise _error(self.url, "project-status.reason is not a string")
        return status, _clean_text(reason) if reason else None

    def _files(self, entries: list[Any], parser: FilenameParser) -> tuple[DistFile, ...]:
        # The hot loop of a run: pages list up to tens of thousands of files, so common
        # values take inline fast paths and rare ones the validating slow paths below.
        out: list[DistFile] = []
        append = out.append
        parse = parser.parse
        resolve = _Resolver(self.url).resolve
        texts: dict[str, str | None] = {}
        for i, entry in enumerate(entries):
            if type(entry) is not dict:
                raise _error(self.url, f"files[{i}] is not an object")
            filename = entry.get("filename")
            href = entry.get("url")
            hashes = entry.get("hashes")
            if type(filename) is not str:
                raise _error(self.url, f"files[{i}].filename is missing or not a string")
            if type(href) is not str:
                raise _error(self.url, f"files[{i}].url is missing or not a string ({filename})")
            if type(hashes) is not dict:
                raise _error(self.url, f"files[{i}].hashes is missing or not an object")
            parsed = parse(filename)
            if parsed is None:
                self.foreign.append(filename)
                continue
            kind, version, tags, problem = parsed
            if problem is not None:
                self.unusable.append(problem)
            digest = hashes.get("sha256")
            # [0-9a-f]{64}: strip() removes every character when all of them are hex digits.
            if digest is not None and not (
                type(digest) is str and len(digest) == 64 and not digest.strip(_HEX)
            ):
                digest = self._sha256(digest, i)
            size = entry.get("size")
            if size is not None and not (type(size) is int and size >= 0):
                raise _error(self.url, f"files[{i}].size is not a non-negative integer")
            uploaded = self._time(entry.get("upload-time"), i)
            yanked = entry.get("yanked")
            reason: str | None = None
            if yanked is None or yanked is False:
                yanked = False
            else:
                reason = self._yanked(yanked, i) or None
                yanked = True
            requires_python = entry.get("requires-python")
            if requires_python is not None:
                if type(requires_python) is not str:
                    raise _error(self.url, f"files[{i}].requires-python is not a string")
                if requires_python in texts:
                    requires_python = texts[requires_python]
                else:
                    requires_python = texts[requires_python] = _clean_text(requires_python)
            metadata = entry.get("core-metadata")
            if metadata is None:
                metadata = entry.get("dist-info-metadata")
            if metadata is not None and metadata is not False:
                metadata = self._core_metadata(entry, i)
            try:
                file_url = resolve(href)
            except ValueError:  # urljoin: an invalid IPv6 host
                shown = shorten(repr(href))
                raise _error(self.url, f"files[{i}].url is not a URL: {shown}") from None
            append(
                DistFile(
                    filename=filename,
                    url=file_url,
                    sha256=digest,
                    size=size,
                    upload_time=uploaded,
                    yanked=yanked,
                    yanked_reason=reason,
                    requires_python=requires_python,
                    core_metadata=metadata or False,
                    kind=kind,
                    version=version,
                    tags=tags,
                )
            )
        return tuple(out)

    def _sha256(self, value: object, i: int) -> str:
        if type(value) is str:
            value = value.lower()
            if _SHA256.fullmatch(value):
                return value
        raise _error(self.url, f"files[{i}].hashes.sha256 is not a sha256 hex digest")

    def _time(self, value: object, i: int) -> datetime | None:
        if value is None:
            return None
        problem = "is not an ISO-8601 time"
        if type(value) is str:
            try:
                return parse_time(value)
            except ValueError:
                pass
            except OverflowError:  # year 1 or 9999 moved out of range by its UTC offset
                problem = "is out of range"
        raise _error(self.url, f"files[{i}].upload-time {problem}: {shorten(repr(value))}")

    def _yanked(self, value: object, i: int) -> str:
        """The reason a file is yanked ('' when none is given)."""
        if value is True:
            return ""
        if type(value) is str:
            return _clean_text(value) or ""
        raise _error(self.url, f"files[{i}].yanked is neither a boolean nor a string")

    def _core_metadata(self, entry: dict[str, Any], i: int) -> bool | str:
        key = "core-metadata"
        value = entry.get(key)
        if value is None:
            key = "dist-info-metadata"
            value = entry.get(key)
        if value is True:
            return True
        if type(value) is dict:
            digest = value.get("sha256")
            if digest is None:
                return True
            if type(digest) is str and _SHA256.fullmatch(digest.lower()):
                return digest.lower()
            raise _error(self.url, f"files[{i}].{key}.sha256 is not a sha256 hex digest")
        raise _error(self.url, f"files[{i}].{key} is neither a boolean nor an object")


class _Anchors(HTMLParser):
    """Collects ``<a>`` attributes and text, and ``<meta name=... content=...>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str | None], list[str]]] = []
        self.meta: dict[str, str] = {}
        self.base: str | None = None
        self.tags = 0
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag == "a":
            self._text = []
            self.anchors.append((dict(attrs), self._text))
        elif tag == "base" and self.base is None:
            self.base = dict(attrs).get("href") or None
        elif tag == "meta":
            values = dict(attrs)
            name, content = values.get("name"), values.get("content")
            if name is not None and content is not None:
                self.meta[name.lower()] = content

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


class _HtmlPage(_Collector):
    def parse(self, content_type: str) -> ProjectPage:
        url = self.url
        found = re.search(r"charset=[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
        charset = found[1] if found else "utf-8"
        try:
            text = self.body.decode(charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise _error(url, f"cannot decode the HTML as {charset} ({exc})") from None
        collector = _Anchors()
        try:
            collector.feed(text)
            collector.close()
        except AssertionError as exc:  # HTMLParser's way of reporting broken markup
            raise _error(url, f"malformed HTML ({exc})") from None
        except ValueError:  # a character reference with more digits than int() converts
            raise _error(url, "malformed HTML (a character reference out of range)") from None
        if collector.tags == 0:
            raise _error(url, "not an HTML document (no tags)")
        api_version = _check_api_version(
            collector.meta.get("pypi:repository-version", "1.0"), url, self.warnings
        )
        name = canonicalize_name(self.project) if self.project else _project_of(url)
        status = collector.meta.get("pypi:project-status")
        if status is not None and not _STATUS.fullmatch(status):
            raise _error(url, f"invalid pypi:project-status {status!r}")
        reason = collector.meta.get("pypi:project-status-reason")
        parser = FilenameParser(name)
        try:
            resolver = _Resolver(urljoin(url, collector.base) if collector.base else url)
        except ValueError:
            raise _error(
                url, f"<base href> is not a URL: {shorten(repr(collector.base))}"
            ) from None
        files: list[DistFile] = []
        for n, (attrs, text_parts) in enumerate(collector.anchors, 1):
            href = attrs.get("href")
            if not href:
                raise _error(url, f"link {n} has no href")
            try:
                file_url = resolver.resolve(href)
                filename = "".join(text_parts).strip() or unquote(
                    urlsplit(href).path.rpartition("/")[2]
                )
            except ValueError:
                raise _error(url, f"link {n}: href is not a URL: {shorten(repr(href))}") from None
            parsed = parser.parse(filename)
            if parsed is None:
                self.foreign.append(filename)
                continue
            kind, version, tags, problem = parsed
            if problem is not None:
                self.unusable.append(problem)
            yanked = attrs.get("data-yanked", False)
            requires_python = attrs.get("data-requires-python")
            files.append(
                DistFile(
                    filename=filename,
                    url=file_url,
                    sha256=self._fragment_sha256(href, n),
                    yanked=yanked is not False,
                    yanked_reason=_clean_text(yanked) if isinstance(yanked, str) else None,
                    requires_python=_clean_text(requires_python) if requires_python else None,
                    core_metadata=self._core_metadata(attrs, n),
                    kind=kind,
                    version=version,
                    tags=tags,
                )
            )
        page = ProjectPage(
            name=name,
            url=url,
            api_version=api_version,
            serial=_serial(None, self.serial_header),
            status=status,
            status_reason=_clean_text(reason) if reason else None,
            files=tuple(files),
            warnings=self.finish(name),
        )
        page.release_keys.update(parser.versions())
        return page

    def _fragment_sha256(self, href: str, n: int) -> str | None:
        fragment = href.partition("#")[2]
        algorithm, _, digest = fragment.partition("=")
        if algorithm != "sha256":
            return None
        digest = digest.lower()
        if not _SHA256.fullmatch(digest):
            raise _error(self.url, f"link {n}: the #sha256= fragment is not a sha256 hex digest")
        return digest

    def _core_metadata(self, attrs: dict[str, str | None], n: int) -> bool | str:
        key = "data-core-metadata"
        if key not in attrs:
            key = "data-dist-info-metadata"
            if key not in attrs:
                return False
        value = (attrs[key] or "").strip()
        if value.lower() in {"", "true"}:
            return True
        algorithm, sep, digest = value.partition("=")
        if not sep:
            raise _error(self.url, f"link {n}: invalid {key} {value!r}")
        if algorithm.lower() != "sha256":
            return True  # advertised with another hash: available, not verifiable by us
        digest = digest.lower()
        if not _SHA256.fullmatch(digest):
            raise _error(self.url, f"link {n}: {key} is not a sha256 hex digest")
        return digest
