"""The on-disk cache of index responses.

Layout under the cache root (``v1`` is the entry format)::

    v1/pages/ab/<sha256 of the page URL>      page body, ETag, Content-Type
    v1/metadata/ab/<sha256>                   core metadata, by its own sha256 (advertised)
    v1/metadata-by-source/ab/<sha256>         core metadata, by where it was read from
    v1/missing/ab/<key>                       a remembered 404 of a wheel's ``.metadata``

Core metadata whose hash the index does not advertise is kept under its *source*: the
index URL and the ``.metadata`` URL. Nothing the page merely claims (a wheel's sha256) is
a key, so what one index served is never taken for another index's metadata.

Every entry is one file: a JSON header line, then the body. Writes are atomic
(temporary file and ``os.replace``); an unreadable, truncated or corrupt entry is a miss,
and a failed write is ignored: the cache only saves requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import platformdirs

from compatrix._time import format_time, parse_time

__all__ = ["MISSING_TTL", "Cache", "CachedPage", "default_cache_dir"]

MISSING_TTL = timedelta(days=7)
"""How long a 404 for a wheel's ``.metadata`` is remembered."""


def default_cache_dir(env: Mapping[str, str]) -> Path:
    """``$COMPATRIX_CACHE_DIR``, else the platform's user cache directory."""
    if env.get("COMPATRIX_CACHE_DIR"):
        return Path(env["COMPATRIX_CACHE_DIR"]).expanduser()
    return Path(platformdirs.user_cache_dir("compatrix", appauthor=False))


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedPage:
    """A project page as last served, for conditional requests."""

    url: str
    """The URL asked for (no credentials)."""
    final_url: str
    """The URL after redirects: relative file URLs resolve against it."""
    etag: str
    content_type: str
    body: bytes
    serial: str | None = None
    """The ``X-PyPI-Last-Serial`` header, when sent."""


class Cache:
    """Cache of pages (by URL), core metadata (by its sha256, else by its source) and
    metadata 404s (by source, with a TTL)."""

    def __init__(
        self,
        root: Path | None,
        *,
        clock: Callable[[], datetime] = _utcnow,
        missing_ttl: timedelta = MISSING_TTL,
    ) -> None:
        self._root = None if root is None else root / "v1"
        self._clock = clock
        self._missing_ttl = missing_ttl

    @classmethod
    def default(cls, env: Mapping[str, str]) -> Cache:
        """The cache at :func:`default_cache_dir`."""
        return cls(default_cache_dir(env))

    @classmethod
    def disabled(cls) -> Cache:
        """A cache that stores nothing (``--no-cache``)."""
        return cls(None)

    # --- pages -------------------------------------------------------------------------

    def get_page(self, url: str) -> CachedPage | None:
        entry = self._read(self._path("pages", _digest(url)))
        if entry is None:
            return None
        header, body = entry
        try:
            page = CachedPage(
                url=_text(header, "url"),
                final_url=_text(header, "final_url"),
                etag=_text(header, "etag"),
                content_type=_text(header, "content_type"),
                serial=header.get("serial") if isinstance(header.get("serial"), str) else None,
                body=body,
            )
        except (KeyError, TypeError):
            return None
        return page if page.url == url else None

    def put_page(self, page: CachedPage) -> None:
        header = {
            "url": page.url,
            "final_url": page.final_url,
            "etag": page.etag,
            "content_type": page.content_type,
            "serial": page.serial,
        }
        self._write(self._path("pages", _digest(page.url)), header, page.body)

    # --- core metadata -----------------------------------------------------------------

    def get_metadata(self, *, sha256: str | None = None, source: str | None = None) -> bytes | None:
        """Metadata by its own (advertised, verified) sha256, else by its ``source``: the
        index URL and the metadata URL it was read from, without credentials."""
        if sha256 is not None:
            entry = self._read(self._path("metadata", _key(sha256)))
            if entry is None or hashlib.sha256(entry[1]).hexdigest() != sha256:
                return None
            return entry[1]
        if source is not None:
            entry = self._read(self._path("metadata-by-source", _digest(source)))
            if entry is None or entry[0].get("source") != source:
                return None
            return entry[1]
        return None

    def put_metadata(
        self, data: bytes, *, sha256: str | None = None, source: str | None = None
    ) -> None:
        if sha256 is not None:
            self._write(self._path("metadata", _key(sha256)), {}, data)
        elif source is not None:
            header = {"source": source}
            self._write(self._path("metadata-by-source", _digest(source)), header, data)

    # --- remembered 404s ---------------------------------------------------------------

    def is_missing(self, key: str) -> bool:
        """True when a 404 for ``key`` (a metadata file's source: index and URL) was
        remembered less than the TTL ago."""
        entry = self._read(self._path("missing", _key(key)))
        if entry is None:
            return False
        try:
            when = parse_time(_text(entry[0], "at"))
        except (KeyError, TypeError, ValueError):
            return False
        return timedelta(0) <= self._clock() - when < self._missing_ttl

    def remember_missing(self, key: str, *, url: str) -> None:
        """Remember that ``url`` (the ``.metadata`` of source ``key``) was a 404."""
        header = {"at": format_time(self._clock()), "url": url}
        self._write(self._path("missing", _key(key)), header, b"")

    # --- files -------------------------------------------------------------------------

    def _path(self, kind: str, key: str) -> Path | None:
        if self._root is None:
            return None
        return self._root / kind / key[:2] / key

    def _read(self, path: Path | None) -> tuple[dict[str, Any], bytes] | None:
        if path is None:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        line, newline, rest = raw.partition(b"\n")
        if not newline:
            return None
        try:
            header = json.loads(line)
        except ValueError:
            return None
        if not isinstance(header, dict):
            return None
        size, digest = header.get("size"), header.get("sha256")
        if size != len(rest) or digest != hashlib.sha256(rest).hexdigest():
            return None
        return header, rest

    def _write(self, path: Path | None, header: dict[str, Any], body: bytes) -> None:
        if path is None:
            return
        header = {**header, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        data = json.dumps(header, sort_keys=True).encode() + b"\n" + body
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:16]}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            Path(tmp).replace(path)
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _key(key: str) -> str:
    """A file-name-safe key: sha256 digests as they are, anything else hashed."""
    if len(key) == 64 and all(c in "0123456789abcdef" for c in key):
        return key
    return _digest(key)


def _text(header: dict[str, Any], name: str) -> str:
    value = header[name]
    if not isinstance(value, str):
        raise TypeError(name)
    return value
