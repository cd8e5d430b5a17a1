"""Every validation problem is reported with its path and an exact message, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement

from compatrix._config import config_from_dict, load_config
from compatrix._pythons import CPYTHON
from compatrix.errors import ConfigError

TOP = 'python = ">=3.9"\n'
HTTPX = TOP + '[suites.httpx]\npackage = "httpx"\n'
KNOWN = f"compatrix knows CPython {CPYTHON[0].version} to {CPYTHON[-1].version}"


def packaging_reason(text: str) -> str:
    """The first line of packaging's own explanation of an invalid requirement."""
    try:
        Requirement(text)
    except InvalidRequirement as exc:
        return str(exc).splitlines()[0]
    raise AssertionError(text)


PROBLEMS = [
    # --- types and ranges
    pytest.param(
        HTTPX + "num-versions = 1\n",
        "suites.httpx.num-versions: must be an integer from 2 to 1000, got 1",
        id="num-versions-below-2",
    ),
    pytest.param(
        HTTPX + "num-versions = 18446744073709551616\n",
        "suites.httpx.num-versions: must be an integer from 2 to 1000, got 18446744073709551616",
        id="num-versions-beyond-64-bits",
    ),
    pytest.param(
        HTTPX + "x = " + "[" * 2000 + "]" * 2000 + "\n",
        "invalid TOML: nested too deeply",
        id="toml-array-nested-2000-deep",
    ),
    pytest.param(
        HTTPX + 'num-versions = "4"\n',
        "suites.httpx.num-versions: expected an integer from 2 to 1000, got a string ('4')",
        id="num-versions-string",
    ),
    pytest.param(
        HTTPX + "num-versions = true\n",
        "suites.httpx.num-versions: expected an integer from 2 to 1000, got a boolean (true)",
        id="num-versions-boolean-is-not-an-integer",
    ),
    pytest.param(
        HTTPX + 'prereleases = "yes"\n',
        "suites.httpx.prereleases: expected a boolean (true or false), got a string ('yes')",
        id="boolean-string",
    ),
    pytest.param(
        HTTPX + "cooldown = -1\n",
        "suites.httpx.cooldown: must be an integer >= 0 (days), got -1",
        id="cooldown-negative",
    ),
    pytest.param(
        TOP + "[defaults]\nprerelease-max-age = 0\n",
        "defaults.prerelease-max-age: must be an integer >= 1 (days), got 0",
        id="prerelease-max-age-zero",
    ),
    pytest.param(
        TOP + "[defaults]\ncooldown = 1.5\n",
        "defaults.cooldown: expected an integer >= 0 (days), got a float (1.5)",
        id="cooldown-float",
    ),
    pytest.param(
        TOP + '[defaults]\npython-policy = "sprea"\n',
        "defaults.python-policy: must be one of 'spread', 'all', 'oldest-newest', 'newest', "
        "got 'sprea'; did you mean 'spread'?",
        id="choice-did-you-mean",
    ),
    pytest.param(
        TOP + '[defaults]\ngroup = ""\n',
        "defaults.group: must not be empty",
        id="group-empty",
    ),
    pytest.param(
        HTTPX + 'test-path = "tests/a\\nb"\n',
        "suites.httpx.test-path: must be one line without control characters, got 'tests/a\\nb'",
        id="string-with-newline",
    ),
    pytest.param(
        HTTPX + 'test-path = "tests/a\u2028b"\n',
        "suites.httpx.test-path: must be one line without control characters, got "
        "'tests/a\\u2028b'",
        id="string-with-unicode-line-separator",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"*" = ["pytest\u0085"]\n',
        "suites.httpx.deps[\"*\"][0]: invalid requirement 'pytest\\x85': must be one line "
        "without control characters",
        id="requirement-with-next-line",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"*\u2028" = ["x"]\n',
        'suites.httpx.deps["*\\u2028"]: invalid key: must be one line without control characters',
        id="rule-key-with-line-separator",
    ),
    pytest.param(
        TOP + "[index]\njobs = 0\n",
        "index.jobs: must be an integer >= 1, got 0",
        id="index-jobs-zero",
    ),
    pytest.param(
        TOP + "[index]\ntimeout = 0\n",
        "index.timeout: must be a finite number > 0 (seconds), got 0",
        id="index-timeout-zero",
    ),
    pytest.param(
        TOP + "[index]\ntimeout = nan\n",
        "index.timeout: must be a finite number > 0 (seconds), got nan",
        id="index-timeout-nan",
    ),
    pytest.param(
        TOP + '[index]\ntimeout = "30"\n',
        "index.timeout: expected a number > 0 (seconds), got a string ('30')",
        id="index-timeout-string",
    ),
    pytest.param(
        TOP + "[index]\nretries = -1\n",
        "index.retries: must be an integer >= 0, got -1",
        id="index-retries-negative",
    ),
    pytest.param(
        TOP + "index = 3\n",
        "index: expected a table, got an integer (3)",
        id="section-not-a-table",
    ),
    pytest.param(
        TOP + 'suites = ["httpx"]\n',
        "suites: expected a table of suites, got an array",
        id="suites-not-a-table",
    ),
    pytest.param(
        TOP + 'suites.httpx = "httpx"\n',
        "suites.httpx: expected a table, got a string ('httpx')",
        id="suite-not-a-table",
    ),
    pytest.param(
        TOP + 'index-url = "ftp://user:s3cret@mirror.example/simple/"\n',
        "index-url: must be an http:// or https:// URL, got 'ftp://***@mirror.example/simple/'",
        id="index-url-scheme-credentials-hidden",
    ),
    pytest.param(
        TOP + 'index-url = "https://[::1/simple/"\n',
        "index-url: must be an http:// or https:// URL, got 'https://[::1/simple/'",
        id="index-url-unparsable",
    ),
    pytest.param(
        TOP + 'index-url = "https://user:s3cret@[::1/simple/"\n',
        "index-url: must be an http:// or https:// URL, got '<unparseable URL>'",
        id="index-url-unparsable-credentials-hidden",
    ),
    pytest.param(
        TOP + 'index-url = "https:///simple/"\n',
        "index-url: must be an http:// or https:// URL, got 'https:///simple/'",
        id="index-url-without-host",
    ),
    pytest.param(
        TOP + 'allow-builds = ["coverage", "coverage==7.3.1"]\n',
        "allow-builds[1]: must be a package name (like 'coverage'), got 'coverage==7.3.1'",
        id="allow-builds-with-a-specifier",
    ),
    pytest.param(
        TOP + 'allow-builds = "coverage"\n',
        "allow-builds: expected an array of package names, got a string ('coverage')",
        id="allow-builds-not-an-array",
    ),
    pytest.param(
        TOP + "lock = 3\n",
        "lock: expected a path (a string), got an integer (3)",
        id="lock-not-a-string",
    ),
    pytest.param(
        TOP + '[tox]\nfile = ""\n',
        "tox.file: must not be empty",
        id="tox-file-empty",
    ),
    pytest.param(
        TOP + '[tox]\ntest-path-variable = "TEST-PATH"\n',
        "tox.test-path-variable: must be an identifier (letters, digits and '_', not starting "
        "with a digit), got 'TEST-PATH'",
        id="tox-test-path-variable",
    ),
    pytest.param(
        TOP + '[workflows]\njobs-per = "job"\n',
        "workflows.jobs-per: must be one of 'python', 'suite', 'env', got 'job'",
        id="workflows-jobs-per-no-suggestion",
    ),
    pytest.param(
        TOP + "[workflows]\nmax-jobs = 257\n",
        "workflows.max-jobs: must be an integer from 1 to 256, got 257",
        id="workflows-max-jobs-above-256",
    ),
    pytest.param(
        TOP + '[workflows]\nname-prefix = "ci/test-"\n',
        "workflows.name-prefix: must be a file name prefix (letters, digits, '.', '_' and '-'), "
        "got 'ci/test-'",
        id="workflows-name-prefix-path",
    ),
    pytest.param(
        TOP + '[workflows]\nactions = { checkout = "v5" }\n',
        "workflows.actions.checkout: must be an action reference (like "
        "'actions/checkout@<sha> # v5.0.0'), got 'v5'",
        id="workflows-action-reference",
    ),
    pytest.param(
        TOP + '[workflows]\ntox-requirement = "nox>=2024"\n',
        "workflows.tox-requirement: must be a requirement on tox, got 'nox>=2024'",
        id="workflows-tox-requirement-other-project",
    ),
    pytest.param(
        TOP + '[workflows]\nextra-envs = { Common = "py3.12-common" }\n',
        "workflows.extra-envs.Common: expected an array of tox env names, got a string "
        "('py3.12-common')",
        id="workflows-extra-envs-not-an-array",
    ),
    pytest.param(
        TOP + '[workflows]\nextra-envs = { Common = ["{py3.8,py3.9}-common"] }\n',
        "workflows.extra-envs.Common[0]: must be a tox env name (letters, digits, '.', '_' and "
        "'-'), got '{py3.8,py3.9}-common'",
        id="workflows-extra-envs-factor-expression",
    ),
    pytest.param(
        TOP + '[workflows]\nbranches = ["main branch"]\n',
        "workflows.branches[0]: must be a branch name or pattern (letters, digits and "
        "'._/*+!-'), got 'main branch'",
        id="workflows-branches-space",
    ),
    pytest.param(
        TOP + '[workflows]\npython-runs-on = { "py3.7" = "ubuntu-22.04" }\n',
        "workflows.python-runs-on[\"py3.7\"]: invalid key: must be a Python (like '3.7' or "
        "'3.14t')",
        id="workflows-python-runs-on-key",
    ),
    pytest.param(
        TOP + '[workflows]\npython-container = { "3.6" = "" }\n',
        'workflows.python-container["3.6"]: must not be empty',
        id="workflows-python-container-empty",
    ),
    pytest.param(
        TOP + '[workflows]\ntox-python = "3.13t"\n',
        "workflows.tox-python: must be a Python feature version (like '3.13'), got '3.13t'",
        id="workflows-tox-python-free-threaded",
    ),
    pytest.param(
        TOP + '[workflows]\ncontainer-tox-requirement = "pip"\n',
        "workflows.container-tox-requirement: must be a requirement on tox, got 'pip'",
        id="workflows-container-tox-requirement-other-project",
    ),
    # --- unknown keys
    pytest.param(
        HTTPX + 'min_version = "0.16"\n',
        "suites.httpx.min_version: unknown key; did you mean 'min-version'?",
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        TOP + '[suite.httpx]\npackage = "httpx"\n',
        "suite: unknown key; did you mean 'suites'?",
        id="table-name-typo",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.dep]\n"*" = ["pytest"]\n',
        "suites.httpx.dep: unknown key; did you mean 'deps'?",
        id="sub-table-name-typo",
    ),
    pytest.param(
        TOP + "[defualts]\ncooldown = 1\n",
        "defualts: unknown key; did you mean 'defaults'?",
        id="section-name-typo",
    ),
    pytest.param(
        TOP + "num-versions = 3\n",
        "num-versions: unknown key; 'num-versions' is a key of [defaults] and [suites.NAME]",
        id="policy-at-top-level",
    ),
    pytest.param(
        HTTPX + "jobs = 3\n",
        "suites.httpx.jobs: unknown key; 'jobs' is a key of [index]",
        id="index-key-in-suite",
    ),
    pytest.param(
        TOP + '[defaults]\nmin-version = "1.0"\n',
        "defaults.min-version: unknown key; 'min-version' is a key of [suites.NAME]",
        id="suite-only-key-in-defaults",
    ),
    pytest.param(
        HTTPX + 'colour = "blue"\n',
        "suites.httpx.colour: unknown key",
        id="unknown-key-without-suggestion",
    ),
    # --- package, versions
    pytest.param(
        TOP + '[suites.httpx]\nmin-version = "0.16"\n',
        "suites.httpx: missing required key 'package'",
        id="package-missing",
    ),
    pytest.param(
        TOP + '[suites.httpx]\npackage = "httpx>=0.16"\n',
        "suites.httpx.package: must be a name with optional extras, but 'httpx>=0.16' has a "
        "version specifier: choose versions with min-version or include",
        id="package-with-specifier",
    ),
    pytest.param(
        TOP + "[suites.httpx]\npackage = \"httpx; python_version >= '3.9'\"\n",
        'suites.httpx.package: must be a name with optional extras, but "httpx; python_version '
        ">= '3.9'\" has an environment marker: restrict Pythons with python",
        id="package-with-marker",
    ),
    pytest.param(
        TOP + '[suites.httpx]\npackage = "httpx @ https://example.org/httpx.whl"\n',
        "suites.httpx.package: must be a name with optional extras, but 'httpx @ "
        "https://example.org/httpx.whl' has a URL: choose versions with min-version or include",
        id="package-with-url",
    ),
    pytest.param(
        TOP + '[suites.gql]\npackage = "gql[all"\n',
        "suites.gql.package: invalid requirement 'gql[all': " + packaging_reason("gql[all"),
        id="package-invalid",
    ),
    pytest.param(
        HTTPX + 'min-version = "0.16x"\n',
        "suites.httpx.min-version: invalid version '0.16x'",
        id="min-version-invalid",
    ),
    pytest.param(
        HTTPX + 'include = "0.28"\n',
        "suites.httpx.include: invalid specifier '0.28' (a version needs an operator: '==0.28' "
        "or '>=0.28')",
        id="include-bare-version",
    ),
    pytest.param(
        HTTPX + 'include = " "\n',
        "suites.httpx.include: must not be empty",
        id="include-empty",
    ),
    pytest.param(
        HTTPX + 'exclude = { "latest" = "no" }\n',
        "suites.httpx.exclude.latest: invalid key: expected a version ('2.0.0') or a specifier "
        "('>=2,<2.1')",
        id="exclude-key-invalid",
    ),
    pytest.param(
        HTTPX + 'exclude = { "2.0" = "" }\n',
        'suites.httpx.exclude["2.0"]: must not be empty',
        id="exclude-reason-empty",
    ),
    pytest.param(
        HTTPX + 'exclude = ["2.0"]\n',
        "suites.httpx.exclude: expected a table of version or specifier to reason (like "
        '{ "2.0.0" = "broken" }), got an array',
        id="exclude-not-a-table",
    ),
    # --- python restriction
    pytest.param(
        HTTPX + "python = 3.9\n",
        "suites.httpx.python: expected a Python specifier (like '>=3.9') or a table of "
        'package-version specifier to Python specifier (like { ">=2.0" = ">=3.9" }), got a '
        "float (3.9)",
        id="suite-python-float",
    ),
    pytest.param(
        HTTPX + 'python = "3.9"\n',
        "suites.httpx.python: invalid specifier '3.9' (a version needs an operator: '==3.9' or "
        "'>=3.9')",
        id="suite-python-bare-version",
    ),
    pytest.param(
        HTTPX + 'python = { "0.28" = ">=3.9" }\n',
        "suites.httpx.python[\"0.28\"]: invalid key: invalid specifier '0.28' (a version needs "
        "an operator: '==0.28' or '>=0.28')",
        id="suite-python-table-key",
    ),
    pytest.param(
        HTTPX + 'python = { ">=0.28" = 3.9 }\n',
        "suites.httpx.python[\">=0.28\"]: expected a Python specifier string (like '>=3.9'), "
        "got a float (3.9)",
        id="suite-python-table-value",
    ),
    # --- deps
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n">=0.28" = ["pytest-httpx==0.35", "pytest-httpx=0.35"]\n',
        "suites.httpx.deps[\">=0.28\"][1]: invalid requirement 'pytest-httpx=0.35': "
        + packaging_reason("pytest-httpx=0.35"),
        id="deps-invalid-requirement",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"*" = "pytest"\n',
        'suites.httpx.deps["*"]: expected an array of requirement strings, got a string '
        "('pytest')",
        id="deps-value-not-an-array",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"*" = [1]\n',
        "suites.httpx.deps[\"*\"][0]: expected a requirement string (like 'pytest>=8'), got an "
        "integer (1)",
        id="deps-requirement-not-a-string",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"0.28" = ["x"]\n',
        "suites.httpx.deps[\"0.28\"]: invalid rule key: invalid specifier '0.28' (a version "
        "needs an operator: '==0.28' or '>=0.28')",
        id="deps-rule-bare-version",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"py3" = ["x"]\n',
        "suites.httpx.deps.py3: invalid rule key: unknown Python 'py3' (expected py3.X or "
        "py3.Xt, like py3.12 or py3.14t)",
        id="deps-rule-python-without-minor",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"pypy3.10" = ["x"]\n',
        "suites.httpx.deps[\"pypy3.10\"]: invalid rule key: unknown Python 'pypy3.10' (expected "
        "py3.X or py3.Xt, like py3.12 or py3.14t)",
        id="deps-rule-pypy",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"py3.8,3.9" = ["x"]\n',
        "suites.httpx.deps[\"py3.8,3.9\"]: invalid rule key: unknown Python '3.9' (expected "
        "py3.X or py3.Xt, like py3.12 or py3.14t)",
        id="deps-rule-python-without-py",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"py3.99" = ["x"]\n',
        f"suites.httpx.deps[\"py3.99\"]: invalid rule key: unknown Python 'py3.99' ({KNOWN})",
        id="deps-rule-python-not-in-table",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"py3.12t" = ["x"]\n',
        'suites.httpx.deps["py3.12t"]: invalid rule key: CPython 3.12 has no free-threaded '
        "build ('py3.12t')",
        id="deps-rule-free-threaded-without-build",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n">=4.0;" = ["x"]\n',
        "suites.httpx.deps[\">=4.0;\"]: invalid rule key: expected '*', a version specifier "
        "('>=1.0,<2'), Pythons ('py3.8,py3.9') or both ('>=1.0,<2; py3.8')",
        id="deps-rule-both-without-pythons",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.deps]\n"" = ["x"]\n',
        "suites.httpx.deps[\"\"]: invalid rule key: expected '*', a version specifier "
        "('>=1.0,<2'), Pythons ('py3.8,py3.9') or both ('>=1.0,<2; py3.8')",
        id="deps-rule-empty",
    ),
    # --- suite names
    pytest.param(
        TOP + '[suites.HTTPX]\npackage = "httpx"\n',
        "suites.HTTPX: invalid suite name: use lowercase letters, digits and '_', in parts "
        "joined by '-' (like 'openai-base')",
        id="suite-name-uppercase",
    ),
    pytest.param(
        TOP + '[suites."httpx.v2"]\npackage = "httpx"\n',
        "suites[\"httpx.v2\"]: invalid suite name: use lowercase letters, digits and '_', in "
        "parts joined by '-' (like 'openai-base')",
        id="suite-name-dot",
    ),
    pytest.param(
        TOP + '[suites.httpx-py312]\npackage = "httpx"\n',
        "suites.httpx-py312: invalid suite name: 'py312' would read as an interpreter factor "
        "in env names",
        id="suite-name-python-factor",
    ),
    pytest.param(
        TOP + '[suites.py3-compat]\npackage = "six"\n',
        "suites.py3-compat: invalid suite name: 'py3' would read as an interpreter factor in "
        "env names",
        id="suite-name-py3",
    ),
    pytest.param(
        TOP + '[suites.pypy]\npackage = "x"\n',
        "suites.pypy: invalid suite name: 'pypy' would read as an interpreter factor in env names",
        id="suite-name-pypy",
    ),
    pytest.param(
        TOP + '[suites.httpx-v1]\npackage = "httpx"\n',
        "suites.httpx-v1: invalid suite name: 'v1' would read as a version factor in env names",
        id="suite-name-version-factor",
    ),
    pytest.param(
        TOP + '[suites.httpx-latest]\npackage = "httpx"\n',
        "suites.httpx-latest: invalid suite name: 'latest' is the factor of the -latest env",
        id="suite-name-latest",
    ),
    pytest.param(
        TOP + '[suites.redis-redis]\npackage = "redis"\n',
        "suites.redis-redis: invalid suite name: repeats the factor 'redis'",
        id="suite-name-repeated-factor",
    ),
    pytest.param(
        TOP + '[suites.openai]\npackage = "openai"\n[suites.openai-base]\npackage = "openai"\n',
        "suites.openai: every factor of 'openai' is also a factor of 'openai-base', so tox "
        "conditions on 'openai' would also match the envs of 'openai-base'; rename one",
        id="suite-factors-subset",
    ),
    pytest.param(
        TOP + '[suites.base-openai]\npackage = "openai"\n[suites.openai]\npackage = "openai"\n',
        "suites.openai: every factor of 'openai' is also a factor of 'base-openai', so tox "
        "conditions on 'openai' would also match the envs of 'base-openai'; rename one",
        id="suite-factors-superset-first",
    ),
    pytest.param(
        TOP + '[suites.a-b]\npackage = "a"\n[suites.b-a]\npackage = "a"\n',
        "suites.b-a: has the same factors as suite 'a-b'; rename one",
        id="suite-factors-equal",
    ),
    # --- services, setenv, passenv
    pytest.param(
        HTTPX + '[suites.httpx.services.db]\nports = ["5432"]\n',
        "suites.httpx.services.db: missing required key 'image'",
        id="service-image-missing",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.services.db]\nimage = "postgres"\nports = [5432]\n',
        "suites.httpx.services.db.ports[0]: expected a port mapping (like '6379' or "
        "'5432:5432'), got an integer (5432)",
        id="service-port-integer",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.services.db]\nimage = "postgres"\nhealth-interval = "10"\n',
        "suites.httpx.services.db.health-interval: must be a duration (like '10s', '1m30s' or "
        "'500ms'), got '10'",
        id="service-duration-without-unit",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.services.db]\nimage = "postgres"\nhealth-retries = 0\n',
        "suites.httpx.services.db.health-retries: must be an integer >= 1, got 0",
        id="service-health-retries-zero",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.services.db]\nimage = "postgres"\nenv = { PORT = 5432 }\n',
        "suites.httpx.services.db.env.PORT: expected a string, got an integer (5432)",
        id="service-env-value-integer",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.services."2db"]\nimage = "postgres"\n',
        "suites.httpx.services.2db: invalid key: must be a service name (letters, digits, '_' "
        "and '-', starting with a letter or '_')",
        id="service-name",
    ),
    pytest.param(
        HTTPX + '[suites.httpx.services.db]\nimage = "postgres"\nport = ["1"]\n',
        "suites.httpx.services.db.port: unknown key; did you mean 'ports'?",
        id="service-unknown-key",
    ),
    pytest.param(
        HTTPX + 'setenv = { "MY-VAR" = "1" }\n',
        "suites.httpx.setenv.MY-VAR: invalid key: must be an environment variable name "
        "(letters, digits and '_', not starting with a digit)",
        id="setenv-key",
    ),
    pytest.param(
        HTTPX + 'passenv = ["HOME DIR"]\n',
        "suites.httpx.passenv[0]: must be an environment variable name, '*' allowed, got "
        "'HOME DIR'",
        id="passenv-item",
    ),
    # --- the project's Pythons
    pytest.param(
        'python = "3.9"\n',
        "python: invalid specifier '3.9' (a version needs an operator: '==3.9' or '>=3.9')",
        id="python-bare-version",
    ),
    pytest.param(
        "python = 3.9\n",
        "python: expected a Python specifier (like '>=3.9') or an array of Pythons (like "
        "['3.9', '3.10']), got a float (3.9)",
        id="python-float",
    ),
    pytest.param("python = []\n", "python: must not be empty", id="python-empty-list"),
    pytest.param(
        'python = ["3.9", "py3.10"]\n',
        "python[1]: invalid Python 'py3.10' (expected 3.X, like '3.12')",
        id="python-list-factor-form",
    ),
    pytest.param(
        'python = ["3.13", "3.14t"]\n',
        "python[1]: '3.14t' is a free-threaded build: list free-threaded Pythons in free-threaded",
        id="python-list-free-threaded",
    ),
    pytest.param(
        'python = ["2.7", "3.9"]\n',
        f"python[0]: unknown Python '2.7' ({KNOWN})",
        id="python-list-unknown",
    ),
    pytest.param(
        'python = ["3.9", "3.9"]\n',
        "python[1]: '3.9' is listed twice",
        id="python-list-duplicate",
    ),
    pytest.param(
        "python = [3.9]\n",
        "python[0]: expected a Python (like '3.12'), got a float (3.9)",
        id="python-list-float",
    ),
    pytest.param(
        'python = ">=4"\n',
        f"python: '>=4' admits no Python compatrix knows (CPython {CPYTHON[0].version} to "
        f"{CPYTHON[-1].version})",
        id="python-admits-nothing",
    ),
    pytest.param(
        TOP + 'free-threaded = ["3.12"]\n',
        "free-threaded[0]: CPython 3.12 has no free-threaded build",
        id="free-threaded-without-build",
    ),
    pytest.param(
        'python = ["3.12", "3.13"]\nfree-threaded = ["3.14"]\n',
        "free-threaded: 3.14 is not in the project's Python range",
        id="free-threaded-outside-listed-range",
    ),
    pytest.param(
        'python = "<3.14"\nfree-threaded = ["3.14"]\n',
        "free-threaded: 3.14 is not in the project's Python range",
        id="free-threaded-outside-specifier",
    ),
    pytest.param(
        TOP + 'free-threaded = "3.14"\n',
        "free-threaded: expected a boolean or an array of Pythons (like ['3.14']), got a "
        "string ('3.14')",
        id="free-threaded-string",
    ),
]


