"""Render the matrix into tox.ini: generated regions inside the user's own file.

compatrix owns four regions, each inside an ini value (tox ignores full-line ``#`` comments
inside multi-line values, so the markers can live there):

- ``env_list`` in ``[tox] env_list`` (or ``envlist``): the generated env names;
- ``deps`` in ``[testenv] deps``: the package pin of each env and the suites' ``deps`` rules;
- ``set_env`` in ``[testenv] set_env`` (or ``setenv``): the test path and each suite's setenv;
- ``pass_env`` in ``[testenv] pass_env`` (or ``passenv``): only when a suite has passenv.

Every byte outside the regions is kept as it is. A file without markers gets them: missing
sections and keys are created, an existing value gets the region after its own entries.
The file is read the way tox reads it (``configparser``), line by line, to know which value
each line belongs to.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field

from compatrix._config import Config
from compatrix._render._factors import ConditionalLine, ToxPlan, build_plan
from compatrix._render._regions import (
    Line,
    Region,
    bug,
    detect_eol,
    find_marker,
    join_lines,
    pair_markers,
    region_lines,
    split_lines,
)
from compatrix._render._templates import render_template
from compatrix._selection import Matrix
from compatrix.errors import OutputError

__all__ = ["TOX_INI_MINIMUM", "render_tox_ini"]

TOX_INI_MINIMUM = "4.26"
"""The oldest tox that reads a generated tox.ini right: ``py3.14t`` factors need 4.26."""

_INDENT = "    "
_ESCAPED_HASH = "\\#"
_SECTCRE = configparser.RawConfigParser.SECTCRE
_OPTCRE = configparser.RawConfigParser.OPTCRE
_NONSPACECRE = re.compile(r"\S")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Spec:
    name: str
    section: str
    keys: tuple[str, ...]
    """Accepted spellings of the key: tox 4's first, then the older one."""
    optional: bool = False


_SPECS = (
    _Spec(name="env_list", section="tox", keys=("env_list", "envlist")),
    _Spec(name="deps", section="testenv", keys=("deps",)),
    _Spec(name="set_env", section="testenv", keys=("set_env", "setenv")),
    _Spec(name="pass_env", section="testenv", keys=("pass_env", "passenv"), optional=True),
)
_LEGACY_KEYS = frozenset({"envlist", "setenv", "passenv"})


@dataclass(eq=False, slots=True, kw_only=True)
class _Option:
    section: str
    name: str
    """Lowercased, as configparser and tox see it."""
    key_line: int
    indent: str
    last_line: int
    """The key line, or its last continuation line."""
    first_continuation: int | None = None


