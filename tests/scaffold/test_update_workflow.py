"""The weekly update workflow: linted, hardened, and its own steps run locally.

Every ``run:`` step but the installation of compatrix from PyPI is run here: in temporary
git repositories against a package index on loopback, in the order GitHub would run them;
the push goes to a repository on disk, and ``gh`` is a stand-in that records its calls.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.cli._project import UTC, Index, Rel, day, minors, run
from tests.index_server import IndexServer

from compatrix._scaffold import UPDATE_WORKFLOW, render_update_workflow, update_workflow_actions

from ._workflow import Step, Workflow, parse

BIN = Path(sys.executable).parent

LOCAL = {("update", "update"), ("update", "report"), ("pull-request", "commit")}
"""Steps run here as they are."""
PUSH = ("pull-request", "push")
"""Run here with a stand-in token, pushing to a repository on disk."""
PULL_REQUEST = ("pull-request", "pull-request")
"""Run here with a stand-in ``gh`` that records its calls."""
GITHUB = {("update", "install"), ("update", "results")}
"""Needs PyPI, or GitHub's API (the artifacts of the test runs)."""


@pytest.fixture(scope="module")
def workflow() -> Workflow:
    return parse(render_update_workflow())


def _written(tmp_path: Path) -> Path:
    path = tmp_path / UPDATE_WORKFLOW
    path.parent.mkdir(parents=True)
    path.write_text(render_update_workflow(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([str(BIN / "actionlint")], id="actionlint"),
        pytest.param([str(BIN / "zizmor"), "--offline", "--no-progress"], id="zizmor"),
    ],
)
def test_linters_find_nothing(tmp_path: Path, command: list[str]) -> None:
    path = _written(tmp_path)
    result = subprocess.run(
        [*command, str(path)], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_triggers_and_permissions(workflow: Workflow) -> None:
    text = render_update_workflow()
    assert re.search(r'^  schedule:\n    - cron: "\d+ \d+ \* \* \d"$', text, re.MULTILINE)
    assert "\n  workflow_dispatch:\n" in text
    assert workflow.top["permissions"] == "{}"
    assert workflow.jobs["update"].permissions == {"contents": "read", "actions": "read"}
    assert workflow.jobs["pull-request"].permissions == {
        "contents": "write",
        "pull-requests": "write",
    }
    assert workflow.jobs["pull-request"].fields["if"] == "needs.update.outputs.changed == 'true'"


def test_actions_are_pinned_to_full_shas_with_their_tags(workflow: Workflow) -> None:
    used = [s.fields["uses"] for s in workflow.steps if "uses" in s.fields]
    assert len(used) == 6
    for uses in used:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", uses), uses
    assert set(used) <= set(update_workflow_actions().values())


def test_checkouts_keep_no_credentials(workflow: Workflow) -> None:
    checkouts = [
        s for s in workflow.steps if s.fields.get("uses", "").startswith("actions/checkout@")
    ]
    assert len(checkouts) == 2
    assert all(s.with_ == {"persist-credentials": "false"} for s in checkouts)


def test_no_expressions_inside_scripts(workflow: Workflow) -> None:
    scripts = [s.run for s in workflow.steps if s.run is not None]
    assert scripts
    assert not [s for s in scripts if "${{" in s]


def test_every_script_is_either_run_here_or_needs_github(workflow: Workflow) -> None:
    ids = {(s.job, s.id) for s in workflow.steps if s.run is not None}
    assert ids == LOCAL | {PUSH, PULL_REQUEST} | GITHUB
    # The local steps need nothing GitHub fills in through expressions.
    for job, step_id in LOCAL:
        assert not workflow.step(job, step_id).env


def test_the_install_source_is_set_at_the_top(workflow: Workflow) -> None:
    assert re.fullmatch(r"compatrix==\d+\.\d+\.\d+", workflow.env["COMPATRIX_INSTALL"])
    assert '"${COMPATRIX_INSTALL}"' in (workflow.step("update", "install").run or "")
    source = "compatrix @ git+https://github.com/compatrix/compatrix@v9.9.9"
    assert render_update_workflow(install=source).count(f'COMPATRIX_INSTALL: "{source}"') == 1


# --- running the steps -------------------------------------------------------------------

CONFIG = """\
python = ["3.9", "3.10", "3.11", "3.12", "3.13"]

[defaults]
num-versions = 3
pins = "off"

[suites.alpha]
package = "alpha"
test-path = "tests/alpha"

[suites.beta]
package = "beta"
"""

TOX_INI = """\
[tox]
env_list =
    lint

[testenv]
deps =
    pytest
commands = pytest {env:TESTPATH:tests} {posargs}

[testenv:lint]
deps = ruff
commands = ruff check .
"""

NOW = datetime.now(tz=UTC)


def _old_index() -> Index:
    return Index(
        packages={
            "alpha": minors(1, 5, start=day(2024, 1, 10)),
            "beta": [*minors(2, 3, start=day(2024, 6, 1)), Rel("2.3.0", day(2025, 1, 1))],
        }
    )


def _new_index() -> Index:
    index = _old_index()
    index.packages["alpha"].append(Rel("1.5.0", NOW - timedelta(days=10)))
    index.packages["beta"].append(Rel("2.3.1", NOW - timedelta(days=10)))
    return index


def _environment(tmp: Path, runner: Path, index_url: str, workflow: Workflow) -> dict[str, str]:
    runner.mkdir(parents=True)
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    return {
        **os.environ,
        **workflow.env,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "COMPATRIX_INDEX_URL": index_url,
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(runner / "output"),
        "GITHUB_STEP_SUMMARY": str(runner / "summary"),
    }


def test_the_push_credential_helper_answers_with_the_token(workflow: Workflow) -> None:
    script = workflow.step(*PUSH).run or ""
    (helper,) = re.findall(r"-c '(credential\.helper=![^']*)'", script)
    result = subprocess.run(
        ["git", "-c", "credential.helper=", "-c", helper, "credential", "fill"],
        input="protocol=https\nhost=github.com\n\n",
        env={**os.environ, "GH_TOKEN": "token-123", "GIT_TERMINAL_PROMPT": "0"},
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "username=x-access-token\npassword=token-123\n" in result.stdout
    token = workflow.step(*PUSH).env["GH_TOKEN"]
    assert token == (
        "${{ steps.app-token.outputs.token || secrets.COMPATRIX_TOKEN || github.token }}"
    )


def _run_step(step: Step, cwd: Path, environment: dict[str, str]) -> str:
    """Run a step's script the way GitHub does on Linux (bash -e -o pipefail)."""
    assert step.run is not None
    script = Path(environment["RUNNER_TEMP"]) / f"{step.job}-{step.id}.sh"
    script.write_text(step.run, encoding="utf-8")
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert result.returncode == 0, f"step {step.id}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=dev", "-c", "user.email=dev@example.org", *args],
        cwd=repo,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _outputs(runner: Path) -> dict[str, str]:
    lines = (runner / "output").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


@pytest.mark.slow
def test_update_job_then_commit_then_nothing_to_do(tmp_path: Path, workflow: Workflow) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "compatrix.toml").write_text(CONFIG)
    (repo / "tox.ini").write_text(TOX_INI)
    _written(repo)
    with IndexServer(_old_index().write(tmp_path / "old-index")) as old:
        first = run("-C", str(repo), "-q", "update", "--index-url", old.index_url)
        assert first.code == 0, first.err
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "--all")
    _git(repo, "commit", "-q", "-m", "the matrix of last week")
    base = _git(repo, "rev-parse", "HEAD").strip()
    committed_tox = (repo / "tox.ini").read_text()

    with IndexServer(_new_index().write(tmp_path / "new-index")) as new:
        # This week: newer releases on the index.
        runner = tmp_path / "runner-1"
        environment = _environment(tmp_path, runner, new.index_url, workflow)
        for step_id in ("update", "report"):
            _run_step(workflow.step("update", step_id), repo, environment)
        assert _outputs(runner) == {"changed": "true"}
        report = (runner / "compatrix" / "report.md").read_text()
        lines = report.splitlines()
        assert lines[0].startswith("Test matrix: 2 suites changed;")
        assert "| replaced | 1.4.0 → 1.5.0 | latest | 3.9, 3.12, 3.13 |" in report
        assert "| replaced | 2.3.0 → 2.3.1 | latest | 3.9, 3.12, 3.13 |" in report
        assert (runner / "summary").read_text() == report
        assert (repo / "tox.ini").read_text() != committed_tox
        patch = (runner / "compatrix" / "changes.patch").read_text()
        assert "+++ b/tox.ini" in patch
        assert "+++ b/compatrix.lock" in patch

        # The pull-request job, in a fresh clone at the same commit.
        clone = tmp_path / "clone"
        _git(tmp_path, "clone", "-q", str(repo), str(clone))
        _run_step(workflow.step("pull-request", "commit"), clone, environment)
        assert _git(clone, "rev-parse", "--abbrev-ref", "HEAD").strip() == "compatrix/update"
        assert _git(clone, "rev-parse", "HEAD~1").strip() == base
        assert _git(clone, "status", "--porcelain") == ""
        message = _git(clone, "log", "-1", "--format=%B").splitlines()
        assert message[:3] == ["Update the test matrix", "", lines[0]]
        assert (clone / "tox.ini").read_text() == (repo / "tox.ini").read_text()
        assert (clone / "compatrix.lock").read_text() == (repo / "compatrix.lock").read_text()
        changed = _git(clone, "diff", "--name-only", "HEAD~1", "HEAD").split()
        assert sorted(changed) == ["compatrix.lock", "tox.ini"]
        # The push, to a repository on disk standing in for GitHub.
        remote = tmp_path / "remote.git"
        _git(tmp_path, "init", "-q", "--bare", str(remote))
        _git(clone, "remote", "set-url", "origin", str(remote))
        _run_step(workflow.step(*PUSH), clone, {**environment, "GH_TOKEN": "unused"})
        pushed = _git(remote, "rev-parse", "refs/heads/compatrix/update").strip()
        assert pushed == _git(clone, "rev-parse", "HEAD").strip()

        # The pull request is merged; next week the index holds the same data.
        _git(repo, "commit", "-q", "-m", "merge the update")
        runner = tmp_path / "runner-2"
        environment = _environment(tmp_path, runner, new.index_url, workflow)
        merged_tox = (repo / "tox.ini").read_text()
        for step_id in ("update", "report"):
            _run_step(workflow.step("update", step_id), repo, environment)
        assert _outputs(runner) == {"changed": "false"}
        assert (runner / "compatrix" / "report.md").read_text() == ""
        assert not (runner / "compatrix" / "changes.patch").exists()
        assert (runner / "summary").read_text() == "The test matrix did not change.\n"
        assert (repo / "tox.ini").read_text() == merged_tox
        # Nothing new on the index: the lock is byte-identical, fetch times included.
        assert _git(repo, "diff", "--unified=0", "--", ".") == ""


