"""docs/ci.md, action.yml and .pre-commit-hooks.yaml: true to the code, and lint-clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compatrix._actions import PINS, PINS_CHECKED
from compatrix._cli import build_parser
from compatrix._config import WorkflowSettings, load_config
from compatrix._config._fields import Table
from compatrix._render import matrix_json, render_workflows
from compatrix._selection._model import Matrix

from .build import envs_of
from .lint import actionlint, write_tree, zizmor

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs" / "ci.md"
ACTION = ROOT / "action.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
FAKE_SHA = "0123456789abcdef0123456789abcdef01234567"


def _example(name: str, language: str) -> str:
    """The code block right after ``<!-- example: NAME -->`` in docs/ci.md."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(
        rf"<!-- example: {re.escape(name)} -->\n```{language}\n(.*?)```", text, flags=re.DOTALL
    )
    assert match is not None, name
    return match.group(1)


def _run_blocks(text: str) -> list[str]:
    """The lines of every ``run: |`` block."""
    lines = text.splitlines()
    found = []
    for index, line in enumerate(lines):
        if line.strip() == "run: |":
            indent = len(line) - len(line.lstrip()) + 2
            for body in lines[index + 1 :]:
                if body.strip() and len(body) - len(body.lstrip()) < indent:
                    break
                found.append(body)
    return found


# --- docs/ci.md -----------------------------------------------------------------------------


def _docs_example(tmp_path: Path) -> tuple[dict[Path, str], str]:
    (tmp_path / "compatrix.toml").write_text(_example("config", "toml"), encoding="utf-8")
    config = load_config(directory=tmp_path)
    redis, attrs = config.suites
    # The picks the text describes.
    matrix = Matrix(
        suites=(
            envs_of(redis, {"3.9 3.13": ["4.6.0", "latest"]}),
            envs_of(attrs, {"3.9 3.13 3.14t": ["25.3.0"]}),
        )
    )
    return render_workflows(matrix, config), matrix_json(matrix, config)


def test_the_example_workflow_is_what_compatrix_writes(tmp_path: Path) -> None:
    workflows, _ = _docs_example(tmp_path)
    assert workflows == {tmp_path / ".github/workflows/test-data.yml": _example("workflow", "yaml")}


def test_the_example_json_is_what_compatrix_prints(tmp_path: Path) -> None:
    _, json_text = _docs_example(tmp_path)
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks == [json_text]


@pytest.mark.parametrize("name", ["fromJSON", "check"])
def test_the_example_workflows_pass_actionlint_and_zizmor(name: str, tmp_path: Path) -> None:
    text = _example(name, "yaml").replace("<commit SHA>", FAKE_SHA)
    (path,) = write_tree(tmp_path, {f".github/workflows/{name}.yml": text})
    actionlint(tmp_path, path)
    zizmor(tmp_path, path)


def test_the_docs_show_the_current_pins() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, pin in PINS.items():
        assert f"| `{name}` | `{pin.uses}` | {pin.tag} |" in text
    assert f"checked on {PINS_CHECKED}" in text
    # Every workflow in the docs uses the built-in pins.
    uses = set(re.findall(r"uses: (actions/[\w-]+@[0-9a-f]{40} # [\w.]+)", text))
    assert uses == {pin.reference for pin in PINS.values()}


def test_the_docs_list_every_workflows_option() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for option in Table(WorkflowSettings).options:
        assert f"| `{option.key}` |" in text, option.key


# --- action.yml -----------------------------------------------------------------------------


def test_action_passes_zizmor() -> None:
    zizmor(ROOT, ACTION)


