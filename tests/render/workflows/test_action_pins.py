"""The pinned actions table and ``[workflows] actions`` overrides."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compatrix._actions import (
    PINS,
    UPDATE_WORKFLOW_PINS,
    ActionPin,
    read_action_pins,
    resolve_actions,
)
from compatrix._config import config_from_dict
from compatrix.errors import ConfigError

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_builtin_pins_are_full_shas_with_tags() -> None:
    assert list(PINS) == ["checkout", "setup-python"]
    assert PINS["checkout"].repository == "actions/checkout"
    assert PINS["setup-python"].repository == "actions/setup-python"
    for pin in UPDATE_WORKFLOW_PINS.values():
        assert re.fullmatch(r"[0-9a-f]{40}", pin.sha)
        assert pin.tag is not None
        assert re.fullmatch(r"v\d+\.\d+\.\d+", pin.tag)
        assert pin.reference == f"{pin.repository}@{pin.sha} # {pin.tag}"


def test_the_update_workflow_shares_the_pins_of_the_test_workflows() -> None:
    assert list(UPDATE_WORKFLOW_PINS) == [
        "checkout",
        "setup-python",
        "upload-artifact",
        "download-artifact",
        "create-github-app-token",
    ]
    assert UPDATE_WORKFLOW_PINS["checkout"] == PINS["checkout"]
    assert UPDATE_WORKFLOW_PINS["setup-python"] == PINS["setup-python"]
    assert UPDATE_WORKFLOW_PINS["upload-artifact"].repository == "actions/upload-artifact"


def _pin(**changes: object) -> dict[str, Any]:
    pin = {"repository": "actions/checkout", "sha": SHA, "tag": "v1.0.0", "workflows": ["test"]}
    return {**pin, **changes}


def test_a_pin_table_as_read() -> None:
    data = {"checked": date(2026, 1, 2), "pins": {"a": _pin(), "b": _pin(workflows=["update"])}}
    checked, test, update = read_action_pins(data, source="actions.toml")
    assert checked == date(2026, 1, 2)
    assert dict(test) == {"a": ActionPin(repository="actions/checkout", sha=SHA, tag="v1.0.0")}
    assert list(update) == ["b"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param(
            {"checked": "2026-01-02", "pins": {"a": _pin()}},
            "actions.toml: checked: expected a date (YYYY-MM-DD), got '2026-01-02'",
            id="checked-not-a-date",
        ),
        pytest.param(
            {"checked": date(2026, 1, 2)},
            "actions.toml: expected [pins.NAME] tables",
            id="no-pins",
        ),
        pytest.param(
            {"checked": date(2026, 1, 2), "pins": {"a": _pin(workflows=["tests"])}},
            "actions.toml: pins.a.workflows: expected a list of 'test' and 'update'",
            id="unknown-workflow",
        ),
        pytest.param(
            {"checked": date(2026, 1, 2), "pins": {"a": {**_pin(), "ref": "v1"}}},
            "actions.toml: pins.a: expected the keys repository, sha, tag, workflows",
            id="unknown-key",
        ),
        pytest.param(
            {"checked": date(2026, 1, 2), "pins": {"a": _pin(sha="v1.0.0")}},
            "actions.toml: pins.a: not a full commit SHA: 'v1.0.0'",
            id="tag-for-a-sha",
        ),
    ],
)
def test_a_broken_pin_table_names_the_problem(data: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        read_action_pins(data, source="actions.toml")
    assert str(caught.value) == problem


def test_no_overrides_keeps_the_builtin_pins() -> None:
    assert resolve_actions({}) == dict(PINS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            f"actions/checkout@{SHA} # v5.0.0",
            ActionPin(repository="actions/checkout", sha=SHA, tag="v5.0.0"),
            id="sha-and-tag",
        ),
        pytest.param(
            f"actions/checkout@{SHA}",
            ActionPin(repository="actions/checkout", sha=SHA, tag=None),
            id="sha-without-tag",
        ),
        pytest.param(
            f"my-org/checkout-mirror@{SHA}   #v4",
            ActionPin(repository="my-org/checkout-mirror", sha=SHA, tag="v4"),
            id="a-mirror",
        ),
    ],
)
def test_override(text: str, expected: ActionPin) -> None:
    pins = resolve_actions({"checkout": text})
    assert pins["checkout"] == expected
    assert pins["setup-python"] == PINS["setup-python"]


@pytest.mark.parametrize(
    ("overrides", "problems"),
    [
        pytest.param(
            {"checkout": "actions/checkout@v5"},
            (
                (
                    "workflows.actions.checkout: 'v5' is not a full commit SHA; pin actions to "
                    "a 40-hex commit SHA (a tag or branch can be moved), like "
                    f"{PINS['checkout'].reference!r}"
                ),
            ),
            id="tag",
        ),
        pytest.param(
            {"setup-python": "actions/setup-python@0123abc # v6"},
            ("workflows.actions.setup-python: '0123abc' is not a full commit SHA",),
            id="short-sha",
        ),
        pytest.param(
            {"cache": f"actions/cache@{SHA}"},
            ("workflows.actions.cache: unknown action; compatrix uses 'checkout', 'setup-python'",),
            id="unknown-action",
        ),
        pytest.param(
            {"checkout": f"actions/checkout@{SHA} # v5 and more"},
            ("workflows.actions.checkout: the comment must be a tag like 'v5.0.0'",),
            id="comment-not-a-tag",
        ),
        pytest.param(
            {"checkout": "actions/checkout@main", "cache": "x/y@1"},
            (
                "workflows.actions.checkout: 'main' is not a full commit SHA",
                "workflows.actions.cache: unknown action",
            ),
            id="every-problem-at-once",
        ),
    ],
)
def test_bad_overrides(overrides: dict[str, str], problems: tuple[str, ...]) -> None:
    """Overrides are checked when the config is read, with the other problems."""
    data = {"python": ["3.12"], "workflows": {"enabled": True, "actions": overrides}}
    with pytest.raises(ConfigError) as info:
        config_from_dict(data, path=Path("/project/compatrix.toml"))
    assert info.value.source == "/project/compatrix.toml"
    assert len(info.value.problems) == len(problems)
    for problem, expected in zip(info.value.problems, problems, strict=True):
        assert problem.startswith(expected)