@pytest.mark.parametrize(("text", "problem"), PROBLEMS)
def test_problem(text: str, problem: str, config_problems: Callable[..., tuple[str, ...]]) -> None:
    assert config_problems(text) == (problem,)


def test_every_problem_at_once(config_problems: Callable[..., tuple[str, ...]]) -> None:
    text = """\
python = ">=3.9"
lock = 3

[index]
jobs = 0

[suites.httpx]
package = "httpx"
min_version = "0.16"
num-versions = 1

[suites.httpx.deps]
">=0.28" = ["pytest-httpx==0.35", "pytest-httpx=0.35"]
"py3" = ["tokenizers"]

[suites.redis]
"""
    assert config_problems(text) == (
        "lock: expected a path (a string), got an integer (3)",
        "index.jobs: must be an integer >= 1, got 0",
        "suites.httpx.min_version: unknown key; did you mean 'min-version'?",
        "suites.httpx.num-versions: must be an integer from 2 to 1000, got 1",
        "suites.httpx.deps[\">=0.28\"][1]: invalid requirement 'pytest-httpx=0.35': "
        + packaging_reason("pytest-httpx=0.35"),
        (
            "suites.httpx.deps.py3: invalid rule key: unknown Python 'py3' (expected py3.X or "
            "py3.Xt, like py3.12 or py3.14t)"
        ),
        "suites.redis: missing required key 'package'",
    )


