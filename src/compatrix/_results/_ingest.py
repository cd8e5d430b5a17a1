"""Which suite, version and Python each run was, checked against the config, the lock and
the matrix; what does not fit is set aside with the reason, never merged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from packaging.version import InvalidVersion, Version

from compatrix._config import Config
from compatrix._lock import Lock
from compatrix._pythons import PythonVersion
from compatrix._results._model import Result
from compatrix._results._parse import RunRecord
from compatrix._selection import Env, Matrix, version_factor

__all__ = ["Ingested", "Rejected", "ingest", "parse_env_name"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected:
    """A run that was not recorded, and why."""

    source: str
    env: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.env}: {self.reason}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Ingested:
    accepted: tuple[Result, ...]
    rejected: tuple[Rejected, ...]


def parse_env_name(
    name: str, suites: Iterable[str]
) -> tuple[PythonVersion, str, Version | None] | None:
    """``py3.12-httpx-v0.28.1`` -> (3.12, ``httpx``, 0.28.1); ``-latest`` gives None as the
    version; None when the name is not a compatrix env of one of ``suites``."""
    head, _, rest = name.partition("-")
    python = PythonVersion.match(head, factor=True)
    suite, _, factor = rest.rpartition("-")
    if python is None or suite not in set(suites):
        return None
    if factor == "latest":
        return python, suite, None
    if not factor.startswith("v"):
        return None
    try:
        version = Version(factor[1:].replace("_", "!"))
    except InvalidVersion:
        return None
    if version_factor(version) != factor:
        return None
    return python, suite, version


def ingest(
    records: Iterable[RunRecord],
    *,
    config: Config,
    lock: Lock,
    matrix: Matrix,
    today: date,
    commit: str | None,
) -> Ingested:
    """The results of ``records`` that are envs of the current matrix; the others, each with
    its reason (not a compatrix env, an unknown suite, a version not in the lock, an env of
    an older config, a run on another Python, ...)."""
    envs: dict[str, Env] = {env.name: env for env in matrix.envs}
    suite_names = [s.name for s in config.suites]
    accepted: list[Result] = []
    rejected: list[Rejected] = []
    for record in records:

        def reject(reason: str, record: RunRecord = record) -> None:
            rejected.append(Rejected(source=record.source, env=record.env, reason=reason))

        parsed = parse_env_name(record.env, suite_names)
        if parsed is None:
            head = record.env.partition("-")[0]
            if PythonVersion.match(head, factor=True) and record.env.count("-") >= 2:
                reject(f"no suite of this env in {config.path.name} (an older config?)")
            else:
                reject("not an env compatrix generates")
            continue
        python, suite_name, version = parsed
        suite = config.suite(suite_name)
        assert suite is not None
        facts = lock.packages.get(suite.package)
        if version is None:
            installed = record.installed.get(suite.package)
            if installed is None:
                reject(f"cannot tell which version of {suite.package} the -latest env installed")
                continue
            try:
                version = Version(installed)
            except InvalidVersion:
                reject(f"the -latest env installed {suite.package} {installed!r}, not a version")
                continue
        if facts is None or facts.release(version) is None:
            reject(f"{suite.package} {version} is not in the lock")
            continue
        if record.env not in envs:
            reject("not an env of the current matrix (from an older config or lock?)")
            continue
        if record.python is not None and record.python != python:
            reject(f"ran on Python {record.python}, not {python}")
            continue
        accepted.append(
            Result(
                suite=suite_name,
                version=version,
                python=python,
                outcome=record.outcome,
                date=record.day or today,
                env=record.env,
                commit=commit,
            )
        )
    return Ingested(accepted=tuple(accepted), rejected=tuple(rejected))
