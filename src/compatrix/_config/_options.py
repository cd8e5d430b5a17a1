"""Every configuration option, declared once.

An :class:`Option` names a key, the tables it may appear in, its type (a :class:`Kind`, which
checks a TOML value and converts it into a typed value), its default and its help. Reading
the config (``_config_load``), the options reference in ``docs/config.md`` and the JSON
schema ``docs/compatrix.schema.json`` all come from these declarations. Regenerate both
documents after changing an option::

    python -m compatrix._docs --write
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, Literal, TypeVar, cast
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from compatrix._config._model import DepRule, ExcludeRule, PythonPolicy, PythonRange, PythonRule
from compatrix._fs import read_text
from compatrix._pythons import CPYTHON, PythonVersion, cpython_release
from compatrix._urls import redact_url
from compatrix.errors import OutputError

__all__ = [
    "OPTIONS",
    "SCHEMA_URL",
    "TOP_LEVEL",
    "KeyPath",
    "Kind",
    "Option",
    "Problems",
    "Scope",
    "Values",
    "generated_files",
    "json_schema",
    "options_in",
    "render_reference",
    "suite_name_problems",
]

T = TypeVar("T")

Scope = Literal["project", "index", "tox", "workflows", "defaults", "suite", "service"]
"""The table an option belongs to: the top level, a section, a suite or a suite's service."""

SCHEMA_URL = "https://raw.githubusercontent.com/compatrix/compatrix/main/docs/compatrix.schema.json"

# --- where a value is, and what is wrong with it -------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class KeyPath:
    """Where a value is in the document: ``suites.httpx.deps[">=0.28"][1]``.

    Bare keys are joined with dots; other keys are quoted in brackets, array indexes are
    bracketed numbers.
    """

    parts: tuple[str | int, ...] = ()

    def __truediv__(self, part: str | int) -> KeyPath:
        return KeyPath((*self.parts, part))

    def __str__(self) -> str:
        text = ""
        for part in self.parts:
            if isinstance(part, int):
                text += f"[{part}]"
            elif _BARE_KEY.fullmatch(part):
                text += f".{part}" if text else part
            else:
                ascii_only = has_control_characters(part)
                text += f"[{json.dumps(part, ensure_ascii=ascii_only)}]"
        return text


class Problems:
    """The problems found in one document, in the order they were found.

    Lives for one read of one config; every problem names where it is.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, at: KeyPath | str, message: str) -> None:
        where = str(at)
        self.messages.append(f"{where}: {message}" if where else message)

    def __bool__(self) -> bool:
        return bool(self.messages)


def describe_value(value: object) -> str:
    """A TOML value's type and a short rendering: ``a string ('4')``, ``an array``."""
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a float ({value})"
    if isinstance(value, str):
        return f"a string ({_short(value)})"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, datetime):
        return f"a date-time ({value.isoformat()})"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, time):
        return f"a time ({value.isoformat()})"
    return f"a {type(value).__name__}"


def has_control_characters(text: str) -> bool:
    """True when ``text`` has a control character or a line or paragraph separator: what
    could break a line of tox.ini or YAML."""
    if text.isprintable():  # no character of the categories "Other" or "Separator"
        return False
    return any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in text)


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    """The closest of ``choices`` to ``word`` (``min_version`` -> ``min-version``)."""
    import difflib  # noqa: PLC0415 - only a problem needs it

    for candidate in (word, word.replace("_", "-").lower()):
        if candidate in choices and candidate != word:
            return candidate
        matches = difflib.get_close_matches(candidate, choices, n=1, cutoff=0.6)
        if matches:
            return matches[0]
    return None


# --- kinds: how a TOML value is checked and converted --------------------------------------


class Kind(ABC, Generic[T]):
    """How an option's TOML value is checked and turned into a typed value."""

    __slots__ = ()

    @abstractmethod
    def doc(self) -> str:
        """The type as the options reference shows it: ``int ≥ 2``."""

    @abstractmethod
    def expected(self) -> str:
        """The type as error messages name it: ``an integer >= 2``."""

    @abstractmethod
    def schema(self) -> dict[str, Any]:
        """The JSON schema of the value."""

    @abstractmethod
    def parse(self, value: object, at: KeyPath, problems: Problems) -> T | None:
        """The typed value, or None after adding the reasons it is invalid to ``problems``."""

    def wrong_type(self, value: object, at: KeyPath, problems: Problems) -> None:
        """Report that ``value`` has the wrong type; returns None, the invalid result."""
        problems.add(at, f"expected {self.expected()}, got {describe_value(value)}")


class Bool(Kind[bool]):
    __slots__ = ()

    def doc(self) -> str:
        return "bool"

    def expected(self) -> str:
        return "a boolean (true or false)"

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> bool | None:
        if isinstance(value, bool):
            return value
        self.wrong_type(value, at, problems)
        return None


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
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def parse(self, value: object, at: KeyPath, problems: Problems) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(value, at, problems)
            return None
        too_low = self.minimum is not None and value < self.minimum
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            problems.add(at, f"must be {self.expected()}, got {value}")
            return None
        return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Days(Kind[timedelta]):
    """A whole number of days."""

    minimum: int

    def doc(self) -> str:
        return f"int ≥ {self.minimum} (days)"

    def expected(self) -> str:
        return f"an integer >= {self.minimum} (days)"

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> timedelta | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(value, at, problems)
            return None
        if value < self.minimum:
            problems.add(at, f"must be {self.expected()}, got {value}")
            return None
        return timedelta(days=value)


class Seconds(Kind[float]):
    """A positive, finite number of seconds."""

    __slots__ = ()

    def doc(self) -> str:
        return "number > 0 (seconds)"

    def expected(self) -> str:
        return "a number > 0 (seconds)"

    def schema(self) -> dict[str, Any]:
        return {"type": "number", "exclusiveMinimum": 0}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.wrong_type(value, at, problems)
            return None
        if not math.isfinite(value) or value <= 0:
            problems.add(at, f"must be a finite number > 0 (seconds), got {value}")
            return None
        return float(value)


def _check_text(value: str, at: KeyPath, problems: Problems, *, allow_empty: bool = False) -> bool:
    if not value and not allow_empty:
        problems.add(at, "must not be empty")
        return False
    if has_control_characters(value):
        problems.add(at, f"must be one line without control characters, got {_short(value)}")
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
        schema: dict[str, Any] = {"type": "string"}
        if self.pattern is not None:
            schema["pattern"] = f"^(?:{self.pattern})$"
        elif not self.allow_empty:
            schema["minLength"] = 1
        return schema

    def parse(self, value: object, at: KeyPath, problems: Problems) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(value, at, problems)
            return None
        if not _check_text(value, at, problems, allow_empty=self.allow_empty):
            return None
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            problems.add(at, f"must be {self.what}, got {_short(value)}")
            return None
        return value


