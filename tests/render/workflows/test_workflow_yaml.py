"""The YAML itself: safe scalars, and the security properties of every rendered workflow."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable

import pytest

from compatrix._actions import PINS
from compatrix._config._model import Config, Service
from compatrix._render import render_workflows
from compatrix._render._workflows import _scalar, service_fields
from compatrix._selection._model import Matrix

from . import scenarios


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("ubuntu-latest", id="runner"),
        pytest.param("py3.12 (redis)", id="label"),
        pytest.param("3.10", id="version-that-is-a-float"),
        pytest.param("3.14t", id="free-threaded-version"),
        pytest.param("", id="empty"),
        pytest.param("yes", id="yaml-1.1-boolean"),
        pytest.param("No", id="yaml-1.1-boolean-capitalized"),
        pytest.param("on", id="on"),
        pytest.param("null", id="null"),
        pytest.param("~", id="tilde"),
        pytest.param("a: b", id="mapping-indicator"),
        pytest.param("x #y", id="comment-indicator"),
        pytest.param("#x", id="leading-comment"),
        pytest.param("-x", id="leading-dash"),
        pytest.param("*alias", id="alias"),
        pytest.param("&anchor", id="anchor"),
        pytest.param("!tag", id="tag"),
        pytest.param("'quoted'", id="single-quotes"),
        pytest.param('say "hi"', id="double-quotes"),
        pytest.param("both ' and \"", id="both-quotes"),
        pytest.param("back\\slash", id="backslash"),
        pytest.param("trailing ", id="trailing-space"),
        pytest.param("a  b", id="two-spaces"),
        pytest.param("tox>=4,<5", id="requirement"),
        pytest.param("Réseau 網絡", id="non-ascii"),
        pytest.param("{a}", id="flow-mapping"),
        pytest.param("[a]", id="flow-sequence"),
        pytest.param("%directive", id="directive"),
        pytest.param("@at", id="reserved-at"),
        pytest.param("`tick", id="reserved-backtick"),
    ],
)
def test_scalars_read_back_as_written(value: str) -> None:
    text = _scalar(value)
    if text.startswith('"'):
        assert json.loads(text) == value  # a JSON string is a YAML double-quoted scalar
    elif text.startswith("'"):
        # A single-quoted scalar: literal up to the closing quote, which it does not hold.
        assert text.endswith("'")
        assert text[1:-1] == value
        assert "'" not in value
    else:
        # Plain: only characters that mean nothing to YAML, and no word YAML gives a meaning.
        assert text == value
        assert re.fullmatch(r"[A-Za-z_/][A-Za-z0-9_./@+() -]*[A-Za-z0-9_./@+()-]|[A-Za-z]", text)
        assert value.lower() not in {"y", "yes", "n", "no", "true", "false", "on", "off", "null"}


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("a\nb", id="newline"),
        pytest.param("a\rb", id="carriage-return"),
        pytest.param("a\x00b", id="nul"),
        pytest.param("a\u2028b", id="line-separator"),
        pytest.param("a\u202eb", id="bidi-override"),
    ],
)
def test_control_characters_are_never_written(value: str) -> None:
    # Config validation refuses them; the emitter only double-checks.
    with pytest.raises(AssertionError, match="unchecked value"):
        _scalar(value)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("redis-cli ping", id="plain"),
        pytest.param('pg_isready -U "postgres"', id="double-quotes"),
        pytest.param("mysqladmin ping -h 127.0.0.1 --password='x y'", id="single-quotes"),
    ],
)
def test_the_health_command_is_one_docker_argument(command: str) -> None:
    fields = service_fields(Service(name="db", image="db", health_cmd=command))
    options = fields["options"]
    assert isinstance(options, str)
    args = shlex.split(options)
    assert args[:2] == ["--health-cmd", command]
    assert args[2:] == [
        "--health-interval",
        "10s",
        "--health-timeout",
        "5s",
        "--health-retries",
        "5",
    ]


# --- properties of every rendered workflow --------------------------------------------------

SCENARIOS: list[Callable[[], tuple[Matrix, Config]]] = [
    scenarios.groups,
    lambda: scenarios.groups(jobs_per="suite"),
    lambda: scenarios.groups(jobs_per="env", max_jobs=2),
    scenarios.big,
]


def _texts() -> list[str]:
    texts = []
    for make in SCENARIOS:
        matrix, config = make()
        texts += render_workflows(matrix, config).values()
    return texts


def _run_scripts(text: str) -> list[str]:
    """The lines of every ``run:`` block."""
    lines = text.splitlines()
    scripts = []
    for index, line in enumerate(lines):
        if line.strip() == "run: |":
            indent = len(line) - len(line.lstrip()) + 2
            for body in lines[index + 1 :]:
                if len(body) - len(body.lstrip()) < indent:
                    break
                scripts.append(body)
        else:
            assert not line.strip().startswith("run:"), line
    return scripts


@pytest.mark.parametrize("text", _texts())
def test_security_properties(text: str) -> None:
    assert text.startswith("# Generated by compatrix: do not edit this file by hand.\n")
    # Least privilege, for every job (jobs set no permissions of their own).
    assert "\npermissions:\n  contents: read\n\n" in text
    assert text.count("permissions:") == 1
    # Every action is pinned to a full commit SHA, with its tag in a comment.
    uses = re.findall(r"^ *(?:- )?uses: (.*)$", text, flags=re.MULTILINE)
    assert uses
    pinned = {pin.reference for pin in PINS.values()}
    assert set(uses) <= pinned
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v[\d.]+", u) for u in uses)
    # The checkout leaves no credentials behind, in every job.
    jobs = re.findall(r"^  [\w-]+:\n    name: ", text, flags=re.MULTILINE)
    assert text.count("persist-credentials: false") == text.count("actions/checkout@") == len(jobs)
    # No expression inside a script: matrix values come in through env.
    scripts = _run_scripts(text)
    assert scripts
    assert not any("${{" in line for line in scripts)
    # Superseded pull request runs are cancelled.
    assert (
        "concurrency:\n"
        "  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}\n"
        "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
    ) in text
