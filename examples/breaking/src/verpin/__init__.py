"""Sort version strings the way pip did before PEP 440 was enforced: strings that are not
PEP 440 versions ("nightly", "latest") sort before every PEP 440 version, in text order.

It relies on ``packaging.version.parse`` returning a ``LegacyVersion`` for such strings,
which packaging removed in 22.0: from then on ``parse("nightly")`` raises ``InvalidVersion``.
"""

from __future__ import annotations

from packaging.version import parse

__all__ = ["sort_versions"]


def sort_versions(versions: list[str]) -> list[str]:
    return sorted(versions, key=parse)
