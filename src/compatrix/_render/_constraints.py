"""The constraint file of each pinned env: its pins, from the lock's record.

One file per pinned env, ``{constraints}/{env_name}.txt``, generated whole. The tox
configuration points every install of a pinned env at its file through one line per
suite (``UV_CONSTRAINT`` and ``PIP_CONSTRAINT`` in ``set_env``, with ``{env_name}``), so
tox reads one line per suite, not one per pin, and a pin that changes is one changed line
in one file. A ``-pinned_latest`` env reads its own file too, with the pins of the latest
pick's env on its Python (a missing file would fail every install: uv and pip refuse a
constraint file that does not exist). A file left from an env no longer generated is
removed (it starts with the generated header, as the workflows do: :mod:`._outputs` finds
them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from compatrix._config import Config
from compatrix._lock import EnvResolution
from compatrix._render._regions import GENERATED_HEADER
from compatrix._selection import Env, Matrix, env_name, version_factor

__all__ = ["constraint_files", "constraints_reference"]


def _pinned(env: Env, config: Config) -> bool:
    """Does ``env`` read a constraint file (a picked version, in a suite with pins)?"""
    if env.version is None:
        return False
    suite = config.suite(env.suite)
    return suite is not None and suite.policy.pins != "off"


def constraints_reference(config: Config) -> str:
    """The constraint file of the env tox runs, as tox substitutes it
    (``{toxinidir}/constraints/{env_name}.txt``)."""
    directory = config.root / config.tox.constraints  # already absolute once loaded
    relative = os.path.relpath(directory, (config.root / config.tox.file).parent)
    return f"{{toxinidir}}/{PurePosixPath(Path(relative).as_posix())}/{{env_name}}.txt"


def _text(env: Env, record: EnvResolution | None, *, alias_of: str | None = None) -> str:
    title = env.name if alias_of is None else f"{env.name}: {alias_of}"
    lines = [GENERATED_HEADER, f"# {title}"]
    if record is None or record.status != "ok":
        lines.append("# not resolved yet: run `compatrix update`")
    else:
        day = record.cut.isoformat() if record.cut else "today"
        lines.append(f"# the index as of {day}: {record.why}")
        lines.extend(record.pins)
    return "\n".join(lines) + "\n"


def constraint_files(
    config: Config, matrix: Matrix, resolutions: Mapping[str, EnvResolution]
) -> dict[Path, str]:
    """Path -> text of each pinned env's constraint file (``-pinned_latest`` envs too)."""
    directory = config.root / config.tox.constraints
    files = {
        directory / f"{env.name}.txt": _text(env, resolutions.get(env.name))
        for env in matrix.envs
        if _pinned(env, config)
    }
    for suite_matrix in matrix.suites:
        for alias in suite_matrix.aliases:
            if _pinned(alias, config):
                pick = _pick_env_name(alias)
                files[directory / f"{alias.name}.txt"] = _text(
                    alias, resolutions.get(pick), alias_of=f"the pins of {pick}"
                )
    return files


def _pick_env_name(alias: Env) -> str:
    """The env of the pick a ``-pinned_latest`` env stands for (same Python, same rules)."""
    assert alias.version is not None
    return env_name(alias.python, alias.suite, version_factor(alias.version))
