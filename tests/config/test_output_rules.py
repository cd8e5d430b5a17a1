"""Values compatrix could not write into tox's configuration or a workflow are config
problems: reported with the others, with their path, when the config is read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from compatrix._config import Config

SHA = "0123456789abcdef0123456789abcdef01234567"
TOP = 'python = ">=3.9"\n'
HTTPX = TOP + '[suites.httpx]\npackage = "httpx"\n'
ENABLED = "[workflows]\nenabled = true\n"
EXPRESSION = "GitHub would evaluate '${{' as an expression; use a literal value"


PROBLEMS = [
    # --- what tox's configuration holds
    pytest.param(
        HTTPX + 'setenv = { A = "x\u200by" }\n',
        "suites.httpx.setenv.A: refusing to write 'x\\u200by': it contains the control "
        "character U+200B",
        id="invisible-character-in-setenv",
    ),
    pytest.param(
        HTTPX + "setenv = { A = 'C:\\' }\n",
        "suites.httpx.setenv.A: 'C:\\\\' ends with a backslash (a tox line continuation)",
        id="setenv-trailing-backslash",
    ),
    pytest.param(
        HTTPX + "test-path = 'tests\\'\n",
        "suites.httpx.test-path: 'tests\\\\' ends with a backslash (a tox line continuation)",
        id="test-path-trailing-backslash",
    ),
    pytest.param(
        HTTPX + 'test-path = "tests\u202e"\n',
        "suites.httpx.test-path: refusing to write 'tests\\u202e': it contains the control "
        "character U+202E",
        id="bidi-override-in-test-path",
    ),
    pytest.param(
        HTTPX + "deps = { \"*\" = ['x @ https://example.org/x\\'] }\n",
        "suites.httpx.deps[\"*\"][0]: 'x @ https://example.org/x\\\\' ends with a backslash "
        "(a tox line continuation)",
        id="deps-requirement-trailing-backslash",
    ),
    pytest.param(
        HTTPX + 'deps = { "*" = [\'x; python_version == "3\u200b"\'] }\n',
        'suites.httpx.deps["*"][0]: refusing to write \'x; python_version == "3\\u200b"\': '
        "it contains the control character U+200B",
        id="invisible-character-in-a-requirement-marker",
    ),
    pytest.param(
        HTTPX + 'group = "Net\u200bwork"\n',
        "suites.httpx.group: refusing to write 'Net\\u200bwork': it contains the control "
        "character U+200B",
        id="invisible-character-in-group",
    ),
    pytest.param(
        TOP + '[defaults]\ngroup = "Net\u200bwork"\n'
        '[suites.httpx]\npackage = "httpx"\n[suites.requests]\npackage = "requests"\n',
        "defaults.group: refusing to write 'Net\\u200bwork': it contains the control "
        "character U+200B",
        id="invisible-character-in-the-default-group-once",
    ),
    pytest.param(
        TOP + '[suites.linux-tools]\npackage = "x"\n',
        "suites.linux-tools: the name part 'linux' is a factor tox sets by itself on some "
        "platforms (the OS or the machine architecture), so tox conditions could not tell "
        "this suite's envs apart; rename the suite",
        id="suite-name-os-factor",
    ),
    pytest.param(
        TOP + '[suites.numpy-x86_64]\npackage = "numpy"\n',
        "suites.numpy-x86_64: the name part 'x86_64' is a factor tox sets by itself",
        id="suite-name-machine-factor",
    ),
    pytest.param(
        TOP + '[suites.freebsd14]\npackage = "x"\n',
        "suites.freebsd14: the name part 'freebsd14' is a factor tox sets by itself",
        id="suite-name-bsd-factor",
    ),
    # --- what workflows hold (when they are enabled)
    pytest.param(
        HTTPX + ENABLED + 'runs-on = "${{ matrix.os }}"\n',
        "workflows.runs-on: refusing to write '${{ matrix.os }}' into a workflow: " + EXPRESSION,
        id="expression-in-runs-on",
    ),
    pytest.param(
        HTTPX + ENABLED + "tox-requirement = \"tox; python_version == '${{ x }}'\"\n",
        "workflows.tox-requirement: refusing to write \"tox; python_version == '${{ x }}'\" "
        f"into a workflow: {EXPRESSION}",
        id="expression-in-a-requirement-marker",
    ),
    pytest.param(
        HTTPX + ENABLED + 'python-runs-on = { "3.12" = "${{ x }}" }\n',
        f"workflows.python-runs-on[\"3.12\"]: refusing to write '${{{{ x }}}}' into a "
        f"workflow: {EXPRESSION}",
        id="expression-in-python-runs-on",
    ),
    pytest.param(
        HTTPX + ENABLED + 'extra-envs = { "${{ x }}" = ["py3.12-lint"] }\n',
        f"workflows.extra-envs[\"${{{{ x }}}}\"]: refusing to write '${{{{ x }}}}' into a "
        f"workflow: {EXPRESSION}",
        id="expression-in-an-extra-envs-group",
    ),
    pytest.param(
        HTTPX + ENABLED + '[suites.httpx.services.db]\nimage = "postgres"\n'
        'env = { PASSWORD = "${{ secrets.PG }}" }\n',
        "suites.httpx.services.db.env.PASSWORD: refusing to write 'PASSWORD=${{ secrets.PG }}' "
        f"into a workflow: {EXPRESSION}",
        id="expression-in-service-env",
    ),
    pytest.param(
        HTTPX + ENABLED + '[suites.httpx.services.db]\nimage = "postgres:${{ github.head_ref }}"\n',
        "suites.httpx.services.db.image: refusing to write 'postgres:${{ github.head_ref }}' "
        f"into a workflow: {EXPRESSION}",
        id="expression-in-service-image",
    ),
    pytest.param(
        HTTPX + 'group = "!!"\n' + ENABLED,
        "suites.httpx.group: group '!!' has no letter or digit to name its workflow file",
        id="group-without-a-file-name",
    ),
    pytest.param(
        TOP + '[suites.httpx]\npackage = "httpx"\ngroup = "Web 1"\n'
        '[suites.requests]\npackage = "requests"\ngroup = "web-1"\n' + ENABLED,
        "suites.requests.group: groups 'Web 1' and 'web-1' would both be written to "
        "test-web-1.yml; rename one",
        id="groups-with-one-file-name",
    ),
    pytest.param(
        HTTPX + ENABLED + 'name-prefix = "ci-"\nextra-envs = { Default = ["py3.12-lint"] }\n',
        "workflows.extra-envs.Default: groups 'default' and 'Default' would both be written "
        "to ci-default.yml; rename one",
        id="extra-envs-group-with-the-file-name-of-a-suite-group",
    ),
    # --- hand-written envs (also in `matrix --format json`, so whether or not enabled)
    pytest.param(
        HTTPX + '[workflows]\nextra-envs = { G = ["lint"] }\n',
        "workflows.extra-envs.G[0]: 'lint' has no Python factor, so its Python is unknown; "
        "name the env with exactly one, like 'py3.12-lint'",
        id="extra-env-without-python-factor",
    ),
    pytest.param(
        HTTPX + '[workflows]\nextra-envs = { G = ["py3.12-py3.13-x"] }\n',
        "workflows.extra-envs.G[0]: 'py3.12-py3.13-x' has more than one Python factor, so its "
        "Python is unknown; name the env with exactly one, like 'py3.12-lint'",
        id="extra-env-with-two-python-factors",
    ),
    pytest.param(
        HTTPX + '[workflows]\nextra-envs = { G = ["ok-py3.12", "py3.99-x"] }\n',
        "workflows.extra-envs.G[1]: 'py3.99-x' names py3.99, which is not a known CPython",
        id="extra-env-unknown-python",
    ),
    pytest.param(
        HTTPX + '[workflows]\nextra-envs = { G = ["py3.12t-x"] }\n',
        "workflows.extra-envs.G[0]: 'py3.12t-x' names py3.12t, which is not a known CPython",
        id="extra-env-free-threaded-build-that-does-not-exist",
    ),
    pytest.param(
        HTTPX + '[workflows]\nextra-envs = { G = ["py3.12-x", "py3.12-x"] }\n',
        "workflows.extra-envs.G[1]: 'py3.12-x' is listed twice",
        id="extra-env-listed-twice",
    ),
    pytest.param(
        HTTPX + '[workflows]\nextra-envs = { G = ["py3.14t-httpx-v0.28.1"] }\n',
        "workflows.extra-envs.G[0]: 'py3.14t-httpx-v0.28.1' is an env compatrix generates; "
        "remove it",
        id="extra-env-named-like-a-pinned-env",
    ),
    pytest.param(
        HTTPX + '[workflows]\nextra-envs = { G = ["py3.12-httpx-latest"] }\n',
        "workflows.extra-envs.G[0]: 'py3.12-httpx-latest' is an env compatrix generates; remove it",
        id="extra-env-named-like-the-latest-env",
    ),
]


@pytest.mark.parametrize(("text", "problem"), PROBLEMS)
def test_problem(text: str, problem: str, config_problems: Callable[..., tuple[str, ...]]) -> None:
    (found,) = config_problems(text)
    assert found.startswith(problem)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HTTPX + '[workflows]\nruns-on = "${{ matrix.os }}"\n', id="expression"),
        pytest.param(HTTPX + 'group = "!!"\n', id="group-without-a-file-name"),
        pytest.param(
            HTTPX + 'setenv = { A = "${{ x }}" }\n' + ENABLED, id="expression-only-in-tox"
        ),
        pytest.param(
            HTTPX
            + 'latest-env = false\n[workflows]\nextra-envs = { G = ["py3.12-httpx-latest"] }\n',
            id="latest-named-env-of-a-suite-without-one",
        ),
        pytest.param(
            HTTPX
            + '[workflows]\nextra-envs = { G = ["py3.12-httpx-lint", "py3.12-httpx-v1-x"] }\n',
            id="extra-env-with-suite-factors",
        ),
    ],
)
def test_accepted_when_nothing_would_write_it(text: str, load_toml: Callable[..., Config]) -> None:
    # Without [workflows] enabled = true, nothing is written into a workflow.
    assert load_toml(text).suites


def test_every_problem_at_once(config_problems: Callable[..., tuple[str, ...]]) -> None:
    text = """\
