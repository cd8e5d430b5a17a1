"""From a project page to release facts (pure): group files into releases and summarise."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from packaging.version import Version

from compatrix._index._filenames import wheel_pairs
from compatrix._index._pages import DistFile, ProjectPage
from compatrix._lock import PackageFacts, Release, cutoff_of, sort_releases

__all__ = ["ReleaseKey", "facts_from_page", "group_files", "release_key"]

ReleaseKey = Version | str
"""A valid version (so ``1.0`` and ``1.0.0`` are one release), else the legacy text."""


class _Keys:
    """Release keys of version texts, memoized for one page (on the page, when given)."""

    def __init__(self, memo: dict[str, ReleaseKey] | None = None) -> None:
        self.memo: dict[str, ReleaseKey] = {} if memo is None else memo

    def __call__(self, text: str) -> ReleaseKey:
        key = self.memo.get(text)
        if key is None:
            try:
                key = Version(text)
            except ValueError:  # InvalidVersion, or more digits than int() converts
                key = text
            self.memo[text] = key
        return key


_NORMAL_RELEASE = re.compile(r"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*")
"""A version text that is its own PEP 440 normal form (``str(Version(text)) == text``)."""


def _spelling(text: str, key: ReleaseKey) -> str:
    """``str(key)``: the normalized version (the legacy text as it is)."""
    if _NORMAL_RELEASE.fullmatch(text) is not None:
        return text
    return str(key)


def _kept(files: Iterable[DistFile], as_of: date | None) -> Iterable[DistFile]:
    """Files uploaded before the end of ``as_of`` (files without upload time are dropped,
    as with uv's ``--exclude-newer``); every file when ``as_of`` is None."""
    if as_of is None:
        return files
    cutoff = cutoff_of(as_of)
    return (f for f in files if f.upload_time is not None and f.upload_time < cutoff)


def release_key(version: str | Version) -> ReleaseKey:
    """The key :func:`group_files` files a release under."""
    return version if isinstance(version, Version) else _Keys()(version)


def group_files(
    page: ProjectPage, *, as_of: date | None = None
) -> dict[ReleaseKey, tuple[DistFile, ...]]:
    """The page's files by release (uploaded before the end of ``as_of``, when given)."""
    groups, _ = _grouped(page, as_of, listed=False)
    return {key: tuple(files) for key, files in groups.items()}


def _grouped(
    page: ProjectPage, as_of: date | None, *, listed: bool
) -> tuple[dict[ReleaseKey, list[DistFile]], dict[ReleaseKey, str]]:
    """The page's files by release, and each release's version as recorded. ``listed``:
    PEP 700 ``versions`` count too, as releases without files unless ``as_of`` is given."""
    keys = _Keys(page.release_keys)
    groups: dict[ReleaseKey, list[DistFile]] = {}
    by_text: dict[str, list[DistFile]] = {}  # a release's files, by each of its spellings
    spelling: dict[ReleaseKey, str] = {}
    versions = (page.versions or ()) if listed else ()
    for text in versions:
        key = keys(text)
        if key not in spelling:
            spelling[key] = _spelling(text, key)
        if as_of is None:
            by_text[text] = groups.setdefault(key, [])
    for file in _kept(page.files, as_of):
        text = file.version
        group = by_text.get(text)
        if group is None:
            found = keys(text)
            group = groups.get(found)
            if group is None:
                group = groups[found] = []
                if found not in spelling:
                    spelling[found] = _spelling(text, found)
            by_text[text] = group
        group.append(file)
    return groups, spelling


def facts_from_page(
    page: ProjectPage, *, index_url: str, fetched_at: datetime, as_of: date | None
) -> PackageFacts:
    """Summarise a project page as :class:`PackageFacts`.

    Files are grouped into releases by the version in their file name. Under ``as_of``
    only files uploaded before the end of that day (UTC) count, and releases left without
    files are left out; otherwise PEP 700 ``versions`` without files appear with
    ``files=0``. ``index_url`` must be free of credentials.
    """
    groups, spelling = _grouped(page, as_of, listed=True)
    pairs: dict[str, tuple[str, ...]] = {}
    releases = [_release(spelling[key], files, pairs) for key, files in groups.items()]
    return PackageFacts(
        name=page.name,
        index=index_url,
        fetched_at=fetched_at,
        serial=page.serial,
        api_version=page.api_version,
        status=None if page.status in (None, "active") else page.status,
        releases=sort_releases(releases),
    )


def _release(version: str, files: Sequence[DistFile], pairs: dict[str, tuple[str, ...]]) -> Release:
    if not files:
        return Release(version=version, uploaded=None, yanked=False, files=0)
    uploaded: datetime | None = None
    reason: str | None = None
    live: list[DistFile] = []
    for f in files:
        time = f.upload_time
        if time is not None and (uploaded is None or time < uploaded):
            uploaded = time
        if not f.yanked:
            live.append(f)
        elif reason is None and f.yanked_reason:
            reason = f.yanked_reason
    yanked = not live
    if yanked:
        live = list(files)
    tags: set[str] = set()
    sdist = False
    for f in live:
        kind = f.kind
        if kind == "wheel":
            assert f.tags is not None
            expanded = pairs.get(f.tags)
            if expanded is None:
                expanded = pairs[f.tags] = wheel_pairs(f.tags)
            tags.update(expanded)
        elif kind == "sdist":
            sdist = True
    return Release(
        version=version,
        uploaded=uploaded,
        yanked=yanked,
        yanked_reason=reason if yanked else None,
        requires_python=_requires_python(live),
        sdist=sdist,
        wheel_tags=tuple(sorted(tags)),
        files=len(files),
    )


def _requires_python(files: Sequence[DistFile]) -> str | None:
    """The files' Requires-Python: the most common value, ties to the first seen.

    Indexes copy it from the release onto each file, so the files agree in practice.
    """
    values = [f.requires_python for f in files if f.requires_python is not None]
    if not values:
        return None
    if len(set(values)) == 1:
        return values[0]
    return Counter(values).most_common(1)[0][0]