class PathText(Kind[Path]):
    """A path, relative to the config file's directory unless absolute."""

    __slots__ = ()

    def doc(self) -> str:
        return "string (path)"

    def expected(self) -> str:
        return "a path (a string)"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Path | None:
        if not isinstance(value, str):
            self.wrong_type(value, at, problems)
            return None
        if not _check_text(value, at, problems):
            return None
        return Path(value)


class Url(Kind[str]):
    """An http(s) URL. Credentials in it are never repeated in messages."""

    __slots__ = ()

    def doc(self) -> str:
        return "string (URL)"

    def expected(self) -> str:
        return "an http:// or https:// URL"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(value, at, problems)
            return None
        if not _check_text(value, at, problems):
            return None
        try:
            parts = urlsplit(value)
            valid = parts.scheme in {"http", "https"} and bool(parts.hostname)
        except ValueError:
            valid = False
        if not valid:
            problems.add(at, f"must be {self.expected()}, got {redact_url(value)!r}")
            return None
        return value


S = TypeVar("S", bound=str)


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
            self.wrong_type(value, at, problems)
            return None
        if value in self.choices:
            return value
        message = f"must be {self.expected()}, got {_short(value)}"
        suggestion = did_you_mean(value, self.choices)
        if suggestion is not None:
            message += f"; did you mean {suggestion!r}?"
        problems.add(at, message)
        return None


def specifier_problem(text: str) -> str | None:
    """Why ``text`` is not a usable specifier set, or None."""
    if not text.strip():
        return "must not be empty"
    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        message = f"invalid specifier {_short(text)}"
        bare = text.strip()
        try:
            Version(bare)
        except InvalidVersion:
            return message
        return f"{message} (a version needs an operator: '=={bare}' or '>={bare}')"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Specifier(Kind[SpecifierSet]):
    """A PEP 440 specifier set (``>=1.2,<2``, ``!=2.0.0a1``)."""

    of: str = "version"

    def doc(self) -> str:
        return f"string ({self.of} specifier)"

    def expected(self) -> str:
        example = "'>=3.9'" if self.of == "Python" else "'>=1.2,<2'"
        return f"a {self.of} specifier string (like {example})"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> SpecifierSet | None:
        if not isinstance(value, str):
            self.wrong_type(value, at, problems)
            return None
        problem = specifier_problem(value)
        if problem is not None:
            problems.add(at, problem)
            return None
        return SpecifierSet(value)


class VersionText(Kind[Version]):
    __slots__ = ()

    def doc(self) -> str:
        return "string (version)"

    def expected(self) -> str:
        return "a version string (like '1.2')"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Version | None:
        if not isinstance(value, str):
            self.wrong_type(value, at, problems)
            return None
        try:
            return Version(value)
        except InvalidVersion:
            problems.add(at, f"invalid version {_short(value)}")
            return None


def parse_requirement(text: str) -> Requirement | str:
    """``Requirement(text)``, or why ``text`` is not a valid PEP 508 requirement."""
    if has_control_characters(text):
        return f"invalid requirement {_short(text)}: must be one line without control characters"
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        return f"invalid requirement {_short(text)}: {_first_line(exc)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementText(Kind[str]):
    """A PEP 508 requirement string, kept as written."""

    project: str | None = None
    """When set, the requirement must be on this project."""
    example: str = "pytest>=8"

    def doc(self) -> str:
        return "string (requirement)"

    def expected(self) -> str:
        return f"a requirement string (like {self.example!r})"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> str | None:
        if not isinstance(value, str):
            self.wrong_type(value, at, problems)
            return None
        requirement = parse_requirement(value)
        if isinstance(requirement, str):
            problems.add(at, requirement)
            return None
        name = canonicalize_name(requirement.name)
        if self.project is not None and name != self.project:
            problems.add(at, f"must be a requirement on {self.project}, got {_short(value)}")
            return None
        return value


class Package(Kind[Requirement]):
    """A project name with optional extras: ``httpx``, ``gql[all]``."""

    __slots__ = ()

    def doc(self) -> str:
        return "string (name[extras])"

    def expected(self) -> str:
        return "a package name with optional extras (like 'gql[all]')"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*$"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Requirement | None:
        if not isinstance(value, str):
            self.wrong_type(value, at, problems)
            return None
        requirement = parse_requirement(value)
        if isinstance(requirement, str):
            problems.add(at, requirement)
            return None
        if requirement.url is not None:
            problem = "has a URL: choose versions with min-version or include"
        elif requirement.specifier:
            problem = "has a version specifier: choose versions with min-version or include"
        elif requirement.marker is not None:
            problem = "has an environment marker: restrict Pythons with python"
        else:
            return requirement
        problems.add(at, f"must be a name with optional extras, but {_short(value)} {problem}")
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
            self.wrong_type(value, at, problems)
            return None
        items = [self.item.parse(item, at / index, problems) for index, item in enumerate(value)]
        if any(item is None for item in items):
            return None
        return tuple(cast("list[T]", items))


@dataclass(frozen=True, slots=True, kw_only=True)
class TableOf(Kind[Mapping[str, T]]):
    """A table with free keys (checked against ``key_pattern``) and values of one kind."""

    value: Kind[T]
    type_doc: str
    key_pattern: str | None = None
    key_what: str = "a key"

    def doc(self) -> str:
        return self.type_doc

    def expected(self) -> str:
        return "a table"

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "additionalProperties": self.value.schema()}
        if self.key_pattern is not None:
            schema["propertyNames"] = {"pattern": f"^(?:{self.key_pattern})$"}
        return schema

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Mapping[str, T] | None:
        if not isinstance(value, Mapping):
            self.wrong_type(value, at, problems)
            return None
        result: dict[str, T] = {}
        valid = True
        for key, item in value.items():
            if has_control_characters(key):
                problems.add(at / key, "invalid key: must be one line without control characters")
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


@dataclass(frozen=True, slots=True)
class Values:
    """The typed values of one table's options, as parsed."""

    present: Mapping[str, object] = field(default_factory=dict)
    """Option name -> typed value, for the valid values given."""
    given: frozenset[str] = frozenset()
    """The option names the table sets, valid or not."""

    def get(self, option: Option[T]) -> T | None:
        """The value given for ``option``; None when absent or invalid."""
        return cast("T | None", self.present.get(option.name))

    def value(self, option: Option[T]) -> T:
        """The value given for ``option``, else its default."""
        given = self.get(option)
        return given if given is not None else option.default_value()


