"""Generated parts of the documentation: the CLI reference (from the argument parser) and
the options reference and JSON schema (from the option declarations).

    python tools/generate_docs.py            # exit 1 and name the stale files
    python tools/generate_docs.py --write    # rewrite them (./dev docs)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from compatrix._fs import read_text, write_files_atomically
from compatrix.errors import CompatrixError, OutputError

__all__ = ["generated_docs", "main", "render_cli_reference"]

BEGIN = "<!-- BEGIN generated: cli -->"
END = "<!-- END generated: cli -->"
REGENERATE = "./dev docs"


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
    text = (action.help or "").replace("|", "\\|")
    if action.choices and action.option_strings:
        text = f"one of {', '.join(f'`{c}`' for c in action.choices)}"
        if action.default not in (None, argparse.SUPPRESS):
            text += f" (default `{action.default}`)"
    elif action.nargs != 0 and action.default not in (None, argparse.SUPPRESS, [], False):
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
    from compatrix._config._options import generated_files  # noqa: PLC0415

    out = dict(generated_files(docs))
    reference = docs / "cli.md"
    text = read_text(reference)
    if text is None:
        msg = f"{reference} does not exist"
        raise OutputError(msg)
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin:
        msg = f"{reference} lacks the markers {BEGIN} and {END}"
        raise OutputError(msg)
    out[reference] = f"{text[:begin]}{BEGIN}\n\n{render_cli_reference()}\n{text[end:]}"
    return out


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
