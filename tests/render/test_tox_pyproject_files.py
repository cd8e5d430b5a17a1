"""tox configured in pyproject.toml: ``[tool.tox]`` (native) and ``legacy_tox_ini``, rendered
in place with the same regions, byte for byte, as tox.toml and tox.ini."""

from __future__ import annotations

import pytest

from compatrix._render import render_pyproject_tox, render_tox_ini, render_tox_toml
from compatrix._toml import tomllib
from compatrix.errors import OutputError

from .regions_util import outside_regions
from .scenarios import (
    USER_INI,
    USER_PYPROJECT_LEGACY,
    USER_PYPROJECT_LEGACY_BASIC,
    USER_PYPROJECT_NATIVE,
    USER_TOML,
    changed,
    full,
)

NAME = "pyproject.toml"


def _render(existing: str, *, later: bool = False) -> str:
    matrix, config = changed(NAME) if later else full(NAME)
    return render_pyproject_tox(existing, matrix, config, path=NAME)


def _unprefixed(text: str) -> str:
    """The [tool.tox] part of a rendered pyproject.toml as tox.toml would have it."""
    start = text.index("[tool.tox]\n")
    end = text.index("[tool.ruff]")
    tox = text[start + len("[tool.tox]\n") : end] + text[text.index("\n# >>> compatrix: envs") :]
    tox = tox.replace("[tool.tox.", "[").replace('"tool", "tox", ', "")
    return tox.replace("\n\n\n", "\n\n")


def test_native_regions_are_those_of_tox_toml() -> None:
    matrix, config = full("tox.toml")
    assert _unprefixed(_render(USER_PYPROJECT_NATIVE)) == render_tox_toml(USER_TOML, matrix, config)


def test_native_refs_reach_the_base_under_tool_tox() -> None:
    data = tomllib.loads(_render(USER_PYPROJECT_NATIVE))
    env = data["tool"]["tox"]["env"]["py3.8-httpx-v0.16.1"]
    assert env["deps"][0] == {
        "replace": "ref",
        "of": ["tool", "tox", "env_run_base", "deps"],
        "extend": True,
    }


@pytest.mark.parametrize(
    "existing",
    [
        pytest.param(USER_PYPROJECT_LEGACY, id="literal-string"),
        pytest.param(USER_PYPROJECT_LEGACY_BASIC, id="basic-string"),
    ],
)
def test_legacy_string_holds_exactly_what_tox_ini_would(existing: str) -> None:
    matrix, config = full("tox.ini")
    text = _render(existing)
    assert tomllib.loads(text)["tool"]["tox"]["legacy_tox_ini"] == render_tox_ini(
        USER_INI, matrix, config
    )
    head = existing[: existing.index(USER_INI)]
    tail = existing[existing.index(USER_INI) + len(USER_INI) :]
    assert text.startswith(head)
    assert text.endswith(tail)


@pytest.mark.parametrize(
    "existing",
    [
        pytest.param(USER_PYPROJECT_NATIVE, id="native"),
        pytest.param(USER_PYPROJECT_NATIVE.replace("\n", "\r\n"), id="native-crlf"),
        pytest.param(USER_PYPROJECT_LEGACY, id="legacy"),
        pytest.param(USER_PYPROJECT_LEGACY_BASIC, id="legacy-basic"),
    ],
)
def test_regeneration_keeps_everything_outside_the_regions(existing: str) -> None:
    first = _render(existing)
    assert _render(first) == first
    second = _render(first, later=True)
    assert second != first
    assert outside_regions(second) == outside_regions(first)
    assert _render(second) == first


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        pytest.param(
            '[project]\nname = "x"\n', "pyproject.toml: has no [tool.tox] table", id="no-tool-tox"
        ),
        pytest.param(
            '[tool.tox]\nlegacy_tox_ini = """\n[tox]\ncommands = a \\\\\n  b\n"""\n',
            "a basic string",
            id="legacy-with-escapes",
        ),
        pytest.param(
            '[tool.tox]\nlegacy_tox_ini = "[tox]\\nenv_list = a\\n"\n',
            "multi-line string set in the [tool.tox] table",
            id="legacy-one-line-string",
        ),
        pytest.param(
            '[tool]\ntox.env_run_base = { deps = ["pytest"] }\n',
            "compatrix adds env_list to the [tool.tox] table",
            id="native-without-a-tool-tox-header",
        ),
        pytest.param("[tool.tox\n", "pyproject.toml: not valid TOML", id="invalid"),
    ],
)
def test_files_compatrix_cannot_update_are_refused(existing: str, message: str) -> None:
    with pytest.raises(OutputError, match=None) as caught:
        _render(existing)
    assert message in str(caught.value)
