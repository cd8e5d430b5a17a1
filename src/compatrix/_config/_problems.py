"""Where a value is in the config, and what is wrong with it.

Every problem names its path (``suites.httpx.deps[">=0.28"][1]``); all problems of one
document are collected and reported together.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

__all__ = [
    "KeyPath",
    "Problems",
    "describe_value",
    "did_you_mean",
    "first_line",
    "has_control_characters",
    "short",
    "unknown_key_message",
]

_BARE_KEY = r"[A-Za-z0-9_-]+"


@dataclass(frozen=True, slots=True)
class KeyPath:
    """Where a value is in the document: ``suites.httpx.deps[">=0.28"][1]``.

    Bare keys are joined with dots; other keys are quoted in brackets, array indexes are
    bracketed numbers.
    """

    parts: tuple[str | int, ...] = ()

    def __truediv__(self, part: str | int) -> KeyPath:
        return KeyPath((*self.parts, part))

    def __str__(self) -> str:
        text = ""
        for part in self.parts:
            if isinstance(part, int):
                text += f"[{part}]"
            elif re.fullmatch(_BARE_KEY, part):
                text += f".{part}" if text else part
            else:
                ascii_only = has_control_characters(part)
                text += f"[{json.dumps(part, ensure_ascii=ascii_only)}]"
        return text


class Problems:
    """The problems found in one document, in the order they were found.

    Lives for one read of one config; every problem names where it is. ``tables`` are the
    tables of the document (a title such as ``[workflows]`` and the keys it takes), so that
    a key in the wrong table can say where it belongs.
    """

    def __init__(self, tables: Sequence[tuple[str, frozenset[str]]] = ()) -> None:
        self.messages: list[str] = []
        self.tables = tables

    def add(self, at: KeyPath | str, message: str) -> None:
        where = str(at)
        self.messages.append(f"{where}: {message}" if where else message)

    def __bool__(self) -> bool:
        return bool(self.messages)


def unknown_key_message(
    key: str, known: Sequence[str], tables: Sequence[tuple[str, frozenset[str]]]
) -> str:
    """``unknown key; did you mean 'min-version'?`` (or which other tables take the key)."""
    wanted = key.replace("_", "-").lower()
    if wanted in known:
        return f"unknown key; did you mean {wanted!r}?"
    elsewhere = [title for title, keys in tables if wanted in keys]
    if elsewhere:
        return f"unknown key; {wanted!r} is a key of {' and '.join(elsewhere)}"
    suggestion = did_you_mean(key, known)
    if suggestion is not None:
        return f"unknown key; did you mean {suggestion!r}?"
    return "unknown key"


def describe_value(value: object) -> str:
    """A TOML value's type and a short rendering: ``a string ('4')``, ``an array``."""
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a float ({value})"
    if isinstance(value, str):
        return f"a string ({short(value)})"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, datetime):
        return f"a date-time ({value.isoformat()})"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, time):
        return f"a time ({value.isoformat()})"
    return f"a {type(value).__name__}"


def has_control_characters(text: str) -> bool:
    """True when ``text`` has a control character or a line or paragraph separator: what
    could break a line of tox.ini or YAML."""
    if text.isprintable():  # no character of the categories "Other" or "Separator"
        return False
    return any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in text)


def short(text: str, limit: int = 60) -> str:
    """``repr(text)``, shortened to about ``limit`` characters."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def first_line(exc: Exception) -> str:
    """The first line of an exception's message (packaging's explain on later lines)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    """The closest of ``choices`` to ``word`` (``min_version`` -> ``min-version``)."""
    import difflib  # noqa: PLC0415 - only a problem needs it

    for candidate in (word, word.replace("_", "-").lower()):
        if candidate in choices and candidate != word:
            return candidate
        matches = difflib.get_close_matches(candidate, choices, n=1, cutoff=0.6)
        if matches:
            return matches[0]
    return None
