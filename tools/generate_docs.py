"""Generated parts of the documentation: the CLI reference (from the argument parser), and
the options reference and JSON schema (from the options declared on the config's
dataclass fields, ``compatrix._config._model``).

    python tools/generate_docs.py            # exit 1 and name the stale files
    python tools/generate_docs.py --write    # rewrite them (./dev docs)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from compatrix._config._fields import Option, Table, tables_of
from compatrix._config._load import CONFIG_TABLE
from compatrix._fs import read_text, write_files_atomically
from compatrix.errors import CompatrixError, OutputError

__all__ = [
    "OPTIONS_BEGIN",
    "OPTIONS_END",
    "SCHEMA_URL",
    "generated_docs",
    "json_schema",
    "main",
    "render_cli_reference",
    "render_options_reference",
    "sections",
]

BEGIN = "<!-- BEGIN generated: cli -->"
END = "<!-- END generated: cli -->"
OPTIONS_BEGIN = "<!-- BEGIN generated: options -->"
OPTIONS_END = "<!-- END generated: options -->"
REGENERATE = "./dev docs"
SCHEMA_URL = "https://raw.githubusercontent.com/compatrix/compatrix/main/docs/compatrix.schema.json"

# --- the options reference and the JSON schema ---------------------------------------------

_INTROS = {
    "the top level": "Keys at the top of `compatrix.toml` (directly in `[tool.compatrix]`).",
    "[defaults]": (
        "Selection policies of every suite; a suite's table overrides them for that suite."
    ),
    "[suites.NAME]": "One table per test suite; `NAME` follows the rules under [Suites](#suites).",
    "[suites.NAME.services.NAME]": (
        "A service container of a suite's CI jobs (GitHub Actions `services`)."
    ),
}
"""A section's introduction; otherwise it is the help of the key holding the table."""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One table of the config as the documents show it."""

    title: str
    """``the top level``, ``[index]``, ``[suites.NAME]``, ..."""
    table: Table
    holder: Option | None
    """The key whose value the table is (None for the top level)."""

    @property
    def inline(self) -> bool:
        """Written out where it is used (``[index]``), not a schema definition."""
        return self.holder is None or isinstance(self.holder.kind, Table)


def sections() -> tuple[Section, ...]:
    """Every table of the config, in the order the reference shows them."""
    return tuple(
        Section(title=title, table=table, holder=holder)
        for title, table, holder in tables_of(CONFIG_TABLE)
    )


def _toml_literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = (f"{json.dumps(k)} = {_toml_literal(v)}" for k, v in value.items())
        return "{ " + ", ".join(items) + " }"
    raise TypeError(value)


def _toml_default(option: Option) -> object:
    """The default as a TOML value; None when there is none to write."""
    if option.default is dataclasses.MISSING or option.default is None:
        return None
    return option.kind.toml(option.default)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default_cell(option: Option) -> str:
    if option.required:
        return "required"
    if option.default_doc is not None:
        return option.default_doc
    default = _toml_default(option)
    return "none" if default is None else f"`{_toml_literal(default)}`"


def render_options_reference() -> str:
    """The options reference: one Markdown table per table of the config."""
    lines: list[str] = []
    all_sections = sections()
    for section in all_sections:
        title = "Top level" if section.holder is None else f"`{section.title}`"
        intro = _INTROS.get(section.title) or (section.holder.help if section.holder else "")
        lines += [f"### {title}", "", intro, ""]
        lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
        table = section.table
        embedded = [option for option in table.options if option.owner is not table.cls]
        for option in table.options:
            if option.kind.section or option in embedded:
                continue
            cells = (
                f"`{option.key}`",
                _cell(option.kind.doc()),
                _cell(_default_cell(option)),
                _cell(option.help),
            )
            lines.append("| " + " | ".join(cells) + " |")
        if embedded:
            (owner,) = {option.owner for option in embedded}
            where = next(s.title for s in all_sections if s.table.cls is owner)
            keys = ", ".join(f"`{option.key}`" for option in embedded)
            lines += ["", f"A suite may also set every `{where}` key ({keys})."]
        lines.append("")
    return "\n".join(lines)


def _json_value(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _json_value(item) for key, item in value.items()}
    return value


def table_schema(table: Table) -> dict[str, Any]:
    """The JSON schema of a table: its options, with their help and defaults."""
    properties: dict[str, Any] = {}
    for option in table.options:
        kind = option.kind
        schema = table_schema(kind) if isinstance(kind, Table) else kind.schema()
        schema["description"] = option.help
        default = None if kind.section else _toml_default(option)
        if default is not None:
            schema["default"] = _json_value(default)
        properties[option.key] = schema
    result: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    required = [option.key for option in table.options if option.required]
    if required:
        result["required"] = required
    return result


