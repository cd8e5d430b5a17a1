"""One env resolved along its ladder of days (``compatrix._resolve._envs``), with a
scripted resolver, and once for real with uv against an index on loopback."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from packaging.version import Version
from tests.index_server import IndexServer

from compatrix._index import IndexClient
from compatrix._lock import PackageFacts, Release
from compatrix._pythons import PythonVersion
from compatrix._resolve import (
    Distribution,
    Resolution,
    ResolveRequest,
    ResolverError,
    Unsatisfiable,
    find_uv,
    resolve,
)
from compatrix._resolve._envs import EnvPins, resolve_env
from compatrix._resolve._era import Cut

from ._index import Dist, Index

PY38 = PythonVersion(3, 8)
CUTS = (
    Cut(day=date(2021, 1, 1), why="era"),
    Cut(day=date(2022, 1, 1), why="later"),
    Cut(day=date(2025, 1, 1), why="lock day"),
)
REQUEST = ResolveRequest(requirements=("app==1.0",), python=PY38, index_url="x")


def _resolution(*pins: str) -> Resolution:
    return Resolution(
        distributions=tuple(
            Distribution(
                name=pin.split("==")[0],  # type: ignore[arg-type]
                version=Version(pin.split("==")[1]),
                wheels=(f"{pin.replace('==', '-')}-py3-none-any.whl",),
                sdist=None,
            )
            for pin in pins
        )
    )


def _scripted(answers: dict[date | None, Resolution | Unsatisfiable]):  # type: ignore[no-untyped-def]
    asked: list[ResolveRequest] = []

    async def resolver(request: ResolveRequest) -> Resolution | Unsatisfiable:
        asked.append(request)
        return answers[request.exclude_newer]

    return resolver, asked


async def _no_facts(name: str) -> PackageFacts | None:
    return None


def _never(reason: str) -> EnvPins:
    """Not installable on any day of the ladder (the last, the lock's, recorded), for
    ``reason``."""
    return EnvPins(
        status="not-installable", day=date(2025, 1, 1), why_day="lock day", reason=reason
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            {date(2021, 1, 1): _resolution("app==1.0", "lib==1.0")},
            EnvPins(
                status="ok", day=date(2021, 1, 1), why_day="era", pins=("app==1.0", "lib==1.0")
            ),
            id="the-era-resolves",
        ),
        pytest.param(
            {
                date(2021, 1, 1): Unsatisfiable(reason="lib>=2 (project) did not exist"),
                date(2022, 1, 1): _resolution("app==1.0", "lib==2.0"),
            },
            EnvPins(
                status="ok",
                day=date(2022, 1, 1),
                why_day="later; as of 2021-01-01: lib>=2 (project) did not exist",
                pins=("app==1.0", "lib==2.0"),
            ),
            id="a-later-day-when-the-era-cannot",
        ),
        pytest.param(
            {d.day: Unsatisfiable(reason=f"no luck {d.day.year}") for d in CUTS},
            _never("no luck 2025"),
            id="never",
        ),
    ],
)
def test_the_first_day_that_resolves_wins(
    answers: dict[date | None, Resolution | Unsatisfiable], expected: EnvPins
) -> None:
    resolver, asked = _scripted(answers)
    found = asyncio.run(
        resolve_env(REQUEST, CUTS, python=PY38, resolver=resolver, facts_of=_no_facts)
    )
    assert found == expected
    assert [r.exclude_newer for r in asked] == list(answers)[: len(asked)]


def test_a_project_that_builds_only_on_a_later_day_is_pinned_there() -> None:
    resolver, asked = _scripted(
        {
            date(2021, 1, 1): Unsatisfiable(reason="the project does not build", project=True),
            date(2022, 1, 1): _resolution("app==1.0"),
        }
    )
    found = asyncio.run(
        resolve_env(REQUEST, CUTS, python=PY38, resolver=resolver, facts_of=_no_facts)
    )
    assert (found.status, found.day) == ("ok", date(2022, 1, 1))
    assert found.why_day == "later; as of 2021-01-01: the project does not build"
    assert [r.exclude_newer for r in asked] == [date(2021, 1, 1), date(2022, 1, 1)]


@pytest.mark.parametrize(
    ("cuts", "when"),
    [
        pytest.param(CUTS, "with the index of 2025-01-01", id="on-the-lock-day"),
        pytest.param((), "with today's index", id="unpinned-day"),
    ],
)
def test_a_project_that_does_not_build_on_the_last_day_is_an_error(
    cuts: tuple[Cut, ...], when: str
) -> None:
    """Not evidence about the pick: the project does not build on today's index, for any
    env, so the update stops and says so rather than record every env as not installable."""
    failure = Unsatisfiable(reason="the project does not build: no setuptools", project=True)
    resolver, _ = _scripted(dict.fromkeys([*(c.day for c in cuts), None], failure))
    request = replace(REQUEST, label="py3.8-app-v1.0")
    with pytest.raises(ResolverError) as caught:
        asyncio.run(resolve_env(request, cuts, python=PY38, resolver=resolver, facts_of=_no_facts))
    assert str(caught.value) == (
        f"resolving py3.8-app-v1.0 (Python 3.8) failed: {when}, "
        "the project does not build: no setuptools"
    )


# --- a probe outweighs "its sdist needs a build" ---------------------------------------

NOW = datetime(2020, 1, 1, tzinfo=timezone.utc)
SPEEDUPS = PackageFacts(
    name="speedups",
    index="x",
    fetched_at=NOW,
    releases=(
        Release(version="1.0", uploaded=NOW, yanked=False, sdist=True, wheel_tags=("cp37-cp37m",)),
    ),
)
"""A package whose C extension is optional: compiled wheels for 3.7, an sdist for the rest."""


def _with_sdist(*pins: str) -> Resolution:
    """``pins`` resolved, the last one as an sdist of a package that ships compiled wheels."""
    wheels = _resolution(*pins[:-1]).distributions
    name, version = pins[-1].split("==")
    sdist = Distribution(name=name, version=Version(version), wheels=(), sdist=f"{name}.tar.gz")  # type: ignore[arg-type]
    return Resolution(distributions=(*wheels, sdist))


async def _speedups(name: str) -> PackageFacts | None:
    return SPEEDUPS if name == "speedups" else None


BUILD = "no wheel of speedups 1.0 for cp38; its sdist needs a build"
PROBED = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("answers", "python", "probed", "expected"),
    [
        pytest.param(
            {d.day: _with_sdist("app==1.0", "speedups==1.0") for d in CUTS},
            PY38,
            None,
            _never(BUILD),
            id="not-probed-not-installable",
        ),
        pytest.param(
            {d.day: _with_sdist("app==1.0", "speedups==1.0") for d in CUTS},
            PY38,
            PROBED,
            EnvPins(
                status="ok",
                day=date(2021, 1, 1),
                why_day=(
                    f"era; {BUILD}, built: the pick installed and imported on 3.8 when probed "
                    "on 2026-12-03"
                ),
                pins=("app==1.0", "speedups==1.0"),
            ),
            id="probed-pinned-at-the-first-day-with-the-build",
        ),
        pytest.param(
            {
                date(2021, 1, 1): _with_sdist("app==1.0", "speedups==1.0"),
                date(2022, 1, 1): _resolution("app==1.0", "speedups==2.0"),
            },
            PY38,
            PROBED,
            EnvPins(
                status="ok",
                day=date(2022, 1, 1),
                why_day=f"later; as of 2021-01-01: {BUILD}",
                pins=("app==1.0", "speedups==2.0"),
            ),
            id="probed-a-later-day-without-a-build-still-wins",
        ),
        pytest.param(
            {d.day: _with_sdist("app==1.0", "speedups==1.0") for d in CUTS},
            PythonVersion(3, 8, free_threaded=True),
            PROBED,
            _never(BUILD),
            id="free-threaded-not-vouched-for",
        ),
    ],
)
def test_a_probe_outweighs_the_build_rule(
    answers: dict[date | None, Resolution | Unsatisfiable],
    python: PythonVersion,
    probed: date | None,
    expected: EnvPins,
) -> None:
    resolver, _ = _scripted(answers)
    found = asyncio.run(
        resolve_env(
            REQUEST, CUTS, python=python, resolver=resolver, facts_of=_speedups, probed=probed
        )
    )
    assert found == expected


# --- allow-builds: the user's word that a dependency's sdist builds ---------------------

FT38 = PythonVersion(3, 8, free_threaded=True)
COMPILED_38 = "speedups-1.0-cp38-cp38-manylinux_2_28_x86_64.whl"


def _speedups_as(*, wheels: tuple[str, ...], sdist: str | None) -> Resolution:
    app = _resolution("app==1.0").distributions
    speedups = Distribution(name="speedups", version=Version("1.0"), wheels=wheels, sdist=sdist)  # type: ignore[arg-type]
    return Resolution(distributions=(*app, speedups))


ALLOWED = "speedups 1.0 built from its sdist: allow-builds"
SDIST_ONLY = _speedups_as(wheels=(), sdist="speedups-1.0.tar.gz")
BUILT_IN_ITS_ERA = EnvPins(
    status="ok",
    day=date(2021, 1, 1),
    why_day=f"era; {ALLOWED}",
    pins=("app==1.0", "speedups==1.0"),
)
"""Pinned at the first day of the ladder, speedups built from its sdist."""


@pytest.mark.parametrize(
    ("resolution", "python", "allow", "expected"),
    [
        pytest.param(
            SDIST_ONLY,
            PY38,
            {"speedups"},
            BUILT_IN_ITS_ERA,
            id="listed-sdist-built",
        ),
        pytest.param(
            SDIST_ONLY,
            PY38,
            {"other"},
            _never(BUILD),
            id="another-package-listed",
        ),
        pytest.param(
            SDIST_ONLY,
            FT38,
            {"speedups"},
            BUILT_IN_ITS_ERA,
            id="free-threaded-listed-sdist-built",
        ),
        pytest.param(
            _speedups_as(wheels=(COMPILED_38,), sdist="speedups-1.0.tar.gz"),
            FT38,
            {"speedups"},
            BUILT_IN_ITS_ERA,
            id="free-threaded-no-wheel-for-it-sdist-built",
        ),
        pytest.param(
            _speedups_as(wheels=(COMPILED_38,), sdist=None),
            FT38,
            {"speedups"},
            _never("no free-threaded (cp38t) or pure-Python wheel of speedups 1.0"),
            id="free-threaded-no-sdist-to-build",
        ),
        pytest.param(
            _speedups_as(wheels=(), sdist=None),
            PY38,
            {"speedups"},
            _never("no wheel or sdist of speedups 1.0 for cp38"),
            id="nothing-to-build",
        ),
        pytest.param(
            _speedups_as(wheels=(COMPILED_38,), sdist="speedups-1.0.tar.gz"),
            PY38,
            {"speedups"},
            EnvPins(
                status="ok",
                day=date(2021, 1, 1),
                why_day="era",
                pins=("app==1.0", "speedups==1.0"),
            ),
            id="a-wheel-installs-nothing-built",
        ),
    ],
)
def test_allow_builds_outweighs_the_build_rule(
    resolution: Resolution, python: PythonVersion, allow: set[str], expected: EnvPins
) -> None:
    resolver, asked = _scripted({d.day: resolution for d in CUTS})
    found = asyncio.run(
        resolve_env(
            REQUEST,
            CUTS,
            python=python,
            resolver=resolver,
            facts_of=_speedups,
            allow_builds=frozenset(allow),
        )
    )
    assert found == expected
    if found.status == "ok":  # not asked again for wheels only: its sdist is fine
        assert [r.only_binary for r in asked] == [()]


def test_a_listed_sdist_of_an_unknown_package_built_on_a_free_threaded_build_is_named() -> None:
    """The index does not list the package (no facts): on the regular build its sdist counts
    as buildable, on the free-threaded one it is built on the list's word, and says so."""
    resolver, _ = _scripted({d.day: SDIST_ONLY for d in CUTS})
    found = asyncio.run(
        resolve_env(
            REQUEST,
            CUTS,
            python=FT38,
            resolver=resolver,
            facts_of=_no_facts,
            allow_builds=frozenset({"speedups"}),
        )
    )
    assert found == BUILT_IN_ITS_ERA


def test_allow_builds_names_every_sdist_built() -> None:
    resolution = Resolution(
        distributions=(
            *_resolution("app==1.0").distributions,
            Distribution(name="logbook", version=Version("1.5.3"), wheels=(), sdist="l.tar.gz"),  # type: ignore[arg-type]
            Distribution(name="speedups", version=Version("1.0"), wheels=(), sdist="s.tar.gz"),  # type: ignore[arg-type]
        )
    )

    async def facts_of(name: str) -> PackageFacts | None:
        return replace(SPEEDUPS, name=name) if name != "app" else None  # type: ignore[arg-type]

    resolver, _ = _scripted({d.day: resolution for d in CUTS})
    found = asyncio.run(
        resolve_env(
            REQUEST,
            CUTS,
            python=PY38,
            resolver=resolver,
            facts_of=facts_of,
            allow_builds=frozenset({"logbook", "speedups"}),
        )
    )
    assert found.why_day == (
        "era; logbook 1.5.3, speedups 1.0 built from their sdists: allow-builds"
    )


# --- for real, with uv -----------------------------------------------------------------

INDEX = Index(
    [
        Dist("native", "1.0", "2020-01-01", wheels=["cp38-cp38-manylinux_2_28_x86_64"]),
        Dist("native", "2.0", "2023-01-01", wheels=["cp312-cp312-manylinux_2_28_x86_64"]),
        Dist("app", "1.0", "2020-02-01", requires=["native"]),
    ]
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexServer]:
    root = INDEX.write(tmp_path_factory.mktemp("index"))
    with IndexServer(root, advertise_metadata=True) as running:
        yield running


def test_an_sdist_that_needs_a_build_is_replaced_by_an_older_wheel(
    server: IndexServer, tmp_path: Path
) -> None:
    environ = {"PATH": os.environ.get("PATH", ""), "UV_CACHE_DIR": str(tmp_path / "uv")}
    uv = find_uv()

    async def resolver(request: ResolveRequest) -> Resolution | Unsatisfiable:
        return await resolve(request, uv=uv, python=sys.executable, environ=environ)

    async def run() -> EnvPins:
        async with IndexClient(server.index_url) as client:

            async def facts_of(name: str) -> PackageFacts | None:
                return (await client.fetch_page(name)).facts()

            request = ResolveRequest(requirements=("app",), python=PY38, index_url=server.index_url)
            return await resolve_env(request, (), python=PY38, resolver=resolver, facts_of=facts_of)

    found = asyncio.run(run())
    assert found.status == "ok"
    assert found.pins == ("app==1.0", "native==1.0")
