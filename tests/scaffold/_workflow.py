"""Read the update workflow compatrix renders, without a YAML library.

The workflow is compatrix's own template, so its layout is fixed: top-level keys at
indent 0, jobs at 2, job keys at 4, steps (``- ``) at 6 with their keys at 8, and the
entries of a step's ``with:``/``env:`` and the lines of a ``run: |`` block at 10. The
parser fails on anything else and checks it found every ``run:``, so that a change of
layout fails loudly instead of testing the wrong scripts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[A-Za-z0-9_-]+):(?: (?P<value>.*))?$")


def scalar(text: str | None) -> str:
    """A plain or double-quoted YAML scalar, without a trailing comment."""
    text = (text or "").strip()
    if text.startswith('"'):
        return str(json.loads(text))
    return text.split(" #", 1)[0].strip()


@dataclass
class Step:
    job: str
    fields: dict[str, str] = field(default_factory=dict)
    """Scalar keys as written (``uses`` keeps its ``# tag`` comment)."""
    env: dict[str, str] = field(default_factory=dict)
    with_: dict[str, str] = field(default_factory=dict)
    run: str | None = None

    @property
    def id(self) -> str | None:
        return self.fields.get("id")


@dataclass
class Job:
    name: str
    fields: dict[str, str] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)


@dataclass
class Workflow:
    top: dict[str, str]
    env: dict[str, str]
    jobs: dict[str, Job]

    def step(self, job: str, step_id: str) -> Step:
        (found,) = [s for s in self.jobs[job].steps if s.id == step_id]
        return found

    @property
    def steps(self) -> list[Step]:
        return [step for job in self.jobs.values() for step in job.steps]


def _block(lines: list[str], start: int) -> tuple[str, int]:
    """The ``run: |`` block starting at ``lines[start]`` (indent 10), and the next index."""
    body: list[str] = []
    index = start
    while index < len(lines) and (not lines[index].strip() or lines[index].startswith(" " * 10)):
        body.append(lines[index][10:])
        index += 1
    while body and not body[-1]:
        body.pop()
    return "\n".join(body) + "\n", index


def parse(text: str) -> Workflow:
    lines = text.splitlines()
    top: dict[str, str] = {}
    env: dict[str, str] = {}
    jobs: dict[str, Job] = {}
    section = ""
    job: Job | None = None
    step: Step | None = None
    nested: dict[str, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            if section == "on" and line.startswith("    - "):
                continue  # the schedule list
            raise AssertionError(f"unexpected line {index}: {line!r}")
        indent = len(match["indent"])
        key, value = match["key"], match["value"]
        if indent == 0:
            section, job, step, nested = key, None, None, None
            top[key] = scalar(value)
        elif section == "env" and indent == 2:
            env[key] = scalar(value)
        elif section != "jobs":
            continue
        elif indent == 2:
            job, step, nested = Job(name=key), None, None
            jobs[key] = job
        elif job is not None and indent == 4:
            step, nested = None, None
            job.fields[key] = scalar(value)
            if not value and key in {"permissions", "outputs"}:
                nested = job.permissions if key == "permissions" else job.outputs
        elif job is not None and step is None and nested is not None and indent == 6:
            nested[key] = scalar(value)
        elif job is not None and indent == 6:
            step, nested = Step(job=job.name), None
            job.steps.append(step)
            step.fields[key] = (value or "").strip()
        elif step is not None and indent == 8:
            nested = None
            if key == "run" and value == "|":
                step.run, index = _block(lines, index)
            elif key == "run":
                step.run = scalar(value) + "\n"
            elif key in {"env", "with"} and not value:
                nested = step.env if key == "env" else step.with_
            else:
                step.fields[key] = (value or "").strip()
        elif nested is not None and indent == 10:
            nested[key] = (value or "").strip()
        else:
            raise AssertionError(f"unexpected line {index}: {line!r}")
    workflow = Workflow(top=top, env=env, jobs=jobs)
    runs = sum(1 for line in lines if re.match(r"^ +(?:- )?run:", line))
    assert runs == sum(1 for s in workflow.steps if s.run is not None), "a run: step was missed"
    return workflow
