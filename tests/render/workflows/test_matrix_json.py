"""``compatrix matrix --format json``: the matrix for a hand-written workflow's fromJSON."""

from __future__ import annotations

import json

import pytest

from compatrix._render import matrix_json

from . import scenarios
from .build import scenario, suite


def test_document() -> None:
    matrix, config = scenario(
        suite("a", {"3.12 3.14t": ["1.0"]}, group="G"), extra_envs={"G": ("py3.12-lint",)}
    )
    assert matrix_json(matrix, config) == (
        '{"include":['
        '{"group":"G","python":"3.12","envs":"py3.12-a-v1.0,py3.12-lint","label":"py3.12",'
        '"runs-on":"ubuntu-latest"},'
        '{"group":"G","python":"3.14t","envs":"py3.14t-a-v1.0","label":"py3.14t",'
        '"runs-on":"ubuntu-latest"}'
        "]}\n"
    )


def test_services_and_containers() -> None:
    matrix, config = scenarios.groups()
    include = json.loads(matrix_json(matrix, config, groups=("DBs",)))["include"]
    by_label = {entry["label"]: entry for entry in include}
    assert by_label["py3.6 (redis)"] == {
        "group": "DBs",
        "python": "3.6",
        "envs": "py3.6-redis-v3.0.1",
        "label": "py3.6 (redis)",
        "runs-on": "ubuntu-latest",
        "container": "python:3.6",
        "services": {
            "redis": {
                "image": "redis:7",
                "ports": ["6379:6379"],
                "options": '--health-cmd "redis-cli ping" --health-interval 10s '
                "--health-timeout 5s --health-retries 5",
            }
        },
    }
    assert by_label["py3.9 (postgres)"]["services"]["postgres"]["env"] == {
        "POSTGRES_PASSWORD": "compatrix",
        "POSTGRES_DB": "test",
    }
    assert "services" not in by_label["py3.13"]
    assert by_label["py3.7"]["runs-on"] == "ubuntu-22.04"


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        pytest.param((), ["Network", "DBs"], id="all-groups-in-order"),
        pytest.param(("DBs",), ["DBs"], id="one-group"),
        pytest.param(("DBs", "Network"), ["Network", "DBs"], id="both-in-config-order"),
    ],
)
def test_group_filter(groups: tuple[str, ...], expected: list[str]) -> None:
    matrix, config = scenarios.groups()
    include = json.loads(matrix_json(matrix, config, groups=groups))["include"]
    assert list(dict.fromkeys(entry["group"] for entry in include)) == expected


@pytest.mark.parametrize("jobs_per", ["python", "suite", "env"])
def test_every_env_once_as_exact_names(jobs_per: str) -> None:
    matrix, config = scenarios.groups(jobs_per=jobs_per)
    include = json.loads(matrix_json(matrix, config))["include"]
    listed = [env for entry in include for env in entry["envs"].split(",")]
    extras = [env for envs in config.workflows.extra_envs.values() for env in envs]
    assert sorted(listed) == sorted([env.name for env in matrix.envs] + extras)
    for entry in include:
        for env in entry["envs"].split(","):
            assert f"py{entry['python']}" in env.split("-"), (entry, env)


def test_not_split_at_max_jobs_and_deterministic() -> None:
    matrix, config = scenarios.big()
    text = matrix_json(matrix, config)
    assert len(json.loads(text)["include"]) == 260
    assert text == matrix_json(matrix, config)
    assert text.count("\n") == 1
    assert text.isascii()


def test_non_ascii_is_escaped() -> None:
    matrix, config = scenario(suite("a", {"3.12": ["1.0"]}, group="Réseau"))
    text = matrix_json(matrix, config)
    assert text.isascii()
    assert json.loads(text)["include"][0]["group"] == "Réseau"
