"""Finding, reading and validating the configuration.

``load_config`` is the edge: it finds the file, parses TOML and reads the project's
``pyproject.toml`` when its Python range is needed. ``config_from_dict`` turns the parsed
data into a :class:`~compatrix._config._model.Config`, collecting every problem into one
:class:`~compatrix.errors.ConfigError`. What each key means and how it is checked is
declared in ``_options.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from compatrix._config._model import (
    Config,
    PythonRange,
    Service,
    Suite,
    SuitePolicy,
    ToxSettings,
    WorkflowSettings,
)
from compatrix._config._options import (
    ACTIONS,
    BRANCHES,
    CONTAINER_TOX_REQUIREMENT,
    COOLDOWN,
    DEFAULTS,
    DEPS,
    DIRECTORY,
    EACH_MAJOR,
    ENABLED,
    EXCLUDE,
    EXTRA_ENVS,
    FREE_THREADED,
    GROUP,
    HEALTH_CMD,
    HEALTH_INTERVAL,
    HEALTH_RETRIES,
    HEALTH_TIMEOUT,
    IMAGE,
    INCLUDE,
    INDEX,
    INDEX_URL,
    JOBS,
    JOBS_PER,
    LATEST_ENV,
    LOCK,
    MAX_JOBS,
    MAX_METADATA_MIB,
    MAX_PAGE_MIB,
    MIN_VERSION,
    NAME_PREFIX,
    NUM_VERSIONS,
    PACKAGE,
    PASSENV,
    PORTS,
    PRERELEASE_MAX_AGE,
    PRERELEASES,
    PYTHON,
    PYTHON_CONTAINER,
    PYTHON_POLICY,
    PYTHON_RUNS_ON,
    RETRIES,
    RUNS_ON,
    SERVICE_ENV,
    SERVICE_OPTIONS,
    SERVICES,
    SETENV,
    STABLE_PICKS,
    SUITE_PYTHON,
    SUITES,
    TEST_PATH,
    TEST_PATH_VARIABLE,
    TIMEOUT,
    TOP_LEVEL,
    TOX,
    TOX_FILE,
    TOX_PYTHON,
    TOX_REQUIREMENT,
    TOX_UV,
    WORKFLOWS,
    KeyPath,
    Problems,
    Values,
    describe_value,
)
from compatrix._pythons import CPYTHON, PythonVersion, cpython_release
from compatrix._toml import tomllib
from compatrix.errors import ConfigError

T = TypeVar("T")

__all__ = [
    "CONFIG_NAME",
    "PYPROJECT_NAME",
    "config_from_dict",
    "find_config",
    "load_config",
    "read_toml",
]

CONFIG_NAME = "compatrix.toml"
PYPROJECT_NAME = "pyproject.toml"

_TOOL_PATH = KeyPath(("tool", "compatrix"))
_SYNTAX_LOCATION = re.compile(r"\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_SYNTAX_AT_END = re.compile(r"\s*\(at end of document\)$")
_PYTHON_CLASSIFIER = re.compile(r"Programming Language :: Python :: (?P<minor>3\.[0-9]+)")
_FREE_THREADING_CLASSIFIERS = frozenset(
    {
        "Programming Language :: Python :: Free Threading :: 3 - Stable",
        "Programming Language :: Python :: Free Threading :: 4 - Resilient",
    }
)
_PYTHON_EXAMPLE = 'set it, for example python = ">=3.9"'


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
    return data


def _syntax_problem(exc: ValueError) -> str:
    # tomllib and tomli end every message with "(at line L, column C)" or "(at end of
    # document)", on every version.
    message = str(exc)
    at_end = _SYNTAX_AT_END.search(message)
    if at_end is not None:
        return f"invalid TOML at the end of the file: {message[: at_end.start()]}"
    located = _SYNTAX_LOCATION.search(message)
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
    """The validated Config of parsed ``data`` (see ``Config.from_dict``)."""
    path = path.absolute()
    root = (root if root is not None else path.parent).absolute()
    in_pyproject = path.name == PYPROJECT_NAME
    base = _TOOL_PATH if in_pyproject else KeyPath()
    problems = Problems()
    top = TOP_LEVEL.parse(data, base, problems)
    if top is None:
        raise ConfigError(problems.messages, source=str(path))

    defaults = _policy(top.value(DEFAULTS), _builtin_policy())
    suites = tuple(
        suite
        for name, values in top.value(SUITES).items()
        if (suite := _suite(name, values, defaults)) is not None
    )
    python_range = _python_range(top, pyproject, base, problems, in_pyproject=in_pyproject)
    free_threaded, free_threaded_all = _free_threaded(top, pyproject, python_range, base, problems)
    index = top.value(INDEX)
    if problems:
        raise ConfigError(problems.messages, source=str(path))
    assert python_range is not None  # else a problem was reported
    return Config(
        path=path,
        root=root,
        python=python_range,
        free_threaded=free_threaded,
        free_threaded_all=free_threaded_all,
        index_url=top.get(INDEX_URL),
        jobs=index.value(JOBS),
        timeout=index.value(TIMEOUT),
        retries=index.value(RETRIES),
        max_page_mib=index.value(MAX_PAGE_MIB),
        max_metadata_mib=index.value(MAX_METADATA_MIB),
        lock_path=root / top.value(LOCK),
        tox=_tox(top.value(TOX), root),
        workflows=_workflows(top.value(WORKFLOWS), root),
        defaults=defaults,
        suites=suites,
    )


def _or(value: T | None, fallback: T) -> T:
    return fallback if value is None else value


def _builtin_policy() -> SuitePolicy:
    """The policies when ``[defaults]`` sets nothing: the options' defaults."""
    return SuitePolicy(
        num_versions=NUM_VERSIONS.default_value(),
        prereleases=PRERELEASES.default_value(),
        prerelease_max_age=PRERELEASE_MAX_AGE.default_value(),
        cooldown=COOLDOWN.default_value(),
        python_policy=PYTHON_POLICY.default_value(),
        each_major=EACH_MAJOR.default_value(),
        stable_picks=STABLE_PICKS.default_value(),
        latest_env=LATEST_ENV.default_value(),
        group=GROUP.default_value(),
    )


