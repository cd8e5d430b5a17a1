"""``compatrix init``: set up compatrix in a project.

Writes a starter ``compatrix.toml`` (the Python range noted from pyproject.toml, one
commented example suite, and suites proposed from optional-dependency extras that name a
single package), the generated regions in tox.ini, and the weekly update workflow. The
texts are rendered by pure functions; :func:`init_project` reads and writes the files.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from compatrix import __version__
from compatrix._actions import UPDATE_WORKFLOW_PINS
from compatrix._config import (
    CONFIG_NAME,
    PYPROJECT_NAME,
    Config,
    config_from_dict,
    factor_conflicts,
    read_toml,
    suite_name_problems,
)
from compatrix._fs import read_text, write_files_atomically
from compatrix._render import render_template
from compatrix._selection import Matrix
from compatrix._toml import toml_string, tomllib
from compatrix.errors import UsageError

__all__ = [
    "UPDATE_WORKFLOW",
    "ProposedSuite",
    "init_project",
    "propose_suites",
    "render_config",
    "render_update_workflow",
    "update_workflow_actions",
]

UPDATE_WORKFLOW = ".github/workflows/compatrix-update.yml"
"""Where ``init`` writes the update workflow, relative to the project directory."""

FALLBACK_PYTHON = ">=3.10"
"""The Python range written when pyproject.toml gives none."""

UPDATE_CRON = "23 4 * * 1"
"""Mondays at 04:23 UTC (off the full hour, when GitHub's scheduler is busiest)."""

RUNNER_PYTHON = "3.13"
"""The Python the update workflow runs compatrix on."""

_NOT_INTEGRATIONS = frozenset(
    {
        "all",
        "cov",
        "coverage",
        "dev",
        "develop",
        "development",
        "doc",
        "docs",
        "full",
        "lint",
        "linting",
        "test",
        "testing",
        "tests",
        "type",
        "types",
        "typing",
    }
)
"""Extras that hold tooling, not an integration: never proposed as suites."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _comment(text: str) -> str:
    """Text safe on one comment line."""
    return _CONTROL.sub(" ", text).strip()


# --- suites from extras -----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ProposedSuite:
    """A suite proposed from an optional-dependency extra."""

    name: str
    extra: str
    """The extra as written in pyproject.toml (on one line)."""
    package: str
    """The requirement without version: ``httpx`` or ``strawberry-graphql[fastapi]``."""
    min_version: str | None
    """From a ``>=`` lower bound (the highest, when there are several)."""
    source: str
    """The extra's requirement, normalized."""


def _project(pyproject: Mapping[str, Any] | None) -> Mapping[str, Any]:
    project = (pyproject or {}).get("project")
    return project if isinstance(project, Mapping) else {}


def propose_suites(
    pyproject: Mapping[str, Any] | None,
) -> tuple[tuple[ProposedSuite, ...], tuple[str, ...]]:
    """Suites for the extras that name a single package, and why other extras were not
    proposed (one line each; extras that are not one requirement are left out silently)."""
    project = _project(pyproject)
    own = canonicalize_name(str(project.get("name", "")))
    extras = project.get("optional-dependencies")
    if not isinstance(extras, Mapping):
        return (), ()
    proposed: list[ProposedSuite] = []
    skipped: list[str] = []
    for extra, requirements in extras.items():
        if not isinstance(requirements, list) or len(requirements) != 1:
            continue
        if not isinstance(requirements[0], str):
            continue
        name = canonicalize_name(str(extra))
        if name in _NOT_INTEGRATIONS:
            continue
        try:
            requirement = Requirement(requirements[0])
        except InvalidRequirement:
            skipped.append(f"{extra}: invalid requirement {requirements[0]!r}")
            continue
        if requirement.url is not None or canonicalize_name(requirement.name) == own:
            continue
        problems = suite_name_problems(name)
        if problems:
            skipped.append(f"{extra}: {problems[0]}")
            continue
        conflicts = factor_conflicts([*(s.name for s in proposed), name])
        if conflicts:
            skipped.append(f"{extra}: {conflicts[0][1]}")
            continue
        extras_part = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        proposed.append(
            ProposedSuite(
                name=name,
                extra=_comment(str(extra)),
                package=requirement.name + extras_part,
                min_version=_lower_bound(requirement),
                source=_comment(str(requirement)),
            )
        )
    return tuple(proposed), tuple(_comment(line) for line in skipped)


def _lower_bound(requirement: Requirement) -> str | None:
    bounds = []
    for specifier in requirement.specifier:
        if specifier.operator == ">=":
            try:
                bounds.append(Version(specifier.version))
            except InvalidVersion:
                continue
    return str(max(bounds)) if bounds else None


# --- the config -------------------------------------------------------------------------


def _python_note(pyproject: Mapping[str, Any] | None) -> tuple[list[str], str | None]:
    """(comment lines, the ``python`` value to write or None)."""
    project = _project(pyproject)
    requires = project.get("requires-python")
    classifiers = project.get("classifiers")
    listed = sorted(
        (
            m.group(1)
            for c in (classifiers if isinstance(classifiers, list) else [])
            if isinstance(c, str)
            and (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c.strip()))
        ),
        key=lambda text: tuple(int(part) for part in text.split(".")),
    )
    sources = []
    if isinstance(requires, str):
        sources.append(f"requires-python {_comment(requires)!r}")
    if listed:
        sources.append(f"the classifiers {', '.join(listed)}")
    if sources:
        example = toml_string(_comment(requires)) if isinstance(requires, str) else None
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


