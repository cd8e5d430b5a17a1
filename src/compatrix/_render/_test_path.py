"""Does the user's tox configuration read the test path compatrix sets?

compatrix renders a suite's ``test-path`` as a variable in ``set_env`` (``TESTPATH``, or
``[tox] test-path-variable``). Only the user's ``commands`` (outside compatrix's regions)
can read it; when they do not, every env of the suite runs the whole test suite, and
``check`` would still call the files current. docs/tox.md, "Reading the test path".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compatrix._config import Config
from compatrix._toml import tomllib

__all__ = ["unread_test_path"]


def _reads(text: str, variable: str) -> bool:
    """``{env:VAR}``, ``{env:VAR:default}``, or a shell's ``$VAR`` / ``${VAR}``."""
    name = re.escape(variable)
    return re.search(rf"\{{env:{name}[:}}]|\$\{{?{name}\b", text) is not None


def _ini_value(text: str, wanted: str, key_wanted: str) -> str | None:
    """The value of a key in a section (continuation lines included), or None when the
    section or the key is missing."""
    section: str | None = None
    value: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if value is not None:
            if line[:1] in {" ", "\t"} or not stripped:
                value.append(stripped)
                continue
            break
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            continue
        if section != wanted or stripped.startswith(("#", ";")):
            continue
        key, sep, rest = stripped.partition("=")
        if sep and key.strip() == key_wanted:
            value = [rest.strip()]
    return None if value is None else "\n".join(value)


_SECTION_REF = re.compile(r"\{\[([^\]]+)\]([A-Za-z_]+)\}")


def _ini_commands(text: str) -> str | None:
    """``[testenv] commands``, with the values it refers to (``{[base]commands}``) added,
    one level deep."""
    commands = _ini_value(text, "testenv", "commands")
    if commands is None:
        return None
    referred = (_ini_value(text, m[1], m[2]) for m in _SECTION_REF.finditer(commands))
    return "\n".join([commands, *(value for value in referred if value is not None)])


def _strings(value: object) -> Iterator[str]:
    """Every string in a TOML value; a ``{ replace = "env", name = VAR }`` table counts as
    the text ``{env:VAR}``."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        if value.get("replace") == "env" and isinstance(value.get("name"), str):
            yield "{env:" + value["name"] + "}"
        for item in value.values():
            yield from _strings(item)


def _toml_commands(text: str) -> str | None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None  # rendering reports a broken file
    base = data.get("env_run_base")
    if not isinstance(base, dict) or "commands" not in base:
        return None
    return "\n".join(_strings(base["commands"]))


def unread_test_path(config: Config, text: str | None) -> tuple[str, ...]:
    """What to tell the user when suites set ``test-path`` that the tox configuration
    ``text`` (as rendered) never reads; empty when all is well."""
    suites = [s.name for s in config.suites if s.test_path is not None]
    if not suites or text is None:
        return ()
    variable = config.tox.test_path_variable
    label = config.label(config.tox.file)
    if config.tox.format == "toml":
        where = "[env_run_base] commands"
        commands = _toml_commands(text)
        example = f'commands = [["pytest", "{{env:{variable}:tests}}", "{{posargs}}"]]'
    else:
        where = "[testenv] commands"
        commands = _ini_commands(text)
        example = f"commands = pytest {{env:{variable}:tests}} {{posargs}}"
    if commands is not None and _reads(commands, variable):
        return ()
    what = "are not set" if commands is None else f"never read {variable}"
    named = ", ".join(suites[:3]) + (f" and {len(suites) - 3} more" if len(suites) > 3 else "")
    warning = (
        f"{label}: {where} {what}, so test-path ({named}) is ignored and those envs run "
        f"every test; read it there, as in `{example}`"
    )
    return (warning,)
