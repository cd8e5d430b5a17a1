"""The one line of the weekly update workflow that compatrix keeps current.

``compatrix init`` writes ``.github/workflows/compatrix-update.yml``; the file is the user's
from then on, except for its ``COMPATRIX_INSTALL`` line, which ``generate`` and ``update``
keep equal to ``[workflows] compatrix-install`` when that key is set.
"""

from __future__ import annotations

import re

__all__ = ["UPDATE_WORKFLOW", "install_line", "with_install_source"]

UPDATE_WORKFLOW = ".github/workflows/compatrix-update.yml"
"""Where ``init`` writes the update workflow, relative to the project directory."""

_INSTALL_LINE = r'^(?P<head>[ \t]*COMPATRIX_INSTALL:[ \t]*)"[^"\r\n]*"'


def install_line(source: str) -> str:
    """The value as the workflow holds it (validated when the config was read: no quotes,
    backslashes, ``$`` or braces)."""
    return f'"{source}"'


def with_install_source(text: str, source: str) -> str:
    """``text`` with its first ``COMPATRIX_INSTALL: "..."`` line set to ``source``; unchanged
    when it has no such line (the user removed or rewrote it)."""
    return re.sub(
        _INSTALL_LINE,
        lambda match: match["head"] + install_line(source),
        text,
        count=1,
        flags=re.MULTILINE,
    )