def _policy(values: Values, base: SuitePolicy) -> SuitePolicy:
    """The policies a table (``[defaults]`` or a suite) sets, over ``base``."""
    return SuitePolicy(
        num_versions=_or(values.get(NUM_VERSIONS), base.num_versions),
        prereleases=_or(values.get(PRERELEASES), base.prereleases),
        prerelease_max_age=_or(values.get(PRERELEASE_MAX_AGE), base.prerelease_max_age),
        cooldown=_or(values.get(COOLDOWN), base.cooldown),
        python_policy=_or(values.get(PYTHON_POLICY), base.python_policy),
        each_major=_or(values.get(EACH_MAJOR), base.each_major),
        stable_picks=_or(values.get(STABLE_PICKS), base.stable_picks),
        latest_env=_or(values.get(LATEST_ENV), base.latest_env),
        group=_or(values.get(GROUP), base.group),
    )


def _suite(name: str, values: Values, defaults: SuitePolicy) -> Suite | None:
    requirement = values.get(PACKAGE)
    if requirement is None:
        return None  # missing or invalid: reported
    extras = tuple(sorted(requirement.extras))
    services = tuple(
        service
        for service_name, service_values in values.value(SERVICES).items()
        if (service := _service(service_name, service_values)) is not None
    )
    return Suite(
        name=name,
        package=canonicalize_name(requirement.name),
        requirement=requirement.name + (f"[{','.join(extras)}]" if extras else ""),
        extras=extras,
        min_version=values.get(MIN_VERSION),
        include=values.get(INCLUDE),
        exclude=values.value(EXCLUDE),
        deps=values.value(DEPS),
        python=values.get(SUITE_PYTHON) or (),
        policy=_policy(values, defaults),
        test_path=values.get(TEST_PATH),
        setenv=values.value(SETENV),
        passenv=values.value(PASSENV),
        services=services,
    )


def _service(name: str, values: Values) -> Service | None:
    image = values.get(IMAGE)
    if image is None:
        return None  # missing or invalid: reported
    return Service(
        name=name,
        image=image,
        ports=values.value(PORTS),
        env=values.value(SERVICE_ENV),
        health_cmd=values.get(HEALTH_CMD),
        health_interval=values.value(HEALTH_INTERVAL),
        health_timeout=values.value(HEALTH_TIMEOUT),
        health_retries=values.value(HEALTH_RETRIES),
        options=values.get(SERVICE_OPTIONS),
    )


def _tox(values: Values, root: Path) -> ToxSettings:
    file = root / values.value(TOX_FILE)
    return ToxSettings(
        file=file,
        format="toml" if file.suffix == ".toml" else "ini",
        test_path_variable=values.value(TEST_PATH_VARIABLE),
    )


def _workflows(values: Values, root: Path) -> WorkflowSettings:
    return WorkflowSettings(
        enabled=values.value(ENABLED),
        directory=root / values.value(DIRECTORY),
        name_prefix=values.value(NAME_PREFIX),
        runs_on=values.value(RUNS_ON),
        jobs_per=values.value(JOBS_PER),
        max_jobs=values.value(MAX_JOBS),
        actions=values.value(ACTIONS),
        tox_requirement=values.value(TOX_REQUIREMENT),
        tox_uv=values.value(TOX_UV),
        extra_envs=values.value(EXTRA_ENVS),
        branches=values.value(BRANCHES),
        python_runs_on=values.value(PYTHON_RUNS_ON),
        python_container=values.value(PYTHON_CONTAINER),
        tox_python=values.value(TOX_PYTHON),
        container_tox_requirement=values.value(CONTAINER_TOX_REQUIREMENT),
    )


