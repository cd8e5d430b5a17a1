"""The workload of compare_outputs.py: which compatrix commands run on which projects.

A *subject* is a project: one of the bundled examples, or a random one from
``_compare_workload.py``. Each becomes *jobs*: lists of steps the driver runs in a fresh
copy of the project (a command line, a copy of a directory, a snapshot of one). Jobs are
independent of each other, so they can be spread over processes in any way; the explain
commands of a project are jobs of their own, which keeps the processes evenly loaded.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from _compare_workload import Project, check_rp_lists, make_projects, write_project

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {"demo": "2025-06-30", "sentry-python": "2026-05-31"}
"""The bundled examples, each with the --as-of date of its older lock."""
EXPLAIN_PER_JOB = {"example": 12, "random": 25}
"""Suites per explain job: the examples' locks are larger, so are their tables."""


@dataclass
class Job:
    """Steps the driver runs in a directory of their own (see ``_compare_driver.py``)."""

    name: str
    """``PROJECT/PART``: also where its dumps go."""
    inputs: list[tuple[str, str]]
    """(path in the workload directory, name in the job's directory) to copy first."""
    steps: list[dict[str, Any]] = field(default_factory=list)
    weight: float = 0.0
    """Its estimated cost, for spreading jobs evenly over processes."""

    def run(self, label: str, *argv: str, cwd: str = "project") -> None:
        self.steps.append({"op": "run", "label": label, "argv": list(argv), "cwd": cwd})

    def snapshot(self, label: str, directory: str = "project") -> None:
        self.steps.append({"op": "snapshot", "label": label, "dir": directory})

    def copy(self, source: str, target: str) -> None:
        self.steps.append({"op": "copy", "from": source, "to": target})

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "inputs": self.inputs, "steps": self.steps}


@dataclass
class Subject:
    """A project the workload runs compatrix on: an example or a random one."""

    name: str
    kind: str
    """``example`` or ``random``."""
    suites: list[str]
    groups: list[str]
    lock_path: str
    older_as_of: str | None
    """The --as-of date of an older lock made with ``update --offline``, or None."""
    base_lock: str | None
    """A related lock in the workload directory, for ``report --base``."""
    size: int
    """Bytes of the lock: the cost of each command grows with it."""
    number: int = 0
    """A random project's number (its half of the workload runs some steps)."""


def _main_job(subject: Subject) -> Job:
    """Everything but explain, in the order a user might run it."""
    inputs = [(f"projects/{subject.name}", "project")]
    if subject.base_lock is not None:
        inputs.append((subject.base_lock, "base.lock"))
    job = Job(f"{subject.name}/main", inputs)
    if subject.kind == "example" or subject.number % 2:
        job.run("check-before", "check")
    job.run("generate", "generate")
    job.snapshot("files-after-generate")
    job.run("check", "check")
    job.run("matrix", "matrix")
    job.run("matrix-json", "matrix", "--format", "json")
    for group in subject.groups[:1]:
        slug = re.sub(r"[^a-z0-9]+", "-", group.lower())
        job.run(f"matrix-group-{slug}", "matrix", "--group", group)
        job.run(f"matrix-group-{slug}-json", "matrix", "--format", "json", "--group", group)
    job.run("matrix-unknown-group", "matrix", "--group", "no such group")
    job.run("explain-unknown-suite", "explain", f"{subject.suites[0]}x")
    if subject.base_lock is not None:
        job.run("report-base", "report", "--base", "../base.lock")
        job.run("report-base-json", "report", "--base", "../base.lock", "--format", "json")
    if subject.older_as_of is not None:
        job.copy("project", "older")
        job.run("older-update", "update", "--offline", "--as-of", subject.older_as_of, cwd="older")
        job.snapshot("older-files-after-update", "older")
        older = f"../older/{subject.lock_path}"
        job.run("report-older", "report", "--base", older)
        job.run("report-older-json", "report", "--base", older, "--format", "json")
    job.run("update", "update", "--offline")
    job.snapshot("files-after-update")
    if subject.kind == "example":
        job.run("check-after-update", "check")
    if subject.base_lock is not None:
        job.run("report-base-after-update", "report", "--base", "../base.lock")
    return job