@dataclass(eq=False, slots=True, kw_only=True)
class _Section:
    name: str
    last_line: int
    options: dict[str, _Option] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class _Structure:
    sections: dict[str, _Section]
    first_header: int | None
    owner: list[_Option | None]
    """For each line, the option whose value it may belong to (None outside any option)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Edit:
    start: int
    stop: int
    """Replace lines ``start:stop`` (an insertion when equal)."""
    priority: int
    """Order of edits at the same position: values first, then new keys, then sections."""
    lines: tuple[Line, ...]


def render_tox_ini(
    existing: str | None, matrix: Matrix, config: Config, *, path: str = "tox.ini"
) -> str:
    """The full text of tox.ini: ``existing`` with compatrix's regions brought up to date.

    ``existing`` is None when there is no tox.ini yet: a small skeleton is created. Raises
    :class:`~compatrix.errors.OutputError` when the file cannot be parsed or its markers are
    broken (the message names the file and line).
    """
    plan = build_plan(matrix, config)
    if existing is None:
        existing = render_template(
            "tox.ini.j2",
            tox_minimum=TOX_INI_MINIMUM,
            test_path_variable=plan.test_path_variable,
        )
    bodies = _bodies(plan)
    try:
        parsed = _parse(existing, path)
    except configparser.Error as exc:
        msg = f"{path}: cannot read it as an ini file: {exc}"
        raise OutputError(msg) from exc
    result = _fill(existing, bodies, config, path)
    # A file that comes out as it was is checked on the reading of it made above.
    _verify(result, bodies, path, parsed=parsed if result == existing else None)
    return result


def _bodies(plan: ToxPlan) -> dict[str, list[str]]:
    """Region name -> its lines (without indentation); pass_env only when wanted."""
    bodies: dict[str, list[str]] = {spec.name: [] for spec in _SPECS}
    for suite in plan.suites:
        bodies["env_list"].append(f"# {suite.comment}")
        bodies["env_list"].extend(env.name for env in suite.envs)
        for name, lines in (
            ("deps", suite.deps),
            ("set_env", suite.setenv),
            ("pass_env", suite.passenv),
        ):
            if lines:
                bodies[name].append(f"# {suite.name}")
                bodies[name].extend(_conditional(line) for line in lines)
    return bodies


def _conditional(line: ConditionalLine) -> str:
    # tox cuts everything from a "#" on as a comment unless it is escaped.
    value = line.value.replace("#", _ESCAPED_HASH)
    return f"{line.condition}: {value}"


def _parse(text: str, path: str) -> configparser.ConfigParser:
    """``text`` read the way tox reads it (raises :class:`configparser.Error`)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text.removeprefix("\ufeff"), source=path)
    return parser


def _scan(lines: list[Line]) -> _Structure:
    """Which section and option each line belongs to, following configparser's rules."""
    sections: dict[str, _Section] = {}
    owner: list[_Option | None] = []
    first_header: int | None = None
    section: _Section | None = None
    option: _Option | None = None
    indent_level = 0
    for index, line in enumerate(lines):
        raw = line.text.removeprefix("\ufeff") if index == 0 else line.text
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            owner.append(option)
            continue
        match = _NONSPACECRE.search(raw)
        indent = match.start() if match else 0
        if section is not None and option is not None and indent > indent_level:
            option.last_line = index
            if option.first_continuation is None:
                option.first_continuation = index
            section.last_line = index
            owner.append(option)
            continue
        indent_level = indent
        header = _SECTCRE.match(stripped)
        if header is not None:
            name = header.group("header")
            if first_header is None:
                first_header = index
            section = _Section(name=name, last_line=index)
            sections.setdefault(name, section)
            option = None
            owner.append(None)
            continue
        found = _OPTCRE.match(stripped)
        if section is None or found is None:
            bug(f"line {index + 1} passed configparser but is neither a section nor an option")
        option = _Option(
            section=section.name,
            name=found.group("option").rstrip().lower(),
            key_line=index,
            indent=raw[:indent],
            last_line=index,
        )
        section.options.setdefault(option.name, option)
        section.last_line = index
        owner.append(option)
    return _Structure(sections=sections, first_header=first_header, owner=owner)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Doc:
    """The file being edited and what goes into it."""

    lines: list[Line]
    structure: _Structure
    bodies: dict[str, list[str]]
    config: Config
    eol: str
    path: str
    legacy: bool
    """The file spells keys the older way (``envlist``, ``setenv``, ``passenv``): new keys
    are spelled the same way."""

    def new_keys(self, specs: list[_Spec]) -> list[Line]:
        """Keys to add to a section, each holding its whole region."""
        lines: list[Line] = []
        for spec in specs:
            key = spec.keys[-1] if self.legacy else spec.keys[0]
            lines.append(Line(f"{key} =", self.eol))
            lines.extend(self.block(spec.name, _INDENT))
        return lines

    def block(self, name: str, indent: str) -> list[Line]:
        """A whole region: begin marker, body, end marker."""
        lines = region_lines(name, self.bodies[name], indent, self.config)
        return [Line(text, self.eol) for text in lines]