@dataclass(frozen=True, slots=True)
class Table(Kind[Values]):
    """A table whose keys are the options of ``scope``; unknown keys are errors."""

    scope: Scope

    def doc(self) -> str:
        return "table"

    def expected(self) -> str:
        return "a table"

    def schema(self) -> dict[str, Any]:
        if self.scope in {"suite", "service"}:
            return {"$ref": f"#/definitions/{self.scope}"}
        return table_schema(self.scope)

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Values | None:
        if not isinstance(value, Mapping):
            self.wrong_type(value, at, problems)
            return None
        options = {option.name: option for option in options_in(self.scope)}
        present: dict[str, object] = {}
        for key, item in value.items():
            option = options.get(key)
            if option is None:
                problems.add(at / key, unknown_key_message(key, self.scope))
                continue
            parsed = option.kind.parse(item, at / key, problems)
            if parsed is not None:
                present[key] = parsed
        for option in options.values():
            if option.required and option.name not in value:
                problems.add(at, f"missing required key {option.name!r}")
        return Values(present, frozenset(key for key in value if key in options))


# --- Pythons -------------------------------------------------------------------------------


def _known_pythons() -> str:
    versions = [release.version for release in CPYTHON]
    return f"compatrix knows CPython {min(versions)} to {max(versions)}"


def parse_python(text: str, *, factor: bool, free_threaded: bool) -> PythonVersion | str:
    """A Python named in the config, or why it is not one.

    ``factor``: written as a tox factor (``py3.12``, ``py3.14t``), else as a version
    (``3.12``). ``free_threaded``: whether ``t`` builds may be named.
    """
    python = PythonVersion.match(text, factor=factor)
    if python is None:
        if factor:
            return f"unknown Python {text!r} (expected py3.X or py3.Xt, like py3.12 or py3.14t)"
        forms = "3.X or 3.Xt, like '3.12' or '3.14t'" if free_threaded else "3.X, like '3.12'"
        return f"invalid Python {text!r} (expected {forms})"
    release = cpython_release(python)
    if release is None:
        return f"unknown Python {text!r} ({_known_pythons()})"
    if python.free_threaded and not free_threaded:
        return f"{text!r} is a free-threaded build: list free-threaded Pythons in free-threaded"
    if python.free_threaded and release.free_threading == "none":
        return f"CPython {python.regular} has no free-threaded build ({text!r})"
    return python


class ProjectPythons(Kind[PythonRange]):
    __slots__ = ()

    def doc(self) -> str:
        return "string (Python specifier) or array of strings"

    def expected(self) -> str:
        return "a Python specifier (like '>=3.9') or an array of Pythons (like ['3.9', '3.10'])"

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {"type": "string", "pattern": r"^3\.[0-9]+$"},
                },
            ]
        }

    def parse(self, value: object, at: KeyPath, problems: Problems) -> PythonRange | None:
        if isinstance(value, str):
            problem = specifier_problem(value)
            if problem is not None:
                problems.add(at, problem)
                return None
            return PythonRange(specifier=SpecifierSet(value), source="config")
        if not isinstance(value, (list, tuple)):
            self.wrong_type(value, at, problems)
            return None
        if not value:
            problems.add(at, "must not be empty")
            return None
        listed: list[PythonVersion] = []
        valid = True
        for index, item in enumerate(value):
            if not isinstance(item, str):
                problems.add(
                    at / index, f"expected a Python (like '3.12'), got {describe_value(item)}"
                )
                valid = False
                continue
            python = parse_python(item, factor=False, free_threaded=False)
            if isinstance(python, str):
                problems.add(at / index, python)
                valid = False
            elif python in listed:
                problems.add(at / index, f"{item!r} is listed twice")
                valid = False
            else:
                listed.append(python)
        return PythonRange(listed=tuple(sorted(listed)), source="config") if valid else None


class FreeThreaded(Kind[bool | tuple[PythonVersion, ...]]):
    __slots__ = ()

    def doc(self) -> str:
        return "bool or array of strings"

    def expected(self) -> str:
        return "a boolean or an array of Pythons (like ['3.14'])"

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "boolean"},
                {
                    "type": "array",
                    "uniqueItems": True,
                    "items": {"type": "string", "pattern": r"^3\.[0-9]+t?$"},
                },
            ]
        }

    def parse(
        self, value: object, at: KeyPath, problems: Problems
    ) -> bool | tuple[PythonVersion, ...] | None:
        if isinstance(value, bool):
            return value
        if not isinstance(value, (list, tuple)):
            self.wrong_type(value, at, problems)
            return None
        listed: list[PythonVersion] = []
        valid = True
        for index, item in enumerate(value):
            if not isinstance(item, str):
                problems.add(
                    at / index, f"expected a Python (like '3.14'), got {describe_value(item)}"
                )
                valid = False
                continue
            python = parse_python(item, factor=False, free_threaded=True)
            if isinstance(python, str):
                problems.add(at / index, python)
                valid = False
                continue
            release = cpython_release(python)
            if release is not None and release.free_threading == "none":
                problems.add(at / index, f"CPython {python.regular} has no free-threaded build")
                valid = False
            elif python.regular in listed:
                problems.add(at / index, f"{item!r} is listed twice")
                valid = False
            else:
                listed.append(python.regular)
        return tuple(sorted(listed)) if valid else None


# --- suite rules ---------------------------------------------------------------------------

_RULE_FORMS = (
    "expected '*', a version specifier ('>=1.0,<2'), Pythons ('py3.8,py3.9') "
    "or both ('>=1.0,<2; py3.8')"
)


def parse_rule_key(key: str) -> tuple[SpecifierSet | None, frozenset[PythonVersion] | None] | str:
    """A ``deps`` rule key as (versions, pythons), or why it is invalid."""
    text = key.strip()
    if text == "*":
        return None, None
    if ";" in text:
        versions_text, _, pythons_text = (part.strip() for part in text.partition(";"))
        if not versions_text or not pythons_text:
            return f"invalid rule key: {_RULE_FORMS}"
    elif text[:1].isalpha():
        versions_text, pythons_text = "", text
    elif text:
        versions_text, pythons_text = text, ""
    else:
        return f"invalid rule key: {_RULE_FORMS}"
    versions = None
    if versions_text:
        problem = specifier_problem(versions_text)
        if problem is not None:
            return f"invalid rule key: {problem}"
        versions = SpecifierSet(versions_text)
    pythons = None
    if pythons_text:
        found: set[PythonVersion] = set()
        for item in pythons_text.split(","):
            python = parse_python(item.strip(), factor=True, free_threaded=True)
            if isinstance(python, str):
                return f"invalid rule key: {python}"
            found.add(python)
        pythons = frozenset(found)
    return versions, pythons


