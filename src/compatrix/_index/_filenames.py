"""What a distribution's file name says: its kind, its version and (wheels) its tags.

Index pages of large projects list tens of thousands of files, so the analysis memoizes
the parts that repeat (project-name spellings, version texts, tag triples) on a
:class:`FilenameParser` that lives for one page.
"""

from __future__ import annotations

import re
from typing import Literal

from packaging.utils import NormalizedName, canonicalize_name, parse_sdist_filename
from packaging.version import Version

__all__ = [
    "FileKind",
    "FilenameParser",
    "ParsedFilename",
    "is_valid_legacy_version",
    "same_version",
    "wheel_pairs",
]

FileKind = Literal["wheel", "sdist", "other"]
"""``wheel`` and ``sdist`` are installable; ``other`` is a legacy format (``.egg``,
``.exe``, ``.tar.bz2``, ...) or a wheel whose name is invalid: counted, never installed."""

_SDIST_SUFFIXES = (".tar.gz", ".zip")
_LEGACY_SUFFIXES = (
    ".tar.bz2",
    ".tar.xz",
    ".tar.Z",
    ".tgz",
    ".tbz",
    ".tar",
    ".egg",
    ".exe",
    ".msi",
    ".rpm",
    ".dmg",
    ".deb",
)
_SAFE_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!~-]*")
_LEGACY_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!-]{0,99}")
_TAG_TRIPLE = re.compile(
    r"[a-z0-9_]+(?:\.[a-z0-9_]+)*-[a-z0-9_]+(?:\.[a-z0-9_]+)*-[a-z0-9_]+(?:\.[a-z0-9_]+)*"
)
_BUILD_TAG = re.compile(r"[0-9][A-Za-z0-9_.]*")
_WINDOWS_INSTALLER = re.compile(
    r"(?:\.(?:win32|win-amd64|win-arm64|win-ia64|linux-[A-Za-z0-9_]+))?(?:-py[0-9.]+)?$"
)


def is_valid_legacy_version(text: str) -> bool:
    """True for a version text safe to record although PEP 440 cannot parse it."""
    return _LEGACY_VERSION.fullmatch(text) is not None


def same_version(found: str, wanted: str) -> bool:
    """Whether the version ``found`` in a file (METADATA, a ``.dist-info`` name) is the
    version ``wanted`` a file name spells: equal as PEP 440 versions, else as texts."""
    try:
        return Version(found) == Version(wanted)
    except ValueError:  # InvalidVersion, or more digits than int() converts
        return found.replace("-", "_") == wanted.replace("-", "_")


def wheel_pairs(tags: str) -> tuple[str, ...]:
    """``interpreter-abi`` pairs of a validated, lower-case tag triple, expanded:
    ``py2.py3-none-any`` gives ``py2-none`` and ``py3-none``."""
    interpreters, abis, _ = tags.split("-")
    return tuple(f"{i}-{a}" for i in interpreters.split(".") for a in abis.split("."))


ParsedFilename = tuple[FileKind, str, "str | None", "str | None"]
"""``(kind, version, tags, problem)``: the version as the file name spells it; a wheel's
lower-case tag triple (``py2.py3-none-any``), else None; why a file of the project is not
installable (for warnings), else None. A plain tuple: pages list tens of thousands."""


