"""Rules on the values compatrix writes into tox and workflow files.

They are config rules like any other, checked when the config is read and reported with
the other problems, so that rendering never meets a value it cannot write:

- A value written into tox's configuration or a workflow holds no control or invisible
  character (it could change the structure of the file), and a tox value does not end
  with a backslash (tox would read the next line as its continuation).
- A value written into a workflow holds no ``${{`` (GitHub would evaluate an expression).
- Each CI group names a workflow file of its own.
- ``[workflows] actions`` overrides name an action compatrix uses, pinned to a full
  commit SHA.
- The hand-written envs of ``[workflows] extra-envs`` name one known Python each, once,
  and are not named like the envs compatrix generates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence

from compatrix._actions import action_problems
from compatrix._config._model import Suite, WorkflowSettings
from compatrix._config._names import is_version_factor
from compatrix._config._problems import KeyPath
from compatrix._pythons import PythonVersion, cpython_release

__all__ = ["control_character", "group_slug", "output_problems"]

_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
"""Control, format (invisible), separator, surrogate, private-use and unassigned
characters."""


def control_character(text: str) -> str | None:
    """The first character of ``text`` that no file compatrix writes may hold, or None."""
    if text.isprintable():  # no character of the Unicode categories "Other" or "Separator"
        return None
    return next((c for c in text if unicodedata.category(c) in _FORBIDDEN_CATEGORIES), None)


def group_slug(group: str) -> str:
    """The group's part of its workflow's file name: ``Web Frameworks 1`` ->
    ``web-frameworks-1``."""
    return re.sub(r"[^a-z0-9]+", "-", group.lower()).strip("-")


def output_problems(
    *,
    suites: Sequence[Suite],
    group_paths: Mapping[str, KeyPath],
    workflows: WorkflowSettings,
    base: KeyPath,
) -> list[tuple[KeyPath, str]]:
    """Every value that cannot be written, as (where, why), each place once.

    ``group_paths``: suite name -> where its group is set (its table or ``[defaults]``).
    """
    problems = [
        *_tox_problems(suites, group_paths, base),
        *_extra_env_problems(suites, workflows, base),
    ]
    if workflows.enabled:
        problems += _workflow_problems(suites, group_paths, workflows, base)
        actions = base / "workflows" / "actions"
        problems += [(actions / name, why) for name, why in action_problems(workflows.actions)]
    return list(dict.fromkeys(problems))


def _unwritable(value: str, *, tox: bool = False, workflow: bool = False) -> str | None:
    char = control_character(value)
    if char is not None:
        return f"refusing to write {value!r}: it contains the control character U+{ord(char):04X}"
    if tox and value.endswith("\\"):
        return f"{value!r} ends with a backslash (a tox line continuation)"
    if workflow and "${{" in value:
        return (
            f"refusing to write {value!r} into a workflow: GitHub would evaluate '${{{{' as an "
            "expression; use a literal value"
        )
    return None


def _tox_problems(
    suites: Sequence[Suite], group_paths: Mapping[str, KeyPath], base: KeyPath
) -> Iterator[tuple[KeyPath, str]]:
    """Values of tox's configuration: groups (in comments), deps, test paths, set_env."""
    for suite in suites:
        at = base / "suites" / suite.name
        values = [(group_paths[suite.name], suite.policy.group, False)]
        for rule in suite.deps:
            for index, requirement in enumerate(rule.requirements):
                values.append((at / "deps" / rule.key / index, requirement, True))
        if suite.test_path is not None:
            values.append((at / "test-path", suite.test_path, True))
        values += [(at / "setenv" / key, value, True) for key, value in suite.setenv.items()]
        for where, value, tox_line in values:
            problem = _unwritable(value, tox=tox_line)
            if problem is not None:
                yield where, problem


