"""Text for people: counted nouns, and strings made safe to show on a terminal."""

from __future__ import annotations

import re

__all__ = ["plural", "shorten", "visible"]


def plural(count: int, noun: str) -> str:
    """``1 suite``, ``2 suites``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def shorten(text: str, limit: int = 120) -> str:
    """``text`` cut in the middle to at most ``limit`` characters, for messages."""
    if len(text) <= limit:
        return text
    keep = (limit - 3) // 2
    return f"{text[:keep]}...{text[-keep:]}"


# What a terminal would act on instead of showing: C0 and C1 controls (ESC starts colour,
# title and cursor sequences), DEL, a carriage return not ending a line, and the Unicode
# controls that reorder or break lines (U+202E shows text backwards).
_UNSAFE = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
    "|\r(?!\n)"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every character a terminal would act on written as an escape
    (``\\x1b``, ``\\u202e``); tabs and line ends are kept. In JSON strings the escapes read
    back as the same characters."""
    return re.sub(_UNSAFE, _escaped, text)
