"""The package-index client: Simple API project pages (PEP 691 JSON, PEP 503 HTML), core
metadata (PEP 658), an on-disk cache, and credentials.

Parsing (:func:`parse_project_page`, :func:`parse_core_metadata`) and reduction
(:func:`facts_from_page`) are pure; :class:`IndexClient` does the HTTP.
"""

from __future__ import annotations

from compatrix._index._auth import find_credentials, redact_url, resolve_index_url
from compatrix._index._cache import Cache, CachedPage, default_cache_dir
from compatrix._index._client import (
    ACCEPT,
    MAX_METADATA_SIZE,
    MAX_PAGE_SIZE,
    METADATA_RELEASES,
    Backoff,
    FetchedPage,
    IndexClient,
    Progress,
)
from compatrix._index._metadata import metadata_candidates, parse_core_metadata
from compatrix._index._pages import DistFile, ProjectPage, parse_project_page
from compatrix._index._reduce import facts_from_page, group_files, release_key
from compatrix._index._transport import ShardedTransport

__all__ = [
    "ACCEPT",
    "MAX_METADATA_SIZE",
    "MAX_PAGE_SIZE",
    "METADATA_RELEASES",
    "Backoff",
    "Cache",
    "CachedPage",
    "DistFile",
    "FetchedPage",
    "IndexClient",
    "Progress",
    "ProjectPage",
    "ShardedTransport",
    "default_cache_dir",
    "facts_from_page",
    "find_credentials",
    "group_files",
    "metadata_candidates",
    "parse_core_metadata",
    "parse_project_page",
    "redact_url",
    "release_key",
    "resolve_index_url",
]
