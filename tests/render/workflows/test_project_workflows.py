"""compatrix's own workflows (CI and the release) pass actionlint and zizmor, and the
release checks the tag against the version it builds."""

from __future__ import annotations

import re
from pathlib import Path

from compatrix import __version__

from .lint import actionlint, zizmor

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = ROOT / ".github" / "workflows"


def test_the_project_workflows_lint_clean() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "release.yml"]
    actionlint(ROOT, *files)
    zizmor(ROOT, WORKFLOWS)


def test_the_release_publishes_with_trusted_publishing_on_a_version_tag() -> None:
    text = (WORKFLOWS / "release.yml").read_text()
    assert '    tags:\n      - "v*"\n' in text
    assert "      id-token: write # trusted publishing\n" in text
    assert "password" not in text and "secrets." not in text
    assert re.search(r"uses: pypa/gh-action-pypi-publish@[0-9a-f]{40} # v", text)
    # The version check reads the same __version__ the package reports.
    assert 'n.targets[0].id == "__version__"' in text
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]|rc)?\d*", __version__)


def test_ci_runs_what_the_readme_says() -> None:
    assert "        run: .ci/run\n" in (WORKFLOWS / "ci.yml").read_text()
    assert "exec ./dev test" in (ROOT / ".ci" / "run").read_text()