def test_action_inputs_as_actionlint_reads_them(tmp_path: Path) -> None:
    workflow = f"""\
name: use the action
on:
  pull_request:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{FAKE_SHA} # v7.0.1
        with:
          persist-credentials: false
      - id: compatrix
        uses: ./
        with:
          command: matrix
          args: --format json
          version: 1.0.0
          python-version: "3.12"
          working-directory: sub
      - env:
          OUTPUT: ${{{{ steps.compatrix.outputs.output }}}}
        run: echo "$OUTPUT"
"""
    paths = write_tree(
        tmp_path,
        {"action.yml": ACTION.read_text(encoding="utf-8"), ".github/workflows/use.yml": workflow},
    )
    actionlint(tmp_path, paths[1])
    # The two-line form of the docs.
    (two_lines,) = write_tree(
        tmp_path / "two",
        {
            "action.yml": ACTION.read_text(encoding="utf-8"),
            ".github/workflows/check.yml": _example("check", "yaml").replace(
                "compatrix/compatrix@<commit SHA> # vX.Y.Z", "./"
            ),
        },
    )[1:]
    actionlint(tmp_path / "two", two_lines)


def test_action_pins_and_scripts() -> None:
    text = ACTION.read_text(encoding="utf-8")
    uses = re.findall(r"^ *(?:- )?uses: (.*)$", text, flags=re.MULTILINE)
    assert uses == [PINS["setup-python"].reference]
    scripts = _run_blocks(text)
    assert len(scripts) > 10
    assert not any("${{" in line for line in scripts)


def test_action_commands_are_compatrix_commands(capsys: pytest.CaptureFixture[str]) -> None:
    text = ACTION.read_text(encoding="utf-8")
    match = re.search(r"^ +((?:[a-z]+ \| )+[a-z]+)\) ;;$", text, flags=re.MULTILINE)
    assert match is not None
    allowed = match.group(1).split(" | ")
    assert "init" not in allowed  # writes a starter config: nothing for CI
    for command in allowed:
        with pytest.raises(SystemExit) as info:
            build_parser().parse_args([command, "--help"])
        assert info.value.code == 0, command
    capsys.readouterr()
    described = re.search(r"  command:\n    description: >-\n(.*?)\n    required:", text, re.S)
    assert described is not None
    assert re.findall(r"[a-z]+(?= \(default\)|,| or|\.)", described.group(1)) == allowed


# --- .pre-commit-hooks.yaml -------------------------------------------------------------------


def _hook() -> dict[str, str]:
    lines = HOOKS.read_text(encoding="utf-8").splitlines()
    assert lines.count("- id: compatrix-check") == 1
    start = lines.index("- id: compatrix-check")
    fields = {"id": "compatrix-check"}
    for line in lines[start + 1 :]:
        match = re.fullmatch(r"  ([a-z_]+): (.*)", line)
        if match:
            fields[match.group(1)] = match.group(2)
    return fields


def test_hook_definition() -> None:
    hook = _hook()
    assert hook["entry"] == "compatrix check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] == "false"


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        pytest.param("compatrix.toml", True, id="config"),
        pytest.param("compatrix.lock", True, id="lock"),
        pytest.param("pyproject.toml", True, id="pyproject"),
        pytest.param("tox.ini", True, id="tox-ini"),
        pytest.param("tox.toml", True, id="tox-toml"),
        pytest.param("sub/project/compatrix.toml", True, id="config-in-a-subdirectory"),
        pytest.param(".github/workflows/test-network.yml", True, id="workflow"),
        pytest.param("src/compatrix.py", False, id="source"),
        pytest.param("docs/tox.ini.md", False, id="similar-name"),
        pytest.param("my-compatrix.toml", False, id="suffix-of-a-name"),
        pytest.param("docs/.github/workflows/x.yml", False, id="not-the-workflows-directory"),
    ],
)
def test_hook_runs_for(path: str, runs: bool) -> None:
    value = _hook()["files"]
    assert value.startswith("'") and value.endswith("'") and "'" not in value[1:-1]
    # pre-commit matches `files` with re.search against paths relative to the repository.
    assert bool(re.search(value[1:-1], path)) is runs
