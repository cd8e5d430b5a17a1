"""The random half of compare_outputs.py's workload: projects with a config and a lock.

Everything here is a function of the seed. Nothing imports compatrix: the projects are
written as a user would write them (``compatrix.toml``, ``pyproject.toml``, a hand-written
tox file) and as compatrix's lock format documents them (docs/lock-format.md), so the
workload stays the same whatever the layout of the source tree under test.

The generator leans towards the hard cases: many patches per minor, yanked and unfinished
releases, dev/post/pre releases, legacy versions, epochs, exotic and invalid
Requires-Python, every kind of wheel tag, uploads around CPython's first betas or without
a time, core metadata in each of its states, remembered picks, ``as-of`` locks. ``facts``
counts what was generated, for the coverage summary.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

UTC = timezone.utc

# CPython's first betas and finals (a copy of compatrix's table: uploads are placed around
# these days; if the table moves, the cases stay valid, only less pointed).
FIRST_BETA = {
    5: date(2015, 5, 24),
    6: date(2016, 9, 12),
    7: date(2018, 1, 31),
    8: date(2019, 6, 4),
    9: date(2020, 5, 18),
    10: date(2021, 5, 3),
    11: date(2022, 5, 8),
    12: date(2023, 5, 22),
    13: date(2024, 5, 8),
    14: date(2025, 5, 7),
    15: date(2026, 5, 7),
}
FINAL = {
    5: date(2015, 9, 13),
    6: date(2016, 12, 23),
    7: date(2018, 6, 27),
    8: date(2019, 10, 14),
    9: date(2020, 10, 5),
    10: date(2021, 10, 4),
    11: date(2022, 10, 24),
    12: date(2023, 10, 2),
    13: date(2024, 10, 7),
    14: date(2025, 10, 7),
    15: date(2026, 10, 1),
}
MINORS = tuple(sorted(FINAL))
FREE_THREADED = (13, 14, 15)

VALID_EXOTIC_RP = (
    ">=3.8.1",
    "!=3.9.*",
    ">3.7",
    ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*",
    ">=3.7,<3.11",
    "~=3.8",
    "==3.*",
    ">=3.9,!=3.9.0",
    "<4,>=3.8",
    ">= 3.8",
    ">=3.6, <4",
    "!=3.12.*,>=3.8",
    ">=3.10,<3.14",
    "<3.13",
    ">=3",
    ">=3.11.4",
    "<=3.12",
    ">3.9.0",
    ">=3.8,",
    "",
    "  ",
)
INVALID_RP = (">=3.6.*", "3.7+", "~=3", ">=py3.8", "=>3.6", ">=3.6;", "latest", ">=3,<4,<")
LEGACY = ("2004b", "1.0-alpha-final", "latest", "0.9.x", "1.2-beta.custom", "r123", "dev-main")
YANK_REASONS = (
    None,
    None,
    "broken wheel",
    "regression in the parser [see #123]",
    "use 2.0.1 instead: [bold]fixed[/bold]",
    "sécurité : CVE-2024-1234",
    "   ",
)
EXCLUDE_REASONS = (
    "broken connection pool",
    "[red]segfaults[/red] on import",
    "wheel for 3.12 is missing a module",
    "une régression",
)
REQUIREMENTS = (
    "pytest-asyncio",
    "anyio<4",
    "anyio>=3,<5",
    "pytest-httpx==0.10.0",
    "exceptiongroup",
    "tokenizers<0.20.4",
    "fakeredis!=1.7.4",
    "werkzeug[watchdog]<3",
    'six; python_version < "3.9"',
    "trio>=0.22 ; sys_platform != 'win32'",
    "legacy-cgi @ https://example.org/legacy_cgi-2.6.tar.gz#sha256=0123abcd",
)
_WORDS = """redis httpx celery django flask fastapi sqlalchemy grpc boto kafka rabbit mongo openai
    anthropic langchain starlette tornado sanic quart bottle falcon pyramid aiohttp requests
    urllib graphene strawberry ariadne huey dramatiq arq rq spark beam ray dask asyncpg
    clickhouse pymssql cohere litellm gql loguru statsig unleash launchdarkly typer click attrs
    pydantic chalice trytond bottle_ext socket_io"""
WORDS = tuple(_WORDS.split())
"""Parts of suite names: none reads as a tox factor of its own (py312, v1, linux)."""
SUFFIXES = ("base", "notiktoken", "async", "sync", "legacy", "v_next", "http2", "extras")
GROUPS = ("default", "Network", "DBs", "Web Frameworks 1", "Web Frameworks 2", "AI", "Tasks")
SERVICES = (
    {"redis": {"image": "redis:7", "ports": ["6379:6379"], "health-cmd": "redis-cli ping"}},
    {
        "postgres": {
            "image": "postgres:16",
            "ports": ["5432:5432"],
            "env": {"POSTGRES_PASSWORD": "secret", "POSTGRES_DB": "test_db"},
            "health-cmd": "pg_isready",
            "health-interval": "10s",
            "health-timeout": "5s",
            "health-retries": 5,
            "options": "--shm-size=256m",
        }
    },
    {
        "mongo": {"image": "mongo:7", "ports": ["27017"]},
        "kafka": {"image": "apache/kafka:3.7.0", "ports": ["9092:9092/tcp"], "env": {"A": ""}},
    },
)
STYLES = ("semver", "zerover", "calver", "epoch", "patches", "two-part", "minors", "minors")
"""How a package numbers its releases."""
KINDS = {"pure": 4, "binary": 3, "abi3": 1.5, "sdist-only": 1, "mixed": 1.5}
"""What files a package ships, with weights (``mixed``: one of the others per release)."""
RP_STYLES = {"none": 1.5, "evolving": 4, "exotic": 2, "invalid": 1, "upper": 1.5}
"""How a package writes Requires-Python, with weights."""
CLASSIFIERS = {
    "current": 4,
    "stale": 2,
    "py2-only": 1,
    "py2-and-old-3": 0.7,
    "generic": 1,
    "future": 0.5,
    "gap": 0.5,
}
"""What the Python classifiers of a release's core metadata list, with weights."""


