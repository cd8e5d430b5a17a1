"""The evidence loop for real on examples/breaking: tox runs three picks, ``results``
records them, ``table`` shows the break, and ``bisect`` runs tox on the releases between
and names packaging 22.0 (which removed ``LegacyVersion``) as the first bad release.

Installs packages from the package index through tox and uv: slow, and needs the index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.cli._project import run
from tests.e2e.test_demo_with_tox import BIN, _interpreters, _missing

from compatrix._pythons import PythonVersion

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "breaking"
PICKS = ("py3.8-packaging-v20.0", "py3.8-packaging-v20.9", "py3.8-packaging-v23.2")


@pytest.mark.slow
def test_results_table_and_bisect_find_packaging_22(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pythons = _interpreters()
    if PythonVersion(3, 8) not in pythons:
        _missing("needs CPython 3.8 for the breaking example")
    project = tmp_path / "breaking"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".tox", "__pycache__"))
    folders = [str(BIN), str(pythons[PythonVersion(3, 8)].parent)]
    monkeypatch.setenv("PATH", os.pathsep.join([*folders, os.environ.get("PATH", "")]))
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    monkeypatch.delenv("PYENV_VERSION", raising=False)
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)

    report = tmp_path / "tox-result.json"
    done = subprocess.run(
        [str(BIN / "tox"), "-e", ",".join(PICKS), "--result-json", str(report)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]  # 23.2 fails

    recorded = run("-C", str(project), "results", str(report))
    assert recorded.code == 0, recorded.err
    assert "3 results recorded, 0 runs ignored" in recorded.err
    table = run("-C", str(project), "table", "--format", "json")
    (suite,) = json.loads(table.out)["suites"]
    row = next(p for p in suite["pythons"] if p["python"] == "3.8")
    assert [(s["first"], s["last"]) for s in row["passed"]] == [("20.0", "20.9")]
    assert [(s["first"], s["last"]) for s in row["failed"]] == [("23.2", "23.2")]

    tox = str(BIN / "tox")
    bisect = run("-C", str(project), "bisect", "packaging", "--tox", tox, "--format", "json")
    assert bisect.code == 0, bisect.err
    found = json.loads(bisect.out)
    assert found["python"] == "3.8"
    assert found["first-bad"]["version"] == "22.0"
    assert found["first-bad"]["uploaded"].startswith("2022-12-07")
    assert found["last-good"]["version"] == "21.3"
    assert found["between"] == ["21.0", "21.1", "21.2", "21.3", "22.0", "23.0", "23.1"]
    assert len(found["runs"]) <= 3  # the ends are known: ceil(log2 8) halvings
    assert "packaging.version:LegacyVersion" in found["surface"]["names-removed"]
    assert "packaging.version:parse" in found["touched"]
    assert found["changelog"] == "https://github.com/pypa/packaging"

    after = run("-C", str(project), "table")
    assert "| 3.8 | 20.0 to 21.3 | 22.0 to 23.2 | 24.0 to 26.4 |" in after.out
