"""What a compare_outputs.py run exercised, counted from the head tree's dumps.

The counts come from the outputs themselves (explain and matrix JSON, report JSON, the
warnings on standard error, the exit statuses), so they show what compatrix did with the
workload, not what the generator meant it to do; the generator's own counts of the inputs
are printed next to them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any


def _shape(text: str) -> str:
    """A line with its particulars blanked out: what kind of evidence or warning it is."""
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"\([^)]*\)", "(…)", text)
    text = re.sub(r"\bof [\w.\[\],-]+", "of NAME", text)
    return re.sub(r"\d+(?:[.!]\d+)*(?:[a-z]+\d*)?", "N", text)


def step_kind(name: str) -> str:
    """The kind of step a dump belongs to: its label without the position and the suite."""
    label = re.sub(r"^\d+-", "", name.rsplit(".", 1)[0])
    if label.startswith("explain-") and label != "explain-unknown-suite":
        return "explain --format json" if label.endswith("-json") else "explain"
    if label.startswith("matrix-group-"):
        return "matrix --group" + (" --format json" if label.endswith("-json") else "")
    return label


def coverage(dumps: Path) -> dict[str, Counter[str]]:
    """Counters of what the dumps show: totals, pick roles, skip reasons, kinds of
    evidence and warning, exit statuses per step, report changes."""
    found: dict[str, Counter[str]] = {
        name: Counter()
        for name in ("totals", "roles", "reasons", "evidence", "warnings", "exit", "report")
    }
    for path in sorted(dumps.rglob("*")):
        name = path.name
        if name.endswith(".exit"):
            found["exit"][f"{step_kind(name)}: {path.read_text().strip()}"] += 1
        elif name.endswith(".stderr"):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("warning:"):
                    found["totals"]["warnings printed"] += 1
                    found["warnings"][_shape(line.split(": ", 2)[-1])] += 1
        elif name.endswith("-json.stdout") and "-explain-" in name:
            _explain_coverage(json.loads(path.read_text(encoding="utf-8")), found)
        elif name.endswith("-json.stdout") and "-report-" in name and path.stat().st_size:
            for suite in json.loads(path.read_text(encoding="utf-8"))["suites"]:
                found["report"][f"suite {suite['status']}"] += 1
                for change in suite["changes"]:
                    found["report"][f"{change['change']}: {change['reason']}"] += 1
        elif name.endswith("-matrix-json.stdout"):
            entries = json.loads(path.read_text(encoding="utf-8"))["include"]
            found["totals"]["matrix JSON entries"] += len(entries)
            found["totals"]["envs in matrix JSON"] += sum(
                len(e["envs"].split(",")) for e in entries
            )
    return found


def _explain_coverage(data: dict[str, Any], found: dict[str, Counter[str]]) -> None:
    """Counts from one ``explain --format json``."""
    totals = found["totals"]
    totals["suites explained"] += 1
    totals["releases explained"] += len(data["releases"])
    totals["picks"] += len(data["picks"])
    totals["envs"] += len(data["envs"])
    totals["free-threaded envs"] += sum(1 for env in data["envs"] if env.split("-")[0][-1] == "t")
    if not data["picks"]:
        totals["suites without a pick"] += 1
    if data["as-of"]:
        totals["suites explained with as-of"] += 1
    for pick in data["picks"]:
        for role in pick["roles"]:
            found["roles"][role] += 1
        for verdict in pick["verdicts"]:
            totals["verdicts"] += 1
            if verdict["python"].endswith("t"):
                totals["free-threaded verdicts"] += 1
            for line in verdict["evidence"]:
                found["evidence"][_shape(line)] += 1
    for release in data["releases"]:
        if release["reason"] is not None:
            found["reasons"][release["reason"]] += 1
    totals["warnings in explain"] += len(data["warnings"])


def print_coverage(found: dict[str, Counter[str]], facts: Counter[str]) -> None:
    """The counters, and the generator's counts of the inputs it made."""
    print("\ncoverage of the workload (head tree's outputs)")
    for section in ("totals", "roles", "reasons", "exit", "report"):
        items = sorted(found[section].items())
        print(f"  {section}: " + ", ".join(f"{key} {count}" for key, count in items))
    print(f"  kinds of evidence: {len(found['evidence'])} distinct; the most frequent:")
    for key, count in found["evidence"].most_common(25):
        print(f"    {count:7d}  {key}")
    print(f"  kinds of warning: {len(found['warnings'])} distinct")
    for key, count in found["warnings"].most_common(12):
        print(f"    {count:7d}  {key}")
    print(
        "  generated inputs: " + ", ".join(f"{key} {count}" for key, count in sorted(facts.items()))
    )
