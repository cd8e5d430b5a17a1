"""The configuration: ``compatrix.toml`` (or ``[tool.compatrix]``) read, validated and
turned into typed, frozen data that every later stage takes as input."""

from __future__ import annotations

from compatrix._config._load import CONFIG_NAME, PYPROJECT_NAME, config_from_dict, read_toml
from compatrix._config._model import (
    Config,
    DepRule,
    ExcludeRule,
    PythonPolicy,
    PythonRange,
    PythonRule,
    Service,
    Suite,
    SuitePolicy,
    ToxSettings,
    WorkflowSettings,
    admits,
    load_config,
    matches,
)
from compatrix._config._options import KeyPath, factor_conflicts, suite_name_problems

__all__ = [
    "CONFIG_NAME",
    "PYPROJECT_NAME",
    "Config",
    "DepRule",
    "ExcludeRule",
    "KeyPath",
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
    "factor_conflicts",
    "load_config",
    "matches",
    "read_toml",
    "suite_name_problems",
]
