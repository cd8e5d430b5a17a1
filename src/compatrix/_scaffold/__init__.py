"""``compatrix init``: set up compatrix in a project.

Writes a starter ``compatrix.toml`` (the Python range noted from pyproject.toml, one
commented example suite, and suites proposed from optional-dependency extras that name a
single package), the generated regions in tox.ini, and the weekly update workflow. The
texts are rendered by pure functions; :func:`init_project` reads and writes the files.
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from compatrix import __version__
from compatrix._actions import UPDATE_WORKFLOW_PINS
from compatrix._config import (
    CONFIG_NAME,
    PYPROJECT_NAME,
    config_from_dict,
    project_table,
    read_toml,
)
from compatrix._fs import read_text, write_files_atomically
from compatrix._pythons import classifier_python
from compatrix._render import (
    UPDATE_WORKFLOW,
    install_line,
    render_pyproject_tox,
    render_template,
    render_tox_ini,
    render_tox_toml,
    tox_in_pyproject,
)
from compatrix._scaffold._extras import (
    ProposedSuite,
    choose_suites,
    comment,
    extra_candidates,
    propose_suites,
)
from compatrix._scaffold._gitattributes import DRIVER_CONFIG, with_merge_driver
from compatrix._scaffold._install import (
    InstallSource,
    detect_install_source,
    installed_direct_url,
)
from compatrix._scaffold._wrappers import find_instruments
from compatrix._selection import Matrix
from compatrix._toml import toml_string, tomllib
from compatrix.errors import UsageError

__all__ = [
    "DRIVER_CONFIG",
    "UPDATE_WORKFLOW",
    "InstallSource",
    "Proposal",
    "ProposedSuite",
    "choose_suites",
    "detect_install_source",
    "extra_candidates",
    "find_instruments",
    "init_project",
    "installed_direct_url",
    "propose_suites",
    "read_pyproject",
    "render_config",
    "render_update_workflow",
    "update_workflow_actions",
]

FALLBACK_PYTHON = ">=3.10"
"""The Python range written when pyproject.toml gives none."""

UPDATE_CRON = "23 4 * * 1"
"""Mondays at 04:23 UTC (off the full hour, when GitHub's scheduler is busiest)."""

RUNNER_PYTHON = "3.13"
"""The Python the update workflow runs compatrix on."""

# --- the config -------------------------------------------------------------------------


def _python_note(pyproject: Mapping[str, Any] | None) -> tuple[list[str], str | None]:
    """(comment lines, the ``python`` value to write or None)."""
    project = project_table(pyproject)
    requires = project.get("requires-python")
    classifiers = project.get("classifiers")
    pythons = sorted(
        python
        for c in (classifiers if isinstance(classifiers, list) else [])
        if isinstance(c, str) and (python := classifier_python(c)) is not None and python.major == 3
    )
    listed = [str(python) for python in pythons]
    sources = []
    if isinstance(requires, str):
        sources.append(f"requires-python {comment(requires)!r}")
    if listed:
        sources.append(f"the classifiers {', '.join(listed)}")
    if sources:
        example = toml_string(comment(requires)) if isinstance(requires, str) else None
        if example is None:
            example = "[" + ", ".join(toml_string(p) for p in listed) + "]"
        lines = [
            "The project's Pythons come from pyproject.toml:",
            f"{' and '.join(sources)}.",
            "To set them here instead (a specifier, or a list of versions):",
            f"python = {example}",
        ]
        return lines, None
    lines = [
        "pyproject.toml gives no Python range (requires-python or Python classifiers):",
        "set the project's Pythons here.",
    ]
    return lines, toml_string(FALLBACK_PYTHON)


def render_config(
    pyproject: Mapping[str, Any] | None,
    *,
    tox_file: str = "tox.ini",
    install: str = f"compatrix=={__version__}",
    proposal: Proposal | None = None,
) -> str:
    """The starter ``compatrix.toml`` for a project with this (parsed) pyproject.toml;
    ``install`` is how the update workflow installs compatrix (a valid install source),
    ``proposal`` the suites and skipped extras (default: :func:`propose_suites` without
    asking the index)."""
    suites, skipped = proposal if proposal is not None else propose_suites(pyproject)
    note, python = _python_note(pyproject)
    project = comment(str(project_table(pyproject).get("name", ""))) or "the project"
    return render_template(
        "compatrix.toml.j2",
        project=project,
        python_note=note,
        python=python,
        tox_file=tox_file,
        install=install,
        suites=suites,
        skipped=skipped,
    )


# --- the workflow -----------------------------------------------------------------------


def update_workflow_actions() -> Mapping[str, str]:
    """The actions the update workflow uses: name -> ``owner/repo@<full sha> # tag``."""
    return {name: pin.reference for name, pin in UPDATE_WORKFLOW_PINS.items()}


def render_update_workflow(*, install: str = f"compatrix=={__version__}") -> str:
    """``.github/workflows/compatrix-update.yml``: the weekly update pull request;
    ``install`` is how it installs compatrix (a valid install source)."""
    return render_template(
        "compatrix-update.yml.j2",
        github=True,
        install=install_line(install),
        actions=update_workflow_actions(),
        cron=UPDATE_CRON,
        python=RUNNER_PYTHON,
    )


# --- the files --------------------------------------------------------------------------


def _tox_file(directory: Path, pyproject: Mapping[str, Any] | None) -> Path:
    """The file tox reads (tox.ini, pyproject.toml's [tool.tox], tox.toml), or tox.ini when
    tox is not configured yet; an error when tox is configured where compatrix cannot
    render (setup.cfg)."""
    if (directory / "tox.ini").is_file():
        return directory / "tox.ini"
    setup_cfg = directory / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.RawConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            pass
        else:
            if parser.has_section("tox:tox"):
                msg = (
                    "tox is configured in setup.cfg [tox:tox]: compatrix renders into tox.ini, "
                    "tox.toml or pyproject.toml [tool.tox]; move the tox configuration there first"
                )
                raise UsageError(msg)
    if tox_in_pyproject(pyproject) is not None:
        return directory / PYPROJECT_NAME
    if (directory / "tox.toml").is_file():
        return directory / "tox.toml"
    return directory / "tox.ini"


def _existing_setup(directory: Path, pyproject: Mapping[str, Any] | None) -> list[str]:
    found = []
    if (directory / CONFIG_NAME).exists():
        found.append(CONFIG_NAME)
    tool = (pyproject or {}).get("tool")
    if isinstance(tool, Mapping) and "compatrix" in tool:
        found.append(f"[tool.compatrix] in {PYPROJECT_NAME}")
    if (directory / UPDATE_WORKFLOW).exists():
        found.append(UPDATE_WORKFLOW)
    return found


Proposal = tuple[tuple[ProposedSuite, ...], tuple[str, ...]]
"""Suites proposed from extras, and a line per extra not proposed."""


def read_pyproject(directory: Path) -> Mapping[str, Any] | None:
    """The project's parsed pyproject.toml, or None."""
    path = directory.resolve() / PYPROJECT_NAME
    return read_toml(path) if path.is_file() else None


def init_project(
    directory: Path,
    *,
    force: bool,
    install: InstallSource | None = None,
    proposal: Proposal | None = None,
) -> list[Path]:
    """Set up compatrix in ``directory``; return the files written (created or changed).

    ``install`` is how the update workflow installs compatrix (default: the way this
    compatrix was installed, :func:`detect_install_source`).

    Raises UsageError when compatrix is already set up there (compatrix.toml,
    ``[tool.compatrix]``, or the update workflow exists) and ``force`` is false; nothing is
    written then. With ``force``, compatrix.toml and the workflow are overwritten (a
    compatrix.toml takes precedence over ``[tool.compatrix]``).
    """
    directory = directory.resolve()
    pyproject = read_pyproject(directory)
    existing = _existing_setup(directory, pyproject)
    if existing and not force:
        msg = (
            f"compatrix is already set up in {directory} ({', '.join(existing)}): "
            "use --force to overwrite"
        )
        raise UsageError(msg)
    tox_path = _tox_file(directory, pyproject)
    config_path = directory / CONFIG_NAME
    if install is None:
        install = detect_install_source(installed_direct_url())
    config_text = render_config(
        pyproject, tox_file=tox_path.name, install=install.source, proposal=proposal
    )
    config = config_from_dict(tomllib.loads(config_text), path=config_path, pyproject=pyproject)
    tox_now, empty = read_text(tox_path), Matrix(suites=())
    if config.tox.format == "pyproject":
        tox_text = render_pyproject_tox(tox_now, empty, config, path=tox_path.name)
    elif config.tox.format == "toml":
        tox_text = render_tox_toml(tox_now, empty, config, path=tox_path.name)
    else:
        tox_text = render_tox_ini(tox_now, empty, config, path=tox_path.name)
    workflow_path = directory / UPDATE_WORKFLOW
    attributes_path = directory / ".gitattributes"
    merged = [config.label(config.lock_path)]
    if config.tox.format != "pyproject":
        merged.append(config.label(tox_path))
    order: Sequence[Path] = (config_path, tox_path, workflow_path, attributes_path)
    changed = set(
        write_files_atomically(
            {
                config_path: config_text,
                tox_path: tox_text,
                workflow_path: render_update_workflow(install=install.source),
                attributes_path: with_merge_driver(read_text(attributes_path), merged),
            }
        )
    )
    return [path for path in order if path in changed]
