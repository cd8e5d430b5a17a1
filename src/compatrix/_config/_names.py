"""Suite names: they are tox factors in every env name, so they follow tox's rules.

An env is named ``py3.12-SUITE-v1.2.3``; tox splits the name on ``-`` into factors and
matches conditions (``SUITE: ...``) against them. A suite name must therefore read as
neither a Python, a version nor ``latest``, must not be a factor tox adds by itself (the
platform), and no suite's factors may be a subset of another's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from packaging.version import InvalidVersion, Version

__all__ = ["SUITE_NAME_PATTERN", "factor_conflicts", "is_version_factor", "suite_name_problems"]

SUITE_NAME_PATTERN = r"[a-z0-9][a-z0-9_]*(-[a-z0-9_]+)*"
# tox's own pattern of interpreter factors (tox.tox_env.python.api.PY_FACTORS_RE).
_INTERPRETER_FACTOR = re.compile(
    r"(?!py$)(py|pypy|cpython|jython|graalpy|rustpython|ironpython)([2-9]\.?[0-9]?[0-9]?t?d?)?"
)

# tox adds the platform (sys.platform) and the machine's instruction set to every env's
# factors, so a suite name part equal to one of them would make conditions match envs of
# other suites on that platform.
_OS_FACTORS = "aix android cygwin darwin emscripten ios linux msys wasi win32"  # sys.platform
_MACHINE_FACTORS = (
    "aarch64 amd64 arm64 armv6l armv7l fat fat3 fat64 i386 i486 i586 i686 intel loongarch64 "
    "powerpc powerpc64 powerpc64le ppc ppc64 ppc64le riscv64 s390x sparc64 sparcv9 universal "
    "universal2 x86 x86_64"
)
_PLATFORM_FACTORS = frozenset(_OS_FACTORS.split() + _MACHINE_FACTORS.split())
_BSD_PLATFORM = re.compile(r"(?:freebsd|openbsd|netbsd|dragonfly|sunos)\d*")


def is_version_factor(part: str) -> bool:
    """Whether ``part`` reads as the version factor of an env name (``v1.2.3``)."""
    if not (part.startswith("v") and part[1:2].isdigit()):
        return False
    try:
        Version(part[1:])
    except InvalidVersion:
        return False
    return True


def suite_name_problems(name: str) -> list[str]:
    """Why ``name`` cannot name a suite (it is used as tox factors in env names)."""
    if not re.fullmatch(SUITE_NAME_PATTERN, name):
        return [
            (
                "invalid suite name: use lowercase letters, digits and '_', in parts joined "
                "by '-' (like 'openai-base')"
            )
        ]
    problems = []
    parts = name.split("-")
    for part in parts:
        if _INTERPRETER_FACTOR.fullmatch(part):
            problems.append(
                f"invalid suite name: {part!r} would read as an interpreter factor in env names"
            )
        elif is_version_factor(part):
            problems.append(
                f"invalid suite name: {part!r} would read as a version factor in env names"
            )
        elif part == "latest":
            problems.append("invalid suite name: 'latest' is the factor of the -latest env")
    repeated = sorted({part for part in parts if parts.count(part) > 1})
    if repeated:
        problems.append(f"invalid suite name: repeats the factor {repeated[0]!r}")
    platform = next(
        (part for part in parts if part in _PLATFORM_FACTORS or _BSD_PLATFORM.fullmatch(part)),
        None,
    )
    if platform is not None:
        problems.append(
            f"the name part {platform!r} is a factor tox sets by itself on some platforms (the "
            "OS or the machine architecture), so tox conditions could not tell this suite's "
            "envs apart; rename the suite"
        )
    return problems


def factor_conflicts(names: Sequence[str]) -> list[tuple[str, str]]:
    """(suite, message) for suites whose factors are a subset of another suite's factors.

    tox conditions name a suite by its factors (``openai: ...``); they would also match the
    envs of a suite with a superset of factors (``openai-base``).
    """
    conflicts = []
    for index, name in enumerate(names):
        factors = set(name.split("-"))
        for other in names[index + 1 :]:
            other_factors = set(other.split("-"))
            if factors == other_factors:
                conflicts.append((other, f"has the same factors as suite {name!r}; rename one"))
            elif factors < other_factors or other_factors < factors:
                small, big = (name, other) if factors < other_factors else (other, name)
                conflicts.append(
                    (
                        small,
                        (
                            f"every factor of {small!r} is also a factor of {big!r}, so tox "
                            f"conditions on {small!r} would also match the envs of {big!r}; "
                            "rename one"
                        ),
                    )
                )
    return conflicts
