"""Resolving one env's requirements with uv, for a Python that need not be installed here.

``uv pip compile`` resolves for a target Python version and platform (``--python-version``,
``--python-platform``) without that interpreter, and writes the result as ``pylock.toml``
(PEP 751): every distribution with the wheels of it that install on the target, or only
its sdist. A resolution that cannot be satisfied is evidence (:class:`Unsatisfiable`, with
uv's own reason); any other failure (the index, the network, uv itself) is a
:class:`ResolverError`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from compatrix._pythons import PythonVersion
from compatrix._toml import tomllib
from compatrix.errors import PackageIndexError

__all__ = [
    "PLATFORM",
    "Distribution",
    "Resolution",
    "ResolveRequest",
    "ResolverError",
    "Unsatisfiable",
    "find_uv",
    "resolve",
]

PLATFORM = "x86_64-manylinux_2_28"
"""The platform envs are resolved for: the Linux runners CI jobs run on."""

REASON_LIMIT = 400
"""How much of uv's explanation of an unsatisfiable resolution is kept."""


class ResolverError(PackageIndexError):
    """A resolution failed for a reason other than unsatisfiable requirements."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolveRequest:
    """One resolution: an env's requirements on one Python, as the index stood on a day."""

    requirements: tuple[str, ...]
    """Requirement lines as tox installs them (PEP 508, ``-r``/``-c`` with absolute paths)."""
    project: Path | None = None
    """The ``pyproject.toml`` whose dependencies are installed too (None: the env installs
    no package)."""
    extras: tuple[str, ...] = ()
    """Extras of the project the env installs."""
    groups: tuple[str, ...] = ()
    """Dependency groups of the project the env installs (PEP 735)."""
    python: PythonVersion
    """The regular build resolved for (a free-threaded build is judged on its result)."""
    index_url: str
    exclude_newer: date | None = None
    """Only distributions uploaded before the end of this day (UTC)."""
    only_binary: tuple[str, ...] = ()
    """Packages that must come as wheels (their sdists need a build)."""
    label: str = ""
    """What the requirements are, for messages (the env's name); not part of the key."""

    def key(self) -> str:
        """A digest of everything the resolution depends on (the cache key)."""
        data = {
            "requirements": list(self.requirements),
            "project": str(self.project) if self.project else None,
            "extras": list(self.extras),
            "groups": list(self.groups),
            "python": str(self.python),
            "platform": PLATFORM,
            "index": self.index_url,
            "exclude-newer": self.exclude_newer.isoformat() if self.exclude_newer else None,
            "only-binary": sorted(self.only_binary),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    def describe(self) -> str:
        """The env (its label and Python) for messages."""
        if self.label:
            return f"{self.label} (Python {self.python})"
        return f"the requirements for Python {self.python}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Distribution:
    """One distribution of a resolution."""

    name: NormalizedName
    version: Version
    wheels: tuple[str, ...]
    """File names of its wheels that install on the target Python and platform."""
    sdist: str | None
    """File name of its sdist, if it has one."""

    @property
    def pin(self) -> str:
        return f"{self.name}=={self.version}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """A satisfiable resolution, distributions sorted by name."""

    distributions: tuple[Distribution, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Unsatisfiable:
    """The requirements cannot be satisfied on the target; ``reason`` is uv's, shortened."""

    reason: str
    project: bool = False
    """The project itself does not build with the index of that day (its build
    requirements, or its build backend): a later day may build it."""


def find_uv() -> str:
    """The uv executable compatrix depends on (the ``uv`` package ships it)."""
    from uv import find_uv_bin  # noqa: PLC0415 - only an update that resolves needs it

    return str(find_uv_bin())


def _arguments(request: ResolveRequest, *, python: str) -> list[str]:
    args = ["pip", "compile", "--quiet", "--no-header", "--no-config", "--format", "pylock.toml"]
    # X.Y alone means X.Y.0 to uv: a Requires-Python of ">=3.6.1" would rule 3.6 out, where
    # CI runs the newest patch. X.Y.99 stands for that.
    target = f"{request.python.major}.{request.python.minor}.99"
    args += ["--python", python, "--python-version", target]
    args += ["--python-platform", PLATFORM]
    if request.exclude_newer is not None:
        args += ["--exclude-newer", f"{request.exclude_newer.isoformat()}T23:59:59Z"]
    for package in sorted(request.only_binary):
        args += ["--only-binary", package]
    if request.project is not None:
        args.append(str(request.project))
        for extra in request.extras:
            args += ["--extra", extra]
        for group in request.groups:
            args += ["--group", f"{request.project}:{group}"]
    args.append("-")  # the requirement lines, on standard input
    return args


async def resolve(
    request: ResolveRequest,
    *,
    uv: str,
    python: str,
    environ: Mapping[str, str],
    timeout: float = 900.0,
) -> Resolution | Unsatisfiable:
    """Resolve ``request`` with ``uv``; ``python`` is any interpreter (uv needs one to run,
    not the target). Raises :class:`ResolverError` unless the answer is a resolution or
    an unsatisfiable one."""
    env = dict(environ)
    env.update(
        UV_DEFAULT_INDEX=request.index_url,  # not on the command line: it may hold a password
        UV_PYTHON_DOWNLOADS="never",
        NO_COLOR="1",
    )
    for name in ("UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_CONSTRAINT"):
        env.pop(name, None)
    process = await asyncio.create_subprocess_exec(
        uv,
        *_arguments(request, python=python),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    stdin = "".join(f"{line}\n" for line in request.requirements).encode()
    try:
        out, err = await asyncio.wait_for(process.communicate(stdin), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        msg = f"resolving {request.describe()} took longer than {timeout:g} s"
        raise ResolverError(msg) from None
    except BaseException:
        if process.returncode is None:
            process.kill()
            await process.wait()
        raise
    message = err.decode("utf-8", "replace")
    if process.returncode == 0:
        return _parse_pylock(out, request.describe())
    if process.returncode == 1 and "No solution found" in message:
        return Unsatisfiable(reason=_reason(message))
    project = request.project.parent if request.project is not None else None
    if process.returncode in (1, 2) and (failed := _failed_build(message, project)) is not None:
        return failed
    why = _reason(message) or f"uv exited with status {process.returncode}"
    msg = f"resolving {request.describe()} failed: {why}"
    raise ResolverError(msg)


_FAILED_BUILD = re.compile(r"^error: Failed to build `([^`]+)`", re.MULTILINE)

_PROJECT_BUILD = re.compile(
    r"^error: (?:Failed to resolve requirements from `[^`]+`|The build backend returned an error)",
    re.MULTILINE,
)
"""uv's first line when the project itself (``setup.py``, ``pyproject.toml``) does not build:
its build requirements are not on the index of the day, or its build backend fails."""


def _failed_build(message: str, project: Path | None) -> Unsatisfiable | None:
    """uv could not build a distribution's metadata (an sdist whose build fails on this
    target) or the project's, in ``project`` (its build requirements are not on the index
    of the day, or its build backend fails): the env cannot be installed as of that day,
    and a later day of the ladder is tried. The reason names it; None for other failures."""
    built = _FAILED_BUILD.search(message)
    if built is not None and not _names_directory(built[1], project):
        causes = _causes(message[built.end() :])
        why = f": {causes[0]}" if causes else ""
        return Unsatisfiable(
            reason=f"the sdist of {built[1].replace('==', ' ')} fails to build{why}"
        )
    found = built or _PROJECT_BUILD.search(message)
    if found is None:
        return None
    reason = _shortened(f"the project does not build: {_reason(message[found.start() :])}")
    return Unsatisfiable(reason=reason, project=True)


def _names_directory(requirement: str, directory: Path | None) -> bool:
    """Whether ``requirement`` is ``name @ file:///...`` of ``directory`` (how uv names the
    project when it builds it as a distribution)."""
    _, at, url = requirement.partition(" @ ")
    if directory is None or not at or not url.startswith("file://"):
        return False
    return Path(unquote(urlsplit(url).path)).resolve() == directory.resolve()


def _causes(message: str) -> list[str]:
    """uv's ``cause:`` lines, each with the lines uv wrapped it onto (up to a blank line)."""
    causes: list[str] = []
    inside = False
    for raw in message.splitlines():
        line = raw.strip()
        if line.startswith("cause:"):
            causes.append(line.removeprefix("cause:").strip())
            inside = True
        elif not line or line.startswith(("[", "hint:")):
            inside = False
        elif inside and raw.startswith(" "):
            causes[-1] += f" {line}"
    return causes


def _reason(message: str) -> str:
    """uv's ``cause:`` lines (or its first error line) as one shortened sentence."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    causes = _causes(message)
    text = (
        " ".join(causes) if causes else (lines[0].removeprefix("error:").strip() if lines else "")
    )
    return _shortened(re.sub(r"\s+", " ", text))


def _shortened(text: str) -> str:
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 3].rstrip() + "..."


def _file_name(entry: object, where: str) -> str:
    if not isinstance(entry, Mapping):
        msg = f"unexpected pylock.toml from uv: {where} is not a table"
        raise ResolverError(msg)
    url = entry.get("url")
    path = entry.get("path")
    location = url if isinstance(url, str) else path if isinstance(path, str) else None
    if location is None:
        msg = f"unexpected pylock.toml from uv: {where} has no url or path"
        raise ResolverError(msg)
    return unquote(urlsplit(location).path.rsplit("/", 1)[-1])


def _parse_pylock(data: bytes, what: str) -> Resolution:
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"resolving {what}: uv wrote an unreadable pylock.toml ({exc})"
        raise ResolverError(msg) from exc
    packages = document.get("packages", [])
    if not isinstance(packages, list):
        msg = f"resolving {what}: unexpected pylock.toml from uv (packages)"
        raise ResolverError(msg)
    found: list[Distribution] = []
    for index, package in enumerate(packages):
        where = f"packages[{index}]"
        if not isinstance(package, Mapping):
            msg = f"resolving {what}: unexpected pylock.toml from uv ({where})"
            raise ResolverError(msg)
        name, version = package.get("name"), package.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            continue  # the project itself, from a directory: not a distribution to pin
        try:
            parsed = Version(version)
        except InvalidVersion as exc:
            msg = f"resolving {what}: uv resolved {name} to an invalid version {version!r}"
            raise ResolverError(msg) from exc
        wheels = package.get("wheels", [])
        sdist = package.get("sdist")
        found.append(
            Distribution(
                name=canonicalize_name(name),
                version=parsed,
                wheels=tuple(
                    _file_name(w, f"{where}.wheels[{i}]")
                    for i, w in enumerate(wheels if isinstance(wheels, list) else [])
                ),
                sdist=None if sdist is None else _file_name(sdist, f"{where}.sdist"),
            )
        )
    return Resolution(distributions=tuple(sorted(found, key=lambda d: d.name)))