def _choice(rng: random.Random, weighted: Mapping[str, float]) -> str:
    names = list(weighted)
    return rng.choices(names, weights=[weighted[n] for n in names])[0]


def _normal(text: str) -> str | None:
    try:
        return str(Version(text))
    except InvalidVersion:
        return None


def _admits_feature(spec: SpecifierSet, minor: int) -> bool:
    """Config semantics: the feature version itself is in the specifier."""
    return Version(f"3.{minor}") in spec


def _admits_any_patch(spec: SpecifierSet, minor: int) -> bool:
    """Requires-Python semantics: some 3.X.p is in the specifier."""
    return any(Version(f"3.{minor}.{p}") in spec for p in range(31))


# --- releases ------------------------------------------------------------------------------

Series = tuple[int, int, int]
"""(epoch, major, minor)."""
Add = Callable[[str, datetime, str], None]
"""Adds a release: its version, upload time and kind."""


@dataclass
class Release:
    """A release as it will be written to the lock."""

    version: str
    uploaded: datetime | None
    kind: str
    """``final``, ``pre``, ``dev``, ``post`` or ``legacy``."""
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Package:
    """One package's generated history and the lock entry built from it."""

    name: str
    """As a suite writes it (``Zope.Interface``); the lock uses the normalized name."""
    style: str
    kind: str
    rp_style: str
    fetched_at: datetime
    releases: list[Release]
    extras: tuple[str, ...]
    py_floor: int = 6

    @property
    def key(self) -> str:
        return canonicalize_name(self.name)

    def finals(self) -> list[Release]:
        return [r for r in self.releases if r.kind == "final"]

    def valid_versions(self) -> list[Version]:
        return sorted(Version(r.version) for r in self.releases if r.kind != "legacy")


