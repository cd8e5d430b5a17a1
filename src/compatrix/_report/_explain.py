"""``compatrix explain``: every release of a suite's package, picked or not and why."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.markup import escape as markup_escape
from rich.table import Table
from rich.text import Text

from compatrix._lock import as_of_text
from compatrix._selection import pick_verdicts, suite_considered
from compatrix._text import visible
from compatrix._time import format_time

if TYPE_CHECKING:
    from rich.console import RenderableType

    from compatrix._config import Config
    from compatrix._lock import EnvResolution, Lock
    from compatrix._selection import Pick, SuiteMatrix

__all__ = ["explain_data", "explain_json", "explain_table"]


def explain_data(config: Config, suite_matrix: SuiteMatrix, lock: Lock) -> dict[str, object]:
    """The explanation as plain data (the JSON output, documented in docs/cli.md)."""
    suite = suite_matrix.suite
    selection = suite_matrix.selection
    facts = lock.packages.get(suite.package)
    return {
        "suite": suite.name,
        "package": suite.package,
        "requirement": suite.requirement,
        "as-of": as_of_text(lock.as_of) if lock.as_of else None,
        "reference-time": format_time(lock.reference_time(suite.package)) if facts else None,
        "releases-from": str(facts.releases_from) if facts and facts.releases_from else None,
        "picks": [_pick_data(pick) for pick in selection.picks],
        "latest": str(selection.latest.version) if selection.latest else None,
        "envs": [env.name for env in suite_matrix.envs],
        "aliases": [env.name for env in suite_matrix.aliases],
        "releases": [
            {
                "version": item.version,
                "uploaded": format_time(item.uploaded) if item.uploaded else None,
                "picked": item.picked,
                "reason": item.reason,
                "detail": item.detail,
            }
            for item in suite_considered(config, lock, suite_matrix)
        ],
        "notes": list(selection.notes),
        "resolutions": {
            name: {
                "python": record.python,
                "version": record.version,
                "status": record.status,
                "cut": record.cut.isoformat() if record.cut else None,
                "why": record.why,
                "pins": list(record.pins),
                "reason": record.reason,
            }
            for name, record in _resolutions(suite_matrix, lock)
        },
        "warnings": list(selection.warnings),
    }


def _resolutions(suite_matrix: SuiteMatrix, lock: Lock) -> list[tuple[str, EnvResolution]]:
    """The lock's records of the suite's envs, by env name (those found not installable,
    which are not envs any more, included)."""
    name = suite_matrix.suite.name
    return sorted((e, r) for e, r in lock.resolutions.items() if r.suite == name)


def _pins_line(env: str, record: EnvResolution) -> str:
    day = record.cut.isoformat() if record.cut else "today"
    if record.status != "ok":
        return f"{env}: not installable as of {day}: {record.reason}"
    return f"{env}: {len(record.pins)} pins, the index as of {day} ({record.why})"


def _pick_data(pick: Pick) -> dict[str, object]:
    return {
        "version": str(pick.version),
        "uploaded": format_time(pick.uploaded) if pick.uploaded else None,
        "roles": list(pick.roles),
        "pythons": [str(p) for p in pick.pythons],
        "verdicts": [
            {
                "python": str(v.python),
                "supported": v.supported,
                "tested": v.tested,
                "evidence": list(v.evidence),
            }
            for v in pick_verdicts(pick)
        ],
    }


def explain_json(config: Config, suite_matrix: SuiteMatrix, lock: Lock) -> str:
    data = explain_data(config, suite_matrix, lock)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def escape(text: str) -> str:
    """``text`` for a rich cell: markup escaped, terminal controls made visible."""
    return markup_escape(visible(text))


def explain_table(config: Config, suite_matrix: SuiteMatrix, lock: Lock) -> list[RenderableType]:
    """Renderables: a heading, the releases table, then each pick's Pythons and evidence."""
    suite = suite_matrix.suite
    selection = suite_matrix.selection
    considered = suite_considered(config, lock, suite_matrix)
    records = _resolutions(suite_matrix, lock)
    picked = sum(1 for item in considered if item.picked)
    heading = Text.assemble(
        (suite.name, "bold"),
        f" ({suite.requirement}): {len(considered)} releases, {picked} picked, "
        f"{len(suite_matrix.envs)} envs",
    )
    if lock.as_of is not None:
        heading.append(f"; index as of {as_of_text(lock.as_of)}")
    facts = lock.packages.get(suite.package)
    if facts is not None and facts.releases_from is not None:
        heading.append(
            f"; releases below {facts.releases_from} (the lowest min-version) are not recorded"
        )
    out: list[RenderableType] = [heading]
    releases = Table(header_style="bold", show_edge=False, pad_edge=False)
    releases.add_column("version")
    releases.add_column("uploaded")
    releases.add_column("status")
    releases.add_column("detail", overflow="fold")
    for item in considered:
        status = "[green]picked[/green]" if item.picked else escape(item.reason or "")
        releases.add_row(
            escape(item.version),
            item.uploaded.date().isoformat() if item.uploaded else "-",
            status,
            escape(item.detail),
        )
    out.append(releases)
    for pick in selection.picks:
        table = Table(
            title=f"{suite.name} {pick.version} ({', '.join(pick.roles)})",
            title_justify="left",
            header_style="bold",
            show_edge=False,
            pad_edge=False,
        )
        table.add_column("Python")
        table.add_column("verdict")
        table.add_column("evidence", overflow="fold")
        for verdict in pick_verdicts(pick):
            if verdict.tested:
                label = "[green]tested[/green]"
            elif verdict.supported:
                label = "supported"
            else:
                label = "[red]no[/red]"
            table.add_row(str(verdict.python), label, escape("; ".join(verdict.evidence)))
        out.append(Text(""))
        out.append(table)
        version = str(pick.version)
        for env, record in records:
            if record.version == version:
                out.append(Text(visible(_pins_line(env, record))))
    for note in selection.notes:
        out.append(Text(f"note: {visible(note)}"))
    for warning in selection.warnings:
        out.append(Text(f"warning: {visible(warning)}", style="yellow"))
    return out
