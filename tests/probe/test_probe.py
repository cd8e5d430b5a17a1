"""Probe: which pairs are probed, how outcomes weigh in selection and explain, the lock
keeping them across updates, and what is reported without probing."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version
from tests.cli._project import Index, Rel, day, minors, project, run
from tests.index_server import IndexServer
from tests.selection._build import classifiers, config, facts, pys, release, suite

from compatrix._config import load_config
from compatrix._lock import EnvResolution, Lock, Probe, Release, dumps_lock, read_lock
from compatrix._probe import ProbeResult, ProbeTask, probe_tasks, run_probes
from compatrix._probe._run import unpathed
from compatrix._pythons import PythonVersion
from compatrix._selection import build_matrix, lock_date

ROOT = Path(__file__).resolve().parents[2]
SENTRY = ROOT / "examples" / "sentry-python"


@pytest.fixture
def sentry(tmp_path: Path) -> Path:
    """A copy of Sentry's example without its probes: what the heuristics alone decide."""
    root = tmp_path / "sentry"
    shutil.copytree(SENTRY, root, ignore=shutil.ignore_patterns("__pycache__"))
    lock = read_lock(root / "compatrix.lock")
    assert lock is not None
    (root / "compatrix.lock").write_text(dumps_lock(replace(lock, probes={})), encoding="utf-8")
    return root


def _tasks(root: Path, suite: str) -> dict[str, str]:
    config = load_config(directory=root)
    lock = read_lock(config.lock_path)
    assert lock is not None
    day_ = lock_date(lock)
    assert day_ is not None
    matrix = build_matrix(config, lock, suites=[suite])
    found = probe_tasks(matrix, lock, pythons=config.pythons(day_))
    return {f"{t.version} on {t.python}": t.why for t in found}


def test_pairs_ruled_out_by_heuristics_and_the_edges_of_each_pick(sentry: Path) -> None:
    tasks = _tasks(sentry, "flask")
    assert tasks["2.3.3 on 3.13"] == "ruled out by uploaded-before-first-beta"
    assert tasks["1.1.4 on 3.9"] == "ruled out by classifiers-exclude"
    assert "3.1.3 on 3.8" not in tasks  # Requires-Python '>=3.9': uv would refuse it
    assert "3.1.3 on 3.9" not in tasks  # tested, on good evidence
    # Next to 1.3.24's tested Pythons, but the suite restricts sqlalchemy < 1.4 to < 3.10.
    assert "1.3.24 on 3.10" not in _tasks(sentry, "sqlalchemy")
    spark = _tasks(sentry, "spark")
    assert spark["2.4.8 on 3.8"] == "tested on thin evidence (sdist)"


def test_recorded_pairs_are_not_probed_again_and_weigh_in_selection(sentry: Path) -> None:
    config = load_config(directory=sentry)
    lock = read_lock(config.lock_path)
    assert lock is not None
    probed = {
        "flask": {"2.3.3": {"3.13": Probe(outcome="imports", day=date(2026, 12, 3))}},
        "pyspark": {
            "2.4.8": {
                "3.8": Probe(outcome="fails", day=date(2026, 12, 3), detail="import pyspark: x")
            }
        },
    }
    (sentry / "compatrix.lock").write_text(dumps_lock(replace(lock, probes=probed)))
    assert "2.3.3 on 3.13" not in _tasks(sentry, "flask")

    explain = run("-C", str(sentry), "explain", "flask")
    assert explain.code == 0, explain.err
    assert "probed 2026-12-03: imports on 3.13" in explain.out
    spark = run("-C", str(sentry), "explain", "spark", "--format", "json")
    assert "probed 2026-12-03: does not install or import on 3.8 (import pyspark: x)" in spark.out

    envs = _envs(sentry)
    assert "py3.13-flask-v2.3.3" in envs
    assert "py3.8-spark-v2.4.8" not in envs
    assert "py3.9-spark-v2.4.8" in envs
    assert run("-C", str(sentry), "check").code == 1  # tox.ini is out of date: generate


def test_add_python_is_shown_with_its_reason(sentry: Path) -> None:
    toml = sentry / "compatrix.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace(
        '[suites.flask]\npackage = "flask"\n',
        '[suites.flask]\npackage = "flask"\nadd-python = { "3.13" = "passes our tests" }\n',
    )
    toml.write_text(text, encoding="utf-8")
    explain = run("-C", str(sentry), "explain", "flask")
    assert (
        "added back by the suite's add-python: passes our tests (outweighs: uploaded"
        in (explain.out.replace("\n", " "))
        or "added back by the suite's add-python" in explain.out
    )
    assert "py3.13-flask-v2.3.3" in _envs(sentry)


def _envs(root: Path) -> set[str]:
    config = load_config(directory=root)
    lock = read_lock(config.lock_path)
    assert lock is not None
    return {env.name for env in build_matrix(config, lock).envs}


