"""URLs in messages: credentials are never repeated.

A module of its own so that the config (which only validates ``index-url``) and the index
client share one definition without the config importing the HTTP stack.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["redact_url"]


def redact_url(url: str) -> str:
    """``url`` with any userinfo (user name and password) replaced by ``***``.

    Used for every URL that reaches an error message or a log line.
    """
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))
