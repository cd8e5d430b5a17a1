"""Each option declared once, on its dataclass field, and tables read from those fields.

An option is a dataclass field made with :func:`option`: the field's default is the
option's default, its TOML key is the field name in kebab-case (``num_versions`` ->
``num-versions``) unless ``key`` says otherwise, and its :class:`Kind` (how a TOML value is
checked and turned into a typed value) follows from the field's type: ``bool``, ``int``,
``str``, ``Path``, ``tuple[str, ...]``, ``Literal[...]`` choices, ``X | None`` and a
dataclass of options (a nested table). Other types name their kind explicitly
(``_kinds.py``). :class:`Table` reads a TOML table whose keys are a dataclass's options;
unknown keys, wrong types and missing required keys are reported with their path.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast

from compatrix._config._problems import (
    KeyPath,
    Problems,
    describe_value,
    did_you_mean,
    has_control_characters,
    short,
    unknown_key_message,
)

__all__ = [
    "Int",
    "Kind",
    "ListOf",
    "NamedTables",
    "Option",
    "Table",
    "TableOf",
    "Text",
    "Values",
    "check_text",
    "embedded",
    "option",
    "tables_of",
]

T = TypeVar("T")
S = TypeVar("S", bound=str)

_OPTION = "compatrix.option"
"""The key of a field's metadata that makes the field an option."""
_EMBEDDED = "compatrix.embedded"
"""The key of a field's metadata whose dataclass's options are read in the same table."""


# --- kinds: how a TOML value is checked and converted --------------------------------------


class Kind(ABC, Generic[T]):
    """How an option's TOML value is checked and turned into a typed value.

    ``DOC`` is the type as the options reference shows it (``int ≥ 2``), ``EXPECTED`` as
    error messages name it (``an integer >= 2``); a kind whose texts depend on its settings
    overrides :meth:`doc` or :meth:`expected`.
    """

    __slots__ = ()

    DOC: ClassVar[str] = ""
    EXPECTED: ClassVar[str] = ""
    section: ClassVar[bool] = False
    """A table of its own in the reference (``[index]``, ``[suites.NAME]``), not a row."""

    def doc(self) -> str:
        return self.DOC

    def expected(self) -> str:
        return self.EXPECTED

    def schema(self) -> dict[str, Any]:
        """The JSON schema of the value (by default: a string that is not empty)."""
        return {"type": "string", "minLength": 1}

    @abstractmethod
    def parse(self, value: object, at: KeyPath, problems: Problems) -> T | None:
        """The typed value, or None after adding the reasons it is invalid to ``problems``."""

    def toml(self, value: Any) -> object:
        """The TOML value written for the typed ``value`` (to document a default), or None
        when the default is not a value one could write (it is worked out when absent)."""
        return value

    def nested(self) -> Iterator[tuple[str, Table]]:
        """The tables inside a value of this kind, each with what its title adds to the
        key (``""`` for ``[index]``, ``".NAME"`` for ``[suites.NAME]``)."""
        return iter(())

    def wrong_type(self, value: object, at: KeyPath, problems: Problems) -> T | None:
        """Report that ``value`` has the wrong type; returns None, the invalid result."""
        problems.add(at, f"expected {self.expected()}, got {describe_value(value)}")
        return None


class Bool(Kind[bool]):
    __slots__ = ()
    DOC = "bool"
    EXPECTED = "a boolean (true or false)"

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> bool | None:
        if isinstance(value, bool):
            return value
        return self.wrong_type(value, at, problems)