_REQUIREMENTS = ListOf(item=RequirementText(), plural="requirement strings")


class DepRules(Kind[tuple[DepRule, ...]]):
    __slots__ = ()

    def doc(self) -> str:
        return "table: rule → array of requirements"

    def expected(self) -> str:
        return 'a table of rules (like { "*" = ["pytest-asyncio"] })'

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": _REQUIREMENTS.schema()}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> tuple[DepRule, ...] | None:
        if not isinstance(value, Mapping):
            self.wrong_type(value, at, problems)
            return None
        rules: list[DepRule] = []
        valid = True
        for key, item in value.items():
            if has_control_characters(key):
                problems.add(at / key, "invalid key: must be one line without control characters")
                valid = False
                continue
            parsed_key = parse_rule_key(key)
            if isinstance(parsed_key, str):
                problems.add(at / key, parsed_key)
                valid = False
            requirements = _REQUIREMENTS.parse(item, at / key, problems)
            if requirements is None or isinstance(parsed_key, str):
                valid = False
                continue
            versions, pythons = parsed_key
            rules.append(
                DepRule(key=key, versions=versions, pythons=pythons, requirements=requirements)
            )
        return tuple(rules) if valid else None


_PYTHON_SPECIFIER = Specifier(of="Python")


class PythonRestriction(Kind[tuple[PythonRule, ...]]):
    __slots__ = ()

    def doc(self) -> str:
        return "string (Python specifier) or table: version specifier → Python specifier"

    def expected(self) -> str:
        return (
            "a Python specifier (like '>=3.9') or a table of package-version specifier to "
            'Python specifier (like { ">=2.0" = ">=3.9" })'
        )

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
            ]
        }

    def parse(
        self, value: object, at: KeyPath, problems: Problems
    ) -> tuple[PythonRule, ...] | None:
        if isinstance(value, str):
            pythons = _PYTHON_SPECIFIER.parse(value, at, problems)
            return None if pythons is None else (PythonRule(versions=None, pythons=pythons),)
        if not isinstance(value, Mapping):
            self.wrong_type(value, at, problems)
            return None
        rules: list[PythonRule] = []
        valid = True
        for key, item in value.items():
            if has_control_characters(key):
                problems.add(at / key, "invalid key: must be one line without control characters")
                valid = False
                continue
            problem = specifier_problem(key)
            if problem is not None:
                problems.add(at / key, f"invalid key: {problem}")
                valid = False
            pythons = _PYTHON_SPECIFIER.parse(item, at / key, problems)
            if pythons is None or problem is not None:
                valid = False
                continue
            rules.append(PythonRule(versions=SpecifierSet(key), pythons=pythons, key=key))
        return tuple(rules) if valid else None


_REASON = Text(what="a reason (a string)")


class ExcludeRules(Kind[tuple[ExcludeRule, ...]]):
    __slots__ = ()

    def doc(self) -> str:
        return "table: version or specifier → reason"

    def expected(self) -> str:
        return 'a table of version or specifier to reason (like { "2.0.0" = "broken" })'

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": _REASON.schema()}

    def parse(
        self, value: object, at: KeyPath, problems: Problems
    ) -> tuple[ExcludeRule, ...] | None:
        if not isinstance(value, Mapping):
            self.wrong_type(value, at, problems)
            return None
        rules: list[ExcludeRule] = []
        valid = True
        for key, item in value.items():
            if has_control_characters(key):
                problems.add(at / key, "invalid key: must be one line without control characters")
                valid = False
                continue
            versions = _exclude_key(key)
            if versions is None:
                problems.add(
                    at / key,
                    "invalid key: expected a version ('2.0.0') or a specifier ('>=2,<2.1')",
                )
                valid = False
            reason = _REASON.parse(item, at / key, problems)
            if reason is None or versions is None:
                valid = False
                continue
            rules.append(ExcludeRule(key=key, versions=versions, reason=reason))
        return tuple(rules) if valid else None


def _exclude_key(key: str) -> SpecifierSet | None:
    text = key.strip()
    try:
        return SpecifierSet(f"=={Version(text)}")
    except InvalidVersion:
        pass
    if specifier_problem(text) is not None:
        return None
    return SpecifierSet(text)


# --- suite names ---------------------------------------------------------------------------

SUITE_NAME_PATTERN = r"[a-z0-9][a-z0-9_]*(-[a-z0-9_]+)*"
# tox's own pattern of interpreter factors (tox.tox_env.python.api.PY_FACTORS_RE).
_INTERPRETER_FACTOR = re.compile(
    r"(?!py$)(py|pypy|cpython|jython|graalpy|rustpython|ironpython)([2-9]\.?[0-9]?[0-9]?t?d?)?"
)


def _is_version_factor(part: str) -> bool:
    if not (part.startswith("v") and part[1:2].isdigit()):
        return False
    try:
        Version(part[1:])
    except InvalidVersion:
        return False
    return True


def suite_name_problems(name: str) -> list[str]:
    """Why ``name`` cannot name a suite (it is used as tox factors in env names)."""
    if not re.fullmatch(SUITE_NAME_PATTERN, name):
        return [
            (
                "invalid suite name: use lowercase letters, digits and '_', in parts joined "
                "by '-' (like 'openai-base')"
            )
        ]
    problems = []
    parts = name.split("-")
    for part in parts:
        if _INTERPRETER_FACTOR.fullmatch(part):
            problems.append(
                f"invalid suite name: {part!r} would read as an interpreter factor in env names"
            )
        elif _is_version_factor(part):
            problems.append(
                f"invalid suite name: {part!r} would read as a version factor in env names"
            )
        elif part == "latest":
            problems.append("invalid suite name: 'latest' is the factor of the -latest env")
    repeated = sorted({part for part in parts if parts.count(part) > 1})
    if repeated:
        problems.append(f"invalid suite name: repeats the factor {repeated[0]!r}")
    return problems


