"""The actions compatrix writes into workflows, each pinned to a full commit SHA.

The pins are data, in ``actions.toml`` beside this module (which also says how to update
one). Generated workflows show each pin's tag in a comment (``uses:
actions/checkout@<sha> # v7.0.1``); ``[workflows] actions`` overrides a pin of the test
workflows, again with a full SHA. Config validation checks the overrides
(:func:`action_problems`); rendering applies them (:func:`resolve_actions`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from compatrix._toml import data_date, read_package_data

__all__ = [
    "PINS",
    "PINS_CHECKED",
    "UPDATE_WORKFLOW_PINS",
    "ActionPin",
    "action_problems",
    "read_action_pins",
    "resolve_actions",
]

_SHA = re.compile(r"[0-9a-f]{40}")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")
_TAG = r"[A-Za-z0-9_.+-]+"
_REFERENCE = re.compile(r"(?P<repository>[^@\s]+)@(?P<ref>[^\s#]+)(?:\s+#\s*(?P<tag>.*?))?\s*")


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionPin:
    """An action at one commit: ``actions/checkout`` at ``<sha>``, taken from tag ``v7.0.1``."""

    repository: str
    """``owner/repo`` (or ``owner/repo/path`` for an action in a subdirectory)."""
    sha: str
    """The full 40-hex commit SHA."""
    tag: str | None
    """The tag the SHA was resolved from, shown in a comment; None when unknown."""

    def __post_init__(self) -> None:
        if not _REPOSITORY.fullmatch(self.repository):
            msg = f"not an action repository: {self.repository!r}"
            raise ValueError(msg)
        if not _SHA.fullmatch(self.sha):
            msg = f"not a full commit SHA: {self.sha!r}"
            raise ValueError(msg)
        if self.tag is not None and not re.fullmatch(_TAG, self.tag):
            msg = f"not a tag: {self.tag!r}"
            raise ValueError(msg)

    @property
    def uses(self) -> str:
        """The value of ``uses:`` without the comment: ``actions/checkout@<sha>``."""
        return f"{self.repository}@{self.sha}"

    @property
    def reference(self) -> str:
        """``actions/checkout@<sha> # v7.0.1``: the form of ``[workflows] actions``."""
        return self.uses + (f" # {self.tag}" if self.tag else "")


def read_action_pins(
    data: Mapping[str, Any], *, source: str
) -> tuple[date, Mapping[str, ActionPin], Mapping[str, ActionPin]]:
    """From ``actions.toml`` as read: when the pins were checked, the pins of the test
    workflows and those of the update workflow, by name. ValueError names what is wrong."""
    checked = data_date(data.get("checked"), f"{source}: checked")
    entries = data.get("pins")
    if not isinstance(entries, dict) or not entries:
        msg = f"{source}: expected [pins.NAME] tables"
        raise ValueError(msg)
    pins: dict[str, dict[str, ActionPin]] = {"test": {}, "update": {}}
    for name, entry in entries.items():
        where = f"{source}: pins.{name}"
        if not isinstance(entry, dict) or set(entry) != _PIN_KEYS:
            msg = f"{where}: expected the keys {', '.join(sorted(_PIN_KEYS))}"
            raise ValueError(msg)
        workflows = entry["workflows"]
        if not isinstance(workflows, list) or not workflows or not set(workflows) <= set(pins):
            msg = f"{where}.workflows: expected a list of 'test' and 'update'"
            raise ValueError(msg)
        try:
            pin = ActionPin(repository=entry["repository"], sha=entry["sha"], tag=entry["tag"])
        except (TypeError, ValueError) as exc:
            msg = f"{where}: {exc}"
            raise ValueError(msg) from None
        for workflow in workflows:
            pins[workflow][name] = pin
    return checked, MappingProxyType(pins["test"]), MappingProxyType(pins["update"])


_PIN_KEYS = frozenset({"repository", "sha", "tag", "workflows"})

# The built-in pins: when they were last checked, those of the generated test workflows
# (by the name ``[workflows] actions`` uses), and those of the weekly update workflow.
PINS_CHECKED, PINS, UPDATE_WORKFLOW_PINS = read_action_pins(
    read_package_data("compatrix", "actions.toml"), source="actions.toml"
)


def _override(name: str, text: str) -> ActionPin | str:
    """The pin ``[workflows] actions`` gives for ``name``, or why it is not one."""
    if name not in PINS:
        known = ", ".join(repr(known) for known in PINS)
        return f"unknown action; compatrix uses {known}"
    match = _REFERENCE.fullmatch(text)
    if match is None or not _REPOSITORY.fullmatch(match["repository"]):
        return f"expected 'owner/repo@<40-hex commit SHA> # tag', got {text!r}"
    if not _SHA.fullmatch(match["ref"]):
        return (
            f"{match['ref']!r} is not a full commit SHA; pin actions to a 40-hex "
            f"commit SHA (a tag or branch can be moved), like {PINS[name].reference!r}"
        )
    tag = match["tag"] or None
    if tag is not None and not re.fullmatch(_TAG, tag):
        return f"the comment must be a tag like 'v5.0.0', got {tag!r}"
    return ActionPin(repository=match["repository"], sha=match["ref"], tag=tag)


def action_problems(overrides: Mapping[str, str]) -> list[tuple[str, str]]:
    """(action name, why) for each ``[workflows] actions`` override that is not a known
    action pinned to a full commit SHA."""
    found = ((name, _override(name, text)) for name, text in overrides.items())
    return [(name, problem) for name, problem in found if isinstance(problem, str)]


def resolve_actions(overrides: Mapping[str, str]) -> dict[str, ActionPin]:
    """The pins to use: the built-in ones with ``[workflows] actions`` applied (valid: the
    config was checked with :func:`action_problems`)."""
    pins = dict(PINS)
    for name, text in overrides.items():
        pin = _override(name, text)
        assert isinstance(pin, ActionPin), pin
        pins[name] = pin
    return pins