def _fill(text: str, bodies: dict[str, list[str]], config: Config, path: str) -> str:
    """``text``, which reads as an ini file, with the regions' ``bodies`` filled in."""
    lines = split_lines(text)
    structure = _scan(lines)
    doc = _Doc(
        lines=lines,
        structure=structure,
        bodies=bodies,
        config=config,
        eol=detect_eol(text),
        path=path,
        legacy=any(
            name in _LEGACY_KEYS
            for section in structure.sections.values()
            for name in section.options
        ),
    )
    markers = [
        marker
        for index, line in enumerate(lines)
        if (marker := find_marker(line.text, index)) is not None
    ]
    regions = pair_markers(markers, known=[spec.name for spec in _SPECS], path=path)

    edits: list[_Edit] = []
    missing_keys: dict[str, list[_Spec]] = {}
    for spec in _SPECS:
        option = _find_option(doc, spec)
        region = regions.get(spec.name)
        if region is not None:
            edits.append(_replace_region(doc, region, spec))
        elif spec.optional and not bodies[spec.name]:
            continue
        elif option is None:
            missing_keys.setdefault(spec.section, []).append(spec)
        else:
            edits.append(_extend_value(doc, option, spec))

    # Where each section's content ends, a region at the end of its last value included.
    ends = {name: section.last_line for name, section in doc.structure.sections.items()}
    for region in regions.values():
        owner = doc.structure.owner[region.begin]
        if owner is not None:
            ends[owner.section] = max(ends[owner.section], region.end)

    new_sections: list[tuple[str, list[_Spec]]] = []
    for section_name, specs in missing_keys.items():
        if section_name not in ends:
            new_sections.append((section_name, specs))
            continue
        position = ends[section_name] + 1
        block = tuple(doc.new_keys(specs))
        edits.append(_Edit(start=position, stop=position, priority=1, lines=block))
    if new_sections:
        edits.append(_new_sections(doc, new_sections, ends))
    return join_lines(_apply(lines, edits, doc.eol))


def _find_option(doc: _Doc, spec: _Spec) -> _Option | None:
    """Where the spec's key is set, refusing two spellings of one key."""
    section = doc.structure.sections.get(spec.section)
    if section is None:
        return None
    found = sorted(
        (section.options[key] for key in spec.keys if key in section.options),
        key=lambda option: option.key_line,
    )
    if len(found) > 1:
        msg = (
            f"{doc.path}:{found[1].key_line + 1}: [{spec.section}] sets both "
            f"{found[0].name!r} (line {found[0].key_line + 1}) and {found[1].name!r}; keep one"
        )
        raise OutputError(msg)
    return found[0] if found else None


def _replace_region(doc: _Doc, region: Region, spec: _Spec) -> _Edit:
    owner = doc.structure.owner
    option = owner[region.begin]
    if option is None:
        problem = "it is outside any value"
    elif option is not owner[region.end]:
        problem = f"it ends on line {region.end + 1}, in another value"
    elif option.section != spec.section or option.name not in spec.keys:
        problem = f"it is in {option.name} of [{option.section}]"
    else:
        problem = ""
    if option is None or problem:
        msg = (
            f"{doc.path}:{region.begin + 1}: the {spec.name!r} region must be inside the value "
            f"of {spec.keys[0]} in [{spec.section}], but {problem}; move it there or remove "
            "both of its marker lines"
        )
        raise OutputError(msg)
    marker_text = doc.lines[region.begin].text
    marker_indent = marker_text[: len(marker_text) - len(marker_text.lstrip())]
    indent = marker_indent if len(marker_indent) > len(option.indent) else option.indent + _INDENT
    block = doc.block(spec.name, indent)
    block[-1] = Line(block[-1].text, doc.lines[region.end].eol)
    return _Edit(start=region.begin, stop=region.end + 1, priority=0, lines=tuple(block))