# --- the project's Pythons ----------------------------------------------------------------


def _python_range(
    top: Values,
    pyproject: Mapping[str, Any] | None,
    base: KeyPath,
    problems: Problems,
    *,
    in_pyproject: bool,
) -> PythonRange | None:
    at = base / "python"
    if "python" in top.given:
        python_range = top.get(PYTHON)
        if python_range is None:
            return None  # invalid: reported
    else:
        if pyproject is None:
            problems.add(
                at,
                f"not set, and there is no {PYPROJECT_NAME} to take the project's Python "
                f"range from; {_PYTHON_EXAMPLE}",
            )
            return None
        label = "" if in_pyproject else f"{PYPROJECT_NAME}: "
        found, valid = _pyproject_range(pyproject, label, problems)
        if not valid:
            return None  # reported
        if found is None:
            problems.add(
                at,
                f"not set, and {PYPROJECT_NAME} has neither project.requires-python nor "
                f"'Programming Language :: Python :: 3.X' classifiers; {_PYTHON_EXAMPLE}",
            )
            return None
        python_range = found
    problem = _empty_range_problem(python_range)
    if problem is not None:
        problems.add(at, problem)
        return None
    return python_range


def _pyproject_range(
    pyproject: Mapping[str, Any], label: str, problems: Problems
) -> tuple[PythonRange | None, bool]:
    """(range, valid): the range from ``project.requires-python`` and the Python
    classifiers, None when there are neither; not valid when they are invalid (reported)."""
    project = pyproject.get("project")
    if not isinstance(project, Mapping):
        return None, True
    specifier = None
    requires_python = project.get("requires-python")
    if requires_python is not None:
        where = f"{label}project.requires-python"
        if not isinstance(requires_python, str):
            problems.add(
                where, f"expected a specifier string, got {describe_value(requires_python)}"
            )
            return None, False
        try:
            specifier = SpecifierSet(requires_python)
        except ValueError:
            problems.add(where, f"invalid specifier {requires_python!r}")
            return None, False
    listed = sorted(
        {python for python in _classifier_pythons(project) if cpython_release(python) is not None}
    )
    if specifier is None and not listed:
        return None, True
    return PythonRange(
        specifier=specifier, listed=tuple(listed) or None, source=PYPROJECT_NAME
    ), True


def _classifiers(project: Mapping[str, Any]) -> list[str]:
    classifiers = project.get("classifiers")
    if not isinstance(classifiers, list):
        return []
    return [c.strip() for c in classifiers if isinstance(c, str)]


def _classifier_pythons(project: Mapping[str, Any]) -> list[PythonVersion]:
    pythons = []
    for classifier in _classifiers(project):
        match = _PYTHON_CLASSIFIER.fullmatch(classifier)
        if match is not None:
            pythons.append(PythonVersion.parse(match["minor"]))
    return pythons


def _known() -> str:
    versions = [release.version for release in CPYTHON]
    return f"CPython {min(versions)} to {max(versions)}"


def _empty_range_problem(python_range: PythonRange) -> str | None:
    """Why the range can never hold a Python, or None."""
    specifier = python_range.specifier
    if python_range.listed is not None:
        if python_range.resolve(date.max):
            return None
        listed = ", ".join(str(p) for p in python_range.listed)
        return (
            f"the Python classifiers of {python_range.source} ({listed}) and its "
            f"requires-python {str(specifier)!r} have no Python in common"
        )
    assert specifier is not None
    if any(python_range.admits(release.version) for release in CPYTHON):
        return None
    where = (
        "" if python_range.source == "config" else f" (requires-python of {python_range.source})"
    )
    return f"{str(specifier)!r}{where} admits no Python compatrix knows ({_known()})"


def _in_range(python_range: PythonRange, python: PythonVersion) -> bool:
    if python_range.listed is not None and python not in python_range.listed:
        return False
    return python_range.admits(python)


def _free_threaded(
    top: Values,
    pyproject: Mapping[str, Any] | None,
    python_range: PythonRange | None,
    base: KeyPath,
    problems: Problems,
) -> tuple[tuple[PythonVersion, ...], bool]:
    """(listed feature versions, all) from ``free-threaded`` or the pyproject classifiers."""
    if "free-threaded" not in top.given:
        project = (pyproject or {}).get("project")
        if isinstance(project, Mapping):
            return (), bool(_FREE_THREADING_CLASSIFIERS & set(_classifiers(project)))
        return (), False
    value = top.get(FREE_THREADED)
    if value is None:
        return (), False  # invalid: reported
    if isinstance(value, bool):
        return (), value
    if python_range is not None:
        for python in value:
            if not _in_range(python_range, python):
                problems.add(
                    base / "free-threaded", f"{python} is not in the project's Python range"
                )
    return value, False