def factor_conflicts(names: Sequence[str]) -> list[tuple[str, str]]:
    """(suite, message) for suites whose factors are a subset of another suite's factors.

    tox conditions name a suite by its factors (``openai: ...``); they would also match the
    envs of a suite with a superset of factors (``openai-base``).
    """
    conflicts = []
    for index, name in enumerate(names):
        factors = set(name.split("-"))
        for other in names[index + 1 :]:
            other_factors = set(other.split("-"))
            if factors == other_factors:
                conflicts.append((other, f"has the same factors as suite {name!r}; rename one"))
            elif factors < other_factors or other_factors < factors:
                small, big = (name, other) if factors < other_factors else (other, name)
                conflicts.append(
                    (
                        small,
                        (
                            f"every factor of {small!r} is also a factor of {big!r}, so tox "
                            f"conditions on {small!r} would also match the envs of {big!r}; "
                            "rename one"
                        ),
                    )
                )
    return conflicts


class Suites(Kind[Mapping[str, Values]]):
    __slots__ = ()

    def doc(self) -> str:
        return "table: name → suite table"

    def expected(self) -> str:
        return "a table of suites"

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": f"^(?:{SUITE_NAME_PATTERN})$"},
            "additionalProperties": Table("suite").schema(),
        }

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Mapping[str, Values] | None:
        if not isinstance(value, Mapping):
            self.wrong_type(value, at, problems)
            return None
        suites: dict[str, Values] = {}
        named: list[str] = []
        for name, table in value.items():
            name_problems = suite_name_problems(name)
            for problem in name_problems:
                problems.add(at / name, problem)
            if not name_problems:
                named.append(name)
            parsed = Table("suite").parse(table, at / name, problems)
            if parsed is not None:
                suites[name] = parsed
        for name, problem in factor_conflicts(named):
            problems.add(at / name, problem)
        return suites


# --- the options ---------------------------------------------------------------------------

_EMPTY_TABLE: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class Option(Generic[T]):
    """One configuration key."""

    name: str
    """The key, kebab-case."""
    scopes: tuple[Scope, ...]
    kind: Kind[T]
    help: str
    """One or two sentences (Markdown) for the reference and the JSON schema."""
    default: object = None
    """The default as a TOML value (``4``, ``"tox.ini"``, ``()``), or None: no value."""
    default_doc: str | None = None
    """How the reference shows a default that is not a plain value."""
    required: bool = False

    def default_value(self) -> T:
        """The typed default (raises for an option without one)."""
        problems = Problems()
        value = self.kind.parse(self.default, KeyPath((self.name,)), problems)
        if value is None or problems:
            msg = f"option {self.name!r} has no valid default"
            raise ValueError(msg)
        return value


_ENV_VALUE = Text(what="a string", allow_empty=True)
_ENV_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_ENV_KEY_WHAT = "an environment variable name (letters, digits and '_', not starting with a digit)"
_DURATION = Text(
    what="a duration (like '10s', '1m30s' or '500ms')",
    type_doc="string (duration)",
    pattern=r"([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+",
)

# Options at the top level.
PYTHON = Option(
    name="python",
    scopes=("project",),
    kind=ProjectPythons(),
    default_doc="from `pyproject.toml`",
    help=(
        "The project's own Pythons. A specifier: every CPython released (final) by the "
        'lock\'s date that it admits. An array (`["3.9", "3.10"]`): exactly those. '
        "Default: `project.requires-python` and the `Programming Language :: Python :: 3.X` "
        "classifiers of `pyproject.toml` (both: the listed ones the specifier admits)."
    ),
)
FREE_THREADED = Option(
    name="free-threaded",
    scopes=("project",),
    kind=FreeThreaded(),
    default_doc="from `pyproject.toml`",
    help=(
        "Also test free-threaded builds (`3.14t`). `true`: every Python of the range whose "
        'free-threaded build is supported (3.14 on); an array (`["3.14"]`): those of the '
        "range. Default: `true` when `pyproject.toml` has the classifier `Programming "
        "Language :: Python :: Free Threading :: 3 - Stable` or `4 - Resilient`."
    ),
)
INDEX_URL = Option(
    name="index-url",
    scopes=("project",),
    kind=Url(),
    default_doc="PyPI (`https://pypi.org/simple/`)",
    help=(
        "The package index's Simple API root. Overridden by `--index-url`, then by "
        "`COMPATRIX_INDEX_URL`, `UV_DEFAULT_INDEX`, `UV_INDEX_URL` and `PIP_INDEX_URL`."
    ),
)
LOCK = Option(
    name="lock",
    scopes=("project",),
    kind=PathText(),
    default="compatrix.lock",
    help="The lock file.",
)

# Options of the index table.
JOBS = Option(
    name="jobs",
    scopes=("index",),
    kind=Int(minimum=1),
    default=50,
    help="Most concurrent requests to the index (`--jobs` overrides).",
)
TIMEOUT = Option(
    name="timeout",
    scopes=("index",),
    kind=Seconds(),
    default=30,
    help="Timeout of one request.",
)
RETRIES = Option(
    name="retries",
    scopes=("index",),
    kind=Int(minimum=0),
    default=4,
    help="Retries of a request after a connection error, a 5xx or a 429 answer.",
)

# Options of the tox table.
TOX_FILE = Option(
    name="file",
    scopes=("tox",),
    kind=PathText(),
    default="tox.ini",
    help="The tox configuration compatrix renders into; a `.toml` suffix selects tox.toml.",
)
TEST_PATH_VARIABLE = Option(
    name="test-path-variable",
    scopes=("tox",),
    kind=Text(
        what="an identifier (letters, digits and '_', not starting with a digit)",
        type_doc="string (identifier)",
        pattern=r"[A-Za-z_][A-Za-z0-9_]*",
    ),
    default="TESTPATH",
    help="The variable (in `setenv`) set to a suite's `test-path`.",
)

