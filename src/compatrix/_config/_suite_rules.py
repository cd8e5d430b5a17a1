"""A suite's rules: extra requirements (``deps``), Python restrictions (``python``) and
versions never picked (``exclude``), each a table keyed by what it applies to."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from compatrix._config._fields import Kind, ListOf, Text, check_key
from compatrix._config._kinds import RequirementText, Specifier, specifier_problem
from compatrix._config._problems import KeyPath, Problems
from compatrix._config._python_range import python_or_problem
from compatrix._pythons import PythonVersion

__all__ = [
    "DepRule",
    "DepRules",
    "ExcludeRule",
    "ExcludeRules",
    "PythonRestriction",
    "PythonRule",
]

K = TypeVar("K")
"""What a rule's key says it applies to."""
R = TypeVar("R")
"""A rule."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DepRule:
    """One ``deps`` entry: extra requirements for the envs it applies to.

    ``key`` is the rule as written: ``"*"``, a specifier on the package version
    (``">=0.16,<0.17"``), a list of Pythons (``"py3.8,py3.9"``), or both
    (``">=4.0,<5.0; py3.6,py3.7"``).
    """

    key: str
    versions: SpecifierSet | None = None
    """Applies when the package version is in this set (prereleases included)."""
    pythons: frozenset[PythonVersion] | None = None
    """Applies on these Pythons (free-threaded builds named explicitly, ``py3.14t``)."""
    requirements: tuple[str, ...] = ()
    """PEP 508 requirement strings, validated, as written."""

    def applies(self, version: Version, python: PythonVersion) -> bool:
        """Does this rule apply to an env testing ``version`` on ``python``?"""
        return self.admits_version(version) and self.admits_python(python)

    def admits_version(self, version: Version) -> bool:
        """Does the rule's version range admit ``version`` (prereleases included)?"""
        return self.versions is None or self.versions.contains(version, prereleases=True)

    def admits_python(self, python: PythonVersion) -> bool:
        """Does the rule apply on ``python``?"""
        return self.pythons is None or python in self.pythons


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonRule:
    """A suite's Python restriction: for package versions in ``versions`` (all when None),
    test only on Pythons ``pythons`` admits. The first rule whose ``versions`` match wins."""

    versions: SpecifierSet | None
    pythons: SpecifierSet
    key: str = "python"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExcludeRule:
    """Versions never to pick (an exact version or a specifier), and why."""

    key: str
    versions: SpecifierSet
    reason: str


class RuleTable(Kind[tuple[R, ...]], Generic[K, R]):
    """A table of rules: each key says what its rule applies to, each value what it does.

    A bad key and a bad value are both reported; the table is valid when every rule is.
    """

    __slots__ = ()
    VALUE: Kind[Any]

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.VALUE.schema()}

    @abstractmethod
    def read_key(self, key: str) -> K | str:
        """What the key says, or why it is invalid (the whole message)."""

    @abstractmethod
    def rule(self, key: str, applies: K, value: Any) -> R:
        """The rule of a valid key and value."""

    def parse(self, value: object, at: KeyPath, problems: Problems) -> tuple[R, ...] | None:
        if not isinstance(value, Mapping):
            return self.wrong_type(value, at, problems)
        rules: list[R] = []
        valid = True
        for key, item in value.items():
            if not check_key(key, at / key, problems):
                valid = False
                continue
            applies = self.read_key(key)
            if isinstance(applies, str):
                problems.add(at / key, applies)
            parsed = self.VALUE.parse(item, at / key, problems)
            if parsed is None or isinstance(applies, str):
                valid = False
            else:
                rules.append(self.rule(key, applies, parsed))
        return tuple(rules) if valid else None

    def toml(self, value: tuple[R, ...]) -> object:
        if value:  # only defaults are written (docs, schema), and a rule table's is empty
            msg = "only an empty default is documented"
            raise ValueError(msg)
        return {}


# --- deps ----------------------------------------------------------------------------------

_RULE_FORMS = (
    "expected '*', a version specifier ('>=1.0,<2'), Pythons ('py3.8,py3.9') "
    "or both ('>=1.0,<2; py3.8')"
)

Applies = tuple[SpecifierSet | None, frozenset[PythonVersion] | None]
"""The package versions (all when None) and the Pythons (all when None) of a deps rule."""


def parse_rule_key(key: str) -> Applies | str:
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
            python = python_or_problem(item.strip(), factor=True, free_threaded=True)
            if isinstance(python, str):
                return f"invalid rule key: {python}"
            found.add(python)
        pythons = frozenset(found)
    return versions, pythons


class DepRules(RuleTable[Applies, DepRule]):
    __slots__ = ()
    DOC = "table: rule → array of requirements"
    EXPECTED = 'a table of rules (like { "*" = ["pytest-asyncio"] })'
    VALUE = ListOf(item=RequirementText(), plural="requirement strings")

    def read_key(self, key: str) -> Applies | str:
        return parse_rule_key(key)

    def rule(self, key: str, applies: Applies, value: Any) -> DepRule:
        versions, pythons = applies
        return DepRule(key=key, versions=versions, pythons=pythons, requirements=value)


# --- python --------------------------------------------------------------------------------


class PythonRestriction(RuleTable[SpecifierSet | None, PythonRule]):
    __slots__ = ()
    DOC = "string (Python specifier) or table: version specifier → Python specifier"
    EXPECTED = (
        "a Python specifier (like '>=3.9') or a table of package-version specifier to "
        'Python specifier (like { ">=2.0" = ">=3.9" })'
    )
    VALUE = Specifier(of="Python")

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [{"type": "string", "minLength": 1}, super().schema()]}

    def parse(
        self, value: object, at: KeyPath, problems: Problems
    ) -> tuple[PythonRule, ...] | None:
        if not isinstance(value, str):
            return super().parse(value, at, problems)
        pythons = self.VALUE.parse(value, at, problems)
        return None if pythons is None else (PythonRule(versions=None, pythons=pythons),)

    def read_key(self, key: str) -> SpecifierSet | str | None:
        if key.strip() == "*":  # every version, as in deps: the rule the others fall back to
            return None
        problem = specifier_problem(key)
        return SpecifierSet(key) if problem is None else f"invalid key: {problem}"

    def rule(self, key: str, applies: SpecifierSet | None, value: Any) -> PythonRule:
        return PythonRule(versions=applies, pythons=value, key=key)

    def toml(self, value: tuple[PythonRule, ...]) -> object:
        return None  # the default has no rule: no restriction, the key is absent


# --- exclude -------------------------------------------------------------------------------


class ExcludeRules(RuleTable[SpecifierSet, ExcludeRule]):
    __slots__ = ()
    DOC = "table: version or specifier → reason"
    EXPECTED = 'a table of version or specifier to reason (like { "2.0.0" = "broken" })'
    VALUE = Text(what="a reason (a string)")

    def read_key(self, key: str) -> SpecifierSet | str:
        text = key.strip()
        try:
            return SpecifierSet(f"=={Version(text)}")
        except InvalidVersion:
            pass
        if specifier_problem(text) is None:
            return SpecifierSet(text)
        return "invalid key: expected a version ('2.0.0') or a specifier ('>=2,<2.1')"

    def rule(self, key: str, applies: SpecifierSet, value: Any) -> ExcludeRule:
        return ExcludeRule(key=key, versions=applies, reason=value)
