"""tox.toml rendering: whole files, regeneration, and files compatrix refuses to update."""

from __future__ import annotations

import sys

import pytest

from compatrix._render import render_tox_toml
from compatrix.errors import OutputError

from .golden import assert_matches_file
from .regions_util import outside_regions, region
from .scenarios import (
    USER_TOML,
    USER_TOML_MULTILINE,
    USER_TOML_WITHOUT_ENV_LIST,
    changed,
    full,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        pytest.param(None, "fresh.tox.toml", id="no-file-skeleton"),
        pytest.param(USER_TOML, "user.tox.toml", id="single-line-env-list-and-base"),
        pytest.param(USER_TOML_MULTILINE, "multiline.tox.toml", id="multi-line-env-list"),
        pytest.param(USER_TOML_WITHOUT_ENV_LIST, "no-env-list.tox.toml", id="no-env-list"),
    ],
)
def test_first_run(existing: str | None, expected: str) -> None:
    matrix, config = full("tox.toml")
    text = render_tox_toml(existing, matrix, config)
    assert_matches_file(text, expected)
    assert render_tox_toml(existing, matrix, config) == text
    assert render_tox_toml(text, matrix, config) == text


def test_user_entries_stay_in_the_env_list() -> None:
    matrix, config = full("tox.toml")
    data = tomllib.loads(render_tox_toml(USER_TOML_MULTILINE, matrix, config))
    assert data["env_list"] == ["lint", "type", *(env.name for env in matrix.envs)]


PINNED = dict.fromkeys(("UV_CONSTRAINT", "PIP_CONSTRAINT"), "{tox_root}/constraints/{env_name}.txt")
"""What a pinned env's table adds to its set_env: every install reads its constraint file."""


def test_generated_tables_extend_the_base() -> None:
    matrix, config = full("tox.toml")
    data = tomllib.loads(render_tox_toml(USER_TOML, matrix, config))
    table = data["env"]["py3.14t-httpx-v0.28.1"]
    assert table["deps"] == [
        {"replace": "ref", "of": ["env_run_base", "deps"], "extend": True},
        "httpx==0.28.1",
        "anyio>=3,<5",
        "pytest-asyncio",
        "pytest-httpx==0.35.0",
        "h2>=4",
    ]
    assert table["set_env"] == [
        {"replace": "ref", "of": ["env_run_base", "set_env"]},
        {"TESTPATH": "tests/integrations/httpx", **PINNED},
    ]
    assert table["pass_env"] == [
        {"replace": "ref", "of": ["env_run_base", "pass_env"], "extend": True},
        "HTTPX_TOKEN",
    ]
    # The user's own env tables are untouched.
    assert data["env"]["lint"] == {
        "skip_install": True,
        "deps": ["ruff"],
        "commands": [["ruff", "check", "."]],
    }


def test_without_base_values_the_tables_stand_alone() -> None:
    matrix, config = full("tox.toml")
    data = tomllib.loads(render_tox_toml(USER_TOML_MULTILINE, matrix, config))
    table = data["env"]["py3.12-openai-base-v1.0.0"]
    assert table["deps"] == ["openai[datalib]==1.0.0"]
    # The base's set_env is an array of tables: the reference spreads it.
    assert table["set_env"] == [
        {"replace": "ref", "of": ["env_run_base", "set_env"], "extend": True},
        {"TESTPATH": "tests/integrations/openai", "OPENAI_MODE": "test", **PINNED},
    ]


@pytest.mark.parametrize(
    "existing",
    [
        pytest.param(None, id="skeleton"),
        pytest.param(USER_TOML, id="user-file"),
        pytest.param(USER_TOML.replace("\n", "\r\n"), id="crlf"),
        pytest.param(USER_TOML_MULTILINE, id="multi-line"),
        pytest.param(USER_TOML_WITHOUT_ENV_LIST.rstrip("\n"), id="no-eol"),
    ],
)
def test_regeneration_keeps_everything_outside_the_regions(existing: str | None) -> None:
    matrix, config = full("tox.toml")
    first = render_tox_toml(existing, matrix, config)
    new_matrix, new_config = changed("tox.toml")
    second = render_tox_toml(first, new_matrix, new_config)
    assert second != first
    assert outside_regions(second) == outside_regions(first)
    assert render_tox_toml(second, matrix, config) == first


def test_regeneration_after_a_matrix_change() -> None:
    matrix, config = full("tox.toml")
    first = render_tox_toml(USER_TOML, matrix, config)
    new_matrix, new_config = changed("tox.toml")
    assert_matches_file(render_tox_toml(first, new_matrix, new_config), "user-changed.tox.toml")