def _cli_job() -> Job:
    """Help, usage errors and ``init`` (in a directory with only a pyproject.toml)."""
    job = Job("cli/main", [("projects/demo/pyproject.toml", "project/pyproject.toml")])
    job.run("help", "--help")
    job.run("version", "--version")
    for command in ("update", "generate", "check", "explain", "matrix", "report", "init"):
        job.run(f"help-{command}", command, "--help")
    job.run("no-command")
    job.run("usage-error", "update", "--jobs", "0")
    job.run("check-without-config", "check")
    job.run("init", "init")
    job.snapshot("files-after-init")
    job.run("init-again", "init")
    job.run("init-force", "-v", "init", "--force")
    job.run("check-without-lock", "check")
    job.run("update-offline-without-lock", "update", "--offline")
    job.snapshot("files-at-the-end")
    return job


def _explain_jobs(subject: Subject) -> list[Job]:
    """``explain`` of every suite, as a table and as JSON, in jobs of a few suites."""
    per_job = EXPLAIN_PER_JOB[subject.kind]
    jobs = []
    for start in range(0, len(subject.suites), per_job):
        job = Job(
            f"{subject.name}/explain-{start // per_job}", [(f"projects/{subject.name}", "project")]
        )
        for suite in subject.suites[start : start + per_job]:
            job.run(f"explain-{suite}", "explain", suite)
            job.run(f"explain-{suite}-json", "explain", suite, "--format", "json")
        jobs.append(job)
    return jobs


def _jobs(subject: Subject) -> list[Job]:
    jobs = [_main_job(subject), *_explain_jobs(subject)]
    for job in jobs:
        calls = sum(1 for step in job.steps if step["op"] == "run")
        job.weight = calls * (0.017 + subject.size / 6e6)  # seconds, measured roughly
    return jobs


def _tracked(directory: str) -> list[str]:
    """The files git tracks under ``directory`` of this repository (caches left out)."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--", directory],
        capture_output=True,
        check=True,
    )
    return sorted(name for name in listed.stdout.decode().split("\0") if name)


def _example(name: str, as_of: str, workload: Path) -> Subject:
    """A bundled example, copied into the workload: the files git tracks, as they are in
    this working tree."""
    target = workload / "projects" / name
    for relative in _tracked(f"examples/{name}"):
        destination = target / Path(relative).relative_to(f"examples/{name}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, destination)
    config = tomllib.loads((target / "compatrix.toml").read_text(encoding="utf-8"))
    suites = list(config["suites"])
    default = config.get("defaults", {}).get("group", "default")
    groups = sorted({str(table.get("group", default)) for table in config["suites"].values()})
    lock_path = str(config.get("lock", "compatrix.lock"))
    return Subject(
        name=name,
        kind="example",
        suites=suites,
        groups=groups,
        lock_path=lock_path,
        older_as_of=as_of,
        base_lock=None,
        size=(target / lock_path).stat().st_size,
    )


def _random(project: Project, workload: Path) -> Subject:
    """A random project, written into the workload with its base lock next to it."""
    target = workload / "projects" / project.name
    write_project(project, target)
    base = f"projects/{project.name}.base.lock"
    (workload / base).write_text(project.base_lock, encoding="utf-8")
    older = (project.lock_as_of or project.lock_day) - timedelta(days=120)
    number = int(project.name[1:])
    return Subject(
        name=project.name,
        kind="random",
        suites=project.suites,
        groups=project.groups,
        lock_path=project.lock_path,
        older_as_of=older.isoformat() if number % 2 == 0 else None,
        base_lock=base,
        size=len(project.files[project.lock_path]),
        number=number,
    )


def build_workload(workload: Path, *, seed: int, suites: int) -> tuple[list[Job], Counter[str]]:
    """Write the projects into ``workload``; the jobs to run on them, and the generator's
    counts of what it made."""
    check_rp_lists()
    subjects = [_example(name, as_of, workload) for name, as_of in EXAMPLES.items()]
    projects, facts = make_projects(seed, suites)
    subjects += [_random(project, workload) for project in projects]
    facts["random projects"] = len(projects)
    facts["random suites"] = sum(len(p.suites) for p in projects)
    jobs = [job for subject in subjects for job in _jobs(subject)]
    cli = _cli_job()
    cli.weight = 0.2 * len(cli.steps)
    return [cli, *jobs], facts


def partition(jobs: Sequence[Job], count: int) -> list[list[Job]]:
    """Jobs in ``count`` chunks of about equal weight (heaviest first, to the lightest)."""
    chunks: list[list[Job]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for job in sorted(jobs, key=lambda j: (-j.weight, j.name)):
        lightest = loads.index(min(loads))
        chunks[lightest].append(job)
        loads[lightest] += job.weight
    return [chunk for chunk in chunks if chunk]