python = ">=3.9"

[suites.httpx]
package = "httpx"
num-versions = 1
setenv = { A = 'C:\\' }

[suites.linux]
package = "x"

[workflows]
enabled = true
runs-on = "${{ x }}"
extra-envs = { G = ["lint"] }
"""
    assert config_problems(text) == (
        "suites.httpx.num-versions: must be an integer >= 2, got 1",
        (
            "suites.linux: the name part 'linux' is a factor tox sets by itself on some "
            "platforms (the OS or the machine architecture), so tox conditions could not tell "
            "this suite's envs apart; rename the suite"
        ),
        "suites.httpx.setenv.A: 'C:\\\\' ends with a backslash (a tox line continuation)",
        (
            "workflows.extra-envs.G[0]: 'lint' has no Python factor, so its Python is unknown; "
            "name the env with exactly one, like 'py3.12-lint'"
        ),
        f"workflows.runs-on: refusing to write '${{{{ x }}}}' into a workflow: {EXPRESSION}",
    )


def test_in_pyproject_paths_start_with_tool_compatrix(
    config_problems: Callable[..., tuple[str, ...]],
) -> None:
    text = (
        '[project]\nname = "sdk"\nrequires-python = ">=3.9"\n'
        '[tool.compatrix.suites.httpx]\npackage = "httpx"\ntest-path = "t\\\\"\n'
    )
    assert config_problems(text, name="pyproject.toml") == (
        (
            "tool.compatrix.suites.httpx.test-path: 't\\\\' ends with a backslash (a tox "
            "line continuation)"
        ),
    )
