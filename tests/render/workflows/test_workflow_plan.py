"""What the workflows run: splitting, service partitions, jobs-per, runners, extra envs."""

from __future__ import annotations

import pytest

from compatrix._config._model import Service
from compatrix._render import render_workflows
from compatrix._render._workflows import Job, WorkflowPlan, plan_workflows

from . import scenarios
from .build import postgres, redis, scenario, suite


def _plan(plans: tuple[WorkflowPlan, ...], group: str) -> WorkflowPlan:
    (plan,) = [p for p in plans if p.group == group]
    return plan


def _envs(job: Job) -> list[str]:
    return [env for entry in job.entries for env in entry.envs]


# --- splitting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "pythons", "max_jobs", "sizes"),
    [
        pytest.param(128, "3.10 3.13", 256, {"test": 256}, id="exactly-256-one-job"),
        pytest.param(257, "3.13", 256, {"test-1": 256, "test-2": 1}, id="257-entries-two-jobs"),
        pytest.param(
            130, "3.10 3.13", 256, {"test-1": 256, "test-2": 4}, id="260-entries-two-jobs"
        ),
        pytest.param(3, "3.10", 1, {"test-1": 1, "test-2": 1, "test-3": 1}, id="max-jobs-1"),
        pytest.param(5, "3.12 3.13", 4, {"test-1": 4, "test-2": 4, "test-3": 2}, id="max-4"),
    ],
)
def test_a_matrix_above_max_jobs_is_split(
    count: int, pythons: str, max_jobs: int, sizes: dict[str, int]
) -> None:
    matrix, config = scenarios.big(count, pythons, max_jobs=max_jobs)
    (plan,) = plan_workflows(matrix, config)
    assert {job.id: len(job.entries) for job in plan.jobs} == sizes
    # Every env runs exactly once, in matrix order.
    assert [env for job in plan.jobs for env in _envs(job)] == [e.name for e in matrix.envs]


def test_the_split_applies_to_each_partition() -> None:
    matrix, config = scenarios.groups(jobs_per="env", max_jobs=3)
    dbs = _plan(plan_workflows(matrix, config), "DBs")
    assert all(len(job.entries) <= 3 for job in dbs.jobs)
    # Jobs of one partition share its services; no job mixes partitions.
    for job in dbs.jobs:
        assert all(entry.envs[0].split("-")[1] in _suites_of(job) for entry in job.entries)
    assert len({job.id for job in dbs.jobs}) == len(dbs.jobs)


def _suites_of(job: Job) -> set[str]:
    names = {s.name for s in job.partition.services}
    return {
        frozenset(): {"sqlalchemy"},
        frozenset({"redis"}): {"redis", "rq"},
        frozenset({"postgres"}): {"psycopg"},
    }[frozenset(names)]


# --- services -------------------------------------------------------------------------------


def test_services_appear_only_in_the_jobs_whose_envs_need_them() -> None:
    matrix, config = scenarios.groups()
    dbs = _plan(plan_workflows(matrix, config), "DBs")
    needs = {env.name: s.suite.services for s in matrix.suites for env in s.envs}
    for job in dbs.jobs:
        for env in _envs(job):
            assert needs[env] == job.partition.services, (job.id, env)
    # Suites that need the same services share jobs: rq runs next to redis.
    shared = [job for job in dbs.jobs if job.id == "test-redis"]
    assert [entry.envs for entry in shared[0].entries] == [
        ("py3.9-rq-v2.0.0",),
        ("py3.12-redis-v4.0.0", "py3.12-redis-v5.2.1"),
        ("py3.13-redis-latest", "py3.13-rq-v2.0.0"),
    ]


def test_same_service_name_with_another_definition_is_another_job() -> None:
    other_redis = Service(name="redis", image="redis:6", ports=("6379:6379",))
    matrix, config = scenario(
        suite("a", {"3.12": ["1.0"]}, services=[redis()]),
        suite("b", {"3.12": ["1.0"]}, services=[other_redis]),
        suite("c", {"3.12": ["1.0"]}, services=[redis()]),
    )
    (plan,) = plan_workflows(matrix, config)
    assert [(job.id, job.partition.services[0].image, _envs(job)) for job in plan.jobs] == [
        ("test-redis", "redis:7", ["py3.12-a-v1.0", "py3.12-c-v1.0"]),
        ("test-redis-2", "redis:6", ["py3.12-b-v1.0"]),
    ]