@dataclass(frozen=True, slots=True, kw_only=True)
class Int(Kind[int]):
    minimum: int | None = None
    maximum: int | None = None

    def doc(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"int {self.minimum}..{self.maximum}"
        if self.minimum is not None:
            return f"int ≥ {self.minimum}"
        return "int"

    def expected(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"an integer from {self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"an integer >= {self.minimum}"
        return "an integer"

    def schema(self) -> dict[str, Any]:
        bounds = {"minimum": self.minimum, "maximum": self.maximum}
        return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(value, at, problems)
        too_low = self.minimum is not None and value < self.minimum
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            problems.add(at, f"must be {self.expected()}, got {value}")
            return None
        return value


def check_text(value: str, at: KeyPath, problems: Problems, *, allow_empty: bool = False) -> bool:
    """Whether ``value`` is a usable one-line string; reports why not."""
    if not value and not allow_empty:
        problems.add(at, "must not be empty")
        return False
    if has_control_characters(value):
        problems.add(at, f"must be one line without control characters, got {short(value)}")
        return False
    return True


@dataclass(frozen=True, slots=True, kw_only=True)
class Text(Kind[str]):
    """A one-line string, optionally matching a pattern."""

    what: str = "a string"
    type_doc: str = "string"
    pattern: str | None = None
    """A regular expression the whole value must match (also used in the JSON schema)."""
    allow_empty: bool = False

    def doc(self) -> str:
        return self.type_doc

    def expected(self) -> str:
        return self.what

    def schema(self) -> dict[str, Any]:
        if self.pattern is not None:
            return {"type": "string", "pattern": f"^(?:{self.pattern})$"}
        return {"type": "string"} if self.allow_empty else {"type": "string", "minLength": 1}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> str | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        if not check_text(value, at, problems, allow_empty=self.allow_empty):
            return None
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            problems.add(at, f"must be {self.what}, got {short(value)}")
            return None
        return value


class PathText(Kind[Path]):
    """A path, relative to the config file's directory unless absolute."""

    __slots__ = ()
    DOC = "string (path)"
    EXPECTED = "a path (a string)"

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Path | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        return Path(value) if check_text(value, at, problems) else None

    def toml(self, value: Path) -> object:
        return value.as_posix()


@dataclass(frozen=True, slots=True)
class Choice(Kind[S]):
    choices: tuple[S, ...]

    def doc(self) -> str:
        return " / ".join(f'`"{c}"`' for c in self.choices)

    def expected(self) -> str:
        return "one of " + ", ".join(repr(c) for c in self.choices)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> S | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        if value in self.choices:
            return value
        message = f"must be {self.expected()}, got {short(value)}"
        suggestion = did_you_mean(value, self.choices)
        if suggestion is not None:
            message += f"; did you mean {suggestion!r}?"
        problems.add(at, message)
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListOf(Kind[tuple[T, ...]]):
    item: Kind[T]
    plural: str = "values"

    def doc(self) -> str:
        return f"array of {self.plural}"

    def expected(self) -> str:
        return f"an array of {self.plural}"

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.schema()}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> tuple[T, ...] | None:
        if not isinstance(value, (list, tuple)):
            return self.wrong_type(value, at, problems)
        items = [self.item.parse(item, at / index, problems) for index, item in enumerate(value)]
        if any(item is None for item in items):
            return None
        return tuple(cast("list[T]", items))

    def toml(self, value: Sequence[T]) -> object:
        return [self.item.toml(item) for item in value]


def check_key(key: str, at: KeyPath, problems: Problems) -> bool:
    """Whether a free table key is one line; reports why not."""
    if has_control_characters(key):
        problems.add(at, "invalid key: must be one line without control characters")
        return False
    return True


@dataclass(frozen=True, slots=True, kw_only=True)
class TableOf(Kind[Mapping[str, T]]):
    """A table with free keys (checked against ``key_pattern``) and values of one kind."""

    value: Kind[T]
    type_doc: str
    key_pattern: str | None = None
    key_what: str = "a key"
    EXPECTED = "a table"

    def doc(self) -> str:
        return self.type_doc

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "additionalProperties": self.value.schema()}
        if self.key_pattern is not None:
            schema["propertyNames"] = {"pattern": f"^(?:{self.key_pattern})$"}
        return schema

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Mapping[str, T] | None:
        if not isinstance(value, Mapping):
            return self.wrong_type(value, at, problems)
        result: dict[str, T] = {}
        valid = True
        for key, item in value.items():
            if not check_key(key, at / key, problems):
                valid = False
                continue
            if self.key_pattern is not None and not re.fullmatch(self.key_pattern, key):
                problems.add(at / key, f"invalid key: must be {self.key_what}")
                valid = False
            parsed = self.value.parse(item, at / key, problems)
            if parsed is None:
                valid = False
            else:
                result[key] = parsed
        return result if valid else None

    def toml(self, value: Mapping[str, T]) -> object:
        return {key: self.value.toml(item) for key, item in value.items()}


