"""``compatrix init``: the starter config, the tox regions, refusing to overwrite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.cli._project import Index, day, minors, run, snapshot
from tests.index_server import IndexServer

from compatrix import __version__
from compatrix._config import load_config
from compatrix._lock._format import read_lock
from compatrix._pythons import PythonVersion
from compatrix._scaffold import UPDATE_WORKFLOW, propose_suites, render_config
from compatrix._selection._matrix import build_matrix

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).parent / "data"
TOX = Path(sys.executable).with_name("tox")


def _pyproject(extras: dict[str, list[str]], name: str = "sample") -> dict[str, Any]:
    return {"project": {"name": name, "optional-dependencies": extras}}


@pytest.mark.parametrize(
    ("extras", "proposed", "skipped"),
    [
        pytest.param({"httpx": ["httpx"]}, [("httpx", "httpx", None)], [], id="bare-name"),
        pytest.param(
            {"httpx": ["httpx>=0.23,<1"]}, [("httpx", "httpx", "0.23")], [], id="lower-bound"
        ),
        pytest.param(
            {"redis": ["redis>=4,>=4.2"]}, [("redis", "redis", "4.2")], [], id="highest-bound"
        ),
        pytest.param({"redis": ["redis==5.0.1"]}, [("redis", "redis", None)], [], id="pin"),
        pytest.param(
            {"gql": ["gql[requests,aiohttp]>=3.4; python_version >= '3.9'"]},
            [("gql", "gql[aiohttp,requests]", "3.4")],
            [],
            id="extras-and-marker",
        ),
        pytest.param(
            {"AWS_Lambda": ["boto3"]}, [("aws-lambda", "boto3", None)], [], id="normalized-name"
        ),
        pytest.param(
            {"both": ["a", "b>=2"]},
            [],
            [
                (
                    "both: 2 requirements (a, b); a suite tests one package: add the one to "
                    "test by hand, with the others as its deps"
                )
            ],
            id="two-packages",
        ),
        pytest.param({"empty": []}, [], ["empty: no requirement"], id="no-package"),
        pytest.param(
            {"test": ["pytest"], "docs": ["sphinx"], "typing": ["mypy"]},
            [],
            ["test, docs, typing: tooling, not an integration"],
            id="tooling",
        ),
        pytest.param(
            {"full": ["sample[httpx]"]}, [], ["full: tooling, not an integration"], id="all-extra"
        ),
        pytest.param(
            {"self": ["sample[httpx]"]}, [], ["self: names the project itself"], id="self-reference"
        ),
        pytest.param(
            {"local": ["pkg @ https://example.org/pkg.whl"]},
            [],
            ["local: a URL requirement, not a package from the index"],
            id="url-requirement",
        ),
        pytest.param(
            {"bad": ["not a requirement!"]},
            [],
            ["bad: invalid requirement 'not a requirement!'"],
            id="invalid-requirement",
        ),
        pytest.param(
            {"py3": ["foo"], "latest": ["bar"]},
            [],
            [
                "py3: invalid suite name: 'py3' would read as an interpreter factor in env names",
                "latest: invalid suite name: 'latest' is the factor of the -latest env",
            ],
            id="factor-like-names",
        ),
        pytest.param(
            {"aws": ["boto3"], "aws-lambda": ["aws-lambda-powertools"]},
            [("aws", "boto3", None)],
            [
                (
                    "aws-lambda: every factor of 'aws' is also a factor of 'aws-lambda', so "
                    "tox conditions on 'aws' would also match the envs of 'aws-lambda'; "
                    "rename one"
                )
            ],
            id="factor-conflict",
        ),
    ],
)
def test_suites_proposed_from_extras(
    extras: dict[str, list[str]],
    proposed: list[tuple[str, str, str | None]],
    skipped: list[str],
) -> None:
    suites, notes = propose_suites(_pyproject(extras))
    assert [(s.name, s.package, s.min_version) for s in suites] == proposed
    assert list(notes) == skipped


def test_config_for_the_sample_project() -> None:
    pyproject = tomllib.loads((DATA / "pyproject.toml").read_text())
    text = render_config(pyproject)
    assert text == (DATA / "compatrix.toml").read_text()


@pytest.mark.parametrize(
    ("project", "python_line", "pythons"),
    [
        pytest.param(
            'requires-python = ">=3.11"', None, "3.11 3.12 3.13 3.14 3.15", id="requires-python"
        ),
        pytest.param(
            'classifiers = ["Programming Language :: Python :: 3.12", '
            '"Programming Language :: Python :: 3.10"]',
            None,
            "3.10 3.12",
            id="classifiers-only",
        ),
        pytest.param("", 'python = ">=3.10"', "3.10 3.11 3.12 3.13 3.14 3.15", id="no-range"),
    ],
)
def test_python_range(tmp_path: Path, project: str, python_line: str | None, pythons: str) -> None:
    """The range stays in pyproject.toml when it is there; the config loads either way."""
    pyproject = f'[project]\nname = "sample"\n{project}\n'
    (tmp_path / "pyproject.toml").write_text(pyproject)
    text = render_config(tomllib.loads(pyproject))
    assert [line for line in text.splitlines() if line.startswith("python =")] == (
        [python_line] if python_line else []
    )
    (tmp_path / "compatrix.toml").write_text(text)
    resolved = load_config(directory=tmp_path).python.resolve(date(2026, 11, 24))
    assert resolved == tuple(PythonVersion.parse(p) for p in pythons.split())


def test_init_writes_the_three_files(tmp_path: Path) -> None:
    shutil.copy(DATA / "pyproject.toml", tmp_path / "pyproject.toml")
    result = run("-C", str(tmp_path), "init", "--offline", "--install", f"compatrix=={__version__}")
    assert result.code == 0, result.err
    assert result.err.split("\n")[:3] == [
        "wrote compatrix.toml",
        "wrote tox.ini",
        f"wrote {UPDATE_WORKFLOW}",
    ]
    assert (tmp_path / "compatrix.toml").read_text() == (DATA / "compatrix.toml").read_text()
    tox_ini = (tmp_path / "tox.ini").read_text()
    for region in ("env_list", "deps", "set_env"):
        assert f"# >>> compatrix: {region} " in tox_ini
        assert f"# <<< compatrix: {region} " in tox_ini


@pytest.mark.parametrize(
    ("config", "written"),
    [
        pytest.param("pyproject.toml", False, id="pyproject"),
        pytest.param("other/compatrix.toml", False, id="elsewhere"),
        pytest.param("compatrix.toml", True, id="compatrix-toml"),
    ],
)
def test_init_refuses_a_config_it_would_not_write(
    tmp_path: Path, config: str, written: bool
) -> None:
    shutil.copy(DATA / "pyproject.toml", tmp_path / "pyproject.toml")
    before = snapshot(tmp_path)
    result = run("-C", str(tmp_path), "--config", config, "init", "--offline")
    if written:
        assert result.code == 0, result.err
        assert (tmp_path / "compatrix.toml").is_file()
        return
    assert result.code == 2
    assert f"--config {config}: init writes compatrix.toml in " in result.err
    assert "[tool.compatrix]" in result.err
    assert snapshot(tmp_path) == before


def test_init_keeps_the_users_tox_ini(tmp_path: Path) -> None:
    user = "[tox]\nenv_list = lint\n\n[testenv:lint]\ndeps = ruff\ncommands = ruff check .\n"
    (tmp_path / "tox.ini").write_text(user)
    assert run("-C", str(tmp_path), "init").code == 0
    tox_ini = (tmp_path / "tox.ini").read_text()
    assert "[testenv:lint]\ndeps = ruff\ncommands = ruff check .\n" in tox_ini
    assert "env_list =\n    lint\n    # >>> compatrix: env_list " in tox_ini


def test_init_uses_an_existing_tox_toml(tmp_path: Path) -> None:
    (tmp_path / "tox.toml").write_text('env_list = ["lint"]\n')
    assert run("-C", str(tmp_path), "init").code == 0
    assert not (tmp_path / "tox.ini").exists()
    config = tomllib.loads((tmp_path / "compatrix.toml").read_text())
    assert config["tox"] == {"file": "tox.toml"}
    assert "# >>> compatrix: env_list" in (tmp_path / "tox.toml").read_text()


@pytest.mark.parametrize(
    ("pyproject", "region"),
    [
        pytest.param(
            '[project]\nname = "x"\n\n[tool.tox]\nenv_list = ["a"]\n\n[tool.ruff]\nfix = true\n',
            '    "a",\n    # >>> compatrix: env_list ',
            id="native",
        ),
        pytest.param(
            '[project]\nname = "x"\n\n[tool.tox]\nlegacy_tox_ini = """\n[tox]\nenv_list = a\n"""\n',
            "env_list =\n    a\n    # >>> compatrix: env_list ",
            id="legacy-tox-ini",
        ),
    ],
)
def test_init_renders_into_tox_configured_in_pyproject(
    tmp_path: Path, pyproject: str, region: str
) -> None:
    """tox reads tox.ini before pyproject.toml: init must not write one beside [tool.tox]."""
    (tmp_path / "pyproject.toml").write_text(pyproject)
    result = run("-C", str(tmp_path), "init", "--install", "compatrix==0.1.0")
    assert result.code == 0, result.err
    assert not (tmp_path / "tox.ini").exists()
    assert not (tmp_path / "tox.toml").exists()
    config = tomllib.loads((tmp_path / "compatrix.toml").read_text())
    assert config["tox"] == {"file": "pyproject.toml"}
    text = (tmp_path / "pyproject.toml").read_text()
    assert region in text
    assert text.startswith('[project]\nname = "x"\n\n[tool.tox]\n')


def test_update_never_writes_a_tox_ini_beside_tox_configured_in_pyproject(tmp_path: Path) -> None:
    """A config that still says tox.ini (the default) while tox is configured in
    pyproject.toml: a new tox.ini would silently take the user's tox config out of use."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nrequires-python = ">=3.9"\n\n[tool.tox]\nenv_list = ["a"]\n'
    )
    (tmp_path / "compatrix.toml").write_text('[suites.alpha]\npackage = "alpha"\n')
    before = snapshot(tmp_path)
    index = Index(packages={"alpha": minors(1, 3, start=day(2024, 1, 1))})
    with IndexServer(index.write(tmp_path.parent / f"{tmp_path.name}-index")) as server:
        result = run("-C", str(tmp_path), "update", "--index-url", server.index_url)
    assert result.code != 0
    assert "tox.ini does not exist, and tox is configured in pyproject.toml [tool.tox]" in (
        " ".join(result.err.split())
    )
    assert 'file = "pyproject.toml"' in result.err
    assert snapshot(tmp_path) == before