def test_service_yaml_carries_the_health_check_and_options() -> None:
    matrix, config = scenario(suite("pg", {"3.12": ["1.0"]}, services=[postgres()]))
    (text,) = render_workflows(matrix, config).values()
    assert (
        "    services:\n"
        "      postgres:\n"
        '        image: "postgres:17"\n'
        "        ports:\n"
        '          - "5432:5432"\n'
        "        env:\n"
        "          POSTGRES_PASSWORD: compatrix\n"
        "          POSTGRES_DB: test\n"
        '        options: \'--health-cmd "pg_isready -U postgres" --health-interval 10s '
        "--health-timeout 5s --health-retries 10 --tmpfs /var/lib/postgresql/data'\n"
    ) in text


# --- jobs-per -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jobs_per", "expected"),
    [
        pytest.param(
            "python",
            [
                ("py3.8", ["py3.8-a-v1.0", "py3.8-a-v2.0", "py3.8-b-v1.0"]),
                ("py3.13", ["py3.13-a-v2.0", "py3.13-b-v1.0"]),
                ("py3.14t", ["py3.14t-b-v1.0"]),
            ],
            id="python",
        ),
        pytest.param(
            "suite",
            [
                ("a py3.8", ["py3.8-a-v1.0", "py3.8-a-v2.0"]),
                ("a py3.13", ["py3.13-a-v2.0"]),
                ("b py3.8", ["py3.8-b-v1.0"]),
                ("b py3.13", ["py3.13-b-v1.0"]),
                ("b py3.14t", ["py3.14t-b-v1.0"]),
            ],
            id="suite",
        ),
        pytest.param(
            "env",
            [
                ("py3.8-a-v1.0", ["py3.8-a-v1.0"]),
                ("py3.8-a-v2.0", ["py3.8-a-v2.0"]),
                ("py3.13-a-v2.0", ["py3.13-a-v2.0"]),
                ("py3.8-b-v1.0", ["py3.8-b-v1.0"]),
                ("py3.13-b-v1.0", ["py3.13-b-v1.0"]),
                ("py3.14t-b-v1.0", ["py3.14t-b-v1.0"]),
            ],
            id="env",
        ),
    ],
)
def test_jobs_per(jobs_per: str, expected: list[tuple[str, list[str]]]) -> None:
    matrix, config = scenario(
        suite("a", {"3.8": ["1.0"], "3.8 3.13": ["2.0"]}),
        suite("b", {"3.8 3.13 3.14t": ["1.0"]}),
        jobs_per=jobs_per,
    )
    (plan,) = plan_workflows(matrix, config)
    (job,) = plan.jobs
    assert [(entry.label, list(entry.envs)) for entry in job.entries] == expected
    for entry in job.entries:
        assert all(env.startswith(f"{entry.python.factor}-") for env in entry.envs)


def test_each_job_runs_an_exact_env_list() -> None:
    matrix, config = scenario(suite("a", {"3.12 3.13": ["1.0", "latest"]}))
    (text,) = render_workflows(matrix, config).values()
    assert '            envs: "py3.12-a-v1.0,py3.12-a-latest"\n' in text
    assert '          python -m tox -e "$TOX_ENVS" --result-json tox-result.json\n' in text
    assert " -f " not in text
    assert "TOX_FACTOR" not in text


# --- runners, containers, Pythons ---------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        pytest.param(
            {},
            {
                "3.6": ("ubuntu-latest", "python:3.6"),
                "3.7": ("ubuntu-22.04", None),
                "3.12": ("ubuntu-latest", None),
                "3.14t": ("ubuntu-latest", None),
            },
            id="defaults",
        ),
        pytest.param(
            {"python_runs_on": {"3.14": "ubuntu-24.04-arm"}, "python_container": {}},
            {
                "3.6": ("ubuntu-latest", None),
                "3.7": ("ubuntu-latest", None),
                "3.12": ("ubuntu-latest", None),
                "3.14t": ("ubuntu-24.04-arm", None),
            },
            id="feature-version-applies-to-free-threaded",
        ),
        pytest.param(
            {
                "runs_on": "ubuntu-24.04",
                "python_runs_on": {"3.14": "big", "3.14t": "ubuntu-24.04-arm"},
                "python_container": {"3.7": "python:3.7"},
            },
            {
                "3.6": ("ubuntu-24.04", None),
                "3.7": ("ubuntu-24.04", "python:3.7"),
                "3.12": ("ubuntu-24.04", None),
                "3.14t": ("ubuntu-24.04-arm", None),
            },
            id="exact-key-wins",
        ),
    ],
)
def test_runner_and_container_per_python(
    settings: dict[str, object], expected: dict[str, tuple[str, str | None]]
) -> None:
    matrix, config = scenario(suite("a", {"3.6 3.7 3.12 3.14t": ["1.0"]}), **settings)
    (plan,) = plan_workflows(matrix, config)
    found = {
        str(entry.python): (job.partition.runs_on, job.partition.container)
        for job in plan.jobs
        for entry in job.entries
    }
    assert found == expected


