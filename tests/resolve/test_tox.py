"""What tox installs in each env, asked of tox (``compatrix._resolve._tox``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from compatrix._resolve._tox import EnvInstall, tox_installs
from compatrix.errors import OutputError

TOX_INI = """\
[tox]
env_list = py3.12-httpx-v0.28.1, py3.8-httpx-v0.20.0, py3.12-flask-latest

[testenv]
package = skip
dependency_groups = test
deps =
    -r requirements-test.txt
    httpx-v0.28.1: httpx==0.28.1
    httpx-v0.20.0: httpx==0.20.0
    py3.8: exceptiongroup
    flask: flask
    !flask: respx
    -e .[http]

[testenv:py3.12-flask-latest]
package = wheel
extras = flask
"""


@pytest.fixture
def environ() -> dict[str, str]:
    # tox from the environment running the tests.
    return {"PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}


def test_tox_says_what_each_env_installs(tmp_path: Path, environ: dict[str, str]) -> None:
    tox_file = tmp_path / "tox.ini"
    tox_file.write_text("[tox]\n")  # what is on disk does not matter: the planned text does
    found = tox_installs(
        tox_file,
        TOX_INI,
        ["py3.8-httpx-v0.20.0", "py3.12-flask-latest"],
        environ=environ,
    )
    assert found == {
        "py3.8-httpx-v0.20.0": EnvInstall(
            deps=(
                "-r requirements-test.txt",
                "httpx==0.20.0",
                "exceptiongroup",
                "respx",
                "-e .[http]",
            ),
            groups=("test",),
            package="skip",
        ),
        "py3.12-flask-latest": EnvInstall(
            deps=("-r requirements-test.txt", "flask", "-e .[http]"),
            extras=("flask",),
            groups=("test",),
            package="wheel",
        ),
    }


def test_substitutions_mean_the_project_directory(tmp_path: Path, environ: dict[str, str]) -> None:
    tox_file = tmp_path / "tox.ini"
    text = "[tox]\nenv_list = a\n[testenv]\npackage = skip\ndeps = -c {toxinidir}/pins.txt\n"
    (found,) = tox_installs(tox_file, text, ["a"], environ=environ).values()
    assert found.deps == (f"-c {tmp_path}/pins.txt",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("[tox\n", "tox cannot read", id="not-ini"),
        pytest.param("[tox]\nenv_list = a\n", "tox cannot read", id="unknown-env"),
    ],
)
def test_a_configuration_tox_cannot_read_is_one_error(
    tmp_path: Path, environ: dict[str, str], text: str, message: str
) -> None:
    tox_file = tmp_path / "tox.ini"
    with pytest.raises(OutputError, match=message) as caught:
        tox_installs(tox_file, text, ["b"], environ=environ)
    assert str(tox_file) in str(caught.value)