def render_config(pyproject: Mapping[str, Any] | None, *, tox_file: str = "tox.ini") -> str:
    """The starter ``compatrix.toml`` for a project with this (parsed) pyproject.toml."""
    suites, skipped = propose_suites(pyproject)
    note, python = _python_note(pyproject)
    project = _comment(str(_project(pyproject).get("name", ""))) or "the project"
    return render_template(
        "compatrix.toml.j2",
        project=project,
        python_note=note,
        python=python,
        tox_file=tox_file,
        suites=suites,
        skipped=skipped,
    )


# --- the workflow -----------------------------------------------------------------------


def update_workflow_actions() -> Mapping[str, str]:
    """The actions the update workflow uses: name -> ``owner/repo@<full sha> # tag``."""
    return {name: pin.reference for name, pin in UPDATE_WORKFLOW_PINS.items()}


def render_update_workflow(
    *, version: str = __version__, actions: Mapping[str, str] | None = None
) -> str:
    """``.github/workflows/compatrix-update.yml``: the weekly update pull request."""
    return render_template(
        "compatrix-update.yml.j2",
        github=True,
        version=version,
        actions=actions if actions is not None else update_workflow_actions(),
        cron=UPDATE_CRON,
        python=RUNNER_PYTHON,
    )


# --- the files --------------------------------------------------------------------------


def _tox_file(directory: Path, pyproject: Mapping[str, Any] | None) -> Path:
    """tox.ini, or an existing tox.toml; an error when tox is configured elsewhere."""
    for name in ("tox.ini", "tox.toml"):
        if (directory / name).is_file():
            return directory / name
    elsewhere = None
    tool = (pyproject or {}).get("tool")
    if isinstance(tool, Mapping) and "tox" in tool:
        elsewhere = f"{PYPROJECT_NAME} [tool.tox]"
    setup_cfg = directory / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.RawConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            pass
        else:
            if parser.has_section("tox:tox"):
                elsewhere = "setup.cfg [tox:tox]"
    if elsewhere is not None:
        msg = (
            f"tox is configured in {elsewhere}: compatrix renders into tox.ini or tox.toml, "
            "which tox would read instead; move the tox configuration there first"
        )
        raise UsageError(msg)
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


def _load(text: str, path: Path, pyproject: Mapping[str, Any] | None) -> Config:
    return config_from_dict(tomllib.loads(text), path=path, pyproject=pyproject)


def init_project(directory: Path, *, force: bool) -> list[Path]:
    """Set up compatrix in ``directory``; return the files written (created or changed).

    Raises UsageError when compatrix is already set up there (compatrix.toml,
    ``[tool.compatrix]``, or the update workflow exists) and ``force`` is false; nothing is
    written then. With ``force``, compatrix.toml and the workflow are overwritten (a
    compatrix.toml takes precedence over ``[tool.compatrix]``).
    """
    directory = directory.resolve()
    pyproject_path = directory / PYPROJECT_NAME
    pyproject = read_toml(pyproject_path) if pyproject_path.is_file() else None
    existing = _existing_setup(directory, pyproject)
    if existing and not force:
        msg = (
            f"compatrix is already set up in {directory} ({', '.join(existing)}): "
            "use --force to overwrite"
        )
        raise UsageError(msg)
    tox_path = _tox_file(directory, pyproject)
    config_path = directory / CONFIG_NAME
    config_text = render_config(pyproject, tox_file=tox_path.name)
    config = _load(config_text, config_path, pyproject)
    if config.tox.format == "toml":
        from compatrix._render import render_tox_toml  # noqa: PLC0415

        tox_text = render_tox_toml(
            read_text(tox_path), Matrix(suites=()), config, path=tox_path.name
        )
    else:
        from compatrix._render import render_tox_ini  # noqa: PLC0415

        tox_text = render_tox_ini(
            read_text(tox_path), Matrix(suites=()), config, path=tox_path.name
        )
    workflow_path = directory / UPDATE_WORKFLOW
    order: Sequence[Path] = (config_path, tox_path, workflow_path)
    changed = set(
        write_files_atomically(
            {config_path: config_text, tox_path: tox_text, workflow_path: render_update_workflow()}
        )
    )
    return [path for path in order if path in changed]
