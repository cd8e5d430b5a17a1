"""Times as compatrix reads and writes them: ISO-8601, in UTC."""

from __future__ import annotations

import re
from datetime import datetime, timezone

__all__ = ["format_time", "parse_time"]

_FRACTION = r"(\.[0-9]+)"


def parse_time(text: str) -> datetime:
    """An ISO-8601 time as an aware UTC datetime; ValueError when ``text`` is not one.

    ``Z`` and any offset are accepted (a time without one is taken as UTC), and so is a
    fraction of any length, on Python 3.10 too.
    """
    try:
        value = datetime.fromisoformat(text)  # from Python 3.11 on, "Z" and any fraction
    except ValueError:  # Python 3.10 reads neither "Z" nor a fraction of other lengths
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        value = datetime.fromisoformat(re.sub(_FRACTION, _six_digits, text, count=1))
    if value.tzinfo is timezone.utc:  # as indexes and compatrix write them
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _six_digits(match: re.Match[str]) -> str:
    return "." + (match[1][1:] + "000000")[:6]


def format_time(value: datetime) -> str:
    """``2024-12-06T15:37:21Z`` (with ``.ffffff`` only when there are microseconds)."""
    return value.astimezone(timezone.utc).isoformat().removesuffix("+00:00") + "Z"