def _task(python: str) -> ProbeTask:
    return ProbeTask(
        suite="s",
        package="pkg",
        requirement="pkg==1.0",
        version=Version("1.0"),
        python=PythonVersion.parse(python),
        why="test",
    )


def test_missing_interpreters_and_a_spent_budget_are_reported_not_faked() -> None:
    seen = []
    results = run_probes(
        [_task("3.99"), _task("3.8")],
        interpreters={PythonVersion(3, 8): Path("/nonexistent/python3.8")},
        index_url=None,
        environ={},
        jobs=2,
        budget=-1,
        on_done=seen.append,
    )
    assert [(r.imports, r.detail) for r in results] == [
        (None, "no Python 3.99 interpreter"),
        (None, "not started: time budget spent"),
    ]
    assert len(seen) == 2


def test_update_keeps_the_probes(tmp_path: Path) -> None:
    index = Index(
        packages={
            "alpha": [*minors(1, 4, start=day(2023, 3, 1))],
            "beta": [Rel("2.0.0", day(2024, 1, 5))],
        }
    ).write(tmp_path / "index")
    root = project(tmp_path / "proj")
    with IndexServer(index) as server:
        assert run("-C", str(root), "update", "--index-url", server.index_url).code == 0
        lock_path = root / "compatrix.lock"
        lock = read_lock(lock_path)
        assert lock is not None
        probes = {"alpha": {"1.0.0": {"3.8": Probe(outcome="imports", day=date(2026, 12, 3))}}}
        lock_path.write_text(dumps_lock(replace(lock, probes=probes)))
        again = run("-C", str(root), "update", "--index-url", server.index_url)
        assert again.code == 0, again.err
    kept = read_lock(lock_path)
    assert kept is not None
    assert kept.probes == probes


def test_dry_run_lists_the_declared_floor_the_heuristics_ruled_out(sentry: Path) -> None:
    result = run("-C", str(sentry), "probe", "rq", "--dry-run")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert (
        "rq 0.6.0 on 3.6: the lowest release from min-version, ruled out by "
        "uploaded-before-first-beta"
    ) in lines
    # The suite's restriction (rq < 0.13 on Python < 3.7) rules them out whatever a probe
    # finds: neither the floor on 3.7 nor the Python next to 0.7.1's is probed.
    assert not [line for line in lines if line.startswith(("rq 0.6.0 on 3.7", "rq 0.7.1 on"))]
    assert "10 pairs to probe" in result.err


@pytest.mark.parametrize(
    ("error", "kept"),
    [
        pytest.param(
            "ImportError: cannot import name 'url_quote' from 'werkzeug.urls' "
            "(/tmp/compatrix-probe-2uaqff8q/env/lib/python3.12/site-packages/werkzeug/urls.py)",
            "ImportError: cannot import name 'url_quote' from 'werkzeug.urls' (werkzeug/urls.py)",
            id="a-module-of-the-throwaway-env",
        ),
        pytest.param(
            "ImportError: cannot import name 'Iterable' from 'collections' "
            "(/root/.pyenv/versions/3.10.13/lib/python3.10/collections/__init__.py)",
            "ImportError: cannot import name 'Iterable' from 'collections' "
            "(collections/__init__.py)",
            id="a-module-of-the-standard-library",
        ),
        pytest.param(
            "Failed to build `pyspark==2.3.4` at /tmp/compatrix-probe-abc/env/src",
            "Failed to build `pyspark==2.3.4` at src",
            id="the-throwaway-env-itself",
        ),
        pytest.param(
            "SyntaxError: invalid syntax (queue.py, line 58)",
            "SyntaxError: invalid syntax (queue.py, line 58)",
            id="no-path",
        ),
    ],
)
def test_recorded_errors_name_no_path_of_this_machine(error: str, kept: str) -> None:
    assert unpathed(error) == kept


SIX = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")


def rel_(version: str, requires_python: str | None = None) -> Release:
    return release(version, requires_python=requires_python, classifiers=classifiers(*SIX))


@pytest.mark.parametrize(
    ("suite_options", "releases", "probed", "expected"),
    [
        pytest.param(
            {},
            [rel_("1.0")],
            {},
            {"1.0 on 3.12": "next to the tested Pythons"},
            id="a-supported-python-next-to-the-tested-one",
        ),
        pytest.param(
            {"python": "<3.13"},
            [rel_("1.0")],
            {},
            {"1.0 on 3.11": "next to the tested Pythons"},
            id="not-one-the-suite-restriction-rules-out",
        ),
        pytest.param(
            {},
            [rel_("1.0", requires_python="<3.13")],
            {},
            {"1.0 on 3.11": "next to the tested Pythons"},
            id="not-one-requires-python-rules-out",
        ),
        pytest.param(
            {},
            [rel_("1.0.0"), rel_("1.0.1", requires_python=">=3.13")],
            {"1.0.1": {"3.13": Probe(outcome="fails", day=date(2026, 12, 3), detail="x")}},
            {"1.0.0 on 3.11": "next to the tested Pythons"},
            id="not-one-a-newer-patchs-failed-probe-stands-for",
        ),
    ],
)
def test_the_pythons_next_to_a_pick(
    suite_options: dict[str, str],
    releases: list[Release],
    probed: dict[str, dict[str, Probe]],
    expected: dict[str, str],
) -> None:
    the_suite = suite(python_policy="newest", **suite_options)
    lock = Lock(as_of=None, packages={"pkg": facts(*releases)}, picks={}, probes={"pkg": probed})
    matrix = build_matrix(config(the_suite, python=">=3.8,<3.14"), lock)
    found = probe_tasks(matrix, lock, pythons=pys("3.8-3.13"))
    assert {f"{t.version} on {t.python}": t.why for t in found} == expected