class HistoryMaker:
    """Random release histories, with the facts the lock records for each release."""

    def __init__(self, rng: random.Random, facts: Counter[str]) -> None:
        self.rng = rng
        self.facts = facts

    def package(self, name: str, fetched_at: datetime) -> Package:
        rng = self.rng
        style = rng.choice(STYLES)
        kind = _choice(rng, KINDS)
        rp_style = _choice(rng, RP_STYLES)
        extras = tuple(
            sorted(rng.sample(("all", "async", "http2", "cli", "socks"), rng.randint(0, 3)))
        )
        package = Package(
            name=name,
            style=style,
            kind=kind,
            rp_style=rp_style,
            fetched_at=fetched_at,
            releases=[],
            extras=extras,
            py_floor=rng.choice((5, 6, 7, 8)),
        )
        package.releases = self._versions(package)
        no_times = rng.random() < 0.05
        for release in package.releases:
            if no_times or rng.random() < 0.03:
                release.uploaded = None
            release.facts = self._facts(package, release)
        self.facts[f"package style {style}"] += 1
        self.facts[f"package kind {kind}"] += 1
        self.facts[f"package requires-python {rp_style}"] += 1
        if no_times:
            self.facts["package without upload times"] += 1
        return package

    # --- versions and dates ----------------------------------------------------------------

    def _series(self, style: str, now: datetime) -> list[Series]:
        rng = self.rng
        if style == "zerover":
            first = rng.randint(1, 6)
            return [(0, 0, m) for m in range(first, first + rng.randint(2, 14))]
        if style == "calver":
            first = rng.randint(18, 23)
            return [
                (0, year, m)
                for year in range(first, now.year % 100 + 1)
                for m in range(1, rng.randint(1, 2) + 1)
            ]
        if style == "epoch":
            calver = [(0, year, 1) for year in range(rng.randint(19, 21), 23)]
            return calver + [(1, major, m) for major in (1, 2) for m in range(rng.randint(1, 3))]
        if style == "patches":
            return [(0, rng.randint(0, 3), m) for m in range(rng.randint(1, 3))]
        if style == "minors":  # many minors of one major: where spacing and stable picks act
            major = rng.randint(0, 2)
            return [(0, major, m) for m in range(rng.randint(10, 35))]
        majors = range(rng.randint(0, 1), rng.randint(2, 4))
        return [(0, major, m) for major in majors for m in range(rng.randint(1, 5))]

    def _versions(self, package: Package) -> list[Release]:
        rng = self.rng
        now = package.fetched_at
        series = self._series(package.style, now)
        start = now - timedelta(days=rng.randint(300, 4300))
        span = (now - start).total_seconds()
        starts = sorted(start + timedelta(seconds=span * rng.random()) for _ in series)
        releases: list[Release] = []
        seen: set[str] = set()

        def add(text: str, uploaded: datetime, kind: str) -> None:
            normal = _normal(text) if kind != "legacy" else text
            if normal is None or normal in seen or uploaded > now:
                return
            seen.add(normal)
            releases.append(Release(version=normal, uploaded=uploaded, kind=kind))

        for index, key in enumerate(series):
            begin = starts[index]
            maintained = rng.random() < 0.2
            end = now if maintained or index == len(series) - 1 else starts[index + 1]
            self._prereleases(add, key, begin, package.style)
            when = begin
            for patch in range(self._patch_count(package.style)):
                if patch and when > end:
                    break
                text = self._format(package.style, key, patch)
                add(text, when, "final")
                if rng.random() < 0.04:
                    add(f"{text}.post1", when + timedelta(days=rng.randint(1, 9)), "post")
                    self.facts["post-release"] += 1
                if rng.random() < 0.02:
                    add(f"{text}.1", when + timedelta(days=2), "final")
                    self.facts["four-part version"] += 1
                when += timedelta(days=rng.randint(1, 90), seconds=rng.randint(0, 86399))
        self._tail(add, package, series, now)
        for _ in range(rng.randint(1, 3) if rng.random() < 0.1 else 0):
            text = rng.choice(LEGACY)
            add(text, now - timedelta(days=rng.randint(10, 3000)), "legacy")
            self.facts["legacy version"] += 1
        self._near_betas(releases)
        if rng.random() < 0.1:
            rng.shuffle(releases)
            self.facts["package with releases out of order in the lock"] += 1
        else:
            releases.sort(key=lambda r: (r.kind == "legacy", _sort_key(r.version)))
        return releases

    def _patch_count(self, style: str) -> int:
        rng = self.rng
        if style == "patches" or rng.random() < 0.04:
            self.facts["minor with many patches"] += 1
            return rng.randint(12, 40)
        if style == "minors":
            return 1
        if rng.random() < 0.1:
            return rng.randint(3, 8)
        return rng.randint(1, 2)

    def _format(self, style: str, key: Series, patch: int) -> str:
        epoch, major, minor = key
        prefix = f"{epoch}!" if epoch else ""
        if style == "two-part" and patch == 0:
            return f"{prefix}{major}.{minor}"
        return f"{prefix}{major}.{minor}.{patch}"

    def _prereleases(self, add: Add, key: Series, begin: datetime, style: str) -> None:
        rng = self.rng
        base = self._format(style, key, 0)
        if rng.random() < 0.2:
            tags = rng.sample(("a1", "a2", "b1", "b2", "rc1", "rc2"), rng.randint(1, 2))
            for tag in sorted(tags):
                add(f"{base}{tag}", begin - timedelta(days=rng.randint(1, 60)), "pre")
                self.facts["prerelease"] += 1
        if rng.random() < 0.04:
            add(f"{base}.dev1", begin - timedelta(days=rng.randint(30, 90)), "dev")
            self.facts["dev release"] += 1
        if rng.random() < 0.03:
            add(f"{base}rc1.dev1", begin - timedelta(days=rng.randint(1, 20)), "dev")
            self.facts["dev release of a prerelease"] += 1

    def _tail(self, add: Add, package: Package, series: Sequence[Series], now: datetime) -> None:
        """A prerelease of the next version, and a release still in its cooldown."""
        rng = self.rng
        epoch, major, minor = series[-1]
        if rng.random() < 0.3:
            nxt = (epoch, major + 1, 0) if rng.random() < 0.5 else (epoch, major, minor + 1)
            base = self._format(package.style, nxt, 0)
            for tag in sorted(rng.sample(("a1", "b1", "rc1"), rng.randint(1, 2))):
                age = timedelta(
                    days=rng.choice((0, 1, 3, 20, 90, 170, 200, 400)), hours=rng.randint(0, 23)
                )
                add(f"{base}{tag}", now - age, "pre")
                self.facts["prerelease newer than every final"] += 1
        if rng.random() < 0.3:
            text = self._format(package.style, (epoch, major, minor), rng.randint(70, 90))
            add(text, now - timedelta(hours=rng.randint(0, 130)), "final")
            self.facts["release uploaded in the last days"] += 1

    def _near_betas(self, releases: list[Release]) -> None:
        """Move a few uploads to the day before or the day of a CPython first beta."""
        rng = self.rng
        for release in releases:
            if release.uploaded is None or rng.random() > 0.05:
                continue
            candidates = [m for m in MINORS if FIRST_BETA[m] < release.uploaded.date()]
            if not candidates:
                continue
            beta = FIRST_BETA[max(candidates)]
            day = beta - timedelta(days=rng.choice((1, 0)))
            release.uploaded = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
            self.facts["upload on the day before or of a first beta"] += 1

    # --- facts per release -----------------------------------------------------------------

    def _pythons_at(self, package: Package, day: date) -> list[int]:
        released = [m for m in MINORS if FINAL[m] <= day]
        if not released:
            return [5]
        floor = max(package.py_floor, max(released) - 5)
        return [m for m in released if m >= min(floor, max(released))]

    def _facts(self, package: Package, release: Release) -> dict[str, Any]:
        rng = self.rng
        day = (release.uploaded or package.fetched_at).date()
        pythons = self._pythons_at(package, day)
        kind = package.kind if package.kind != "mixed" else rng.choice(list(KINDS)[:4])
        wheels, sdist = self._wheels(kind, pythons, day)
        files = (1 if sdist else 0) + len(wheels) * rng.choice((1, 1, 3, 5))
        roll = rng.random()
        if roll < 0.02:
            wheels, sdist, files = [], False, 0
            self.facts["release listed without files"] += 1
        elif roll < 0.03:
            wheels, sdist, files = [], False, 2
            self.facts["release without sdist or wheel (eggs only)"] += 1
        out: dict[str, Any] = {"version": release.version}
        if release.uploaded is not None:
            out["uploaded"] = self._time(release.uploaded)
        out["files"] = files
        if sdist or rng.random() < 0.05:
            out["sdist"] = sdist
        if wheels or rng.random() < 0.05:
            out["wheels"] = wheels
        requires_python = self._requires_python(package, pythons)
        if requires_python is not None:
            out["requires-python"] = requires_python
        if rng.random() < 0.04:
            out["yanked"] = True
            reason = rng.choice(YANK_REASONS)
            self.facts["yanked, with a reason" if reason else "yanked, without a reason"] += 1
            if reason is not None:
                out["yanked-reason"] = reason
        elif rng.random() < 0.02:
            out["yanked"] = False
        metadata = self._metadata(package, release, wheels, requires_python, pythons)
        if metadata is not None:
            out["metadata"] = metadata
        self.facts[f"release {release.kind}"] += 1
        return out

    def _time(self, when: datetime) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            when = when.replace(microsecond=rng.randint(1, 999999))
        text = when.astimezone(UTC).isoformat()
        if roll > 0.99:
            self.facts["upload time with a +02:00 offset"] += 1
            return when.astimezone(timezone(timedelta(hours=2))).isoformat()
        if roll > 0.97:
            self.facts["upload time with +00:00"] += 1
            return text
        return text.replace("+00:00", "Z")

    def _wheels(self, kind: str, pythons: Sequence[int], day: date) -> tuple[list[str], bool]:
        rng = self.rng
        if kind == "sdist-only":
            return [], True
        if kind == "pure":
            if day.year < 2020 and rng.random() < 0.5:
                tags = ["py2.py3-none"] if rng.random() < 0.3 else ["py2-none", "py3-none"]
            else:
                tags = [rng.choice(("py3-none", "py3-none", "py36-none"))]
            return tags, rng.random() < 0.9
        tags: list[str] = []
        if kind == "abi3":
            tags.append(f"cp3{pythons[0]}-abi3")
            if day >= date(2026, 10, 1) and rng.random() < 0.3:
                tags.append("cp315-abi3t")
        else:
            for m in pythons:
                tags.append(f"cp3{m}-cp3{m}m" if m <= 7 else f"cp3{m}-cp3{m}")
            upcoming = [m for m in MINORS if FIRST_BETA[m] <= day < FINAL[m]]
            if upcoming and rng.random() < 0.3:
                tags.append(f"cp3{upcoming[0]}-cp3{upcoming[0]}")
                self.facts["wheel for a Python in beta"] += 1
            if day.year < 2020 and rng.random() < 0.3:
                tags.append("cp27-cp27mu")
        for m in FREE_THREADED:
            if FINAL[m] <= day and rng.random() < 0.4:
                tags.append(f"cp3{m}-cp3{m}t")
                self.facts["free-threaded wheel"] += 1
        if rng.random() < 0.3:
            tags.append(
                rng.choice(
                    ("pp39-pypy39_pp73", "pp310-pypy310_pp73", "graalpy311-graalpy242_311_native")
                )
            )
        return sorted(set(tags)), rng.random() < 0.7

    def _requires_python(self, package: Package, pythons: Sequence[int]) -> str | None:
        rng = self.rng
        style = package.rp_style
        if style == "none" or rng.random() < 0.05:
            return None
        if style == "exotic" and rng.random() < 0.6:
            return rng.choice(VALID_EXOTIC_RP)
        if style == "invalid" and rng.random() < 0.3:
            self.facts["invalid Requires-Python"] += 1
            return rng.choice(INVALID_RP)
        if style == "upper":
            return f">=3.{pythons[0]},<3.{pythons[-1] + 1}"
        return f">=3.{pythons[0]}"

    def _metadata(
        self,
        package: Package,
        release: Release,
        wheels: Sequence[str],
        requires_python: str | None,
        pythons: Sequence[int],
    ) -> Any:
        rng = self.rng
        if not wheels:
            if rng.random() < 0.4:
                self.facts["metadata no-wheel"] += 1
                return "no-wheel"
            return None
        roll = rng.random()
        if roll < 0.04:
            self.facts["metadata unavailable"] += 1
            return "unavailable"
        if roll < 0.06:
            self.facts["metadata not-fetched (written out)"] += 1
            return "not-fetched"
        if roll > 0.2:
            return None
        kind = _choice(rng, CLASSIFIERS)
        self.facts[f"metadata ok, classifiers {kind}"] += 1
        meta_rp = requires_python
        if rng.random() < 0.25:
            meta_rp = rng.choice((None, ">=3.9", ">=3.7", "<3.10", ">=2.7"))
            self.facts["metadata Requires-Python differs from the index"] += 1
        wheel = f"{package.key.replace('-', '_')}-{release.version}-{wheels[0]}-any.whl"
        return {
            "wheel": wheel,
            "sha256": hashlib.sha256(wheel.encode()).hexdigest(),
            "advertised": rng.random() < 0.7,
            "requires-python": meta_rp,
            "classifiers": self._classifiers(kind, pythons),
            "extras": list(package.extras),
        }

    def _classifiers(self, kind: str, pythons: Sequence[int]) -> list[str]:
        rng = self.rng
        prefix = "Programming Language :: Python :: "
        listed: list[str]
        if kind == "current":
            listed = [f"3.{m}" for m in pythons] + ["3", "3 :: Only"]
        elif kind == "stale":
            low = rng.choice((4, 5, 6))
            listed = [f"3.{m}" for m in range(low, low + 3)]
        elif kind == "py2-only":
            listed = ["2", "2.7"] + (["2 :: Only"] if rng.random() < 0.5 else [])
        elif kind == "py2-and-old-3":
            listed = ["2", "2.7", "3", "3.4", "3.5", "3.6"]
        elif kind == "generic":
            listed = rng.choice((["3 :: Only"], [], ["3"]))
        elif kind == "future":
            listed = [f"3.{m}" for m in pythons] + [f"3.{pythons[-1] + 1}", f"3.{pythons[-1] + 2}"]
        else:
            listed = [f"3.{pythons[0]}", f"3.{pythons[-1]}"]
        out = [prefix + item for item in listed]
        out.append("Programming Language :: Python :: Implementation :: CPython")
        if rng.random() < 0.3:
            out.append("Programming Language :: Python")
        return sorted(out)