def test_message_names_the_file_and_counts(tmp_path: Path) -> None:
    (tmp_path / "compatrix.toml").write_text(
        'python = ">=3.9"\n[suites.httpx]\npackage = "httpx"\nnum-versions = 1\ncooldown = -1\n'
    )
    with pytest.raises(ConfigError) as info:
        config_from_dict(
            {"python": ">=3.9", "suites": {"httpx": {"package": "httpx", "num-versions": 1}}},
            path=tmp_path / "compatrix.toml",
        )
    assert str(info.value) == (
        f"invalid configuration in {tmp_path / 'compatrix.toml'}: "
        "suites.httpx.num-versions: must be an integer from 2 to 1000, got 1"
    )
    assert info.value.exit_code == 2


def test_pyproject_paths_start_with_tool_compatrix(
    config_problems: Callable[..., tuple[str, ...]],
) -> None:
    text = """\
[project]
name = "sdk"
requires-python = ">=3.9"

[tool.compatrix.suites.httpx]
package = "httpx"
num-versions = 1

[tool.compatrix.suites.httpx.deps]
">=0.28" = ["pytest-httpx=0.35"]

[tool.compatrix.defualts]
"""
    assert config_problems(text, name="pyproject.toml") == (
        "tool.compatrix.suites.httpx.num-versions: must be an integer from 2 to 1000, got 1",
        'tool.compatrix.suites.httpx.deps[">=0.28"][0]: invalid requirement '
        "'pytest-httpx=0.35': " + packaging_reason("pytest-httpx=0.35"),
        "tool.compatrix.defualts: unknown key; did you mean 'defaults'?",
    )


