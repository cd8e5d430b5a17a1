"""The configuration: ``compatrix.toml`` (or ``[tool.compatrix]``) read, validated and
turned into typed, frozen data that every later stage takes as input.

``_model.py`` declares every option once, on a dataclass field; ``_fields.py`` is how a
declaration becomes a checked TOML key, ``_kinds.py``, ``_python_range.py`` and
``_suite_rules.py`` the kinds TOML needs beyond a field's type, ``_names.py`` the rules of
suite names, ``_output_rules.py`` the rules on values written into tox and workflow files,
``_pyproject.py`` the Python range taken from pyproject.toml, and ``_load.py`` finding and
reading the file.
"""

from __future__ import annotations

from compatrix._config._kinds import install_source_problem
from compatrix._config._load import (
    CONFIG_NAME,
    PYPROJECT_NAME,
    config_from_dict,
    load_config,
    read_toml,
)
from compatrix._config._model import (
    Config,
    PinPolicy,
    PythonPolicy,
    Service,
    Suite,
    SuitePolicy,
    ToxSettings,
    WorkflowSettings,
)
from compatrix._config._names import factor_conflicts, suite_name_problems
from compatrix._config._output_rules import control_character, group_slug
from compatrix._config._problems import KeyPath
from compatrix._config._pyproject import project_table
from compatrix._config._python_range import PythonRange, admits, matches
from compatrix._config._suite_rules import DepRule, ExcludeRule, PythonRule

__all__ = [
    "CONFIG_NAME",
    "PYPROJECT_NAME",
    "Config",
    "DepRule",
    "ExcludeRule",
    "KeyPath",
    "PinPolicy",
    "PythonPolicy",
    "PythonRange",
    "PythonRule",
    "Service",
    "Suite",
    "SuitePolicy",
    "ToxSettings",
    "WorkflowSettings",
    "admits",
    "config_from_dict",
    "control_character",
    "factor_conflicts",
    "group_slug",
    "install_source_problem",
    "load_config",
    "matches",
    "project_table",
    "read_toml",
    "suite_name_problems",
]
