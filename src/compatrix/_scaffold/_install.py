"""How the weekly update workflow installs compatrix: the way compatrix was installed here.

pip and uv record how a distribution was installed (PEP 610 ``direct_url.json``): absent
for a release from an index, a VCS URL and commit for ``pip install "compatrix @ git+..."``,
an archive URL for a wheel or sdist URL, a ``file:`` URL for a local path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urlsplit

from compatrix import __version__
from compatrix._config import install_source_problem

__all__ = ["FALLBACK_SOURCE", "InstallSource", "detect_install_source", "installed_direct_url"]

FALLBACK_SOURCE = "compatrix @ git+https://github.com/compatrix/compatrix@main"
"""When compatrix runs from a local path, which CI cannot reach."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InstallSource:
    source: str
    """A valid ``[workflows] compatrix-install`` value."""
    note: str | None = None
    """Why it is not exactly the way compatrix was installed here, if it is not."""


def installed_direct_url() -> str | None:
    """The ``direct_url.json`` of the installed compatrix, or None (installed from an index,
    or not installed as a distribution)."""
    try:
        return metadata.distribution("compatrix").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None


def detect_install_source(direct_url: str | None, *, version: str = __version__) -> InstallSource:
    """The install source matching ``direct_url`` (the text of ``direct_url.json``)."""
    if direct_url is None:
        return InstallSource(source=f"compatrix=={version}")
    try:
        data = json.loads(direct_url)
    except ValueError:
        data = None
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(url, str):
        return _fallback("its install record (direct_url.json) is unreadable")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return _fallback("compatrix runs from a local path here")
    if parts.username is not None or parts.password is not None:
        return _fallback("it was installed from a URL with credentials")
    vcs = data.get("vcs_info") if isinstance(data, dict) else None
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if vcs.get("vcs") != "git" or not isinstance(commit, str):
            return _fallback("it was installed from a version control system other than git")
        source = f"compatrix @ git+{url}@{commit}"
    else:
        source = f"compatrix @ {url}"
    if install_source_problem(source) is not None:
        return _fallback(f"its install URL cannot be written into the workflow ({url})")
    return InstallSource(source=source)


def _fallback(why: str) -> InstallSource:
    return InstallSource(
        source=FALLBACK_SOURCE,
        note=f"{why}: the update workflow installs compatrix from git main; choose with --install",
    )