def test_probe_runs_rounds_until_no_new_pair_is_left(
    sentry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial on Sentry's matrix, with pyspark 2.x failing everywhere: the 2.x picks are
    dropped, the picks that replace them are probed in the next round, and no older 2.4
    patch is picked (or probed) in 2.4.8's place."""
    rounds: list[set[str]] = []

    def fake_run(tasks: Sequence[ProbeTask], **options: Any) -> tuple[ProbeResult, ...]:
        rounds.append({f"{t.version} on {t.python}" for t in tasks})
        results = tuple(
            ProbeResult(
                task=t,
                imports=t.version.major > 2,
                detail="" if t.version.major > 2 else "import pyspark: TypeError: x",
            )
            for t in tasks
        )
        for result in results:
            options["on_done"](result)
        return results

    monkeypatch.setattr("compatrix._probe.run_probes", fake_run)
    result = run("-C", str(sentry), "probe", "spark")
    assert result.code == 0, result.err
    assert len(rounds) > 1, rounds
    for earlier, later in pairwise(rounds):
        assert later and earlier.isdisjoint(later)
    probed = set().union(*rounds)
    assert not {p for p in probed if p.startswith(("2.4.5 ", "2.4.6 ", "2.4.7 "))}
    assert f"({len(rounds)} rounds)" in result.out
    assert not [env for env in _envs(sentry) if "-spark-v2." in env]


@pytest.mark.parametrize(
    ("stderr", "imports", "detail"),
    [
        pytest.param(
            "\u00d7 Failed to download and build `pyspark==3.0.3`\n"
            "╰─▶ failed to write to file: No space left on device (os error 28)",
            None,
            "no space left on device",
            id="a-full-disk-is-not-the-releases-fault",
        ),
        pytest.param(
            "\u00d7 Failed to fetch: `https://pypi.org/simple/flask/`\n"
            "╰─▶ error sending request for url (https://pypi.org/simple/flask/)",
            None,
            "the index could not be reached",
            id="nor-an-unreachable-index",
        ),
        pytest.param(
            "\u00d7 Failed to build `pyspark==2.3.4`\n╰─▶ The build backend returned an error",
            False,
            "uv venv: Failed to build `pyspark==2.3.4`",
            id="a-build-that-fails-is",
        ),
    ],
)
def test_a_probe_the_machine_stopped_records_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stderr: str,
    imports: bool | None,
    detail: str,
) -> None:
    fake = tmp_path / "bin" / "uv"
    fake.parent.mkdir()
    (tmp_path / "stderr").write_text(stderr, encoding="utf-8")
    fake.write_text(f"#!/bin/sh\ncat '{tmp_path / 'stderr'}' >&2\nexit 2\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    (result,) = run_probes(
        [_task("3.8")],
        interpreters={PythonVersion(3, 8): Path(sys.executable)},
        index_url=None,
        environ={},
        jobs=1,
        budget=60,
    )
    assert (result.imports, result.detail) == (imports, detail)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        pytest.param(
            "no wheel of native 1.0 for cp312; its sdist needs a build",
            "ruled out by needs-build",
            id="an-sdist-build-is-a-guess-to-probe",
        ),
        pytest.param(
            "Because pkg==1.0 depends on lib>=2 and only lib<2 is available, unsatisfiable",
            None,
            id="an-unsatisfiable-resolution-is-not",
        ),
    ],
)
def test_a_python_only_a_build_rules_out_is_probed(reason: str, expected: str | None) -> None:
    record = EnvResolution(
        suite="pkg",
        version="1.0",
        python="3.12",
        inputs="x",
        cut=date(2026, 11, 24),
        why="the lock's day",
        status="not-installable",
        reason=reason,
    )
    the_suite = suite(python_policy="newest", pins="era")
    lock = Lock(
        as_of=None,
        packages={"pkg": facts(rel_("1.0"))},
        picks={},
        resolutions={"py3.12-pkg-v1.0": record},
    )
    matrix = build_matrix(config(the_suite, python=">=3.8,<3.13"), lock)
    found = probe_tasks(matrix, lock, pythons=pys("3.8-3.12"))
    assert {f"{t.version} on {t.python}": t.why for t in found}.get("1.0 on 3.12") == expected