def _extend_value(doc: _Doc, option: _Option, spec: _Spec) -> _Edit:
    """The region goes after the value's own entries; a one-line value becomes multi-line."""
    if option.first_continuation is not None:
        first = doc.lines[option.first_continuation].text
        indent = first[: len(first) - len(first.lstrip())]
        position = option.last_line + 1
        block = doc.block(spec.name, indent)
        return _Edit(start=position, stop=position, priority=0, lines=tuple(block))
    block = doc.block(spec.name, option.indent + _INDENT)
    key_line = doc.lines[option.key_line]
    stripped = key_line.text.strip()
    found = _OPTCRE.match(stripped)
    if found is None:
        bug(f"option line {option.key_line + 1} does not parse")
    value = found.group("value").strip()
    if not value:
        position = option.key_line + 1
        return _Edit(start=position, stop=position, priority=0, lines=tuple(block))
    # "key = a, b" -> "key =", then "a, b" on a line of its own, then the region.
    key_part = stripped[: found.start("value")].rstrip()
    leading = key_line.text[: len(key_line.text) - len(key_line.text.lstrip())]
    rewritten = [
        Line(leading + key_part, doc.eol),
        Line(option.indent + _INDENT + value, doc.eol),
        *block,
    ]
    rewritten[-1] = Line(rewritten[-1].text, key_line.eol or doc.eol)
    return _Edit(
        start=option.key_line, stop=option.key_line + 1, priority=0, lines=tuple(rewritten)
    )


def _new_sections(
    doc: _Doc, sections: list[tuple[str, list[_Spec]]], ends: dict[str, int]
) -> _Edit:
    """Missing ``[tox]``/``[testenv]`` sections: ``[tox]`` goes before the first section,
    ``[testenv]`` right after ``[tox]``; both are separated from their neighbours by a
    blank line."""
    structure = doc.structure
    lines = doc.lines
    eol = doc.eol
    if "tox" in ends:
        position = ends["tox"] + 1
    elif structure.first_header is not None:
        position = structure.first_header
    else:
        position = len(lines)
    block: list[Line] = []
    for section_name, specs in sections:
        if block:
            block.append(Line("", eol))
        block.append(Line(f"[{section_name}]", eol))
        block.extend(doc.new_keys(specs))
    if position > 0 and lines[position - 1].text.strip():
        block.insert(0, Line("", eol))
    if position < len(lines) and lines[position].text.strip():
        block.append(Line("", eol))
    return _Edit(start=position, stop=position, priority=2, lines=tuple(block))


def _apply(lines: list[Line], edits: list[_Edit], eol: str) -> list[Line]:
    out: list[Line] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.priority)):
        if edit.start < position:
            bug(f"overlapping edits at line {edit.start + 1}")
        out.extend(lines[position : edit.start])
        if edit.lines and out and not out[-1].eol:
            # Lines are added after the last line, which had no line ending.
            out[-1] = Line(out[-1].text, eol)
        out.extend(edit.lines)
        position = edit.stop
    out.extend(lines[position:])
    return out


def _verify(
    text: str,
    bodies: dict[str, list[str]],
    path: str,
    *,
    parsed: configparser.ConfigParser | None = None,
) -> None:
    """Read the result back as tox would (``parsed``: as it was read already) and check
    every generated line is in its value."""
    parser = parsed
    if parser is None:
        try:
            parser = _parse(text, path)
        except configparser.Error as exc:
            bug(f"the rendered {path} does not parse: {exc}")
    for spec in _SPECS:
        entries = [line for line in bodies[spec.name] if not line.startswith("#")]
        section = parser[spec.section] if parser.has_section(spec.section) else {}
        key = next((k for k in spec.keys if k in section), None)
        if key is None:
            if entries or not spec.optional:
                bug(f"the rendered {path} lacks {spec.keys[0]} in [{spec.section}]")
            continue
        values = [value.strip() for value in section[key].splitlines()]
        start = 0
        for entry in entries:
            try:
                start = values.index(entry, start) + 1
            except ValueError:
                bug(f"the rendered {path} lacks {entry!r} in {key} of [{spec.section}]")
