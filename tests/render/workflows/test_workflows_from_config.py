"""From compatrix.toml to files on disk: the config keys reach the workflows, ``generate``
plans them next to tox.ini and ``check`` finds them when they drift."""

from __future__ import annotations

from pathlib import Path

from compatrix._actions import PINS
from compatrix._config import Config, load_config
from compatrix._render._outputs import find_drift, plan_outputs, write_outputs
from compatrix._selection._model import Matrix

from .build import envs_of
from .lint import actionlint, zizmor

SHA = "0123456789abcdef0123456789abcdef01234567"

CONFIG = f"""\
python = ">=3.9"

[workflows]
enabled = true
branches = ["master"]
jobs-per = "suite"
tox-python = "3.12"
python-runs-on = {{ "3.14" = "ubuntu-24.04-arm" }}
actions = {{ checkout = "actions/checkout@{SHA} # v5.0.0" }}
extra-envs = {{ Data = ["py3.13-docs"] }}

[suites.redis]
package = "redis"
group = "Data"

[suites.redis.services.redis]
image = "redis:7"
ports = ["6379:6379"]
health-cmd = "redis-cli ping"

[suites.attrs]
package = "attrs"
group = "Data"
"""


def _project(tmp_path: Path) -> tuple[Config, Matrix]:
    (tmp_path / "compatrix.toml").write_text(CONFIG, encoding="utf-8")
    config = load_config(directory=tmp_path)
    redis, attrs = config.suites
    matrix = Matrix(
        suites=(
            envs_of(redis, {"3.9 3.13": ["5.0.0"]}),
            envs_of(attrs, {"3.13 3.14t": ["25.1.0"]}),
        )
    )
    return config, matrix


def test_generate_and_check(tmp_path: Path) -> None:
    config, matrix = _project(tmp_path)
    outputs = plan_outputs(config, matrix, resolutions={})
    workflow = tmp_path / ".github" / "workflows" / "test-data.yml"
    pins = tmp_path / "constraints"
    assert set(outputs) == {
        tmp_path / "tox.ini",
        workflow,
        pins / "py3.9-redis-v5.0.0.txt",
        pins / "py3.13-redis-v5.0.0.txt",
        pins / "py3.13-attrs-v25.1.0.txt",
        pins / "py3.14t-attrs-v25.1.0.txt",
    }
    text = outputs[workflow]
    assert f"uses: actions/checkout@{SHA} # v5.0.0\n" in text
    assert f"uses: {PINS['setup-python'].reference}\n" in text
    assert "    branches:\n      - master\n" in text
    assert "            ${{ matrix.python }}\n            3.12\n" in text
    assert "  test-ubuntu-24-04-arm:\n    name: ${{ matrix.label }}\n" in text
    assert "            label: attrs py3.14t\n            envs: py3.14t-attrs-v25.1.0\n" in text
    assert "            label: docs py3.13\n            envs: py3.13-docs\n" in text

    write_outputs(outputs)
    actionlint(tmp_path, workflow)
    zizmor(tmp_path, workflow)
    assert find_drift(config, plan_outputs(config, matrix, resolutions={})) == []

    workflow.write_text(text.replace("fail-fast: false", "fail-fast: true"), encoding="utf-8")
    (drift,) = find_drift(config, plan_outputs(config, matrix, resolutions={}))
    assert drift.path == workflow
    assert "-      fail-fast: true\n+      fail-fast: false\n" in drift.diff
