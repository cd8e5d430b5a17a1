"""The ``.gitattributes`` lines that hand compatrix's files to its merge driver."""

from __future__ import annotations

__all__ = ["DRIVER_CONFIG", "with_merge_driver"]

DRIVER_CONFIG = (
    "git config merge.compatrix.name compatrix",
    'git config merge.compatrix.driver "compatrix merge-driver %O %A %B %P %L"',
)
"""The commands that define the driver in a clone (git config is not committed; without
them, git merges the files as text)."""

_COMMENT = (
    "# compatrix: merge conflicts in these files are resolved by regenerating them; "
    "needs `compatrix init`'s git config lines"
)


def with_merge_driver(existing: str | None, paths: list[str]) -> str:
    """``existing`` (``.gitattributes`` or None) with ``PATH merge=compatrix`` for each path
    that has no such line yet; unchanged when every path has one."""
    text = existing or ""
    present = {tuple(line.split()) for line in text.splitlines()}
    missing = [path for path in paths if (path, "merge=compatrix") not in present]
    if not missing:
        return text
    eol = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith(("\n", "\r")):
        text += eol
    lines = [_COMMENT, *(f"{path} merge=compatrix" for path in missing)]
    return text + (eol if text.strip() else "") + eol.join(lines) + eol