def test_container_jobs_use_the_container_python() -> None:
    matrix, config = scenario(suite("a", {"3.6 3.12": ["1.0"]}))
    (text,) = render_workflows(matrix, config).values()
    container_job = text[text.index("  test-python-3-6:") : text.index("\n  test:\n")]
    assert '    container: "python:3.6"\n' in container_job
    assert "setup-python" not in container_job
    assert "TOX_REQUIREMENT: tox\n" in container_job
    regular_job = text[text.index("\n  test:\n") :]
    assert "setup-python@" in regular_job
    assert "          python-version: |\n            ${{ matrix.python }}\n            3.13\n" in (
        regular_job
    )


def test_tox_settings_reach_the_install_step() -> None:
    matrix, config = scenario(
        suite("a", {"3.12": ["1.0"]}),
        tox_requirement="tox>=4.30,<5",
        tox_uv=False,
        tox_python="3.12",
        branches=("master", "release/*"),
    )
    (text,) = render_workflows(matrix, config).values()
    assert '          TOX_REQUIREMENT: "tox>=4.30,<5"\n' in text
    assert '          python -m pip install "$TOX_REQUIREMENT"\n' in text
    assert "tox-uv" not in text
    assert "            ${{ matrix.python }}\n            3.12\n" in text
    assert '    branches:\n      - master\n      - "release/*"\n' in text


def test_no_branches_no_push_trigger() -> None:
    matrix, config = scenario(suite("a", {"3.12": ["1.0"]}), branches=())
    (text,) = render_workflows(matrix, config).values()
    assert "on:\n  pull_request:\n  workflow_dispatch:\n" in text
    assert "push" not in text


# --- extra envs ------------------------------------------------------------------------------


def test_extra_envs_run_on_the_python_of_their_factor() -> None:
    matrix, config = scenario(
        suite("a", {"3.12": ["1.0"]}, group="G"),
        extra_envs={"G": ("py3.12-lint", "docs-py3.14t"), "Only": ("py3.13-smoke",)},
    )
    plans = plan_workflows(matrix, config)
    (g_job,) = _plan(plans, "G").jobs
    assert [(str(e.python), e.envs) for e in g_job.entries] == [
        ("3.12", ("py3.12-a-v1.0", "py3.12-lint")),
        ("3.14t", ("docs-py3.14t",)),
    ]
    # A group may have only hand-written envs.
    (only_job,) = _plan(plans, "Only").jobs
    assert [e.envs for e in only_job.entries] == [("py3.13-smoke",)]
    assert [p.path.name for p in plans] == ["test-g.yml", "test-only.yml"]


# --- files ----------------------------------------------------------------------------------


def test_file_names_come_from_the_group_slug() -> None:
    matrix, config = scenario(
        suite("a", {"3.12": ["1.0"]}, group="Web Frameworks 1"),
        suite("b", {"3.12": ["1.0"]}, group="default"),
        name_prefix="ci-",
    )
    paths = render_workflows(matrix, config)
    assert [p.relative_to(config.root).as_posix() for p in paths] == [
        ".github/workflows/ci-web-frameworks-1.yml",
        ".github/workflows/ci-default.yml",
    ]


def test_groups_without_envs_get_no_workflow() -> None:
    matrix, config = scenario(suite("a", {}, group="Empty"), suite("b", {"3.12": ["1"]}))
    paths = render_workflows(matrix, config)
    assert [p.name for p in paths] == ["test-default.yml"]
