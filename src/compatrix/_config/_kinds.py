"""Kinds that TOML needs beyond what a field's type says: durations, URLs, versions,
specifiers, requirements, a package with extras, and the table of suites."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from compatrix._config._fields import Kind, Table, TableOf, Text, check_text
from compatrix._config._names import SUITE_NAME_PATTERN, factor_conflicts, suite_name_problems
from compatrix._config._problems import KeyPath, Problems, first_line, has_control_characters, short
from compatrix._urls import redact_url

__all__ = [
    "DURATION",
    "ENV_TABLE",
    "Days",
    "InstallSource",
    "Package",
    "PackageName",
    "RequirementText",
    "Seconds",
    "Specifier",
    "Suites",
    "Url",
    "VersionText",
    "install_source_problem",
    "specifier_problem",
]


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
            return self.wrong_type(value, at, problems)
        if value < self.minimum:
            problems.add(at, f"must be {self.expected()}, got {value}")
            return None
        return timedelta(days=value)

    def toml(self, value: timedelta) -> object:
        return value.days


class Seconds(Kind[float]):
    """A positive, finite number of seconds."""

    __slots__ = ()
    DOC = "number > 0 (seconds)"
    EXPECTED = "a number > 0 (seconds)"

    def schema(self) -> dict[str, Any]:
        return {"type": "number", "exclusiveMinimum": 0}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong_type(value, at, problems)
        if not math.isfinite(value) or value <= 0:
            problems.add(at, f"must be a finite number > 0 (seconds), got {value}")
            return None
        return float(value)

    def toml(self, value: float) -> object:
        return int(value) if value.is_integer() else value


class Url(Kind[str]):
    """An http(s) URL. Credentials in it are never repeated in messages."""

    __slots__ = ()
    DOC = "string (URL)"
    EXPECTED = "an http:// or https:// URL"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> str | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        if not check_text(value, at, problems):
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


def specifier_problem(text: str) -> str | None:
    """Why ``text`` is not a usable specifier set, or None."""
    if not text.strip():
        return "must not be empty"
    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        message = f"invalid specifier {short(text)}"
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

    def parse(self, value: object, at: KeyPath, problems: Problems) -> SpecifierSet | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        problem = specifier_problem(value)
        if problem is not None:
            problems.add(at, problem)
            return None
        return SpecifierSet(value)


class VersionText(Kind[Version]):
    __slots__ = ()
    DOC = "string (version)"
    EXPECTED = "a version string (like '1.2')"

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Version | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        try:
            return Version(value)
        except InvalidVersion:
            problems.add(at, f"invalid version {short(value)}")
            return None


def parse_requirement(text: str) -> Requirement | str:
    """``Requirement(text)``, or why ``text`` is not a valid PEP 508 requirement."""
    if has_control_characters(text):
        return f"invalid requirement {short(text)}: must be one line without control characters"
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        return f"invalid requirement {short(text)}: {first_line(exc)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementText(Kind[str]):
    """A PEP 508 requirement string, kept as written."""

    project: str | None = None
    """When set, the requirement must be on this project."""
    example: str = "pytest>=8"
    DOC = "string (requirement)"

    def expected(self) -> str:
        return f"a requirement string (like {self.example!r})"

    def parse(self, value: object, at: KeyPath, problems: Problems) -> str | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        requirement = parse_requirement(value)
        if isinstance(requirement, str):
            problems.add(at, requirement)
            return None
        name = canonicalize_name(requirement.name)
        if self.project is not None and name != self.project:
            problems.add(at, f"must be a requirement on {self.project}, got {short(value)}")
            return None
        return value


_INSTALL_CHARS = r"[A-Za-z0-9 ._~:/@+=<>!,\[\]#%-]+"
"""What an install source may hold: no quotes, ``$``, braces, backslashes or shell
metacharacters, so that it is safe in a YAML string, a shell word and a GitHub expression."""
_WHEEL_PATH = r"(?:[A-Za-z0-9_.-]+/)*compatrix-[A-Za-z0-9_.+!-]+\.whl"


def install_source_problem(value: str) -> str | None:
    """Why ``value`` cannot be how a workflow installs compatrix, or None when it can.

    Accepted: a requirement on compatrix (``compatrix==0.2.0``), a direct reference to an
    https or git+https URL (``compatrix @ git+https://github.com/compatrix/compatrix@v0.2.0``),
    or the relative path of a wheel in the repository (``dist/compatrix-0.2.0-py3-none-any.whl``).
    """
    if not re.fullmatch(_INSTALL_CHARS, value):
        bad = next((c for c in value if not re.fullmatch(_INSTALL_CHARS, c)), "")
        return (
            f"{short(value)} holds {bad!r}: an install source is letters, digits, spaces and "
            "._~:/@+=<>!,[]#%- only"
        )
    if value.endswith(".whl") and "@" not in value:
        if not re.fullmatch(_WHEEL_PATH, value) or ".." in value.split("/"):
            return (
                f"{short(value)} is not the relative path of a compatrix wheel in the repository "
                "(like 'dist/compatrix-0.2.0-py3-none-any.whl')"
            )
        return None
    requirement = parse_requirement(value)
    if isinstance(requirement, str):
        return requirement
    if canonicalize_name(requirement.name) != "compatrix":
        return f"must install compatrix, got {short(value)}"
    if requirement.marker is not None:
        return f"{short(value)}: an install source takes no environment marker"
    if requirement.url is not None:
        scheme = urlsplit(requirement.url).scheme
        if scheme not in {"https", "git+https"}:
            return f"{short(value)}: a URL must be https:// or git+https://, got {scheme or 'none'}"
    return None


class InstallSource(Kind[str]):
    """How a workflow installs compatrix: a requirement, a URL or a wheel path."""

    __slots__ = ()
    DOC = "string (requirement, URL or wheel path)"
    EXPECTED = "a requirement on compatrix, a direct URL reference or a wheel path"

    def parse(self, value: object, at: KeyPath, problems: Problems) -> str | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        problem = install_source_problem(value)
        if problem is not None:
            problems.add(at, problem)
            return None
        return value


class Package(Kind[Requirement]):
    """A project name with optional extras: ``httpx``, ``gql[all]``."""

    __slots__ = ()
    DOC = "string (name[extras])"
    EXPECTED = "a package name with optional extras (like 'gql[all]')"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*$"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Requirement | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
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
        problems.add(at, f"must be a name with optional extras, but {short(value)} {problem}")
        return None


_PROJECT_NAME = r"[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]"
"""A valid project name (PEP 508)."""


class PackageName(Kind[NormalizedName]):
    """A project name, normalised (PEP 503): ``Logbook`` -> ``logbook``."""

    __slots__ = ()
    DOC = "string (package name)"
    EXPECTED = "a package name (like 'coverage')"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^(?:{_PROJECT_NAME})$"}

    def parse(self, value: object, at: KeyPath, problems: Problems) -> NormalizedName | None:
        if not isinstance(value, str):
            return self.wrong_type(value, at, problems)
        if not re.fullmatch(_PROJECT_NAME, value):
            problems.add(at, f"must be a package name (like 'coverage'), got {short(value)}")
            return None
        return canonicalize_name(value)


@dataclass(frozen=True, slots=True)
class Suites(Kind[Mapping[str, Any]]):
    """The ``[suites]`` table: suite name -> the values of its table. Names are checked
    one by one (``_names.py``), then against each other."""

    table: Table
    DOC = "table: name → suite table"
    EXPECTED = "a table of suites"
    section: ClassVar[bool] = True

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": f"^(?:{SUITE_NAME_PATTERN})$"},
            "additionalProperties": self.table.schema(),
        }

    def parse(self, value: object, at: KeyPath, problems: Problems) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            return self.wrong_type(value, at, problems)
        suites: dict[str, Any] = {}
        named: list[str] = []
        for name, table in value.items():
            name_problems = suite_name_problems(name)
            for problem in name_problems:
                problems.add(at / name, problem)
            if not name_problems:
                named.append(name)
            parsed = self.table.parse(table, at / name, problems)
            if parsed is not None:
                suites[name] = parsed
        for name, problem in factor_conflicts(named):
            problems.add(at / name, problem)
        return suites

    def nested(self) -> Iterator[tuple[str, Table]]:
        yield ".NAME", self.table


DURATION = Text(
    what="a duration (like '10s', '1m30s' or '500ms')",
    type_doc="string (duration)",
    pattern=r"([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+",
)
"""A Docker duration (``--health-interval``)."""

ENV_TABLE = TableOf(
    value=Text(what="a string", allow_empty=True),
    type_doc="table: string → string",
    key_pattern=r"[A-Za-z_][A-Za-z0-9_]*",
    key_what="an environment variable name (letters, digits and '_', not starting with a digit)",
)
"""Environment variables: name -> value (``setenv``, a service's ``env``)."""
