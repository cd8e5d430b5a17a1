"""TOML: the standard library's reader (or its backport on Python 3.10), the data files
shipped in the package, and the one way compatrix writes a TOML string."""

from __future__ import annotations

import pkgutil
import sys
from datetime import date, datetime
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["data_date", "read_package_data", "toml_string", "tomllib"]

_ESCAPES = {ord('"'): '\\"', ord("\\"): "\\\\"} | {
    code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)
}
"""What a TOML basic string cannot hold as it is: quote, backslash, control characters."""


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string: ``"a \\"quoted\\" word"``."""
    return '"' + value.translate(_ESCAPES) + '"'


def read_package_data(package: str, name: str) -> dict[str, Any]:
    """The TOML data file ``name`` shipped in ``package`` (``compatrix._pythons``)."""
    raw = pkgutil.get_data(package, name)
    assert raw is not None, f"{package} has no loader that reads data"
    data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    return data


def data_date(value: object, where: str) -> date:
    """``value`` when it is a TOML date (not a date-time), else ValueError naming ``where``."""
    if not isinstance(value, date) or isinstance(value, datetime):
        msg = f"{where}: expected a date (YYYY-MM-DD), got {value!r}"
        raise ValueError(msg)
    return value
