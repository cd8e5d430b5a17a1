"""An option declared on a dataclass field: its key, kind, default and table follow from
the field."""

# option() and embedded() return dataclasses.field(...) (as field() does, RUF009 does not
# know them).
# ruff: noqa: RUF009

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from compatrix._config._fields import (
    Int,
    Kind,
    Table,
    Text,
    embedded,
    kind_for,
    option,
    tables_of,
)
from compatrix._config._problems import KeyPath, Problems


@dataclass(frozen=True, slots=True, kw_only=True)
class Inner:
    depth: int = option(default=1, kind=Int(minimum=0), help="How deep.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Shared:
    colour: Literal["red", "blue"] = option(default="red", help="The colour.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Outer:
    name: str
    """Not an option: set by whoever builds the table."""
    shared: Shared = embedded(Shared)
    label: str = option(required=True, help="A label.")
    max_size: int | None = option(default=None, help="The largest size.")
    path: Path = option(key="where", default=Path("a/b"), help="A path.")
    inner: Inner = option(default_factory=Inner, help="A nested table.")


TABLE = Table(Outer)


def _problems() -> Problems:
    return Problems([(title, table.keys) for title, table, _ in tables_of(TABLE)])


def test_keys_kinds_and_defaults_follow_from_the_fields() -> None:
    options = {option.key: option for option in TABLE.options}
    assert list(options) == ["colour", "label", "max-size", "where", "inner"]
    assert options["colour"].owner is Shared
    assert options["colour"].kind.doc() == '`"red"` / `"blue"`'
    assert options["max-size"].kind.expected() == "an integer"
    assert options["where"].field == "path"
    assert options["where"].default == Path("a/b")
    assert options["inner"].default == Inner()
    assert options["inner"].kind.section
    assert options["label"].required
    assert options["label"].default is dataclasses.MISSING


def test_a_table_builds_its_dataclass_with_the_field_defaults() -> None:
    problems = _problems()
    values = TABLE.parse({"label": "L", "inner": {"depth": 3}}, KeyPath(), problems)
    assert values is not None
    assert problems.messages == []
    built = TABLE.build(values, name="x")
    assert built == Outer(name="x", label="L", inner=Inner(depth=3))
    assert built.path == Path("a/b")


def test_embedded_options_are_keys_of_the_same_table() -> None:
    problems = Problems()
    values = TABLE.parse({"label": "L", "colour": "blue"}, KeyPath(), problems)
    assert values is not None
    assert values.fields(Shared) == {"colour": "blue"}
    assert values.fields(Outer) == {"label": "L"}


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        pytest.param({}, ["missing required key 'label'"], id="required"),
        pytest.param(
            {"label": "L", "max_size": 3},
            ["max_size: unknown key; did you mean 'max-size'?"],
            id="snake-case",
        ),
        pytest.param(
            {"label": "L", "depth": 3},
            ["depth: unknown key; 'depth' is a key of [inner]"],
            id="key-of-a-nested-table",
        ),
        pytest.param(
            {"label": "L", "inner": {"label": "x"}},
            ["inner.label: unknown key; 'label' is a key of the top level"],
            id="key-of-the-top-level",
        ),
        pytest.param(
            {"label": "L", "colour": "green", "where": 3},
            [
                "colour: must be one of 'red', 'blue', got 'green'",
                "where: expected a path (a string), got an integer (3)",
            ],
            id="every-problem",
        ),
    ],
)
def test_problems(data: Mapping[str, Any], messages: list[str]) -> None:
    problems = _problems()
    values = TABLE.parse(data, KeyPath(), problems)
    assert values is not None
    assert problems.messages == messages


def test_a_missing_required_key_builds_nothing() -> None:
    values = TABLE.parse({"colour": "blue"}, KeyPath(), Problems())
    assert values is not None
    assert TABLE.build(values, name="x") is None


@pytest.mark.parametrize(
    ("annotation", "doc"),
    [
        pytest.param(bool, "bool", id="bool"),
        pytest.param(int, "int", id="int"),
        pytest.param(str, "string", id="str"),
        pytest.param(Path, "string (path)", id="path"),
        pytest.param(tuple[str, ...], "array of strings", id="strings"),
        pytest.param(Literal["a", "b"], '`"a"` / `"b"`', id="choices"),
        pytest.param(str | None, "string", id="optional"),
        pytest.param(Inner, "table", id="dataclass"),
    ],
)
def test_kinds_from_field_types(annotation: Any, doc: str) -> None:
    kind: Kind[Any] = kind_for(annotation)
    assert kind.doc() == doc


def test_a_field_type_without_a_kind_must_name_one() -> None:
    with pytest.raises(TypeError, match=r"name one with option\(kind=\.\.\.\)"):
        kind_for(complex)


def test_tables_are_titled_by_their_path() -> None:
    assert [title for title, _, _ in tables_of(TABLE)] == ["the top level", "[inner]"]


def test_text_kind_checks_the_pattern() -> None:
    problems = Problems()
    assert Text(what="a word", pattern="[a-z]+").parse("A b", KeyPath(("k",)), problems) is None
    assert problems.messages == ["k: must be a word, got 'A b'"]