FAKE_GH = """\
#!/bin/bash
{ printf '%s' "$1"; for arg in "${@:2}"; do printf '\\x1f%s' "$arg"; done; echo; } >> "$FAKE_GH_LOG"
case "$1 $2" in
  "pr list") echo "$FAKE_GH_OPEN" ;;
  "pr create") echo "https://github.com/owner/repo/pull/7" ;;
  "pr edit") if [ -n "$FAKE_GH_FAIL_LABELS" ] && [ "$4" = --add-label ]; then exit 1; fi ;;
  *) exit 2 ;;
esac
"""

TITLE = "Update the test matrix"
CREATE = ["pr", "create", "--head", "compatrix/update", "--base", "main", "--title", TITLE]
CREATE += ["--body-file", "report.md"]


def _with_fake_gh(tmp_path: Path, runner: Path, workflow: Workflow) -> dict[str, str]:
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "gh").write_text(FAKE_GH)
    (shim / "gh").chmod(0o755)
    environment = _environment(tmp_path, runner, "http://127.0.0.1:9/simple/", workflow)
    environment["PATH"] = f"{shim}{os.pathsep}{environment['PATH']}"
    environment["FAKE_GH_LOG"] = str(tmp_path / "gh.log")
    return environment


@pytest.mark.parametrize(
    ("open_pr", "labels", "long", "calls"),
    [
        pytest.param(
            "",
            "",
            False,
            [CREATE],
            id="opens-a-pull-request",
        ),
        pytest.param(
            "12",
            "",
            False,
            [["pr", "edit", "12", "--title", TITLE, "--body-file", "report.md"]],
            id="updates-the-open-one",
        ),
        pytest.param(
            "",
            "dependencies,ci",
            False,
            [
                CREATE,
                ["pr", "edit", "7", "--add-label", "dependencies,ci"],
            ],
            id="labels-the-new-one",
        ),
        pytest.param(
            "12",
            "",
            True,
            [["pr", "edit", "12", "--title", TITLE, "--body-file", "short.md"]],
            id="long-report-links-to-the-run",
        ),
    ],
)
def test_pull_request_step(
    tmp_path: Path,
    workflow: Workflow,
    *,
    open_pr: str,
    labels: str,
    long: bool,
    calls: list[list[str]],
) -> None:
    runner = tmp_path / "runner"
    environment = _with_fake_gh(tmp_path, runner, workflow)
    log = tmp_path / "gh.log"
    environment.update(
        {
            "FAKE_GH_OPEN": open_pr,
            "COMPATRIX_LABELS": labels,
            "GH_TOKEN": "unused",
            "GH_REPO": "owner/repo",
            "GITHUB_REF_NAME": "main",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "owner/repo",
            "GITHUB_RUN_ID": "42",
        }
    )
    (runner / "compatrix").mkdir()
    summary = "Test matrix: 1 suite changed; 1 version added; 3 → 6 envs."
    body = "\n".join([summary, "", "| row |" * (12_000 if long else 1)]) + "\n"
    (runner / "compatrix" / "report.md").write_text(body)
    _run_step(workflow.step(*PULL_REQUEST), tmp_path, environment)
    recorded = [line.split("\x1f") for line in log.read_text().splitlines()]
    assert recorded[0][:3] == ["pr", "list", "--head"]
    assert recorded[0][3:6] == ["compatrix/update", "--base", "main"]
    made = [[Path(a).name if a.startswith(str(runner)) else a for a in c] for c in recorded[1:]]
    assert made == calls
    if long:
        short = (runner / "compatrix" / "short.md").read_text()
        assert short == (
            f"{summary}\n\nThe full report is too long for a pull request description: see "
            "the summary of https://github.com/owner/repo/actions/runs/42.\n"
        )


def test_a_label_that_cannot_be_added_is_a_warning(tmp_path: Path, workflow: Workflow) -> None:
    runner = tmp_path / "runner"
    environment = _with_fake_gh(tmp_path, runner, workflow)
    environment.update(
        {
            "FAKE_GH_OPEN": "12",
            "FAKE_GH_FAIL_LABELS": "1",
            "COMPATRIX_LABELS": "nope",
            "GITHUB_REF_NAME": "main",
        }
    )
    (runner / "compatrix").mkdir()
    (runner / "compatrix" / "report.md").write_text("Test matrix: 1 suite changed.\n")
    out = _run_step(workflow.step(*PULL_REQUEST), tmp_path, environment)
    assert "::warning::could not add the labels nope (do they exist?)" in out
