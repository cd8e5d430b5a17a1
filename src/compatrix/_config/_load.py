"""Finding, reading and validating the configuration.

``load_config`` is the edge: it finds the file, parses TOML and reads the project's
``pyproject.toml`` when its Python range is needed. ``config_from_dict`` turns the parsed
data into a :class:`~compatrix._config._model.Config`, collecting every problem into one
:class:`~compatrix.errors.ConfigError`. What each key means and how it is checked is
declared on the fields of ``_model.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from compatrix._config._fields import Table, Values, tables_of
from compatrix._config._model import BudgetSettings, Config, Suite, SuitePolicy, WorkflowSettings
from compatrix._config._output_rules import output_problems
from compatrix._config._problems import KeyPath, Problems
from compatrix._config._pyproject import (
    PYPROJECT_NAME,
    free_threaded_setting,
    project_python_range,
)
from compatrix._toml import tomllib
from compatrix.errors import ConfigError

__all__ = [
    "CONFIG_NAME",
    "CONFIG_TABLE",
    "PYPROJECT_NAME",
    "config_from_dict",
    "load_config",
    "read_toml",
]

CONFIG_NAME = "compatrix.toml"

CONFIG_TABLE = Table(Config)
"""The whole document (``[tool.compatrix]`` in pyproject.toml): the options of
:class:`Config` and, through them, every table."""
_TABLE_KEYS = tuple((title, table.keys) for title, table, _ in tables_of(CONFIG_TABLE))

_TOOL_PATH = KeyPath(("tool", "compatrix"))
_SYNTAX_LOCATION = r"\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$"
_SYNTAX_AT_END = r"\s*\(at end of document\)$"


# --- the edge: files ----------------------------------------------------------------------


def load_config(path: Path | None = None, *, directory: Path | None = None) -> Config:
    """Find, read and validate the configuration.

    ``path`` (``--config``) is the file to read, relative to ``directory`` (``-C``, default:
    the working directory); a file named ``pyproject.toml`` is read from its
    ``[tool.compatrix]`` table. Without ``path``, ``directory`` is searched:
    ``compatrix.toml``, then ``pyproject.toml`` if it has ``[tool.compatrix]``.

    Raises ``ConfigError`` when no config is found, a file cannot be read or parsed (with
    the line and column), or the config is invalid (every problem at once).
    """
    base = directory if directory is not None else Path.cwd()
    config_path = (base / path).resolve() if path is not None else find_config(base)
    document = read_toml(config_path)
    pyproject: Mapping[str, Any] | None
    if config_path.name == PYPROJECT_NAME:
        data = _tool_table(document)
        if data is None:
            raise ConfigError(["no [tool.compatrix] table"], source=str(config_path))
        pyproject = document
    else:
        data = document
        pyproject = None
        sibling = config_path.parent / PYPROJECT_NAME
        if ("python" not in data or "free-threaded" not in data) and sibling.is_file():
            pyproject = read_toml(sibling)
    return config_from_dict(data, path=config_path, root=config_path.parent, pyproject=pyproject)


def find_config(directory: Path) -> Path:
    """The config in ``directory``: ``compatrix.toml``, else a ``pyproject.toml`` with
    ``[tool.compatrix]``. Raises ``ConfigError`` when there is neither."""
    directory = directory.resolve()
    candidate = directory / CONFIG_NAME
    if candidate.is_file():
        return candidate
    pyproject = directory / PYPROJECT_NAME
    if pyproject.is_file() and _tool_table(read_toml(pyproject)) is not None:
        return pyproject
    raise ConfigError(
        [
            (
                f"no {CONFIG_NAME}, and no {PYPROJECT_NAME} with a [tool.compatrix] table, "
                f"in {directory} (use --config PATH to name the file)"
            )
        ]
    )


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML document; ``ConfigError`` naming the file (and the line and column of
    a syntax error) when it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(
            [f"cannot read the file: {exc.strerror or exc}"], source=str(path)
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([f"not UTF-8 text ({exc.reason})"], source=str(path)) from exc
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_syntax_problem(exc)], source=str(path)) from exc
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise ConfigError(["invalid TOML: nested too deeply"], source=str(path)) from None
    return data


def _syntax_problem(exc: ValueError) -> str:
    # tomllib and tomli end every message with "(at line L, column C)" or "(at end of
    # document)", on every version.
    message = str(exc)
    at_end = re.search(_SYNTAX_AT_END, message)
    if at_end is not None:
        return f"invalid TOML at the end of the file: {message[: at_end.start()]}"
    located = re.search(_SYNTAX_LOCATION, message)
    if located is not None:
        where = f"line {located['line']}, column {located['column']}"
        return f"invalid TOML at {where}: {message[: located.start()]}"
    return f"invalid TOML: {message}"


def _tool_table(document: Mapping[str, Any]) -> object | None:
    tool = document.get("tool")
    if not isinstance(tool, Mapping):
        return None
    return tool.get("compatrix")


# --- from parsed data to Config -----------------------------------------------------------


def config_from_dict(
    data: object,
    *,
    path: Path,
    root: Path | None = None,
    pyproject: Mapping[str, Any] | None = None,
) -> Config:
    """Validate parsed TOML into a Config; raise ``ConfigError`` with every problem.

    ``data`` is the document (or its ``[tool.compatrix]`` table when ``path`` is a
    ``pyproject.toml``, and problems are then named ``tool.compatrix.…``). ``root``
    (default: ``path``'s directory) anchors relative paths. ``pyproject`` is the
    project's parsed ``pyproject.toml``, the source of the default Python range and
    free-threading; None when there is none.
    """
    path = path.absolute()
    root = (root if root is not None else path.parent).absolute()
    in_pyproject = path.name == PYPROJECT_NAME
    base = _TOOL_PATH if in_pyproject else KeyPath()
    problems = Problems(_TABLE_KEYS)
    top = CONFIG_TABLE.parse(data, base, problems)
    if top is None:
        raise ConfigError(problems.messages, source=str(path))

    fields = top.fields(Config)
    defaults: SuitePolicy = fields.get("defaults") or SuitePolicy()
    suite_tables: Mapping[str, Values] = fields.pop("suites", {})
    suites = tuple(
        suite
        for name, values in suite_tables.items()
        if (suite := _suite(name, values, defaults)) is not None
    )
    python_range = project_python_range(
        fields.pop("python", None),
        given="python" in top.given,
        pyproject=pyproject,
        at=base / "python",
        problems=problems,
        in_pyproject=in_pyproject,
    )
    free_threaded, free_threaded_all = free_threaded_setting(
        fields.pop("free_threaded", None),
        given="free-threaded" in top.given,
        pyproject=pyproject,
        python_range=python_range,
        at=base / "free-threaded",
        problems=problems,
    )
    group_paths = {
        name: base / "suites" / name / "group"
        if "group" in values.given
        else base / "defaults" / "group"
        for name, values in suite_tables.items()
    }
    workflows: WorkflowSettings = fields.get("workflows") or WorkflowSettings()
    for where, problem in output_problems(
        suites=suites, group_paths=group_paths, workflows=workflows, base=base
    ):
        problems.add(where, problem)
    budget: BudgetSettings = fields.get("budget") or BudgetSettings()
    groups = {suite.policy.group for suite in suites}
    for group in budget.groups:
        if group not in groups:
            known = ", ".join(repr(g) for g in sorted(groups)) or "none"
            problems.add(
                base / "budget" / "groups" / group,
                f"no suite is in group {group!r} (groups: {known})",
            )
    if problems:
        raise ConfigError(problems.messages, source=str(path))
    assert python_range is not None  # else a problem was reported
    config = Config(
        path=path,
        root=root,
        python=python_range,
        free_threaded=free_threaded,
        free_threaded_all=free_threaded_all,
        suites=suites,
        **fields,
    )
    tox_file = root / config.tox.file
    tox_format: Literal["ini", "toml", "pyproject"] = "ini"
    if tox_file.name == PYPROJECT_NAME:
        tox_format = "pyproject"
    elif tox_file.suffix == ".toml":
        tox_format = "toml"
    outputs = {
        ("lock",): root / config.lock_path,
        ("results",): root / config.results_path,
        ("tox", "file"): tox_file,
        ("tox", "constraints"): root / config.tox.constraints,
        ("workflows", "directory"): root / config.workflows.directory,
    }
    for keys, target in outputs.items():
        if not _inside(target, root):
            problems.add(
                KeyPath((*base.parts, *keys)),
                f"{target} is outside the project ({root}): compatrix writes only in the "
                "directory of its config and below",
            )
    if problems:
        raise ConfigError(problems.messages, source=str(path))
    return replace(
        config,
        lock_path=outputs[("lock",)],
        results_path=outputs[("results",)],
        tox=replace(
            config.tox,
            file=tox_file,
            format=tox_format,
            constraints=outputs[("tox", "constraints")],
        ),
        workflows=replace(config.workflows, directory=outputs[("workflows", "directory")]),
    )


def _inside(path: Path, root: Path) -> bool:
    """Is ``path`` in ``root``'s tree, ``..`` resolved (symlinks are the user's choice)?"""
    return Path(os.path.normpath(path)).is_relative_to(os.path.normpath(root))


def _suite(name: str, values: Values, defaults: SuitePolicy) -> Suite | None:
    fields = values.fields(Suite)
    requirement: Requirement | None = fields.pop("package", None)
    if requirement is None:
        return None  # missing or invalid: reported
    extras = tuple(sorted(requirement.extras))
    return Suite(
        name=name,
        package=canonicalize_name(requirement.name),
        requirement=requirement.name + (f"[{','.join(extras)}]" if extras else ""),
        extras=extras,
        policy=replace(defaults, **values.fields(SuitePolicy)),
        **fields,
    )