def test_crlf_file_stays_crlf() -> None:
    matrix, config = full("tox.toml")
    text = render_tox_toml(USER_TOML.replace("\n", "\r\n"), matrix, config)
    assert "\n" not in text.replace("\r\n", "")
    assert text.replace("\r\n", "\n") == render_tox_toml(USER_TOML, matrix, config)


def test_hand_edits_inside_a_region_are_replaced() -> None:
    matrix, config = full("tox.toml")
    clean = render_tox_toml(USER_TOML, matrix, config)
    edited = clean.replace('    "httpx==0.16.1",\n', '    "httpx==0.16.2",\n').replace(
        '    "py3.8-httpx-v0.16.1",\n', '    "py3.8-httpx-v0.16.1", "mine",\n'
    )
    assert edited != clean
    assert render_tox_toml(edited, matrix, config) == clean


def test_markers_inside_a_multi_line_string_are_not_markers() -> None:
    matrix, config = full("tox.toml")
    existing = 'description = """\n# >>> compatrix: envs\n"""\nenv_list = []\n'
    text = render_tox_toml(existing, matrix, config)
    assert text.startswith(existing.replace("env_list = []\n", "env_list = [\n"))
    assert tomllib.loads(text)["description"] == "# >>> compatrix: envs\n"


def test_env_list_region_lists_envs_by_suite() -> None:
    matrix, config = full("tox.toml")
    entries = region(render_tox_toml(None, matrix, config), "env_list")
    assert entries[0] == "# httpx (group Network)"
    names = [e.strip('",') for e in entries if not e.startswith("#")]
    assert names == [env.name for env in matrix.envs]


def _toml(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("existing", "line", "message"),
    [
        pytest.param(
            _toml("env_list = []", "# >>> compatrix: env_list", "# <<< compatrix: env_list"),
            2,
            "the 'env_list' region must be inside the top-level env_list array",
            id="env-list-region-outside-the-array",
        ),
        pytest.param(
            _toml(
                "env_list = []",
                "[env_run_base]",
                "deps = [",
                "# >>> compatrix: envs",
                "# <<< compatrix: envs",
                "]",
            ),
            4,
            "the 'envs' region must be at the top level of the file",
            id="envs-region-inside-a-value",
        ),
        pytest.param(
            _toml(
                "env_list = []",
                "# >>> compatrix: envs",
                "# <<< compatrix: envs",
                "",
                "skip_missing_interpreters = true",
            ),
            5,
            "this line would belong to the last generated table",
            id="key-after-the-envs-region",
        ),
        pytest.param(
            _toml("env_list = [", "    # >>> compatrix: env_list", "]"),
            2,
            "region 'env_list' begins here but never ends",
            id="begin-without-end",
        ),
        pytest.param(
            _toml("env_list = []", "# >>> compatrix: tables", "# <<< compatrix: tables"),
            2,
            "unknown compatrix region 'tables'",
            id="unknown-region",
        ),
    ],
)
def test_broken_markers_are_refused_with_file_and_line(
    existing: str, line: int, message: str
) -> None:
    matrix, config = full("tox.toml")
    with pytest.raises(OutputError) as raised:
        render_tox_toml(existing, matrix, config)
    assert str(raised.value).startswith(f"tox.toml:{line}: ")
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        pytest.param("env_list = [\n", "tox.toml: not valid TOML: ", id="invalid-toml"),
        pytest.param(
            "x = " + "[" * 2000 + "]" * 2000 + "\n",
            "tox.toml: not valid TOML: nested too deeply",
            id="array-nested-2000-deep",
        ),
        pytest.param('env_list = "lint"\n', "env_list must be an array", id="env-list-string"),
        pytest.param(
            'env_list = ["lint"]\n\n[env."py3.13-redis-v5.0.1"]\ndeps = ["x"]\n',
            "would make the file invalid TOML",
            id="generated-env-also-defined-by-hand",
        ),
        pytest.param(
            'env_list = ["lint"]\n\n[env."py3.13-redis-v5.0.1".extra]\nx = 1\n',
            "the generated env 'py3.13-redis-v5.0.1' is also configured outside",
            id="generated-env-extended-by-hand",
        ),
        pytest.param(
            'env_list = ["lint"]\n\n[env_run_base]\nset_env = "file|.env"\n',
            "env_run_base.set_env must be a table or an array of tables",
            id="base-set-env-from-a-file",
        ),
        pytest.param(
            '"env_list".x = 1\n',
            "env_list must be an array",
            id="env-list-a-table",
        ),
    ],
)
def test_files_compatrix_cannot_update_are_refused(existing: str, message: str) -> None:
    matrix, config = full("tox.toml")
    with pytest.raises(OutputError) as raised:
        render_tox_toml(existing, matrix, config)
    assert message in str(raised.value)
