"""docs/update-pr.md describes the report as it is."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

from compatrix._report._changes import ChangeReason, build_report, report_data

from .test_report_output import AFTER, _scenario

DOC = (Path(__file__).parents[2] / "docs" / "update-pr.md").read_text(encoding="utf-8")


def test_every_reason_is_documented() -> None:
    table = DOC.split("| reason | meaning |", 1)[1].split("\n\n", 1)[0]
    documented = set(
        re.findall(r"`([a-z-]+)`", "\n".join(line.split("|")[1] for line in table.splitlines()[2:]))
    )
    assert documented == set(get_args(ChangeReason))


def test_json_example_has_the_shape_of_the_output() -> None:
    example = json.loads(DOC.split("```json\n", 1)[1].split("```", 1)[0])
    base, current = _scenario()
    actual = json.loads(json.dumps(report_data(build_report(AFTER, base, current))))
    assert example.keys() == actual.keys()
    suite = actual["suites"][0]
    assert example["suites"][0].keys() == suite.keys()
    assert example["suites"][0]["changes"][0].keys() == suite["changes"][0].keys()