# --- declaring options on dataclass fields -------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Declaration:
    """What :func:`option` records in a field's metadata."""

    help: str
    kind: Kind[Any] | None
    key: str | None
    required: bool
    default_doc: str | None


def option(
    *,
    help: str,
    default: Any = dataclasses.MISSING,
    default_factory: Callable[[], Any] | None = None,
    kind: Kind[Any] | None = None,
    key: str | None = None,
    required: bool = False,
    default_doc: str | None = None,
) -> Any:
    """A dataclass field that is a config option.

    ``help``: one or two sentences (Markdown) for the reference and the JSON schema.
    ``kind``: when the field's type does not say how the TOML value is read. ``key``: when
    the TOML key is not the field name in kebab-case. ``required``: the key must be set
    (the field then has no default). ``default_doc``: how the reference shows a default
    that is not a plain value.
    """
    metadata = {
        _OPTION: _Declaration(
            help=help, kind=kind, key=key, required=required, default_doc=default_doc
        )
    }
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def embedded(default_factory: Callable[[], Any]) -> Any:
    """A field holding a dataclass whose options are keys of the same table (a suite's
    policies, which ``[defaults]`` also takes)."""
    return field(default_factory=default_factory, metadata={_EMBEDDED: True})


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Option:
    """One configuration key, as declared on a dataclass field."""

    key: str
    """The TOML key, kebab-case."""
    owner: type
    """The dataclass that declares the field."""
    field: str
    kind: Kind[Any]
    help: str
    required: bool
    default: object
    """The field's typed default; ``dataclasses.MISSING`` when there is none."""
    default_doc: str | None


def _options_of(cls: type) -> tuple[Option, ...]:
    hints = typing.get_type_hints(cls)
    options: list[Option] = []
    for item in dataclasses.fields(cls):
        if item.metadata.get(_EMBEDDED):
            options += _options_of(hints[item.name])
            continue
        declared = item.metadata.get(_OPTION)
        if declared is None:
            continue
        default: object = item.default
        if item.default_factory is not dataclasses.MISSING:
            default = item.default_factory()
        options.append(
            Option(
                key=declared.key or item.name.replace("_", "-"),
                owner=cls,
                field=item.name,
                kind=declared.kind or kind_for(hints[item.name]),
                help=declared.help,
                required=declared.required,
                default=default,
                default_doc=declared.default_doc,
            )
        )
    return tuple(options)


def kind_for(annotation: Any) -> Kind[Any]:
    """The kind of a field type: ``bool``, ``int``, ``str``, ``Path``, ``tuple[str, ...]``,
    ``Literal["a", "b"]``, ``X | None`` (the kind of ``X``) or a dataclass of options."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in arguments:
        (inner,) = (argument for argument in arguments if argument is not type(None))
        return kind_for(inner)
    if origin is Literal:
        return Choice(arguments)
    if origin is tuple and arguments == (str, Ellipsis):
        return ListOf(item=Text(), plural="strings")
    simple: dict[Any, Kind[Any]] = {bool: Bool(), int: Int(), str: Text(), Path: PathText()}
    if annotation in simple:
        return simple[annotation]
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return Table(annotation)
    msg = f"no kind for {annotation!r}: name one with option(kind=...)"
    raise TypeError(msg)


# --- tables of options ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Values:
    """The typed values of one table's options, as parsed."""

    present: Mapping[Option, Any] = field(default_factory=dict)
    """Option -> typed value, for the valid values given."""
    given: frozenset[str] = frozenset()
    """The keys the table sets, valid or not."""

    def fields(self, owner: type) -> dict[str, Any]:
        """Field name -> typed value, for the given options that ``owner`` declares (the
        values of nested tables built into their dataclasses)."""
        return {
            option.field: option.kind.build(value) if isinstance(option.kind, Table) else value
            for option, value in self.present.items()
            if option.owner is owner
        }


