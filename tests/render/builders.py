"""Hand-built matrices and configs for the rendering tests.

Rendering takes a :class:`Matrix` and a :class:`Config`; these helpers build both the way
selection and config loading would, so the tests read as data: a suite, its rules, and the
(version, Pythons) picks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from compatrix._config import Config, DepRule, PythonRange, Suite, SuitePolicy, ToxSettings
from compatrix._pythons import PythonVersion
from compatrix._selection._model import Env, Matrix, Pick, SuiteMatrix, SuiteSelection
from compatrix._support import Support

ROOT = Path("/project")
NO_FINDINGS = Support.of(())
"""Rendering never reads why a pick supports its Pythons."""


def rule(key: str, *requirements: str) -> DepRule:
    """A ``deps`` rule as the config loader reads it: ``*``, a version specifier, Pythons
    (``py3.8,py3.9``) or both (``>=4,<5; py3.6,py3.7``)."""
    versions: SpecifierSet | None = None
    pythons: frozenset[PythonVersion] | None = None
    for part in (p.strip() for p in key.split(";")):
        if part == "*":
            continue
        if part.startswith("py"):
            pythons = frozenset(PythonVersion.parse(p) for p in part.split(","))
        else:
            versions = SpecifierSet(part)
    return DepRule(key=key, versions=versions, pythons=pythons, requirements=requirements)


def suite(
    name: str,
    package: str | None = None,
    *,
    deps: Sequence[DepRule] = (),
    test_path: str | None = None,
    setenv: Mapping[str, str] | None = None,
    passenv: Sequence[str] = (),
    group: str = "default",
) -> Suite:
    requirement = package or name
    return Suite(
        name=name,
        package=canonicalize_name(requirement.split("[")[0]),
        requirement=requirement,
        deps=tuple(deps),
        policy=SuitePolicy(group=group),
        test_path=test_path,
        setenv=dict(setenv or {}),
        passenv=tuple(passenv),
    )


def picks(
    the_suite: Suite,
    versions: Mapping[str | None, str],
    *,
    latest: str | None = None,
) -> SuiteMatrix:
    """The suite's envs: ``{"0.16.1": "3.8 3.9", None: "3.12"}`` (None is the -latest env).

    ``latest`` is the newest final pick (the version -latest rules are judged by); it
    defaults to the highest pinned final version.
    """
    pinned = [Version(v) for v in versions if v is not None]
    finals = [v for v in pinned if not v.is_prerelease]
    latest_version = Version(latest) if latest else (max(finals) if finals else None)
    pick_list = tuple(
        Pick(
            version=Version(v),
            roles=("spaced",),
            pythons=tuple(PythonVersion.parse(p) for p in pys.split()),
            support=NO_FINDINGS,
        )
        for v, pys in versions.items()
        if v is not None
    )
    latest_pick = next((p for p in pick_list if p.version == latest_version), None)
    if latest_pick is None and latest_version is not None:
        latest_pick = Pick(
            version=latest_version, roles=("latest",), pythons=(), support=NO_FINDINGS
        )
    envs: list[Env] = []
    for version_text, pythons in versions.items():
        version = Version(version_text) if version_text is not None else None
        for python in (PythonVersion.parse(p) for p in pythons.split()):
            judged = version if version is not None else latest_version
            assert judged is not None
            env_deps = tuple(
                requirement
                for dep_rule in the_suite.deps
                if dep_rule.applies(judged, python)
                for requirement in dep_rule.requirements
            )
            factor = "latest" if version is None else "v" + str(version).replace("!", "_")
            envs.append(
                Env(
                    name=f"{python.factor}-{the_suite.name}-{factor}",
                    suite=the_suite.name,
                    python=python,
                    version=version,
                    requirement=(
                        the_suite.requirement
                        if version is None
                        else f"{the_suite.requirement}=={version}"
                    ),
                    deps=env_deps,
                    group=the_suite.policy.group,
                    prerelease=version is not None and version.is_prerelease,
                )
            )
    selection = SuiteSelection(
        suite=the_suite.name,
        picks=pick_list,
        latest=latest_pick,
        remembered=(),
    )
    return SuiteMatrix(suite=the_suite, selection=selection, envs=tuple(envs))


def matrix(*suites: SuiteMatrix) -> Matrix:
    return Matrix(suites=tuple(suites))


def config(
    *suite_matrices: SuiteMatrix,
    tox_file: str = "tox.ini",
    test_path_variable: str = "TESTPATH",
    config_name: str = "compatrix.toml",
) -> Config:
    return Config(
        path=ROOT / config_name,
        root=ROOT,
        python=PythonRange(),
        tox=ToxSettings(
            file=ROOT / tox_file,
            format=(
                "pyproject"
                if tox_file == "pyproject.toml"
                else "toml"
                if tox_file.endswith(".toml")
                else "ini"
            ),
            test_path_variable=test_path_variable,
        ),
        suites=tuple(sm.suite for sm in suite_matrices),
    )
