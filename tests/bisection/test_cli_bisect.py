"""``compatrix bisect`` on the breaking example with a stand-in for tox: the break found
within the bound, progress recorded, an interrupted bisect resumed, results recorded."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from tests.cli._project import run

from compatrix._results import read_results

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "breaking"
FAKE_TOX = f"{sys.executable} {Path(__file__).with_name('fake_tox.py')}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "breaking"
    shutil.copytree(
        EXAMPLE,
        root,
        ignore=shutil.ignore_patterns(".tox", "__pycache__", ".compatrix-bisect*"),
    )
    (root / "compatrix-results.json").unlink(missing_ok=True)
    monkeypatch.setenv("FAKE_TOX_LOG", str(tmp_path / "log"))
    monkeypatch.setenv("FAKE_TOX_FIRST_BAD", "22.0")
    return root


def _log(project: Path) -> list[str]:
    log = project.parent / "log"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def test_bisect_between_given_releases(project: Path) -> None:
    args = ["-C", str(project), "bisect", "packaging", "--python", "3.8", "--good", "20.0"]
    result = run(*args, "--bad", "25.0", "--tox", FAKE_TOX, "--no-surface", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["first-bad"] == {"version": "22.0", "uploaded": "2022-12-07T23:18:10.230604Z"}
    assert report["last-good"]["version"] == "21.3"
    between = report["between"]
    assert between[0] == "20.1"
    assert between[-1] == "24.2"
    # 19 releases from 20.0 to 25.0: at most ceil(log2 19) + 2 = 7 runs, the two ends first.
    ran = _log(project)
    assert len(ran) <= 7
    assert ran[:2] == ["py3.8-packaging-v25.0", "py3.8-packaging-v20.0"]
    assert [r["version"] for r in report["runs"]] == [e.rsplit("-v", 1)[1] for e in ran]
    # The runs are recorded as results; the temporary tox file is gone.
    recorded = read_results(project / "compatrix-results.json").of_suite("packaging")
    assert {(str(r.version), r.outcome) for r in recorded} == {
        (r["version"], r["outcome"]) for r in report["runs"]
    }
    assert not list(project.glob(".compatrix-bisect-tox*"))


def test_an_interrupted_bisect_resumes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["-C", str(project), "bisect", "packaging", "--python", "3.8", "--good", "20.0"]
    args += ["--bad", "25.0", "--tox", FAKE_TOX, "--no-surface"]
    monkeypatch.setenv("FAKE_TOX_CRASH_AT", "21.3")
    first = run(*args)
    assert first.code == 6
    assert "tox did not run py3.8-packaging-v21.3" in first.err
    before = _log(project)
    state = json.loads((project / ".compatrix-bisect" / "packaging-3.8.json").read_text())
    assert set(state["outcomes"]) == {e.rsplit("-v", 1)[1] for e in before[:-1]}
    monkeypatch.delenv("FAKE_TOX_CRASH_AT")
    second = run(*args)
    assert second.code == 0, second.err
    assert "first bad release packaging 22.0 (uploaded 2022-12-07)" in second.out
    after = _log(project)[len(before) :]
    assert not set(after) & set(before[:-1])  # nothing learnt is run again
    assert len(before) - 1 + len(after) <= 7


def test_bisect_from_recorded_results(project: Path) -> None:
    (project / "r.json").write_text(
        json.dumps(
            {
                "testenvs": {
                    name: {
                        "python": {"version_info": [3, 8, 0]},
                        "result": {"success": ok, "skipped": False},
                        "setup": [],
                    }
                    for name, ok in (
                        ("py3.8-packaging-v20.0", True),
                        ("py3.8-packaging-v20.9", True),
                        ("py3.8-packaging-v23.2", False),
                    )
                }
            }
        ),
        encoding="utf-8",
    )
    assert run("-C", str(project), "results", str(project / "r.json")).code == 0
    result = run("-C", str(project), "bisect", "packaging", "--tox", FAKE_TOX, "--no-surface")
    assert result.code == 0, result.err
    assert "bisecting packaging on Python 3.8: 20.9 to 23.2, 9 releases" in result.err
    assert "first bad release packaging 22.0" in result.out
    assert len(_log(project)) == 3  # the ends are known: log2(8) halvings
    table = run("-C", str(project), "table")
    assert "| 3.8 | 20.0 to 21.3 | 22.0 to 23.2 | 24.0 to 26.4 |" in table.out