@dataclass(frozen=True, slots=True)
class Table(Kind[Values]):
    """A table whose keys are the options of a dataclass; unknown keys are errors. As an
    option's kind, a section of its own (``[index]``)."""

    cls: type
    options: tuple[Option, ...] = field(init=False, repr=False)
    DOC = "table"
    EXPECTED = "a table"
    section: ClassVar[bool] = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _options_of(self.cls))

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(option.key for option in self.options)

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/definitions/{self.cls.__name__.lower()}"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Values | None:
        if not isinstance(value, Mapping):
            return self.wrong_type(value, at, problems)
        options = {option.key: option for option in self.options}
        present: dict[Option, Any] = {}
        for key, item in value.items():
            option = options.get(key)
            if option is None:
                problems.add(at / key, unknown_key_message(key, list(options), problems.tables))
                continue
            parsed = option.kind.parse(item, at / key, problems)
            if parsed is not None:
                present[option] = parsed
        for option in self.options:
            if option.required and option.key not in value:
                problems.add(at, f"missing required key {option.key!r}")
        return Values(present, frozenset(key for key in value if key in options))

    def build(self, values: Values, **extra: Any) -> Any:
        """The dataclass of the values given (field defaults for the others) and ``extra``
        fields; None when a required key is missing or invalid (reported)."""
        if any(option.required and option not in values.present for option in self.options):
            return None
        return self.cls(**extra, **values.fields(self.cls))

    def nested(self) -> Iterator[tuple[str, Table]]:
        yield "", self


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedTables(Kind[tuple[Any, ...]]):
    """Tables under names of one's choosing (``services.db``): each becomes a dataclass
    whose ``name`` is its key."""

    table: Table
    type_doc: str
    key_pattern: str
    key_what: str
    EXPECTED = "a table"

    def doc(self) -> str:
        return self.type_doc

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": self.table.schema(),
            "propertyNames": {"pattern": f"^(?:{self.key_pattern})$"},
        }

    def parse(self, value: object, at: KeyPath, problems: Problems) -> tuple[Any, ...] | None:
        if not isinstance(value, Mapping):
            return self.wrong_type(value, at, problems)
        built = []
        for key, item in value.items():
            if not check_key(key, at / key, problems):
                continue
            if not re.fullmatch(self.key_pattern, key):
                problems.add(at / key, f"invalid key: must be {self.key_what}")
            values = self.table.parse(item, at / key, problems)
            if values is not None:
                built.append(self.table.build(values, name=key))
        return tuple(item for item in built if item is not None)

    def toml(self, value: Sequence[Any]) -> object:
        if value:
            msg = "only an empty default is documented"
            raise ValueError(msg)
        return {}

    def nested(self) -> Iterator[tuple[str, Table]]:
        yield ".NAME", self.table


def tables_of(root: Table) -> Iterator[tuple[str, Table, Option | None]]:
    """Every table of a document whose top level is ``root``: its title (``the top level``,
    ``[index]``, ..., ``[suites.NAME]``, ``[suites.NAME.services.NAME]``), and the option
    whose value it is (None for the top level)."""
    yield "the top level", root, None

    def walk(table: Table, path: str) -> Iterator[tuple[str, Table, Option | None]]:
        for option in table.options:
            for suffix, inner in option.kind.nested():
                inner_path = f"{path}{option.key}{suffix}"
                yield f"[{inner_path}]", inner, option
                yield from walk(inner, inner_path + ".")

    yield from walk(root, "")
