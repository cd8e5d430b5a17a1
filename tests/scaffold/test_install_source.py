"""How the weekly update workflow installs compatrix: detected by ``init``, chosen with
``--install`` or ``[workflows] compatrix-install``, kept current by ``generate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli._project import Index, day, minors, run, snapshot
from tests.index_server import IndexServer

from compatrix import __version__
from compatrix._scaffold import UPDATE_WORKFLOW, detect_install_source
from compatrix._scaffold._install import FALLBACK_SOURCE

GIT = "https://github.com/compatrix/compatrix"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _direct_url(url: str, **info: object) -> str:
    return json.dumps({"url": url, **info})


@pytest.mark.parametrize(
    ("direct_url", "source", "noted"),
    [
        pytest.param(None, "compatrix==1.2.3", False, id="from-an-index"),
        pytest.param(
            _direct_url(
                GIT, vcs_info={"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}
            ),
            f"compatrix @ git+{GIT}@{COMMIT}",
            False,
            id="git-url-pinned-to-its-commit",
        ),
        pytest.param(
            _direct_url("https://example.org/compatrix-1.2.3-py3-none-any.whl", archive_info={}),
            "compatrix @ https://example.org/compatrix-1.2.3-py3-none-any.whl",
            False,
            id="wheel-url",
        ),
        pytest.param(
            _direct_url("file:///home/me/compatrix", dir_info={"editable": True}),
            FALLBACK_SOURCE,
            True,
            id="local-checkout",
        ),
        pytest.param(
            _direct_url("https://me:secret@example.org/c.whl", archive_info={}),
            FALLBACK_SOURCE,
            True,
            id="url-with-credentials",
        ),
        pytest.param(
            _direct_url("https://hg.example.org/c", vcs_info={"vcs": "hg", "commit_id": "1"}),
            FALLBACK_SOURCE,
            True,
            id="not-git",
        ),
        pytest.param("{not json", FALLBACK_SOURCE, True, id="unreadable-record"),
    ],
)
def test_detected_install_source(direct_url: str | None, source: str, noted: bool) -> None:
    detected = detect_install_source(direct_url, version="1.2.3")
    assert detected.source == source
    assert (detected.note is not None) == noted


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param(
            'compatrix"\n  evil: x',
            "holds '\"': an install source is letters, digits",
            id="quote-newline",
        ),
        pytest.param("compatrix==${{ secrets.TOKEN }}", "holds '$'", id="expression"),
        pytest.param("compatrix; rm -rf /", "holds ';'", id="shell"),
        pytest.param("requests==2.0", "must install compatrix, got 'requests==2.0'", id="other"),
        pytest.param(
            "compatrix @ file:///tmp/c.whl", "a URL must be https:// or git+https://", id="file-url"
        ),
        pytest.param("compatrix==1 ; python_version > '3'", "holds ';'", id="marker"),
        pytest.param(
            "../compatrix-1.0-py3-none-any.whl",
            "is not the relative path of a compatrix wheel",
            id="wheel-outside",
        ),
        pytest.param(
            "dist/other-1.0-py3-none-any.whl",
            "is not the relative path of a compatrix wheel",
            id="other-wheel",
        ),
    ],
)
def test_a_bad_install_source_is_refused_by_init_and_the_config(
    tmp_path: Path, value: str, problem: str
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.9"\n')
    before = snapshot(tmp_path)
    refused = run("-C", str(tmp_path), "init", "--install", value)
    assert refused.code == 2
    assert refused.err.startswith("error: --install: ")
    assert problem in refused.err
    assert snapshot(tmp_path) == before

    config = f"python = '>=3.9'\n[workflows]\ncompatrix-install = {json.dumps(value)}\n"
    (tmp_path / "compatrix.toml").write_text(config)
    result = run("-C", str(tmp_path), "generate")
    assert result.code == 2
    assert "workflows.compatrix-install: " in result.err
    assert problem in result.err


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(f"compatrix @ git+{GIT}@v0.1.0", id="git-tag"),
        pytest.param("dist/compatrix-0.1.0-py3-none-any.whl", id="wheel-in-the-repository"),
        pytest.param("compatrix>=0.1,<0.3", id="requirement"),
    ],
)
def test_init_writes_the_chosen_source_and_generate_keeps_it(tmp_path: Path, source: str) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.9"\n')
    result = run("-C", str(tmp_path), "init", "--install", source)
    assert result.code == 0, result.err
    assert f"the update workflow installs {source}" in result.err
    workflow = tmp_path / UPDATE_WORKFLOW
    assert f'  COMPATRIX_INSTALL: "{source}"\n' in workflow.read_text()
    assert (
        f"compatrix-install = {json.dumps(source)}\n" in (tmp_path / "compatrix.toml").read_text()
    )
    config = tmp_path / "compatrix.toml"
    # No pins: the toy index has no files to install.
    config.write_text(
        config.read_text().replace("[defaults]", '[defaults]\npins = "off"')
        + '\n[suites.alpha]\npackage = "alpha"\n'
    )
    index = Index(packages={"alpha": minors(1, 3, start=day(2024, 1, 1))})
    with IndexServer(index.write(tmp_path / "index")) as server:
        updated = run("-C", str(tmp_path), "update", "--index-url", server.index_url)
    assert updated.code == 0, updated.err
    assert run("-C", str(tmp_path), "check").code == 0

    # The user edits the rest of the workflow; changing the key moves only its line.
    edited = workflow.read_text().replace("timeout-minutes: 30", "timeout-minutes: 45")
    workflow.write_text(edited)
    config.write_text(config.read_text().replace(json.dumps(source), '"compatrix==9.9.9"'))
    drift = run("-C", str(tmp_path), "check")
    assert drift.code == 1
    assert '+  COMPATRIX_INSTALL: "compatrix==9.9.9"' in drift.out
    assert run("-C", str(tmp_path), "generate").code == 0
    assert workflow.read_text() == edited.replace(
        f'COMPATRIX_INSTALL: "{source}"', 'COMPATRIX_INSTALL: "compatrix==9.9.9"'
    )


def test_init_without_install_uses_the_way_compatrix_was_installed(tmp_path: Path) -> None:
    """The tests run compatrix from the checkout (an editable install): not reachable from
    CI, so the workflow installs from git and init says why."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.9"\n')
    result = run("-C", str(tmp_path), "init")
    assert result.code == 0, result.err
    assert "local path" in result.err
    text = (tmp_path / UPDATE_WORKFLOW).read_text()
    assert f'COMPATRIX_INSTALL: "{FALLBACK_SOURCE}"' in text
    assert f"compatrix=={__version__}" not in text
