"""tox configured in pyproject.toml, rendered in place, and where else tox looks.

``[tool.tox]`` comes in two forms, both read by tox 4: the native TOML form (tox ≥ 4.21),
rendered like tox.toml with every key under ``tool.tox`` (:func:`render_tox_toml` with a
prefix), and ``legacy_tox_ini``, a string holding a whole tox.ini, rendered like tox.ini
inside the string. As tox does, a ``[tool.tox]`` table with keys besides ``legacy_tox_ini``
is the native form.

tox reads the first of tox.ini, setup.cfg (``[tox:tox]``), pyproject.toml (``[tool.tox]``)
and tox.toml that configures it: :func:`shadowing_sources` names the tox configurations that
a new tox.ini or tox.toml would shadow or be shadowed by, so that compatrix never writes a
skeleton that silently takes the user's configuration out of use.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compatrix._config import Config
from compatrix._render._tox_ini import render_tox_ini
from compatrix._render._tox_toml import find_value, load, render_tox_toml, scan_toml, table_span
from compatrix._selection import Matrix
from compatrix._toml import tomllib
from compatrix.errors import OutputError

__all__ = ["render_pyproject_tox", "shadowing_sources", "tox_in_pyproject"]

PREFIX = ("tool", "tox")
_LEGACY_KEY_RE = re.compile(
    r"""[ \t]*(?:legacy_tox_ini|"legacy_tox_ini"|'legacy_tox_ini')[ \t]*=[ \t]*"""
)


def tox_in_pyproject(data: Any) -> str | None:
    """``"native"``, ``"legacy"`` or None: how (parsed) pyproject.toml configures tox."""
    tool = data.get("tool") if isinstance(data, dict) else None
    tox = tool.get("tox") if isinstance(tool, dict) else None
    if not isinstance(tox, dict) or not tox:
        return None
    return "legacy" if set(tox) == {"legacy_tox_ini"} else "native"


def render_pyproject_tox(existing: str | None, matrix: Matrix, config: Config, *, path: str) -> str:
    """pyproject.toml with compatrix's regions in its ``[tool.tox]`` brought up to date;
    every byte outside them is kept."""
    if existing is None:
        msg = f"{path}: not found; compatrix renders into its [tool.tox] table"
        raise OutputError(msg)
    data = load(existing, path)
    form = tox_in_pyproject(data)
    if form is None:
        msg = (
            f"{path}: has no [tool.tox] table; add one (tox's native TOML form, or "
            "legacy_tox_ini), or set [tox] file to tox.ini or tox.toml"
        )
        raise OutputError(msg)
    if form == "native":
        return render_tox_toml(existing, matrix, config, path=path, prefix=PREFIX)
    return _render_legacy(existing, data["tool"]["tox"]["legacy_tox_ini"], matrix, config, path)


def _render_legacy(text: str, value: object, matrix: Matrix, config: Config, path: str) -> str:
    label = f"{path} [tool.tox] legacy_tox_ini"
    if not isinstance(value, str):
        msg = f"{label}: must be a string holding a tox.ini"
        raise OutputError(msg)
    start, stop, quote = _legacy_string(text, path)
    inner = text[start + 3 : stop - 3]
    lead = "\r\n" if inner.startswith("\r\n") else "\n" if inner.startswith("\n") else ""
    body = inner[len(lead) :]
    if quote == '"' and "\\" in body:
        msg = (
            f'{label}: a basic string ("""...""") with backslash escapes; write it as a '
            "literal string ('''...''') for compatrix to edit it in place"
        )
        raise OutputError(msg)
    if body != value:
        msg = f"{label}: write it as a multi-line string ('''...''') on its own lines"
        raise OutputError(msg)
    rendered = render_tox_ini(body, matrix, config, path=label)
    if quote == "'":
        if "'''" in rendered:
            msg = f"{label}: the generated envs hold ''' and cannot go into a literal string"
            raise OutputError(msg)
        written = rendered
    else:
        written = rendered.replace("\\", "\\\\").replace('"""', '""\\"')
    result = text[: start + 3] + lead + written + text[stop - 3 :]
    check = tomllib.loads(result)["tool"]["tox"]["legacy_tox_ini"]
    if check != rendered:
        msg = f"{label}: the rendered tox.ini does not read back as written"
        raise OutputError(msg)
    return result


def _legacy_string(text: str, path: str) -> tuple[int, int, str]:
    """The offsets of the ``legacy_tox_ini`` multi-line string (quotes included) and its
    quote character."""
    scan = scan_toml(text)
    value = find_value(text, scan, table_span(text, scan, PREFIX), _LEGACY_KEY_RE)
    for begin, end in scan.ml_strings:
        if begin == value:
            return (begin, end, text[begin])
    msg = (
        f"{path}: compatrix edits legacy_tox_ini when it is a multi-line string set in the "
        "[tool.tox] table ('legacy_tox_ini = '''...''''); write it so"
    )
    raise OutputError(msg)


# --- where else tox looks ------------------------------------------------------------------

Reader = Callable[[Path], "str | None"]


def shadowing_sources(root: Path, tox_file: Path, *, read: Reader) -> list[str]:
    """The tox configurations in ``root`` that would conflict with creating ``tox_file``
    (tox.ini shadows all of them; tox.toml is read only when none exists)."""
    found = []
    setup_cfg = read(root / "setup.cfg")
    if setup_cfg is not None:
        parser = configparser.RawConfigParser()
        try:
            parser.read_string(setup_cfg)
        except configparser.Error:
            pass
        else:
            if parser.has_section("tox:tox"):
                found.append("setup.cfg [tox:tox]")
    pyproject = read(root / "pyproject.toml")
    if pyproject is not None:
        try:
            form = tox_in_pyproject(tomllib.loads(pyproject))
        except tomllib.TOMLDecodeError:
            form = None
        if form is not None:
            key = " legacy_tox_ini" if form == "legacy" else ""
            found.append(f"pyproject.toml [tool.tox]{key}")
    if tox_file.name != "tox.ini" and read(root / "tox.ini") is not None:
        found.insert(0, "tox.ini")
    return found
