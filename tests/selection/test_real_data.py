"""Selection on real index data: httpx as PyPI listed it on 2026-11-24.

``data/httpx/index.json`` is PyPI's PEP 691 page for httpx recorded at
2026-11-24T10:50:27Z; ``data/httpx/metadata/`` holds the Python-related headers of the
core metadata of the newest patch of each minor from 0.16 on (and of the 1.0 dev
releases). The expected picks are toxgen's (the Sentry SDK's generator) for the same data
and the same suite: Pythons 3.6 to 3.14, ``min-version = "0.16.0"`` and
``python = { ">=0.28" = ">=3.9" }``.
"""

# Evidence joins ranges with an en dash (U+2013): the expected strings do too.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from compatrix._config._model import Suite
from compatrix._index import (
    facts_from_page,
    group_files,
    parse_core_metadata,
    parse_project_page,
    release_key,
)
from compatrix._lock._facts import PackageFacts, sort_releases
from compatrix._selection._model import SuiteSelection, pick_verdicts
from compatrix._selection._select import considered, select_suite
from compatrix._support import SupportRule

from ._build import UTC, pys, release, suite

DATA = Path(__file__).parent / "data" / "httpx"
RECORDED = datetime(2026, 11, 24, 10, 50, 27, tzinfo=UTC)

TOXGEN_PICKS = [
    ("0.16.1", ["3.6", "3.8", "3.9"]),
    ("0.20.0", ["3.6", "3.9", "3.10"]),
    ("0.24.1", ["3.7", "3.10", "3.11"]),
    ("0.28.1", ["3.9", "3.11", "3.12"]),
]


@pytest.fixture(scope="module")
def httpx() -> PackageFacts:
    """The page reduced by the index client, with the recorded metadata attached."""
    url = "https://pypi.org/simple/httpx/"
    page = parse_project_page(
        (DATA / "index.json").read_bytes(),
        content_type="application/vnd.pypi.simple.v1+json",
        url=url,
    )
    facts = facts_from_page(page, index_url=url, fetched_at=RECORDED, as_of=None)
    releases = []
    groups = group_files(page)
    for rel in facts.releases:
        for file in groups.get(release_key(rel.version), ()):
            path = DATA / "metadata" / f"{file.filename}.metadata"
            if file.kind == "wheel" and path.is_file():
                metadata = parse_core_metadata(
                    path.read_bytes(), url=str(path), wheel=file.filename, advertised=False
                )
                rel = replace(rel, metadata=metadata, metadata_status="ok")  # noqa: PLW2901
                break
        releases.append(rel)
    return replace(facts, releases=tuple(releases))


def _suite(**policy: Any) -> Suite:
    return suite(
        name="httpx",
        package="httpx",
        min_version="0.16.0",
        python={">=0.28": ">=3.9"},
        **policy,
    )


_RULE = SupportRule(pys("3.6-3.14"), pys("3.14"))


def _select(facts: PackageFacts, remembered: tuple[str, ...] = (), **policy: Any) -> SuiteSelection:
    return select_suite(
        _suite(**policy),
        facts,
        rule=_RULE,
        now=facts.fetched_at,
        as_of=None,
        remembered=remembered,
    )


def _picks(selection: SuiteSelection) -> list[tuple[str, list[str]]]:
    return [(str(p.version), [str(py) for py in p.pythons]) for p in selection.picks]


def test_httpx_picks_agree_with_toxgen(httpx: PackageFacts) -> None:
    assert _picks(_select(httpx)) == TOXGEN_PICKS


def test_httpx_reasons(httpx: PackageFacts) -> None:
    selection = _select(httpx)
    records = considered(_suite(), httpx, selection, rule=_RULE, now=httpx.fetched_at, as_of=None)
    reasons = {c.version: c.reason for c in records}
    assert reasons["0.0.1"] == "no-files"  # listed without files
    assert reasons["0.15.5"] == "below-min-version"
    assert reasons["1.0.dev6"] == "post-or-dev-release"
    assert reasons["0.28.0"] == "not-newest-patch"
    assert reasons["0.27.2"] == "not-chosen"
    # 0.28.1 was uploaded after 3.13's first beta, but its classifiers end at 3.12.
    latest = selection.latest
    assert latest is not None
    verdict = next(v for v in pick_verdicts(latest) if str(v.python) == "3.13")
    assert verdict.evidence[0] == "classifiers list 3.8–3.12, not 3.13"
    assert selection.warnings == ()


def test_httpx_new_minor_keeps_the_middle_picks(httpx: PackageFacts) -> None:
    first = _select(httpx)
    uploaded = RECORDED + timedelta(days=1)
    grown = replace(
        httpx,
        fetched_at=RECORDED + timedelta(days=7),
        releases=sort_releases([*httpx.releases, release("0.29.0", uploaded=uploaded)]),
    )
    plain = _select(grown, stable_picks=False)
    stable = _select(grown, first.remembered)
    assert [v for v, _ in _picks(plain)] == ["0.16.1", "0.20.0", "0.25.2", "0.29.0"]
    assert [v for v, _ in _picks(stable)] == ["0.16.1", "0.20.0", "0.24.1", "0.29.0"]