class FilenameParser:
    """Reads the file names of one project's distributions, memoizing repeated parts."""

    def __init__(self, project: NormalizedName) -> None:
        self.project = project
        self._names: dict[str, bool] = {}
        self._versions: dict[str, Version | Literal[False]] = {}
        self._tags: dict[str, str | None] = {}

    def _is_project(self, name: str) -> bool:
        known = self._names.get(name)
        if known is None:
            known = self._names[name] = canonicalize_name(name) == self.project
        return known

    def _is_version(self, text: str) -> bool:
        known = self._versions.get(text)
        if known is None:
            try:
                known = Version(text)
            except ValueError:  # InvalidVersion, or more digits than int() converts
                known = False
            self._versions[text] = known
        return known is not False

    def versions(self) -> dict[str, Version]:
        """The PEP 440 versions met in file names so far, by their text."""
        return {text: v for text, v in self._versions.items() if v is not False}

    def _tag_triple(self, text: str) -> str | None:
        if text in self._tags:
            return self._tags[text]
        lowered = text.lower()
        valid = lowered if _TAG_TRIPLE.fullmatch(lowered) else None
        self._tags[text] = valid
        return valid

    def parse(self, filename: str) -> ParsedFilename | None:
        """The file's kind and version, or None when it is not a distribution of the
        project (another project's file, an unknown format, an unsafe name)."""
        if _SAFE_FILENAME.fullmatch(filename) is None:
            return None
        if filename.endswith(".whl"):
            # The common case inline: name-version-python-abi-platform.whl, with a name,
            # version and tags seen before on this page.
            parts = filename[:-4].split("-")
            if len(parts) == 5 and self._names.get(parts[0]) and self._versions.get(parts[1]):
                tags = self._tags.get(f"{parts[2]}-{parts[3]}-{parts[4]}")
                if tags is not None:
                    return ("wheel", parts[1], tags, None)
            return self._wheel(filename)
        if filename.endswith(_SDIST_SUFFIXES):
            # name-version.tar.gz with the project's name and a PEP 440 version is what
            # parse_sdist_filename accepts; anything else takes the careful path.
            stem = filename[:-7] if filename.endswith(".tar.gz") else filename[:-4]
            name, sep, version = stem.rpartition("-")
            if (
                sep
                and (self._names.get(name) or self._is_project(name))
                and (self._versions.get(version) or self._is_version(version))
            ):
                return ("sdist", version, None, None)
            return self._sdist(filename)
        for suffix in _LEGACY_SUFFIXES:
            if filename.endswith(suffix):
                return self._legacy(filename, suffix)
        return None

    def _wheel(self, filename: str) -> ParsedFilename | None:
        parts = filename[:-4].split("-")
        count = len(parts)
        if (count == 5 or count == 6) and (  # noqa: PLR1714 - faster than a tuple
            self._names.get(parts[0]) or self._is_project(parts[0])
        ):
            version = parts[1]
            if count == 6 and _BUILD_TAG.fullmatch(parts[2]) is None:
                return self._invalid_wheel(filename, version, "invalid build tag")
            triple = f"{parts[-3]}-{parts[-2]}-{parts[-1]}"
            tags = self._tags[triple] if triple in self._tags else self._tag_triple(triple)
            if tags is None:
                return self._invalid_wheel(filename, version, "invalid compatibility tags")
            if not (self._versions.get(version) or self._is_version(version)):
                return self._invalid_wheel(filename, version, "invalid version")
            return ("wheel", version, tags, None)
        # Not a valid wheel name: early wheels did not escape '-' in project names.
        found = self._after_project(filename[:-4])
        if found is None:
            return None
        return self._invalid_wheel(filename, found.partition("-")[0], "invalid wheel file name")

    def _invalid_wheel(self, filename: str, version: str, problem: str) -> ParsedFilename | None:
        if not is_valid_legacy_version(version):
            return None
        return ("other", version, None, f"{problem}: {filename}")

    def _sdist(self, filename: str) -> ParsedFilename | None:
        stem = filename[: -len(".tar.gz")] if filename.endswith(".tar.gz") else filename[:-4]
        try:
            name, version = parse_sdist_filename(filename)
        except ValueError:  # InvalidSdistFilename, or more digits than int() converts
            pass
        else:
            if name == self.project:
                return ("sdist", stem.rpartition("-")[2] or str(version), None, None)
        # Older sdists spell the project with '-' and may have '-' in the version
        # (``aiohttp-2.0.6-1.tar.gz``): find where the project name ends, as pip does.
        version_text = self._after_project(stem)
        if version_text is None or not is_valid_legacy_version(version_text):
            return None
        if self._is_version(version_text):
            return ("sdist", version_text, None, None)
        return ("other", version_text, None, f"unparseable version: {filename}")

    def _legacy(self, filename: str, suffix: str) -> ParsedFilename | None:
        rest = self._after_project(filename[: -len(suffix)])
        if rest is None:
            return None
        if suffix in {".egg", ".rpm", ".dmg", ".deb"}:
            # name-version-pyX.Y-platform.egg, name-version-release.arch.rpm
            version = rest.partition("-")[0]
        elif suffix in {".exe", ".msi"}:
            # name-version.win32-pyX.Y.exe, name-version.win-amd64.msi
            version = _WINDOWS_INSTALLER.sub("", rest)
        else:
            version = rest
        if not is_valid_legacy_version(version):
            return None
        return ("other", version, None, None)

    def _after_project(self, stem: str) -> str | None:
        """The text after the project name and its ``-`` separator, or None."""
        start = 0
        while True:
            dash = stem.find("-", start)
            if dash < 0:
                return None
            if self._is_project(stem[:dash]):
                return stem[dash + 1 :] or None
            start = dash + 1