# Options of the workflows table.
ENABLED = Option(
    name="enabled",
    scopes=("workflows",),
    kind=Bool(),
    default=False,
    help="Render GitHub Actions workflows, one per group.",
)
DIRECTORY = Option(
    name="directory",
    scopes=("workflows",),
    kind=PathText(),
    default=".github/workflows",
    help="Where workflows are written.",
)
NAME_PREFIX = Option(
    name="name-prefix",
    scopes=("workflows",),
    kind=Text(
        what="a file name prefix (letters, digits, '.', '_' and '-')",
        pattern=r"[A-Za-z0-9._-]*",
        allow_empty=True,
    ),
    default="test-",
    help="A group's workflow file is `{name-prefix}{group-slug}.yml`.",
)
RUNS_ON = Option(
    name="runs-on",
    scopes=("workflows",),
    kind=Text(),
    default="ubuntu-latest",
    help="The runner of the jobs (except the Pythons in `python-runs-on`).",
)
JOBS_PER: Option[Literal["python", "suite", "env"]] = Option(
    name="jobs-per",
    scopes=("workflows",),
    kind=Choice(("python", "suite", "env")),
    default="python",
    help="One matrix entry per group and Python, per suite and Python, or per env.",
)
MAX_JOBS = Option(
    name="max-jobs",
    scopes=("workflows",),
    kind=Int(minimum=1, maximum=256),
    default=256,
    help="A matrix with more entries is split.",
)
ACTIONS = Option(
    name="actions",
    scopes=("workflows",),
    kind=TableOf(
        value=Text(
            what="an action reference (like 'actions/checkout@<sha> # v5.0.0')",
            pattern=r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[A-Za-z0-9_./-]+( +#.*)?",
        ),
        type_doc="table: action → reference",
        key_pattern=r"[A-Za-z0-9_-]+",
        key_what="an action name (letters, digits, '_' and '-')",
    ),
    default=_EMPTY_TABLE,
    default_doc="built-in pins",
    help='Overrides of the pinned actions: `checkout = "actions/checkout@<sha> # v5.0.0"`.',
)
TOX_REQUIREMENT = Option(
    name="tox-requirement",
    scopes=("workflows",),
    kind=RequirementText(project="tox", example="tox>=4.48"),
    default="tox>=4.48",
    help="How jobs install tox.",
)
TOX_UV = Option(
    name="tox-uv",
    scopes=("workflows",),
    kind=Bool(),
    default=True,
    help="Also install tox-uv.",
)
EXTRA_ENVS = Option(
    name="extra-envs",
    scopes=("workflows",),
    kind=TableOf(
        value=ListOf(
            item=Text(
                what="a tox env name (letters, digits, '.', '_' and '-')",
                pattern=r"[A-Za-z0-9._-]+",
            ),
            plural="tox env names",
        ),
        type_doc="table: group → array of env names",
    ),
    default=_EMPTY_TABLE,
    help=(
        "Hand-written tox envs (outside compatrix's regions) a group's workflow also runs; "
        "a group may have only these."
    ),
)
BRANCHES = Option(
    name="branches",
    scopes=("workflows",),
    kind=ListOf(
        item=Text(
            what="a branch name or pattern (letters, digits and '._/*+!-')",
            pattern=r"[A-Za-z0-9._/*+!-]+",
        ),
        plural="branch names",
    ),
    default=("main",),
    help=(
        "Pushes to these branches run the workflows (GitHub branch patterns allowed); "
        "pull requests and manual runs (`workflow_dispatch`) always do."
    ),
)
_PYTHON_KEY = r"3\.[0-9]+t?"
_PYTHON_KEY_WHAT = "a Python (like '3.7' or '3.14t')"
PYTHON_RUNS_ON = Option(
    name="python-runs-on",
    scopes=("workflows",),
    kind=TableOf(
        value=Text(),
        type_doc="table: Python → runner",
        key_pattern=_PYTHON_KEY,
        key_what=_PYTHON_KEY_WHAT,
    ),
    default=MappingProxyType({"3.7": "ubuntu-22.04"}),
    default_doc='`{ "3.7" = "ubuntu-22.04" }`',
    help=(
        "The runner of a Python's jobs instead of `runs-on` (`3.14t` falls back to `3.14`). "
        "setup-python has no 3.7 for ubuntu-latest (24.04). Setting the table replaces "
        "the default."
    ),
)
PYTHON_CONTAINER = Option(
    name="python-container",
    scopes=("workflows",),
    kind=TableOf(
        value=Text(),
        type_doc="table: Python → image",
        key_pattern=_PYTHON_KEY,
        key_what=_PYTHON_KEY_WHAT,
    ),
    default=MappingProxyType({"3.5": "python:3.5", "3.6": "python:3.6"}),
    default_doc='`{ "3.5" = "python:3.5", "3.6" = "python:3.6" }`',
    help=(
        "A container image a Python's jobs run in, for Pythons setup-python no longer "
        "installs; tox runs on the image's own Python. Setting the table replaces the "
        "default."
    ),
)
TOX_PYTHON = Option(
    name="tox-python",
    scopes=("workflows",),
    kind=Text(
        what="a Python feature version (like '3.13')",
        type_doc="string (Python)",
        pattern=r"3\.[0-9]+",
    ),
    default="3.13",
    help="The Python tox itself runs on, installed next to each job's Python.",
)
CONTAINER_TOX_REQUIREMENT = Option(
    name="container-tox-requirement",
    scopes=("workflows",),
    kind=RequirementText(project="tox", example="tox<4"),
    default="tox",
    help=(
        "How jobs in a `python-container` install tox, with the container's Python "
        "(pip picks the newest tox that supports it); tox-uv is not installed there."
    ),
)

# Selection policies: in the defaults table and in suite tables.
_POLICY: tuple[Scope, ...] = ("defaults", "suite")
NUM_VERSIONS = Option(
    name="num-versions",
    scopes=_POLICY,
    kind=Int(minimum=2),
    default=4,
    help="How many final releases to pick (lowest, latest and evenly spaced ones).",
)
PRERELEASES = Option(
    name="prereleases",
    scopes=_POLICY,
    kind=Bool(),
    default=True,
    help="Also test the newest prerelease when it is newer than the latest final release.",
)
PRERELEASE_MAX_AGE = Option(
    name="prerelease-max-age",
    scopes=_POLICY,
    kind=Days(minimum=1),
    default=180,
    help="A prerelease older than this (at the lock's time) is not tested.",
)
COOLDOWN = Option(
    name="cooldown",
    scopes=_POLICY,
    kind=Days(minimum=0),
    default=2,
    help="Releases younger than this (at the lock's time) are not picked yet.",
)
PYTHON_POLICY: Option[PythonPolicy] = Option(
    name="python-policy",
    scopes=_POLICY,
    kind=Choice(("spread", "all", "oldest-newest", "newest")),
    default="spread",
    help=(
        "Which of a pick's supported Pythons get an env: `spread` the oldest, the second "
        "newest and the newest; `all`; `oldest-newest`; `newest`."
    ),
)
EACH_MAJOR = Option(
    name="each-major",
    scopes=_POLICY,
    kind=Bool(),
    default=True,
    help=(
        "Also pick the newest release of every major version (these may exceed "
        "`num-versions`). Turn off for calendar-versioned packages, where every year is a "
        "major."
    ),
)
STABLE_PICKS = Option(
    name="stable-picks",
    scopes=_POLICY,
    kind=Bool(),
    default=True,
    help="Keep earlier middle picks while they stay valid, so updates do not reshuffle.",
)
LATEST_ENV = Option(
    name="latest-env",
    scopes=_POLICY,
    kind=Bool(),
    default=True,
    help="Add a `-latest` env that installs the newest release when it runs.",
)
GROUP = Option(
    name="group",
    scopes=_POLICY,
    kind=Text(),
    default="default",
    help="The CI group (one workflow per group).",
)

# Options of suite tables.
PACKAGE = Option(
    name="package",
    scopes=("suite",),
    kind=Package(),
    required=True,
    help=(
        "The package to test, with optional extras (`strawberry-graphql[fastapi,flask]`); "
        "no version, marker or URL."
    ),
)
MIN_VERSION = Option(
    name="min-version",
    scopes=("suite",),
    kind=VersionText(),
    help="The lowest supported version.",
)
INCLUDE = Option(
    name="include",
    scopes=("suite",),
    kind=Specifier(),
    help="Only versions in this specifier set are picked (`!=2.0.0a1,!=2.0.0a2`).",
)
EXCLUDE = Option(
    name="exclude",
    scopes=("suite",),
    kind=ExcludeRules(),
    default=_EMPTY_TABLE,
    help="Versions never picked, each with the reason `explain` shows.",
)
DEPS = Option(
    name="deps",
    scopes=("suite",),
    kind=DepRules(),
    default=_EMPTY_TABLE,
    help="Extra requirements of the envs each rule applies to (see [deps rules](#deps-rules)).",
)
SUITE_PYTHON = Option(
    name="python",
    scopes=("suite",),
    kind=PythonRestriction(),
    help=(
        "Restricts the Pythons. A table maps package-version specifiers to Python "
        "specifiers: the first key matching a version applies; no match, no restriction."
    ),
)
TEST_PATH = Option(
    name="test-path",
    scopes=("suite",),
    kind=Text(),
    help="Rendered as `NAME: TESTPATH=<test-path>` in `setenv`.",
)
SETENV = Option(
    name="setenv",
    scopes=("suite",),
    kind=TableOf(
        value=_ENV_VALUE,
        type_doc="table: string → string",
        key_pattern=_ENV_KEY,
        key_what=_ENV_KEY_WHAT,
    ),
    default=_EMPTY_TABLE,
    help="Extra environment variables of the suite's envs.",
)
PASSENV = Option(
    name="passenv",
    scopes=("suite",),
    kind=ListOf(
        item=Text(
            what="an environment variable name, '*' allowed",
            pattern=r"[A-Za-z_*][A-Za-z0-9_*]*",
        ),
        plural="strings",
    ),
    default=(),
    help="Environment variables passed through to the suite's envs (`*` matches any text).",
)
SERVICES = Option(
    name="services",
    scopes=("suite",),
    kind=TableOf(
        value=Table("service"),
        type_doc="table: name → service table",
        key_pattern=r"[A-Za-z_][A-Za-z0-9_-]*",
        key_what="a service name (letters, digits, '_' and '-', starting with a letter or '_')",
    ),
    default=_EMPTY_TABLE,
    help="Service containers the suite's CI jobs need (see below).",
)

# Options of service tables.
IMAGE = Option(
    name="image",
    scopes=("service",),
    kind=Text(),
    required=True,
    help="The container image (`redis:7`).",
)
PORTS = Option(
    name="ports",
    scopes=("service",),
    kind=ListOf(
        item=Text(
            what="a port mapping (like '6379' or '5432:5432')",
            pattern=r"([^\s:/]+:)?([0-9]+:)?[0-9]+(/(tcp|udp|sctp))?",
        ),
        plural="port mappings",
    ),
    default=(),
    help='Published ports (`"5432:5432"`).',
)
SERVICE_ENV = Option(
    name="env",
    scopes=("service",),
    kind=TableOf(
        value=_ENV_VALUE,
        type_doc="table: string → string",
        key_pattern=_ENV_KEY,
        key_what=_ENV_KEY_WHAT,
    ),
    default=_EMPTY_TABLE,
    help="The container's environment variables.",
)
HEALTH_CMD = Option(
    name="health-cmd",
    scopes=("service",),
    kind=Text(),
    help="Health check command; jobs wait until it succeeds.",
)
HEALTH_INTERVAL = Option(
    name="health-interval",
    scopes=("service",),
    kind=_DURATION,
    default="10s",
    help="Time between health checks.",
)
HEALTH_TIMEOUT = Option(
    name="health-timeout",
    scopes=("service",),
    kind=_DURATION,
    default="5s",
    help="Time one health check may take.",
)
HEALTH_RETRIES = Option(
    name="health-retries",
    scopes=("service",),
    kind=Int(minimum=1),
    default=5,
    help="Failed health checks before the container counts as unhealthy.",
)
SERVICE_OPTIONS = Option(
    name="options",
    scopes=("service",),
    kind=Text(),
    help="Extra `docker create` options, after the health-check options.",
)

# The tables of the top level.
INDEX = Option(
    name="index",
    scopes=("project",),
    kind=Table("index"),
    default=_EMPTY_TABLE,
    help="How the package index is read.",
)
TOX = Option(
    name="tox",
    scopes=("project",),
    kind=Table("tox"),
    default=_EMPTY_TABLE,
    help="Where and how tox envs are rendered.",
)
WORKFLOWS = Option(
    name="workflows",
    scopes=("project",),
    kind=Table("workflows"),
    default=_EMPTY_TABLE,
    help="GitHub Actions workflows rendered from the matrix.",
)
DEFAULTS = Option(
    name="defaults",
    scopes=("project",),
    kind=Table("defaults"),
    default=_EMPTY_TABLE,
    help="Defaults of every suite's selection policies.",
)
SUITES = Option(
    name="suites",
    scopes=("project",),
    kind=Suites(),
    default=_EMPTY_TABLE,
    help="The test suites, one table per suite.",
)

OPTIONS: tuple[Option[Any], ...] = (
    PYTHON,
    FREE_THREADED,
    INDEX_URL,
    LOCK,
    INDEX,
    TOX,
    WORKFLOWS,
    DEFAULTS,
    SUITES,
    JOBS,
    TIMEOUT,
    RETRIES,
    TOX_FILE,
    TEST_PATH_VARIABLE,
    ENABLED,
    DIRECTORY,
    NAME_PREFIX,
    RUNS_ON,
    JOBS_PER,
    MAX_JOBS,
    ACTIONS,
    TOX_REQUIREMENT,
    TOX_UV,
    EXTRA_ENVS,
    BRANCHES,
    PYTHON_RUNS_ON,
    PYTHON_CONTAINER,
    TOX_PYTHON,
    CONTAINER_TOX_REQUIREMENT,
    NUM_VERSIONS,
    PRERELEASES,
    PRERELEASE_MAX_AGE,
    COOLDOWN,
    PYTHON_POLICY,
    EACH_MAJOR,
    STABLE_PICKS,
    LATEST_ENV,
    GROUP,
    PACKAGE,
    MIN_VERSION,
    INCLUDE,
    EXCLUDE,
    DEPS,
    SUITE_PYTHON,
    TEST_PATH,
    SETENV,
    PASSENV,
    SERVICES,
    IMAGE,
    PORTS,
    SERVICE_ENV,
    HEALTH_CMD,
    HEALTH_INTERVAL,
    HEALTH_TIMEOUT,
    HEALTH_RETRIES,
    SERVICE_OPTIONS,
)
"""Every option, in the order the reference lists them."""

TOP_LEVEL = Table("project")
"""The kind of the whole document (of ``[tool.compatrix]`` in pyproject.toml)."""

_SCOPE_TABLES: tuple[tuple[Scope, str], ...] = (
    ("project", "the top level"),
    ("index", "[index]"),
    ("tox", "[tox]"),
    ("workflows", "[workflows]"),
    ("defaults", "[defaults]"),
    ("suite", "[suites.NAME]"),
    ("service", "[suites.NAME.services.NAME]"),
)


def options_in(scope: Scope) -> tuple[Option[Any], ...]:
    """The options a table of ``scope`` accepts, in declaration order."""
    return tuple(option for option in OPTIONS if scope in option.scopes)


def unknown_key_message(key: str, scope: Scope) -> str:
    """``unknown key; did you mean 'min-version'?`` (or where the key belongs)."""
    known = [option.name for option in options_in(scope)]
    wanted = key.replace("_", "-").lower()
    if wanted in known:
        return f"unknown key; did you mean {wanted!r}?"
    elsewhere = [
        title
        for other, title in _SCOPE_TABLES
        if other != scope and any(option.name == wanted for option in options_in(other))
    ]
    if elsewhere:
        return f"unknown key; {wanted!r} is a key of {' and '.join(elsewhere)}"
    suggestion = did_you_mean(key, known)
    if suggestion is not None:
        return f"unknown key; did you mean {suggestion!r}?"
    return "unknown key"


# --- the generated reference and schema ----------------------------------------------------

BEGIN_MARKER = "<!-- BEGIN generated: options -->"
END_MARKER = "<!-- END generated: options -->"

_SECTIONS: tuple[tuple[Scope, str, str], ...] = (
    (
        "project",
        "Top level",
        "Keys at the top of `compatrix.toml` (directly in `[tool.compatrix]`).",
    ),
    ("index", "`[index]`", INDEX.help),
    ("tox", "`[tox]`", TOX.help),
    ("workflows", "`[workflows]`", WORKFLOWS.help),
    (
        "defaults",
        "`[defaults]`",
        "Selection policies of every suite; a suite's table overrides them for that suite.",
    ),
    (
        "suite",
        "`[suites.NAME]`",
        "One table per test suite; `NAME` follows the rules under [Suites](#suites).",
    ),
    (
        "service",
        "`[suites.NAME.services.NAME]`",
        "A service container of a suite's CI jobs (GitHub Actions `services`).",
    ),
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
        return "{" + ", ".join(f"{k} = {_toml_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def _json_value(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _json_value(item) for key, item in value.items()}
    return value


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default_cell(option: Option[Any]) -> str:
    if option.required:
        return "required"
    if option.default_doc is not None:
        return option.default_doc
    if option.default is None:
        return "none"
    return f"`{_toml_literal(option.default)}`"


def _is_section(option: Option[Any]) -> bool:
    return isinstance(option.kind, (Table, Suites))


def render_reference() -> str:
    """The options reference: one Markdown table per table of the config."""
    lines: list[str] = []
    for scope, title, intro in _SECTIONS:
        lines += [f"### {title}", "", intro, ""]
        lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
        for option in options_in(scope):
            if _is_section(option) or (scope == "suite" and "defaults" in option.scopes):
                continue
            cells = (
                f"`{option.name}`",
                _cell(option.kind.doc()),
                _cell(_default_cell(option)),
                _cell(option.help),
            )
            lines.append("| " + " | ".join(cells) + " |")
        if scope == "suite":
            policy = ", ".join(f"`{option.name}`" for option in options_in("defaults"))
            lines += ["", f"A suite may also set every `[defaults]` key ({policy})."]
        lines.append("")
    return "\n".join(lines)


def table_schema(scope: Scope) -> dict[str, Any]:
    """The JSON schema of a table of ``scope``."""
    properties: dict[str, Any] = {}
    for option in options_in(scope):
        schema = dict(option.kind.schema())
        if "$ref" in schema:
            schema = {"allOf": [schema]}
        schema["description"] = option.help
        if option.default is not None and not _is_section(option):
            schema["default"] = _json_value(option.default)
        properties[option.name] = schema
    result: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    required = [option.name for option in options_in(scope) if option.required]
    if required:
        result["required"] = required
    return result


def json_schema() -> dict[str, Any]:
    """The JSON schema of ``compatrix.toml`` (and of ``[tool.compatrix]``)."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_URL,
        "title": "compatrix configuration",
        "description": "compatrix.toml, or [tool.compatrix] in pyproject.toml.",
        **table_schema("project"),
        "definitions": {"suite": table_schema("suite"), "service": table_schema("service")},
    }


def generated_files(docs: Path) -> dict[Path, str]:
    """The generated documents in ``docs`` and their current content."""
    reference = docs / "config.md"
    text = read_text(reference)
    if text is None:
        msg = f"{reference} does not exist"
        raise OutputError(msg)
    begin, end = text.find(BEGIN_MARKER), text.find(END_MARKER)
    if begin < 0 or end < begin:
        msg = f"{reference} lacks the markers {BEGIN_MARKER} and {END_MARKER}"
        raise OutputError(msg)
    region = f"{BEGIN_MARKER}\n\n{render_reference()}\n"
    schema = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    return {
        reference: text[:begin] + region + text[end:],
        docs / "compatrix.schema.json": schema,
    }