def test_init_refuses_tox_configured_in_setup_cfg(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[tox:tox]\nenvlist = a\n")
    before = snapshot(tmp_path)
    result = run("-C", str(tmp_path), "init")
    assert result.code == 2
    assert "tox is configured in setup.cfg [tox:tox]" in " ".join(result.err.split())
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("files", "named"),
    [
        pytest.param({"compatrix.toml": "python = '>=3.9'\n"}, "compatrix.toml", id="config"),
        pytest.param(
            {"pyproject.toml": '[project]\nname = "x"\n\n[tool.compatrix]\npython = ">=3.9"\n'},
            "[tool.compatrix] in pyproject.toml",
            id="tool-compatrix",
        ),
        pytest.param({UPDATE_WORKFLOW: "name: mine\n"}, UPDATE_WORKFLOW, id="workflow"),
    ],
)
def test_init_refuses_to_overwrite_unless_forced(
    tmp_path: Path, files: dict[str, str], named: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    before = snapshot(tmp_path)
    refused = run("-C", str(tmp_path), "init")
    assert refused.code == 2
    assert named in refused.err
    assert "--force" in refused.err
    assert snapshot(tmp_path) == before
    forced = run("-C", str(tmp_path), "init", "--force")
    assert forced.code == 0, forced.err
    assert (tmp_path / "compatrix.toml").read_text().startswith("# compatrix: the test matrix")
    assert (tmp_path / UPDATE_WORKFLOW).read_text().startswith("# Weekly update")


@pytest.mark.slow
def test_init_then_update_offline_then_check_and_tox(tmp_path: Path) -> None:
    shutil.copy(DATA / "pyproject.toml", tmp_path / "pyproject.toml")
    assert run("-C", str(tmp_path), "-q", "init", "--offline").code == 0
    # The recorded lock has no pins (resolving needs the index): this checks the rest.
    config_file = tmp_path / "compatrix.toml"
    config_file.write_text(
        config_file.read_text().replace("[defaults]", '[defaults]\npins = "off"')
    )
    shutil.copy(DATA / "compatrix.lock", tmp_path / "compatrix.lock")
    update = run("-C", str(tmp_path), "-q", "update", "--offline")
    assert update.code == 0, update.err
    check = run("-C", str(tmp_path), "check")
    assert check.code == 0, check.out + check.err

    config = load_config(directory=tmp_path)
    lock = read_lock(config.lock_path)
    assert lock is not None
    expected = [env.name for env in build_matrix(config, lock).envs]
    assert len(expected) == 33  # 9 picks and 2 -latest envs, each on 3 Pythons
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TOX")}
    listed = subprocess.run(
        [str(TOX), "-l"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.split() == expected


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        pytest.param(
            None,
            "# compatrix: {comment}\ncompatrix.lock merge=compatrix\ntox.ini merge=compatrix\n",
            id="new",
        ),
        pytest.param(
            "*.png binary",
            "*.png binary\n\n# compatrix: {comment}\ncompatrix.lock merge=compatrix\n"
            "tox.ini merge=compatrix\n",
            id="kept-and-appended",
        ),
        pytest.param(
            "tox.ini merge=compatrix\n",
            "tox.ini merge=compatrix\n\n# compatrix: {comment}\ncompatrix.lock merge=compatrix\n",
            id="only-what-is-missing",
        ),
    ],
)
def test_init_registers_the_merge_driver(
    tmp_path: Path, existing: str | None, expected: str
) -> None:
    if existing is not None:
        (tmp_path / ".gitattributes").write_text(existing)
    result = run("-C", str(tmp_path), "init", "--offline")
    assert result.code == 0, result.err
    assert "  git config merge.compatrix.driver " in result.err
    comment = (
        "merge conflicts in these files are resolved by regenerating them; needs "
        "`compatrix init`'s git config lines"
    )
    text = (tmp_path / ".gitattributes").read_text()
    assert text == expected.format(comment=comment)
    # Again: nothing added twice.
    assert run("-C", str(tmp_path), "init", "--offline", "--force").code == 0
    assert (tmp_path / ".gitattributes").read_text() == text
