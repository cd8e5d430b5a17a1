"""Generated workflows through the command line: written, checked, and removed when
their group goes away."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli._project import CONFIG, Index, Rel, day, minors, project, run
from tests.index_server import IndexServer

WORKFLOWS = CONFIG.replace(
    "[defaults]\n", '[workflows]\nenabled = true\n\n[defaults]\ngroup = "Core"\n', 1
)


def _index(root: Path) -> Path:
    index = Index(
        packages={
            "alpha": [Rel("0.9.0", day(2023, 1, 10)), *minors(1, 3, start=day(2023, 3, 1))],
            "beta": minors(2, 3, start=day(2024, 1, 5)),
        }
    )
    return index.write(root)


def test_workflows_follow_the_groups(tmp_path: Path) -> None:
    root = project(tmp_path / "proj", config=WORKFLOWS)
    user_workflow = root / ".github" / "workflows" / "lint.yml"
    user_workflow.parent.mkdir(parents=True)
    user_workflow.write_text("name: lint\n")
    with IndexServer(_index(tmp_path / "index")) as server:
        assert run("-C", str(root), "-q", "update", "--index-url", server.index_url).code == 0
    core = root / ".github" / "workflows" / "test-core.yml"
    assert "tox -e" in core.read_text()
    assert run("-C", str(root), "check").code == 0

    # The group is renamed: the old workflow would still run envs, so it must go.
    config = root / "compatrix.toml"
    config.write_text(config.read_text().replace('group = "Core"', 'group = "Main"'))
    check = run("-C", str(root), "check")
    assert check.code == 1
    assert "+++ /dev/null" in check.out
    assert "+++ b/.github/workflows/test-main.yml" in check.out
    generate = run("-C", str(root), "generate")
    assert generate.code == 0
    assert "removed .github/workflows/test-core.yml" in generate.err
    assert "wrote .github/workflows/test-main.yml" in generate.err
    assert sorted(p.name for p in user_workflow.parent.iterdir()) == ["lint.yml", "test-main.yml"]
    assert user_workflow.read_text() == "name: lint\n"  # not generated: never touched
    assert run("-C", str(root), "check").code == 0


def test_matrix_group_filters_the_table_and_accepts_extra_env_groups(tmp_path: Path) -> None:
    config = WORKFLOWS.replace(
        "[workflows]\nenabled = true\n",
        '[workflows]\nenabled = true\n\n[workflows.extra-envs]\nLint = ["py3.12-lint"]\n',
    ).replace('test-path = "tests/beta"\n', 'test-path = "tests/beta"\ngroup = "Beta"\n')
    root = project(tmp_path / "proj", config=config)
    with IndexServer(_index(tmp_path / "index")) as server:
        assert run("-C", str(root), "-q", "update", "--index-url", server.index_url).code == 0

    table = run("-C", str(root), "matrix", "--group", "Beta")
    assert table.code == 0, table.err
    assert "beta" in table.out and "alpha" not in table.out
    assert "1 suite, 3 picked versions" in table.out

    lint = run("-C", str(root), "matrix", "--format", "json", "--group", "Lint")
    assert lint.code == 0, lint.err
    assert json.loads(lint.out)["include"] == [
        {
            "group": "Lint",
            "python": "3.12",
            "envs": "py3.12-lint",
            "label": "py3.12",
            "runs-on": "ubuntu-latest",
        }
    ]

    unknown = run("-C", str(root), "matrix", "--group", "Nope")
    assert unknown.code == 2
    assert "groups: Beta, Core, Lint" in unknown.err