def _workflow_problems(
    suites: Sequence[Suite],
    group_paths: Mapping[str, KeyPath],
    workflows: WorkflowSettings,
    base: KeyPath,
) -> Iterator[tuple[KeyPath, str]]:
    """Values of the workflows, and the file name of each group's workflow."""
    top = base / "workflows"
    values = [
        (top / "runs-on", workflows.runs_on),
        (top / "tox-requirement", workflows.tox_requirement),
        (top / "container-tox-requirement", workflows.container_tox_requirement),
        (top / "tox-python", workflows.tox_python),
        *((top / "branches" / i, branch) for i, branch in enumerate(workflows.branches)),
        *((top / "python-runs-on" / k, v) for k, v in workflows.python_runs_on.items()),
        *((top / "python-container" / k, v) for k, v in workflows.python_container.items()),
        *((top / "extra-envs" / group, group) for group in workflows.extra_envs),
    ]
    for suite in suites:
        values.append((group_paths[suite.name], suite.policy.group))
        for service in suite.services:
            at = base / "suites" / suite.name / "services" / service.name
            values.append((at / "image", service.image))
            values += [(at / "ports" / i, port) for i, port in enumerate(service.ports)]
            values += [(at / "env" / key, f"{key}={value}") for key, value in service.env.items()]
            values += [(at / "health-cmd", service.health_cmd or "")]
            values += [(at / "options", service.options or "")]
    for where, value in values:
        problem = _unwritable(value, workflow=True)
        if problem is not None:
            yield where, problem

    # Groups in order of first appearance: the suites', then those only extra-envs name.
    groups: dict[str, KeyPath] = {}
    for suite in suites:
        groups.setdefault(suite.policy.group, group_paths[suite.name])
    for group in workflows.extra_envs:
        groups.setdefault(group, top / "extra-envs" / group)
    slugs: dict[str, str] = {}
    for group, where in groups.items():
        slug = group_slug(group)
        if not slug:
            yield where, f"group {group!r} has no letter or digit to name its workflow file"
        elif slug in slugs:
            file = f"{workflows.name_prefix}{slug}.yml"
            yield (
                where,
                f"groups {slugs[slug]!r} and {group!r} would both be written to {file}; rename one",
            )
        else:
            slugs[slug] = group


def _extra_env_problems(
    suites: Sequence[Suite], workflows: WorkflowSettings, base: KeyPath
) -> Iterator[tuple[KeyPath, str]]:
    for group, names in workflows.extra_envs.items():
        seen: set[str] = set()
        for index, name in enumerate(names):
            where = base / "workflows" / "extra-envs" / group / index
            if _named_like_generated(name, suites):
                yield where, f"{name!r} is an env compatrix generates; remove it"
            elif name in seen:
                yield where, f"{name!r} is listed twice"
            else:
                seen.add(name)
                problem = _python_problem(name)
                if problem is not None:
                    yield where, problem


def _named_like_generated(name: str, suites: Sequence[Suite]) -> bool:
    """Whether ``name`` is the name of an env compatrix generates, or would generate for
    another release: ``py3.12-SUITE-v1.2.3``, ``py3.12-SUITE-latest``."""
    python, _, rest = name.partition("-")
    if PythonVersion.match(python, factor=True) is None:
        return False
    for suite in suites:
        version = rest.removeprefix(f"{suite.name}-")
        if version != rest and (
            is_version_factor(version) or (version == "latest" and suite.policy.latest_env)
        ):
            return True
    return False


def _python_problem(name: str) -> str | None:
    """Why the Python of a hand-written env (its one ``py3.X`` factor) is unknown."""
    pythons = [p for f in name.split("-") if (p := PythonVersion.match(f, factor=True)) is not None]
    if len(pythons) != 1:
        count = "no" if not pythons else "more than one"
        return (
            f"{name!r} has {count} Python factor, so its Python is unknown; name the env "
            "with exactly one, like 'py3.12-lint'"
        )
    (python,) = pythons
    release = cpython_release(python)
    if release is None or (python.free_threaded and release.free_threading == "none"):
        return f"{name!r} names {python.factor}, which is not a known CPython"
    return None
