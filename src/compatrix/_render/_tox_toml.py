"""Render the matrix into tox.toml (tox's native TOML format).

compatrix owns two regions:

- ``env_list``: the generated entries of the top-level ``env_list`` array, between comment
  markers inside the array;
- ``envs``: one table per generated env (``[env."py3.12-httpx-v0.28.1"]``) in a marked
  block, appended at the end of the file on the first run. Each table extends the
  ``deps``, ``set_env`` and ``pass_env`` of ``[env_run_base]`` (when it has them) with
  ``{ replace = "ref", of = [...] }`` instead of replacing them.

Every byte outside the regions is kept. The file is scanned with a small TOML lexer (strings,
comments, brackets) to find where things are, and the result is read back with ``tomllib``
and compared with what was meant to be written.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compatrix._config import Config
from compatrix._render._factors import (
    CONSTRAINT_VARIABLES,
    PRERELEASE_SETENV,
    SuitePlan,
    ToxPlan,
    build_plan,
)
from compatrix._render._regions import (
    Line,
    Region,
    bug,
    detect_eol,
    find_marker,
    pair_markers,
    region_lines,
    split_lines,
)
from compatrix._render._templates import render_template
from compatrix._selection import Matrix
from compatrix._toml import toml_string, tomllib
from compatrix.errors import OutputError

__all__ = ["TOX_TOML_MINIMUM", "find_value", "load", "render_tox_toml", "scan_toml", "table_span"]

TOX_TOML_MINIMUM = "4.37"
"""The oldest tox that reads a generated tox.toml right: env tables whose names contain dots
(``env."py3.12-httpx-v0.28.1"``) are ignored before 4.37."""

_INDENT = "    "
_KNOWN = ("env_list", "envs")
_ENV_LIST_KEYS = ("env_list", "envlist")
_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_EOL_CHAR_RE = re.compile(r"[\r\n]")
_ROOT_KEY_RE = re.compile(
    r"""[ \t]*(?P<key>env_list|envlist|"env_list"|"envlist"|'env_list'|'envlist')[ \t]*=[ \t]*"""
)


def render_tox_toml(
    existing: str | None,
    matrix: Matrix,
    config: Config,
    *,
    path: str = "tox.toml",
    prefix: tuple[str, ...] = (),
) -> str:
    """The full text of tox.toml: ``existing`` with compatrix's regions brought up to date.

    ``existing`` is None when there is no tox.toml yet: a small skeleton is created.
    ``prefix`` is where tox's table is: ``()`` in tox.toml, ``("tool", "tox")`` in
    pyproject.toml (which must have that table, written as a ``[tool.tox]`` header). Raises
    :class:`~compatrix.errors.OutputError` when the file is not valid TOML or its markers
    are broken (the message names the file and line).
    """
    plan = build_plan(matrix, config)
    if existing is None:
        if prefix:
            bug("no skeleton for a tox table inside another file")
        existing = render_template(
            "tox.toml.j2",
            tox_minimum=TOX_TOML_MINIMUM,
            test_path_variable=plan.test_path_variable,
        )
    data = _tox_table(load(existing, path), prefix, path)
    base = data.get("env_run_base")
    tables = _tables(plan, _base_refs(base if isinstance(base, dict) else {}, path, prefix))
    result = _fill(existing, data, plan, tables, config=config, path=path, prefix=prefix)
    _verify(result, plan, tables, path, prefix)
    return result


def _tox_table(data: dict[str, Any], prefix: tuple[str, ...], path: str) -> dict[str, Any]:
    for key in prefix:
        inner = data.get(key)
        if not isinstance(inner, dict):
            msg = f"{path}: has no [{'.'.join(prefix)}] table for compatrix to render into"
            raise OutputError(msg)
        data = inner
    return data


def load(text: str, path: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{path}: not valid TOML: {exc}"
        raise OutputError(msg) from exc
    except RecursionError:  # arrays or inline tables nested thousands deep
        msg = f"{path}: not valid TOML: nested too deeply"
        raise OutputError(msg) from None
    return data


# --- what is written ---------------------------------------------------------------------


def _base_refs(
    base: Mapping[str, Any], path: str, prefix: tuple[str, ...]
) -> dict[str, dict[str, Any] | None]:
    """For deps, set_env and pass_env: the reference to ``[env_run_base]``'s value, when it
    has one (``{ replace = "ref", of = ["env_run_base", KEY], ... }``)."""
    refs: dict[str, dict[str, Any] | None] = {}
    for name, keys in (
        ("deps", ("deps",)),
        ("set_env", ("set_env", "setenv")),
        ("pass_env", ("pass_env", "passenv")),
    ):
        key = next((k for k in keys if k in base), None)
        if key is None:
            refs[name] = None
            continue
        # tox resolves "of" from the root of the file: in pyproject.toml, under tool.tox.
        ref: dict[str, Any] = {"replace": "ref", "of": [*prefix, "env_run_base", key]}
        if name == "set_env":
            # tox spreads an array of tables into the env's array with extend = true, but
            # takes a table as one entry.
            if isinstance(base[key], list):
                ref["extend"] = True
            elif not isinstance(base[key], dict):
                msg = (
                    f"{path}: {'.'.join((*prefix, 'env_run_base'))}.{key} must be a table or "
                    "an array of tables for compatrix to extend it in the generated envs"
                )
                raise OutputError(msg)
        else:
            ref["extend"] = True
        refs[name] = ref
    return refs


def _tables(plan: ToxPlan, refs: Mapping[str, dict[str, Any] | None]) -> dict[str, dict[str, Any]]:
    """Env name -> the content of its ``[env."NAME"]`` table, as data."""
    tables: dict[str, dict[str, Any]] = {}
    for suite in plan.suites:
        for env in suite.configured:
            table: dict[str, Any] = {}
            deps: list[Any] = list(suite.env_deps[env.name])
            if (ref := refs["deps"]) is not None:
                deps.insert(0, ref)
            table["deps"] = deps
            values = dict(suite.setenv_items)
            if env.prerelease:
                values.setdefault(*PRERELEASE_SETENV)
            if env.name in suite.constrained:
                # tox.toml substitutes {tox_root} where tox.ini has {toxinidir}.
                path = suite.constraints.replace("{toxinidir}", "{tox_root}")
                values.update(dict.fromkeys(CONSTRAINT_VARIABLES, path))
            if values:
                ref = refs["set_env"]
                table["set_env"] = values if ref is None else [ref, values]
            if suite.passenv_items:
                names: list[Any] = list(suite.passenv_items)
                if (ref := refs["pass_env"]) is not None:
                    names.insert(0, ref)
                table["pass_env"] = names
            tables[env.name] = table
    return tables


def _key(key: str) -> str:
    return key if _BARE_KEY_RE.match(key) else toml_string(key)


def _inline(value: Any) -> str:
    """A value as inline TOML (strings, booleans, lists and tables of them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    return bug(f"cannot write {value!r} as TOML")


def _envs_body(
    plan: ToxPlan, tables: Mapping[str, dict[str, Any]], prefix: tuple[str, ...]
) -> list[str]:
    body: list[str] = []
    head = ".".join((*prefix, "env"))
    for suite in plan.suites:
        body.append("")
        body.append(f"# {suite.comment}")
        for index, env in enumerate(suite.configured):
            if index:
                body.append("")
            body.append(f"[{head}.{toml_string(env.name)}]")
            for key, value in tables[env.name].items():
                if isinstance(value, list):
                    body.append(f"{key} = [")
                    body.extend(f"{_INDENT}{_inline(item)}," for item in value)
                    body.append("]")
                else:
                    body.append(f"{key} = {_inline(value)}")
    if body:
        body.append("")
    return body


def _env_list_body(suites: tuple[SuitePlan, ...]) -> list[str]:
    body: list[str] = []
    for suite in suites:
        body.append(f"# {suite.comment}")
        body.extend(f"{toml_string(env.name)}," for env in suite.envs)
    return body


# --- where things are ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Scan:
    """What the lexer found: multi-line strings, value brackets, comments, table headers."""

    ml_strings: list[tuple[int, int]]
    brackets: dict[int, int]
    """Offset of each ``[``/``{`` of a value -> offset of its closing bracket."""
    opens: list[int]
    closes: list[int]
    comments: list[tuple[int, int]]
    headers: list[int]
    """Offsets of table headers (``[table]``, ``[[array]]``)."""

    def in_string(self, offset: int) -> bool:
        index = bisect.bisect_right(self.ml_strings, (offset, sys.maxsize)) - 1
        return index >= 0 and self.ml_strings[index][0] < offset < self.ml_strings[index][1]

    def depth(self, offset: int) -> int:
        """How many value brackets are open at ``offset``."""
        return bisect.bisect_left(self.opens, offset) - bisect.bisect_left(self.closes, offset)

    def comment_start(self, offset: int) -> int | None:
        """The start of the comment ``offset`` is in, if any."""
        index = bisect.bisect_right(self.comments, (offset, sys.maxsize)) - 1
        if index >= 0 and self.comments[index][0] <= offset < self.comments[index][1]:
            return self.comments[index][0]
        return None


def line_end(text: str, offset: int) -> int:
    """The offset of the line ending after ``offset`` (the text's length if none)."""
    match = _EOL_CHAR_RE.search(text, offset)
    return match.start() if match else len(text)


def _at_line_start(text: str, offset: int) -> bool:
    """Only spaces and tabs stand between the start of the line and ``offset``."""
    index = offset - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in "\r\n"


def _string_end(text: str, start: int) -> tuple[int, bool]:
    """The offset after the string whose opening quote is at ``start``, and whether it is a
    multi-line string (whose closing quotes may be followed by up to two more of its own)."""
    quote = text[start]
    closing = quote * 3 if text.startswith(quote * 3, start) else quote
    i = start + len(closing)
    if quote == "'":  # a literal string: no escapes
        found = text.find(closing, i)
        i = len(text) if found < 0 else found
    else:
        while i < len(text) and not text.startswith(closing, i):
            i += 2 if text[i] == "\\" else 1
    if i >= len(text):
        return len(text), len(closing) == 3
    end = i + len(closing)
    while len(closing) == 3 and end - i < 5 and text.startswith(quote, end):
        end += 1
    return end, len(closing) == 3


def scan_toml(text: str) -> _Scan:
    """Lex a valid TOML document just enough to know what each offset is inside."""
    ml_strings: list[tuple[int, int]] = []
    brackets: dict[int, int] = {}
    comments: list[tuple[int, int]] = []
    headers: list[int] = []
    stack: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "#":
            end = line_end(text, i)
            comments.append((i, end))
            i = end
        elif char in "\"'":
            end, multiline = _string_end(text, i)
            if multiline:
                ml_strings.append((i, end))
            i = end
        elif char == "[" and not stack and _at_line_start(text, i):
            headers.append(i)
            i += 1
            while i < n and text[i] != "]":
                i = _string_end(text, i)[0] if text[i] in "\"'" else i + 1
            i += 2 if text.startswith("]]", i) else 1
        elif char in "[{":
            stack.append(i)
            i += 1
        elif char in "]}":
            if not stack:
                bug(f"unbalanced {char!r} at offset {i}")
            brackets[stack.pop()] = i
            i += 1
        else:
            i += 1
    return _Scan(
        ml_strings=ml_strings,
        brackets=brackets,
        opens=sorted(brackets),
        closes=sorted(brackets.values()),
        comments=comments,
        headers=headers,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Array:
    """The top-level ``env_list`` array: offsets of its brackets."""

    open: int
    close: int


_HEADER_RE = re.compile(r"\[[ \t]*(?P<name>[A-Za-z0-9_.\t -]+?)[ \t]*\]")


def table_span(text: str, scan: _Scan, prefix: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the keys of the table at ``prefix`` are written: the top level (before the first
    header) for ``()``, else from its ``[a.b]`` header to the next header; None when the
    file has no such header."""
    headers = scan.headers
    if not prefix:
        return (0, headers[0] if headers else len(text))
    wanted = ".".join(prefix)
    for index, offset in enumerate(headers):
        match = _HEADER_RE.match(text, offset)
        if match is None or text.startswith("[[", offset):
            continue
        if re.sub(r"[ \t]", "", match["name"]) == wanted:
            end = headers[index + 1] if index + 1 < len(headers) else len(text)
            return (line_end(text, offset), end)
    return None


def find_value(
    text: str, scan: _Scan, span: tuple[int, int] | None, key: re.Pattern[str]
) -> int | None:
    """Where the value of ``key`` (matched with its ``=``) starts, when a line of ``span``
    sets it at the top level of the table."""
    offset, stop = span if span is not None else (0, 0)
    while offset < stop:
        match = key.match(text, offset)
        if match is not None and not scan.in_string(offset) and scan.depth(offset) == 0:
            return match.end()
        offset = line_end(text, offset) + 1
    return None


def _find_env_list(doc: _Doc, data: Mapping[str, Any]) -> _Array | None:
    text, scan, path = doc.text, doc.scan, doc.path
    present = [key for key in _ENV_LIST_KEYS if key in data]
    if len(present) > 1:
        msg = f"{path}: sets both env_list and envlist; keep one"
        raise OutputError(msg)
    if not present:
        return None
    if not isinstance(data[present[0]], list):
        msg = f"{path}: {present[0]} must be an array for compatrix to add its envs to it"
        raise OutputError(msg)
    value = find_value(text, scan, table_span(text, scan, doc.prefix), _ROOT_KEY_RE)
    if value is not None and value in scan.brackets and text[value] == "[":
        return _Array(open=value, close=scan.brackets[value])
    where = (
        f"in the [{'.'.join(doc.prefix)}] table"
        if doc.prefix
        else "at the top level, before the first table"
    )
    msg = (
        f"{path}: cannot find where {present[0]} is set; write it as '{present[0]} = [...]' {where}"
    )
    raise OutputError(msg)


# --- editing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Doc:
    """The file being edited."""

    text: str
    lines: list[Line]
    offsets: list[int]
    """Offset of each line's first character."""
    scan: _Scan
    eol: str
    config: Config
    path: str
    prefix: tuple[str, ...]
    """Where tox's table is (``("tool", "tox")`` in pyproject.toml)."""

    def block(self, name: str, body: list[str], indent: str) -> list[str]:
        """A whole region as lines without endings: begin marker, body, end marker."""
        return region_lines(name, body, indent, self.config)

    def joined(self, lines: list[str]) -> str:
        return "".join(line + self.eol for line in lines)


def _fill(
    text: str,
    data: Mapping[str, Any],
    plan: ToxPlan,
    tables: Mapping[str, dict[str, Any]],
    *,
    config: Config,
    path: str,
    prefix: tuple[str, ...],
) -> str:
    lines = split_lines(text)
    offsets: list[int] = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line.text) + len(line.eol)
    scan = scan_toml(text)
    doc = _Doc(
        text=text,
        lines=lines,
        offsets=offsets,
        scan=scan,
        eol=detect_eol(text),
        config=config,
        path=path,
        prefix=prefix,
    )
    markers = [
        marker
        for index, line in enumerate(lines)
        if not scan.in_string(offsets[index])
        and (marker := find_marker(line.text, index)) is not None
    ]
    regions = pair_markers(markers, known=_KNOWN, path=path)
    array = _find_env_list(doc, data)

    env_list = _env_list_body(plan.suites)
    region = regions.get("env_list")
    if region is not None:
        _check_env_list_region(doc, region, array)
        first = _replace(doc, region, env_list)
    elif array is not None:
        first = _insert_into_array(doc, array, env_list)
    else:
        first = _new_env_list(doc, regions, env_list)

    envs = _envs_body(plan, tables, prefix)
    region = regions.get("envs")
    if region is not None:
        _check_envs_region(doc, region)
        edits = [first, _replace(doc, region, envs)]
    else:
        block = doc.joined(doc.block("envs", envs, ""))
        end = len(text)
        if first[0] == end:
            # Both go at the end: the env_list first, then the block.
            edits = [(end, end, _append(text + first[2], block, doc.eol)[end:])]
        else:
            edits = [first, (end, end, _append(text, block, doc.eol)[end:])]
    out: list[str] = []
    position = 0
    for start, stop, replacement in sorted(edits):
        if start < position:
            bug("overlapping edits")
        out.append(text[position:start])
        out.append(replacement)
        position = stop
    out.append(text[position:])
    return "".join(out)


def _append(text: str, block: str, eol: str) -> str:
    """``text`` followed by a blank line and ``block``."""
    if not text:
        return block
    if not text.endswith(("\n", "\r")):
        text += eol
    if split_lines(text)[-1].text.strip():
        text += eol
    return text + block


def _replace(doc: _Doc, region: Region, body: list[str]) -> tuple[int, int, str]:
    marker = doc.lines[region.begin].text
    indent = marker[: len(marker) - len(marker.lstrip())]
    block = doc.block(region.name, body, indent)
    end = doc.lines[region.end]
    start = doc.offsets[region.begin]
    stop = doc.offsets[region.end] + len(end.text) + len(end.eol)
    return (start, stop, doc.joined(block[:-1]) + block[-1] + end.eol)


def _check_env_list_region(doc: _Doc, region: Region, array: _Array | None) -> None:
    for index in (region.begin, region.end):
        offset = doc.offsets[index]
        if array is None or not array.open < offset < array.close or doc.scan.depth(offset) != 1:
            msg = (
                f"{doc.path}:{index + 1}: the 'env_list' region must be inside the top-level "
                "env_list array; move it there or remove both of its marker lines"
            )
            raise OutputError(msg)


def _check_envs_region(doc: _Doc, region: Region) -> None:
    for index in (region.begin, region.end):
        if doc.scan.depth(doc.offsets[index]) != 0:
            msg = (
                f"{doc.path}:{index + 1}: the 'envs' region must be at the top level of the "
                "file, not inside a value; move it or remove both of its marker lines"
            )
            raise OutputError(msg)
    headers = set(doc.scan.headers)
    for index in range(region.end + 1, len(doc.lines)):
        text = doc.lines[index].text
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if doc.offsets[index] + len(text) - len(text.lstrip()) not in headers:
            msg = (
                f"{doc.path}:{index + 1}: after the generated 'envs' region (ending on line "
                f"{region.end + 1}) the file must go on with a table header: this line would "
                "belong to the last generated table; move it above the region"
            )
            raise OutputError(msg)
        break


def _insert_into_array(doc: _Doc, array: _Array, body: list[str]) -> tuple[int, int, str]:
    """First run: the region goes after the array's own entries, before its ``]``."""
    text = doc.text
    last = array.close - 1
    while last > array.open:
        comment = doc.scan.comment_start(last)
        if comment is not None:
            last = comment - 1
        elif text[last] in " \t\r\n":
            last -= 1
        else:
            break
    comma = "" if last == array.open or text[last] == "," else ","
    inside = text[array.open : array.close]
    if "\n" not in inside and "\r" not in inside:
        # One line: "[a, b]" becomes "[", "a, b,", the region, "]".
        entries = inside[1:].strip()
        head = "[" + doc.eol + (_INDENT + entries + comma + doc.eol if entries else "")
        return (array.open, array.close, head + doc.joined(doc.block("env_list", body, _INDENT)))
    next_line = line_end(text, array.open)
    next_line += 2 if text.startswith("\r\n", next_line) else 1
    following = text[next_line : line_end(text, next_line)]
    indent = following[: len(following) - len(following.lstrip(" \t"))]
    if not following.strip() or following.strip().startswith("]"):
        indent = _INDENT
    block = doc.joined(doc.block("env_list", body, indent))
    close_line = max(text.rfind("\n", 0, array.close), text.rfind("\r", 0, array.close)) + 1
    if not text[close_line : array.close].strip(" \t"):
        # "]" on a line of its own: the region goes right before that line.
        return (last + 1, close_line, comma + text[last + 1 : close_line] + block)
    return (last + 1, array.close, comma + doc.eol + block)


def _new_env_list(
    doc: _Doc, regions: Mapping[str, Region], body: list[str]
) -> tuple[int, int, str]:
    """No env_list yet: add one at the top level, before the first table (and the comment
    lines directly above it); in pyproject.toml, first in the ``[tool.tox]`` table."""
    lines, eol = doc.lines, doc.eol
    new = "env_list = [" + eol + doc.joined(doc.block("env_list", body, _INDENT)) + "]" + eol
    if doc.prefix:
        span = table_span(doc.text, doc.scan, doc.prefix)
        if span is None:
            msg = (
                f"{doc.path}: compatrix adds env_list to the [{'.'.join(doc.prefix)}] table: "
                f"write that table header, or the env_list yourself"
            )
            raise OutputError(msg)
        position = span[0] + (2 if doc.text.startswith("\r\n", span[0]) else 1)
        return (position, position, new)
    candidates = list(doc.scan.headers)
    if "envs" in regions:
        candidates.append(doc.offsets[regions["envs"].begin])
    if candidates:
        index = bisect.bisect_right(doc.offsets, min(candidates)) - 1
        while index > 0 and lines[index - 1].text.strip().startswith("#"):
            index -= 1
        position = doc.offsets[index]
    else:
        index = len(lines)
        position = len(doc.text)
    prefix = ""
    if position == len(doc.text) and doc.text and not doc.text.endswith(("\n", "\r")):
        prefix = eol
    if index > 0 and lines[index - 1].text.strip():
        prefix += eol
    suffix = eol if index < len(lines) else ""
    return (position, position, prefix + new + suffix)


# --- checking ------------------------------------------------------------------------------


def _verify(
    text: str,
    plan: ToxPlan,
    tables: Mapping[str, dict[str, Any]],
    path: str,
    prefix: tuple[str, ...],
) -> None:
    """Read the result back and check it says what was meant."""
    try:
        data = _tox_table(tomllib.loads(text), prefix, path)
    except tomllib.TOMLDecodeError as exc:
        msg = (
            f"{path}: adding compatrix's regions would make the file invalid TOML ({exc}); "
            "check the tables and the env_list array around them"
        )
        raise OutputError(msg) from exc
    names = list(plan.env_names)
    env_list = next((data[k] for k in _ENV_LIST_KEYS if k in data), None)
    if not isinstance(env_list, list):
        bug(f"the rendered {path} has no env_list array")
    if names and not any(
        env_list[i : i + len(names)] == names for i in range(len(env_list) - len(names) + 1)
    ):
        bug(f"the rendered {path} does not list the generated envs in order")
    env_tables = data.get("env", {})
    for name, table in tables.items():
        if env_tables.get(name) != table:
            msg = (
                f"{path}: the generated env {name!r} is also configured outside compatrix's "
                "region; remove that configuration (compatrix owns the generated envs' tables)"
            )
            raise OutputError(msg)
