"""Whether a resolution installs without a build (``compatrix._resolve._installable``)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from packaging.version import Version

from compatrix._lock import PackageFacts, Release
from compatrix._pythons import PythonVersion
from compatrix._resolve import Distribution
from compatrix._resolve._installable import (
    NeededBuild,
    build_needed,
    builds_in,
    free_threaded_missing,
)

PY38 = PythonVersion(3, 8)
PY314 = PythonVersion(3, 14)
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _facts(name: str, *releases: tuple[str, tuple[str, ...]]) -> PackageFacts:
    return PackageFacts(
        name=name,
        index="https://example.org/simple/",
        fetched_at=NOW,
        releases=tuple(
            Release(version=v, uploaded=NOW, yanked=False, sdist=True, wheel_tags=tags, files=1)
            for v, tags in releases
        ),
    )


def _dist(name: str, version: str, *wheels: str, sdist: bool = True) -> Distribution:
    return Distribution(
        name=name,  # type: ignore[arg-type]
        version=Version(version),
        wheels=wheels,
        sdist=f"{name}-{version}.tar.gz" if sdist else None,
    )


TOKENIZERS = _facts("tokenizers", ("0.21.0", ("cp39-abi3",)), ("0.20.3", ("cp38-cp38",)))
PURE = _facts("pure", ("1.0", ("py3-none",)), ("0.9", ()))


@pytest.mark.parametrize(
    ("distribution", "facts", "why"),
    [
        pytest.param(_dist("pure", "1.0", "pure-1.0-py3-none-any.whl"), PURE, None, id="wheel"),
        pytest.param(_dist("pure", "0.9"), PURE, None, id="sdist-of-a-pure-package"),
        pytest.param(_dist("legacy", "0.1"), None, None, id="sdist-of-an-unknown-package"),
        pytest.param(
            _dist("tokenizers", "0.21.0"),
            TOKENIZERS,
            "no wheel of tokenizers 0.21.0 for cp38; its sdist needs a build",
            id="sdist-of-a-compiled-package",
        ),
        pytest.param(
            _dist("gone", "1.0", sdist=False),
            None,
            "no wheel or sdist of gone 1.0 for cp38",
            id="nothing-to-install",
        ),
    ],
)
def test_build_needed(
    distribution: Distribution, facts: PackageFacts | None, why: str | None
) -> None:
    assert build_needed(distribution, facts, PY38) == why


@pytest.mark.parametrize(
    ("distributions", "python", "expected"),
    [
        pytest.param(
            [("tokenizers", "0.21.0")],
            PY38,
            [NeededBuild(name="tokenizers", version="0.21.0", tag="cp38")],
            id="one",
        ),
        pytest.param(
            [("coverage", "7.3.1"), ("zope-interface", "5.4.0")],
            PY314,
            [
                NeededBuild(name="coverage", version="7.3.1", tag="cp314"),
                NeededBuild(name="zope-interface", version="5.4.0", tag="cp314"),
            ],
            id="two-joined",
        ),
    ],
)
def test_builds_in_reads_back_what_build_needed_says(
    distributions: list[tuple[str, str]], python: PythonVersion, expected: list[NeededBuild]
) -> None:
    reasons = [build_needed(_dist(*d), TOKENIZERS, python) for d in distributions]
    assert builds_in("; ".join(r for r in reasons if r is not None)) == tuple(expected)


@pytest.mark.parametrize(
    "reason",
    [
        pytest.param("no wheel or sdist of gone 1.0 for cp38", id="nothing-to-install"),
        pytest.param(
            "no free-threaded (cp314t) or pure-Python wheel of orjson 3.9.0", id="free-threaded"
        ),
        pytest.param("Because web==2.0 depends on helper>=3 ...", id="unsatisfiable"),
    ],
)
def test_builds_in_other_reasons(reason: str) -> None:
    assert builds_in(reason) == ()


ORJSON = _facts("orjson", ("3.11.4", ("cp314-cp314", "cp314-cp314t")), ("3.9.0", ("cp314-cp314",)))


@pytest.mark.parametrize(
    ("distribution", "facts", "why"),
    [
        pytest.param(
            _dist("anyio", "4.0", "anyio-4.0-py3-none-any.whl"), None, None, id="pure-wheel"
        ),
        pytest.param(
            _dist("orjson", "3.11.4", "orjson-3.11.4-cp314-cp314-manylinux_2_28_x86_64.whl"),
            ORJSON,
            None,
            id="has-a-free-threaded-wheel",
        ),
        pytest.param(
            _dist("orjson", "3.9.0", "orjson-3.9.0-cp314-cp314-manylinux_2_28_x86_64.whl"),
            ORJSON,
            "no free-threaded (cp314t) or pure-Python wheel of orjson 3.9.0",
            id="only-a-regular-wheel",
        ),
        pytest.param(_dist("pure", "0.9"), PURE, None, id="sdist-of-a-pure-package"),
    ],
)
def test_free_threaded_missing(
    distribution: Distribution, facts: PackageFacts | None, why: str | None
) -> None:
    assert free_threaded_missing(distribution, facts, PY314) == why