def _sort_key(text: str) -> tuple[int, Any]:
    try:
        return (0, Version(text))
    except InvalidVersion:
        return (1, text)


# --- suites and configs --------------------------------------------------------------------

_INTERPRETER = re.compile(
    r"(?!py$)(py|pypy|cpython|jython|graalpy|rustpython|ironpython)([2-9]\.?[0-9]?[0-9]?t?d?)?"
)


def _conflicts(name: str, others: Iterable[str]) -> bool:
    """Would tox conditions on ``name`` and another suite select each other's envs?"""
    mine = set(name.split("-"))
    for other in others:
        theirs = set(other.split("-"))
        if mine <= theirs or theirs <= mine:
            return True
    return bool(any(_INTERPRETER.fullmatch(part) for part in mine))


@dataclass
class Suite:
    name: str
    package: Package
    table: dict[str, Any]


@dataclass
class Project:
    """One generated project: its files, and what the plan needs to know of it."""

    name: str
    files: dict[str, str]
    """Relative path -> text: the config, the lock, maybe pyproject.toml and a tox file."""
    base_lock: str
    """A second lock, related to the first, for ``report --base``."""
    suites: list[str]
    groups: list[str]
    lock_path: str
    lock_as_of: date | None
    lock_day: date


class ProjectMaker:
    """Random projects: packages, a lock, a valid config and a related base lock."""

    def __init__(self, rng: random.Random, facts: Counter[str]) -> None:
        self.rng = rng
        self.facts = facts
        self.history = HistoryMaker(rng, facts)

    def project(self, name: str, suite_count: int) -> Project:
        rng = self.rng
        now = datetime(2026, 12, 20, tzinfo=UTC) - timedelta(
            days=rng.randint(0, 1000), seconds=rng.randint(0, 86399)
        )
        suites = self._suites(suite_count, now)
        packages = {s.package.key: s.package for s in suites}
        top = self._top_level(now)
        as_of = None
        if rng.random() < 0.3:
            as_of = (now - timedelta(days=rng.randint(0, 300))).date()
            self.facts["project lock with as-of"] += 1
        lock = self._lock(packages, suites, as_of, top["defaults"].get("num-versions", 4))
        lock_day = as_of or max(p.fetched_at for p in packages.values()).date()
        files: dict[str, str] = {}
        python_source = top.pop("_python_source")
        if python_source is not None:
            files["pyproject.toml"] = python_source
        lock_path = top.get("lock", "compatrix.lock")
        groups = sorted(
            {str(s.table.get("group", top["defaults"].get("group", "default"))) for s in suites}
        )
        self._workflows(top, suites, groups)
        groups = sorted(set(groups) | set(top.get("workflows", {}).get("extra-envs", {})))
        tox_file = top.get("tox", {}).get("file", "tox.ini")
        existing = self._tox_file(tox_file)
        if existing is not None:
            files[tox_file] = existing
        files["compatrix.toml"] = _toml(top, suites)
        files[lock_path] = (
            json.dumps(lock, indent=rng.choice((None, 1, 2)), ensure_ascii=rng.random() < 0.5)
            + "\n"
        )
        return Project(
            name=name,
            files=files,
            base_lock=json.dumps(self._related(lock), indent=1) + "\n",
            suites=[s.name for s in suites],
            groups=groups,
            lock_path=lock_path,
            lock_as_of=as_of,
            lock_day=lock_day,
        )

    # --- suites ----------------------------------------------------------------------------

    def _suite_names(self, count: int) -> list[str]:
        rng = self.rng
        names: list[str] = []
        while len(names) < count:
            word = rng.choice(WORDS)
            if rng.random() < 0.25:
                word = f"{word}-{rng.choice(SUFFIXES)}"
            if rng.random() < 0.3 or word in names:
                word = f"{word}{rng.randint(2, 999)}" if "-" not in word else word + str(len(names))
            if word not in names and not _conflicts(word, names):
                names.append(word)
        return names

    def _package_name(self, suite: str) -> str:
        rng = self.rng
        base = suite.partition("-")[0].rstrip("0123456789") or suite
        roll = rng.random()
        if roll < 0.1:
            return f"{base.title()}.Ext_{len(suite)}"
        if roll < 0.2:
            return f"{base}-sdk-{suite.replace('-', '_')}"
        return f"{base}-{suite.replace('_', '-')}"

    def _suites(self, count: int, now: datetime) -> list[Suite]:
        rng = self.rng
        suites: list[Suite] = []
        keys: set[str] = set()
        for name in self._suite_names(count):
            package_name = self._package_name(name)
            if (suites and rng.random() < 0.2) or canonicalize_name(package_name) in keys:
                package = rng.choice(suites).package
                self.facts["suite sharing a package"] += 1
            else:
                fetched = now - timedelta(
                    hours=rng.randint(0, 72), microseconds=rng.randint(0, 999999)
                )
                package = self.history.package(package_name, fetched)
                keys.add(package.key)
            suites.append(Suite(name=name, package=package, table=self._suite_table(package)))
        return suites

    def _suite_table(self, package: Package) -> dict[str, Any]:
        rng = self.rng
        versions = package.valid_versions()
        finals = sorted(Version(r.version) for r in package.finals()) or versions
        table: dict[str, Any] = {}
        requirement = package.name
        if package.extras and rng.random() < 0.3:
            chosen = rng.sample(package.extras, rng.randint(1, len(package.extras)))
            requirement += f"[{','.join(chosen)}]"
            self.facts["suite package with extras"] += 1
        table["package"] = requirement
        minimum = self._min_version(finals, versions)
        if minimum is not None:
            table["min-version"] = minimum
        if rng.random() < 0.15 and finals:
            table["include"] = self._include(finals)
        if rng.random() < 0.2 and versions:
            table["exclude"] = self._exclude(versions)
        if rng.random() < 0.5:
            table["deps"] = self._deps(finals)
        roll = rng.random()
        if roll < 0.25:
            table["python"] = _choice(
                rng,
                {">=3.9": 2, "<3.13": 2, "!=3.10": 1, ">3.7,<=3.11": 1, ">=3.8.1": 1, "<3.6": 0.2},
            )
            self.facts["suite python restriction (string)"] += 1
        elif roll < 0.4 and finals:
            table["python"] = self._python_table(finals)
            self.facts["suite python restriction (table)"] += 1
        if rng.random() < 0.7:
            table["test-path"] = f"tests/integrations/{package.key}"
        if rng.random() < 0.2:
            table["setenv"] = {"FOO": "bar", "EMPTY": "", "SPACED": "a b", "HASHED": "x#y"}
        if rng.random() < 0.15:
            table["passenv"] = ["HOME", "AWS_*"]
        if rng.random() < 0.15:
            table["services"] = rng.choice(SERVICES)
            self.facts["suite with services"] += 1
        table.update(self._policy(suite_level=True))
        return table

    def _min_version(self, finals: Sequence[Version], versions: Sequence[Version]) -> str | None:
        rng = self.rng
        if not finals:
            return None
        roll = rng.random()
        pick = rng.choice(finals[: max(1, len(finals) * 2 // 3)])
        if roll < 0.45:
            return f"{pick.major}.{pick.minor}" if not pick.epoch else str(pick)
        if roll < 0.65:
            return str(pick)
        if roll < 0.72:
            pre = [v for v in versions if v.is_prerelease]
            return str(rng.choice(pre)) if pre else str(pick)
        if roll < 0.77:
            self.facts["min-version newer than every release"] += 1
            return "99.0"
        if roll < 0.82:
            return f"{pick.major}.{pick.minor}.{pick.micro + 1}rc1" if not pick.epoch else str(pick)
        return None

    def _include(self, finals: Sequence[Version]) -> str:
        rng = self.rng
        pick = rng.choice(finals)
        return rng.choice(
            (f">={pick}", f"<={pick}", f"!={pick},!={finals[-1]}", f"=={pick.major}.*")
        )

    def _exclude(self, versions: Sequence[Version]) -> dict[str, str]:
        rng = self.rng
        out: dict[str, str] = {}
        for _ in range(rng.randint(1, 3)):
            pick = rng.choice(versions)
            key = rng.choice(
                (str(pick), f">={pick},<{pick.major + 1}", f"=={pick.major}.{pick.minor}.*")
            )
            if pick.epoch:
                key = str(pick)
            out[key] = rng.choice(EXCLUDE_REASONS)
        return out

    def _deps(self, finals: Sequence[Version]) -> dict[str, list[str]]:
        rng = self.rng
        rules: dict[str, list[str]] = {}
        for _ in range(rng.randint(1, 4)):
            form = rng.choice(("*", "specifier", "pythons", "both"))
            pick = rng.choice(finals)
            spec = rng.choice((f">={pick}", f"<{pick}", f">={pick},<{pick.major + 1}"))
            pythons = ",".join(
                sorted(
                    rng.sample(
                        ("py3.8", "py3.9", "py3.12", "py3.13", "py3.14", "py3.14t"),
                        rng.randint(1, 3),
                    )
                )
            )
            key = {"*": "*", "specifier": spec, "pythons": pythons, "both": f"{spec}; {pythons}"}[
                form
            ]
            rules[key] = rng.sample(REQUIREMENTS, rng.randint(1, 3))
            self.facts[f"deps rule {form}"] += 1
        return rules

    def _python_table(self, finals: Sequence[Version]) -> dict[str, str]:
        rng = self.rng
        low, high = (
            sorted(rng.sample(list(finals), 2)) if len(finals) > 1 else (finals[0], finals[0])
        )
        return {
            f"<{low}": rng.choice(("<3.12", "<=3.10")),
            f">={high}": rng.choice((">=3.9", ">3.10")),
        }

    def _policy(self, *, suite_level: bool) -> dict[str, Any]:
        rng = self.rng
        chance = 0.25 if suite_level else 0.5
        options: dict[str, Any] = {
            "num-versions": rng.randint(2, 8),
            "prereleases": rng.random() < 0.7,
            "prerelease-max-age": rng.choice((1, 30, 180, 365)),
            "cooldown": rng.choice((0, 1, 2, 7, 30)),
            "python-policy": rng.choice(("spread", "all", "oldest-newest", "newest")),
            "each-major": rng.random() < 0.7,
            "stable-picks": rng.random() < 0.7,
            "latest-env": rng.random() < 0.7,
            "group": rng.choice(GROUPS),
        }
        chosen = {key: value for key, value in options.items() if rng.random() < chance}
        for key, value in chosen.items():
            self.facts[f"policy {key}={value}"] += 1
        return chosen

    # --- the top level ---------------------------------------------------------------------

    def _top_level(self, now: datetime) -> dict[str, Any]:
        rng = self.rng
        top: dict[str, Any] = {"_python_source": None}
        roll = rng.random()
        minors: list[int]
        if roll < 0.45:
            spec = rng.choice(
                (
                    ">=3.8",
                    ">=3.7",
                    ">=3.9,<3.14",
                    ">3.8",
                    "!=3.9",
                    ">=3.6,!=3.7",
                    "<=3.12",
                    ">=3.8.1",
                    "~=3.9",
                    ">=3.10",
                )
            )
            top["python"] = spec
            minors = [m for m in MINORS if _admits_feature(SpecifierSet(spec), m)]
            self.facts["project python: specifier"] += 1
        elif roll < 0.8:
            minors = self._python_list(now)
            top["python"] = [f"3.{m}" for m in minors]
            self.facts["project python: list"] += 1
        else:
            requires = rng.choice((">=3.8.1", ">=3.9", ">3.7", ">=3.7,<3.14"))
            classified = sorted(rng.sample((*MINORS, 4, 16), rng.randint(0, 7)))
            spec = SpecifierSet(requires)
            minors = [
                m for m in (classified or MINORS) if m in MINORS and _admits_any_patch(spec, m)
            ]
            if not minors:
                classified = [9, 10]
                minors = [9, 10]
            top["_python_source"] = _pyproject(
                requires, classified, free_threading=rng.random() < 0.3
            )
            self.facts["project python: from pyproject.toml"] += 1
        roll = rng.random()
        if roll < 0.3:
            top["free-threaded"] = True
        elif roll < 0.6:
            options = [m for m in FREE_THREADED if m in minors]
            if options:
                top["free-threaded"] = [
                    f"3.{m}" for m in rng.sample(options, rng.randint(1, len(options)))
                ]
        if rng.random() < 0.2:
            top["lock"] = "locks/matrix.lock"
        if rng.random() < 0.1:
            top["index-url"] = "https://example.org/simple/"
            top["index"] = {"jobs": 4, "timeout": 12.5, "retries": 0}
        tox: dict[str, Any] = {}
        if rng.random() < 0.4:
            tox["file"] = "tox.toml"
        if rng.random() < 0.2:
            tox["test-path-variable"] = "TEST_PATH"
        top["tox"] = tox
        top["defaults"] = self._policy(suite_level=False)
        return top

    def _python_list(self, now: datetime) -> list[int]:
        """Mostly the Pythons of the lock's time (a window ending at the newest released
        or the one before); sometimes any few."""
        rng = self.rng
        if rng.random() < 0.15:
            return sorted(rng.sample(MINORS, rng.randint(1, 4)))
        released = [m for m in MINORS if FINAL[m] <= now.date()]
        newest = released[-1] - rng.choice((0, 0, 1))
        return list(range(max(MINORS[0], newest - rng.randint(2, 7)), newest + 1))

    def _workflows(
        self, top: dict[str, Any], suites: Sequence[Suite], groups: Sequence[str]
    ) -> None:
        rng = self.rng
        if rng.random() < 0.4:
            return
        workflows: dict[str, Any] = {"enabled": True}
        workflows["jobs-per"] = rng.choice(("python", "suite", "env"))
        workflows["max-jobs"] = rng.choice((1, 3, 10, 256))
        if rng.random() < 0.5:
            extra_group = rng.choice((*groups, "Lint"))
            workflows["extra-envs"] = {extra_group: ["py3.12-lint", "py3.13-mypy"]}
        if rng.random() < 0.3:
            workflows["branches"] = ["main", "release/*"]
            workflows["runs-on"] = "ubuntu-24.04"
            workflows["tox-uv"] = False
            workflows["name-prefix"] = rng.choice(("", "ci_", "test-"))
        if rng.random() < 0.2:
            workflows["python-runs-on"] = {"3.7": "ubuntu-22.04", "3.14t": "ubuntu-24.04-arm"}
            workflows["python-container"] = {"3.6": "python:3.6-slim"}
            workflows["tox-python"] = "3.12"
        self.facts["workflows enabled"] += 1
        self.facts[f"workflows jobs-per {workflows['jobs-per']}"] += 1
        top["workflows"] = workflows

    def _tox_file(self, path: str) -> str | None:
        if self.rng.random() < 0.5:
            return None
        self.facts["hand-written tox file"] += 1
        if path.endswith(".toml"):
            return (
                'requires = ["tox>=4.21"]\nenv_list = ["py3.12-lint"]\n\n[env_run_base]\n'
                'deps = ["pytest"]\n'
                'commands = [["pytest", { replace = "posargs", extend = true }]]\n\n'
                '[env."py3.12-lint"]\ndeps = ["ruff"]\ncommands = [["ruff", "check", "."]]\n'
            )
        return (
            "[tox]\nrequires = tox>=4\nenv_list = py3.12-lint\n\n[testenv]\ndeps = pytest\n"
            "commands = pytest {posargs}\n\n[testenv:py3.12-lint]\ndeps = ruff\n"
            "commands = ruff check .\n"
        )

    # --- the lock --------------------------------------------------------------------------

    def _lock(
        self,
        packages: Mapping[str, Package],
        suites: Sequence[Suite],
        as_of: date | None,
        num_versions: int,
    ) -> dict[str, Any]:
        rng = self.rng
        entries: dict[str, Any] = {}
        for key in sorted(packages) if rng.random() < 0.8 else list(packages):
            package = packages[key]
            floor = self._releases_from(package, suites)
            releases = [r.facts for r in package.releases]
            if floor is not None:
                releases = [
                    r
                    for r in releases
                    if _normal(r["version"]) is not None and Version(r["version"]) >= Version(floor)
                ]
                self.facts["package with releases-from"] += 1
            entries[key] = {
                "index": rng.choice(("https://pypi.org/simple/", "https://example.org/simple/")),
                "fetched-at": package.fetched_at.isoformat().replace("+00:00", "Z"),
                "api-version": rng.choice(("1.1", "1.0", "1.4")),
                "serial": rng.choice((None, rng.randint(1, 10**8))),
                "status": rng.choice((None,) * 18 + ("archived", "deprecated")),
                "releases-from": floor,
                "releases": releases,
            }
        if rng.random() < 0.2:
            entries["unused-package"] = {
                "index": "https://pypi.org/simple/",
                "fetched-at": "2024-01-01T00:00:00Z",
                "releases": [{"version": "1.0", "files": 1, "sdist": True}],
            }
            self.facts["lock with a package no suite uses"] += 1
        picks: dict[str, list[str]] = {}
        for suite in suites:
            if rng.random() < 0.45:
                count = suite.table.get("num-versions", num_versions)
                picks[suite.name] = self._remembered(
                    suite.package, count, suite.table.get("min-version")
                )
                self.facts["suite with remembered picks"] += 1
        if rng.random() < 0.1:
            picks["gone-suite"] = ["1.0"]
        return {
            "compatrix-lock": 1,
            "as-of": as_of.isoformat() if as_of else None,
            "packages": entries,
            "picks": picks,
        }

    def _releases_from(self, package: Package, suites: Sequence[Suite]) -> str | None:
        minimums = [s.table.get("min-version") for s in suites if s.package is package]
        if None in minimums or self.rng.random() < 0.5:
            return None
        return str(min(Version(m) for m in minimums if m is not None))

    def _remembered(self, package: Package, count: int, minimum: str | None) -> list[str]:
        """Picks of an earlier update: evenly spaced over the newest patch of each minor, a
        position off here and there, or every (other) minor, so that stable picks have
        anchors to keep near the ideal positions; an older patch standing for its minor;
        sometimes a version that is not there."""
        rng = self.rng
        newest: dict[tuple[int, ...], Version] = {}
        for version in sorted(Version(r.version) for r in package.finals()):
            newest[(version.epoch, *version.release[:2])] = version
        floor = Version(minimum) if minimum is not None else None
        minors = sorted(v for v in newest.values() if floor is None or v >= floor)
        if not minors:
            return []
        last = len(minors) - 1
        mode = rng.choice(("spaced", "spaced", "every-minor", "every-other-minor"))
        if mode == "spaced":
            count += rng.choice((-1, 0, 0, 0, 1))
            spots = {
                round(i * last / max(1, count - 1)) + rng.choice((-1, 0, 1)) for i in range(count)
            }
            chosen = [minors[i] for i in sorted(spots) if 0 <= i <= last]
        else:
            chosen = minors[:: 1 if mode == "every-minor" else 2]
        self.facts[f"remembered picks: {mode}"] += 1
        out = [str(v) for v in chosen]
        if chosen and rng.random() < 0.3:
            minor = rng.choice(chosen)
            older = [v for v in package.valid_versions() if v.release[:2] == minor.release[:2]]
            out.append(str(older[0]))
            self.facts["remembered pick: an older patch"] += 1
        if rng.random() < 0.2:
            out.append(rng.choice(("9.9.9", "0.0.1", "not-a-version", "1.0rc1")))
            self.facts["remembered pick: not a release"] += 1
        return sorted(set(out), key=_sort_key)

    def _related(self, lock: dict[str, Any]) -> dict[str, Any]:
        """The lock as it might have been some weeks earlier, with a few other changes."""
        rng = self.rng
        base = json.loads(json.dumps(lock))
        packages: dict[str, Any] = base["packages"]
        for key in list(packages):
            entry = packages[key]
            roll = rng.random()
            if roll < 0.08:
                del packages[key]
                self.facts["base lock: package missing"] += 1
                continue
            if roll < 0.6:
                self._earlier(entry, days=rng.choice((7, 30, 90, 400)))
            if rng.random() < 0.1:
                self._flip_release(entry)
        picks = base["picks"]
        for suite in list(picks):
            if rng.random() < 0.3:
                picks[suite] = picks[suite][: max(0, len(picks[suite]) - 1)]
        return base

    def _earlier(self, entry: dict[str, Any], *, days: int) -> None:
        fetched = datetime.fromisoformat(entry["fetched-at"].replace("Z", "+00:00")) - timedelta(
            days=days
        )
        entry["fetched-at"] = fetched.isoformat().replace("+00:00", "Z")
        kept = []
        for release in entry["releases"]:
            uploaded = release.get("uploaded")
            if (
                uploaded is None
                or datetime.fromisoformat(uploaded.replace("Z", "+00:00")) < fetched
            ):
                kept.append(release)
        entry["releases"] = kept
        self.facts["base lock: package as of an earlier day"] += 1

    def _flip_release(self, entry: dict[str, Any]) -> None:
        rng = self.rng
        releases = entry["releases"]
        if not releases:
            return
        release = rng.choice(releases)
        change = rng.choice(("yank", "unyank", "requires-python", "extra"))
        if change == "yank":
            release["yanked"] = not release.get("yanked", False)
        elif change == "requires-python":
            release["requires-python"] = ">=3.11"
            release.pop("metadata", None)
        elif change == "extra" and _normal(release["version"]) is not None:
            extra = dict(release)
            extra["version"] = str(Version(release["version"])) + ".post7"
            releases.append(extra)
        self.facts[f"base lock: release changed ({change})"] += 1


def _pyproject(requires: str, classified: Sequence[int], *, free_threading: bool) -> str:
    classifiers = [f"Programming Language :: Python :: 3.{m}" for m in classified]
    if free_threading:
        classifiers.append("Programming Language :: Python :: Free Threading :: 3 - Stable")
    listed = "".join(f'    "{c}",\n' for c in classifiers)
    return (
        '[project]\nname = "generated"\nversion = "1.0"\n'
        f'requires-python = "{requires}"\nclassifiers = [\n{listed}]\n'
    )


# --- TOML ----------------------------------------------------------------------------------


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _table(
    lines: list[str], path: str, table: Mapping[str, Any], *, nested: Sequence[str] = ()
) -> None:
    """``[path]`` with its plain keys; the keys in ``nested`` become sub-tables."""
    lines.append(f"[{path}]")
    for key, value in table.items():
        if key not in nested:
            lines.append(f"{_key(key)} = {_value(value)}")
    lines.append("")
    for key in nested:
        if key in table:
            if key == "services":
                for name, service in table[key].items():
                    _table(lines, f"{path}.services.{_key(name)}", service)
            else:
                _table(lines, f"{path}.{_key(key)}", table[key])


def _toml(top: Mapping[str, Any], suites: Sequence[Suite]) -> str:
    lines = ["# Generated by compare_outputs.py: a random, valid compatrix configuration.", ""]
    tables = ("index", "tox", "workflows", "defaults")
    for key, value in top.items():
        if key not in tables:
            lines.append(f"{_key(key)} = {_value(value)}")
    lines.append("")
    for key in tables:
        if top.get(key):
            nested = (
                ("extra-envs", "python-runs-on", "python-container") if key == "workflows" else ()
            )
            _table(lines, key, top[key], nested=nested)
    for suite in suites:
        _table(
            lines,
            f"suites.{suite.name}",
            suite.table,
            nested=("exclude", "deps", "setenv", "services"),
        )
    return "\n".join(lines)


def make_projects(
    seed: int, suites: int, per_project: int = 50
) -> tuple[list[Project], Counter[str]]:
    """The random projects of one workload: ``suites`` suites in projects of about
    ``per_project`` each."""
    rng = random.Random(seed)
    facts: Counter[str] = Counter()
    maker = ProjectMaker(rng, facts)
    count = max(1, round(suites / per_project)) if suites else 0
    sizes = [suites // count + (1 if i < suites % count else 0) for i in range(count)]
    projects = [maker.project(f"p{i:02d}", size) for i, size in enumerate(sizes) if size]
    return projects, facts


def write_project(project: Project, directory: Path) -> None:
    for relative, text in project.files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check_rp_lists() -> None:
    """The Requires-Python strings are what their list says they are."""
    for text in VALID_EXOTIC_RP:
        SpecifierSet(text)
    for text in INVALID_RP:
        try:
            SpecifierSet(text)
        except InvalidSpecifier:
            continue
        msg = f"{text!r} is a valid specifier"
        raise AssertionError(msg)
