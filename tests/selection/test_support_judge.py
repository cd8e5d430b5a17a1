"""The quick support checks agree with the full verdicts (compatrix._support.Judge).

Selection asks "does this release support any of the project's Pythons?" of every
release through a memoized check, and builds verdicts with evidence only for picks. These
seeded random tests compare the quick answers with the full verdicts, release by release
and across whole selections.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from compatrix._config._model import PythonRule
from compatrix._lock._facts import CoreMetadata, MetadataStatus, Release
from compatrix._pythons import PythonVersion
from compatrix._selection._select import select_suite
from compatrix._support import PythonVerdict, SupportCache, python_verdicts

from ._build import NOW, UTC, facts, suite
from ._build import release as make_release

REQUIRES_PYTHON = (
    None,
    "",
    "  ",
    ">=3.8",
    ">=3.8.1",
    ">3.7",
    "<3.11",
    ">=3.6, <4",
    ">=2.7,!=3.0.*,!=3.1.*,!=3.2.*",
    "!=3.9.*",
    "~=3.10",
    "==3.12.*",
    ">=3.15",
    "<3",
    ">=3.6.*",  # invalid: ignored
    "nonsense",
)
CLASSIFIERS = (
    "Programming Language :: Python :: 2.7",
    *(f"Programming Language :: Python :: 3.{minor}" for minor in range(5, 16)),
    " Programming Language :: Python :: 3.9 ",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3 :: Only",
    "Programming Language :: Python :: Implementation :: CPython",
)
WHEELS = (
    "py3-none",
    "py2.py3-none",
    "py2-none",
    "py36-none",
    "py310-none",
    "cp27-cp27mu",
    "cp36-cp36m",
    "cp38-cp38",
    "cp38-cp38d",
    "cp39-cp39",
    "cp310-cp310",
    "cp311-cp311",
    "cp312-cp312",
    "cp312-none",
    "cp313-cp313",
    "cp313-cp313t",
    "cp314-cp314",
    "cp314-cp314t",
    "cp39-abi3",
    "cp312-abi3",
    "cp315-abi3t",
    "pp37-pypy37_pp73",
    "graalpy311-graalpy242_311_native",
    "nodash",
)
RESTRICTIONS = (None, ">=3.9", "<3.12", "!=3.10", ">3.7,<3.14", ">=3.20")
STATUSES: tuple[MetadataStatus, ...] = ("not-fetched", "no-wheel", "unavailable")


def _random_release(rng: random.Random, version: str = "1.0") -> Release:
    metadata: CoreMetadata | None = None
    status: MetadataStatus = rng.choice(STATUSES)
    if rng.random() < 0.4:
        metadata = CoreMetadata(
            wheel=f"pkg-{version}-py3-none-any.whl",
            sha256="00" * 32,
            advertised=False,
            requires_python=rng.choice(REQUIRES_PYTHON),
            classifiers=tuple(sorted(rng.sample(CLASSIFIERS, k=rng.randint(0, 6)))),
            extras=(),
        )
        status = "ok"
    uploaded = None
    if rng.random() < 0.9:
        uploaded = datetime(2012, 1, 1, tzinfo=UTC) + timedelta(
            days=rng.randint(0, 15 * 365), seconds=rng.randint(0, 86399)
        )
    wheels = tuple(sorted(set(rng.sample(WHEELS, k=rng.choice((0, 1, 1, 2, 3, 5))))))
    return Release(
        version=version,
        uploaded=uploaded,
        yanked=False,
        requires_python=rng.choice(REQUIRES_PYTHON),
        sdist=rng.random() < 0.5,
        wheel_tags=wheels,
        files=1 + len(wheels),
        metadata=metadata,
        metadata_status=status,
    )


def _random_pythons(
    rng: random.Random,
) -> tuple[tuple[PythonVersion, ...], tuple[PythonVersion, ...], PythonRule | None]:
    low = rng.randint(5, 13)
    high = rng.randint(low, 16)
    pythons = [PythonVersion(3, minor) for minor in range(low, high + 1)]
    if rng.random() < 0.2:
        pythons.insert(0, PythonVersion(2, 7))
    if rng.random() < 0.1:
        pythons = []
    free = [PythonVersion(3, m, free_threaded=True) for m in (13, 14, 15) if rng.random() < 0.5]
    text = rng.choice(RESTRICTIONS)
    rule = None if text is None else PythonRule(versions=None, pythons=SpecifierSet(text))
    return tuple(pythons), tuple(free), rule


def _some_regular(verdicts: Sequence[PythonVerdict]) -> bool:
    return any(v.supported and not v.python.free_threaded for v in verdicts)


def test_quick_check_agrees_with_the_full_verdicts() -> None:
    outcomes = {True: 0, False: 0}
    for seed in range(8):
        rng = random.Random(seed)
        pythons, free, rule = _random_pythons(rng)
        judge = SupportCache().judge(pythons, free)  # one judge: its memo is shared by all
        releases = [_random_release(rng) for _ in range(300)]
        releases += releases[:50]  # asked again: answered from the memo
        for rel in releases:
            full = python_verdicts(rel, pythons=pythons, free_threaded=free, restriction=rule)
            expected = _some_regular(full)
            assert judge.supports_any(rel, rule) is expected, (seed, rel, full)
            assert judge.verdicts(rel, rule) == full
            assert judge.supported(rel, rule) == tuple(v.python for v in full if v.supported)
            outcomes[expected] += 1
            if expected:
                continue
            for verdict in full:
                if not verdict.python.free_threaded:
                    lead = judge.lead_evidence(rel, verdict.python, rule)
                    assert lead == (verdict.evidence[0] if verdict.evidence else "unsupported")
    assert min(outcomes.values()) > 300, outcomes  # both answers were exercised, often


def test_the_date_bucket_separates_releases_a_first_beta_apart() -> None:
    """The memo key holds which first betas precede the upload day, not the day itself."""
    judge = SupportCache().judge([PythonVersion(3, 8)], [])
    before = make_release("1.0", uploaded=datetime(2019, 6, 3, 23, 59, tzinfo=UTC))
    on_the_day = make_release("1.0", uploaded=datetime(2019, 6, 4, 0, 0, tzinfo=UTC))
    assert judge.supports_any(before, None) is False  # 3.8's first beta: 2019-06-04
    assert judge.supports_any(on_the_day, None) is True
    assert judge.lead_evidence(before, PythonVersion(3, 8), None) == (
        "uploaded 2019-06-03, before 3.8's first beta 2019-06-04"
    )


def test_classifiers_narrow_before_the_suite_restriction() -> None:
    """Classifiers rule out 3.11 and 3.12, the restriction rules out 3.10: none is left."""
    judge = SupportCache().judge([PythonVersion(3, m) for m in range(10, 13)], [])
    rel = make_release("1.0", classifiers=["Programming Language :: Python :: 3.10"])
    rule = PythonRule(versions=None, pythons=SpecifierSet(">=3.11"))
    assert judge.supports_any(rel, None) is True
    assert judge.supports_any(rel, rule) is False
    assert judge.lead_evidence(rel, PythonVersion(3, 12), rule) == (
        "classifiers list 3.10, not 3.12"
    )


def test_stale_classifiers_are_ignored_by_the_quick_check_too() -> None:
    judge = SupportCache().judge([PythonVersion(3, m) for m in range(10, 13)], [])
    stale = make_release("1.0", classifiers=["Programming Language :: Python :: 3.7"])
    narrowing = make_release("1.1", classifiers=["Programming Language :: Python :: 3.10"])
    assert judge.supports_any(stale, None) is True
    assert judge.supports_any(narrowing, None) is True
    found = python_verdicts(narrowing, pythons=judge.regular, free_threaded=(), restriction=None)
    assert [str(v.python) for v in found if v.supported] == ["3.10"]


# --- whole selections -------------------------------------------------------------------


def _random_facts(rng: random.Random) -> list[Release]:
    out = []
    for major in range(1, rng.randint(2, 4)):
        for minor in range(rng.randint(1, 6)):
            for patch in range(rng.randint(1, 4)):
                version = f"{major}.{minor}.{patch}"
                if rng.random() < 0.1:
                    version += rng.choice(("rc1", "b2", ".post1", ".dev1"))
                out.append(_random_release(rng, version))
    return out


@pytest.mark.parametrize("seed", [pytest.param(seed, id=f"seed-{seed}") for seed in range(12)])
def test_selection_skips_and_picks_agree_with_the_full_verdicts(seed: int) -> None:
    """Every release skipped for want of a Python supports none by its full verdicts, with
    the documented detail; every release that got past that step supports one; every pick
    carries its full verdicts."""
    rng = random.Random(1000 + seed)
    pythons, free, rule = _random_pythons(rng)
    python_rule: str | dict[str, str] | None = None
    if rule is not None:
        python_rule = str(rule.pythons)
        if rng.random() < 0.5:
            python_rule = {"<2": str(rule.pythons)}  # a table: only releases below 2.0
    the_suite = suite(
        min_version=rng.choice((None, "1.1")),
        python=python_rule,
        num_versions=rng.randint(2, 5),
        cooldown=timedelta(0),
        prerelease_max_age=timedelta(days=10000),
    )
    releases = _random_facts(rng)
    the_facts = facts(*releases)
    selection = select_suite(
        the_suite,
        the_facts,
        pythons=pythons,
        free_threaded=free,
        now=NOW,
        as_of=None,
        remembered=(),
    )
    by_version = {r.version: r for r in the_facts.releases}
    first_of_minor: dict[tuple[int, int, int], date] = {}
    for rel in the_facts.releases:
        if rel.parsed is not None and rel.uploaded is not None:
            key = (rel.parsed.epoch, rel.parsed.major, rel.parsed.minor)
            day = rel.uploaded.date()
            first_of_minor[key] = min(day, first_of_minor.get(key, day))

    def since(version: Version) -> date | None:
        return first_of_minor.get((version.epoch, version.major, version.minor))

    past_python = {
        "not-newest-patch",
        "not-chosen",
        "older-prerelease",
        "prerelease-not-newer",
        "prerelease-too-old",
        "prereleases-disabled",
        None,
    }
    for item in selection.considered:
        rel = by_version[item.version]
        if item.reason != "no-supported-python" and item.reason not in past_python:
            continue
        assert rel.parsed is not None
        restriction = the_suite.python_restriction(rel.parsed)
        full = python_verdicts(
            rel,
            pythons=pythons,
            free_threaded=free,
            restriction=restriction,
            since=since(rel.parsed),
        )
        if item.reason == "no-supported-python" and "a newer patch" in item.detail:
            # Its minor's newest patch is ruled out by its metadata, and it has none.
            newer = by_version[item.detail.split(",")[0]]
            assert newer.metadata is not None and rel.metadata is None
            assert newer.parsed is not None and newer.parsed > rel.parsed
            continue
        if item.reason == "no-supported-python":
            assert not _some_regular(full)
            assert item.detail == _documented_detail(full)
        else:
            assert _some_regular(full), item
    for pick in selection.picks:
        rel = by_version[str(pick.version)]
        full = python_verdicts(
            rel,
            pythons=pythons,
            free_threaded=free,
            restriction=the_suite.python_restriction(pick.version),
            since=since(pick.version),
        )
        assert [(v.python, v.supported, v.evidence) for v in pick.verdicts] == [
            (v.python, v.supported, v.evidence) for v in full
        ]
        tested = tuple(v.python for v in pick.verdicts if v.tested)
        assert pick.pythons == tested
        assert all(v.supported for v in pick.verdicts if v.tested)


def _documented_detail(verdicts: Sequence[PythonVerdict]) -> str:
    """docs/selection.md: the first piece of evidence for the oldest and the newest Python."""
    regular = [v for v in verdicts if not v.python.free_threaded]
    if not regular:
        return "the project has no Pythons"
    ends = regular[:1] if len(regular) == 1 else [regular[0], regular[-1]]
    return "; ".join(f"{v.python}: {v.evidence[0] if v.evidence else 'unsupported'}" for v in ends)


def test_admits_asks_only_the_deciding_patches_and_agrees_with_all_31() -> None:
    """The quick ``admits`` (a few patch levels) answers as asking every 3.X.0 .. 3.X.30."""
    from compatrix._config._model import admits as every_patch
    from compatrix._support import _admits

    rng = random.Random(42)
    operators = ["==", "!=", "<", "<=", ">", ">=", "~=", "==*"]
    suffixes = ["", "rc1", ".post1", ".1", "a2", ".dev0"]
    for _ in range(3000):
        clauses = []
        for _ in range(rng.randint(1, 3)):
            op = rng.choice(operators)
            minor = rng.choice([7, 8, 9, 12])
            patch = rng.choice([None, 0, 1, 5, 29, 30, 31])
            version = f"3.{minor}" + (f".{patch}" if patch is not None else "")
            if op == "==*":
                clauses.append(f"=={version}.*")
            elif op == "~=" and patch is None:
                clauses.append(f"~={version}")
            else:
                clauses.append(f"{op}{version}{rng.choice(suffixes) if op != '~=' else ''}")
        text = ",".join(clauses)
        try:
            specifier = SpecifierSet(text)
        except ValueError:
            continue
        for minor in (7, 8, 9, 12):
            python = PythonVersion(3, minor)
            quick = _admits({}, {}, text, specifier, python)
            assert quick == every_patch(specifier, python), (text, str(python))
