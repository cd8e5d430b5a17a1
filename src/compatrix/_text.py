"""Text for people: counted nouns."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str) -> str:
    """``1 suite``, ``2 suites``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