def test_tool_compatrix_not_a_table(config_problems: Callable[..., tuple[str, ...]]) -> None:
    text = '[project]\nname = "sdk"\n[tool]\ncompatrix = "yes"\n'
    assert config_problems(text, name="pyproject.toml") == (
        "tool.compatrix: expected a table, got a string ('yes')",
    )


@pytest.mark.parametrize(
    ("text", "key", "target"),
    [
        pytest.param('lock = "../compatrix.lock"\n', "lock", "../compatrix.lock", id="lock"),
        pytest.param('[tox]\nfile = "/etc/tox.ini"\n', "tox.file", "/etc/tox.ini", id="tox-file"),
        pytest.param(
            '[workflows]\ndirectory = "ci/../../.github"\n',
            "workflows.directory",
            "ci/../../.github",
            id="workflows-directory",
        ),
    ],
)
def test_outputs_outside_the_project_are_refused(
    tmp_path: Path, text: str, key: str, target: str
) -> None:
    (tmp_path / "compatrix.toml").write_text(TOP + text + '[suites.httpx]\npackage = "httpx"\n')
    with pytest.raises(ConfigError) as info:
        load_config(directory=tmp_path)
    problem = (
        f"{key}: {tmp_path / target} is outside the project ({tmp_path}): compatrix writes "
        "only in the directory of its config and below"
    )
    assert info.value.problems == (problem,)


def test_outputs_in_subdirectories_are_fine(tmp_path: Path) -> None:
    (tmp_path / "compatrix.toml").write_text(
        TOP + 'lock = "ci/../ci/compatrix.lock"\n[tox]\nfile = "sub/tox.ini"\n'
        '[suites.httpx]\npackage = "httpx"\n'
    )
    config = load_config(directory=tmp_path)
    assert config.lock_path == tmp_path / "ci/../ci/compatrix.lock"
    assert config.tox.file == tmp_path / "sub/tox.ini"