def json_schema() -> dict[str, Any]:
    """The JSON schema of ``compatrix.toml`` (and of ``[tool.compatrix]``)."""
    definitions = {
        section.table.cls.__name__.lower(): table_schema(section.table)
        for section in sections()
        if not section.inline
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_URL,
        "title": "compatrix configuration",
        "description": "compatrix.toml, or [tool.compatrix] in pyproject.toml.",
        **table_schema(CONFIG_TABLE),
        "definitions": definitions,
    }


def _replace_region(path: Path, begin: str, end: str, content: str) -> str:
    """The text of ``path`` with what is between its markers ``begin`` and ``end``
    replaced by ``content``."""
    text = read_text(path)
    if text is None:
        msg = f"{path} does not exist"
        raise OutputError(msg)
    start, stop = text.find(begin), text.find(end)
    if start < 0 or stop < start:
        msg = f"{path} lacks the markers {begin} and {end}"
        raise OutputError(msg)
    return f"{text[:start]}{begin}\n\n{content}\n{text[stop:]}"


# --- the CLI reference ---------------------------------------------------------------------


def _flags(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest.upper()}`"
    names = ", ".join(f"`{name}`" for name in action.option_strings)
    if action.nargs == 0:
        return names
    metavar = action.metavar or (
        "{" + ",".join(action.choices) + "}" if action.choices else action.dest.upper()
    )
    return f"{names} `{metavar}`"


def _help(action: argparse.Action) -> str:
    text = (action.help or "").replace("%%", "%").replace("|", "\\|")  # argparse %-escapes
    if action.choices and action.option_strings:
        text = f"one of {', '.join(f'`{c}`' for c in action.choices)}"
        if action.default not in (None, argparse.SUPPRESS):
            text += f" (default `{action.default}`)"
    elif (
        action.nargs != 0
        and action.default not in (None, argparse.SUPPRESS, [], False)
        and "(default" not in text  # the help may say it in its own words
    ):
        text += f" (default `{action.default}`)"
    if isinstance(action, argparse._AppendAction):
        text += "; repeatable"
    return text


def _table(actions: Sequence[argparse.Action]) -> list[str]:
    rows = ["| argument | meaning |", "|---|---|"]
    rows += [f"| {_flags(a)} | {_help(a)} |" for a in actions]
    return rows


def render_cli_reference() -> str:
    """Markdown for every command, from :func:`compatrix._cli.build_parser`."""
    from compatrix._cli import build_parser  # noqa: PLC0415

    parser = build_parser()
    lines = ["### Options of every command", ""]
    common = [
        a
        for a in parser._actions
        if a.option_strings and a.dest not in {"help", "version"} and a.dest != "command"
    ]
    lines += [
        (
            "They may be given before or after the command (`compatrix -v update` or "
            "`compatrix update -v`)."
        ),
        "",
        *_table(common),
        "",
    ]
    common_dests = {a.dest for a in common} | {"help"}
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in subparsers.choices.items():
        lines += [f"### `compatrix {name}`", "", command.description or "", ""]
        # A fixed width: the terminal's must not change the document.
        formatter = argparse.HelpFormatter(command.prog, width=88)
        formatter.add_usage(
            command.usage, command._actions, command._mutually_exclusive_groups, prefix=""
        )
        usage = formatter.format_help().strip()
        lines += ["```", usage, "```", ""]
        own = [a for a in command._actions if a.dest not in common_dests]
        if own:
            lines += [*_table(own), ""]
    return "\n".join(lines).rstrip() + "\n"


def generated_docs(docs: Path) -> dict[Path, str]:
    """Every generated document in ``docs`` with the content it should have."""
    config_md = docs / "config.md"
    options = _replace_region(config_md, OPTIONS_BEGIN, OPTIONS_END, render_options_reference())
    cli_md = docs / "cli.md"
    return {
        config_md: options,
        docs / "compatrix.schema.json": json.dumps(json_schema(), indent=2, ensure_ascii=False)
        + "\n",
        cli_md: _replace_region(cli_md, BEGIN, END, render_cli_reference()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tools/generate_docs.py",
        description="Check or rewrite the generated parts of the documentation.",
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "docs",
        help="default: docs",
    )
    parser.add_argument("--write", action="store_true", help="rewrite stale files")
    args = parser.parse_args(argv)
    try:
        wanted = generated_docs(args.docs)
        stale = [path for path, text in wanted.items() if read_text(path) != text]
        if args.write:
            write_files_atomically(wanted)
    except CompatrixError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exc.exit_code
    for path in stale:
        sys.stderr.write(f"{'updated' if args.write else 'out of date'}: {path}\n")
    if stale and not args.write:
        sys.stderr.write(f"run: {REGENERATE}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
