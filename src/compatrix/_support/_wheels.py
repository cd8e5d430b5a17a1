"""What a release's wheel tags say about each Python: which wheel installs on it, which is
built for exactly it, and which serves its free-threaded build (docs/selection.md, step 2)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from compatrix._pythons import PythonVersion

__all__ = ["Tag", "Wheels", "free_threaded_wheel", "is_pure", "wheels_for"]

_INTERPRETER_RE = re.compile(r"^(py|cp)(\d)(\d*)$")
# An en dash joins ranges in evidence: 3.8 to 3.12 reads "3.8\u20133.12".
_DASH = "\u2013"


@dataclass(frozen=True, slots=True)
class Tag:
    """One expanded ``interpreter-abi`` pair of a wheel."""

    kind: str
    """``py`` (generic Python) or ``cp`` (CPython)."""
    major: int
    minor: int | None
    """None for a major-only tag such as ``py3``."""
    abi: str
    text: str


def _expand(wheel_tags: Sequence[str]) -> tuple[Tag, ...]:
    """The wheel tags, compressed sets (``py2.py3-none``) expanded.

    Interpreters other than CPython and generic Python (PyPy, GraalPy) are left out: their
    wheels never install on CPython.
    """
    out: list[Tag] = []
    for pair in wheel_tags:
        interpreters, sep, abis = pair.partition("-")
        if not sep:
            continue
        for interpreter in interpreters.split("."):
            match = _INTERPRETER_RE.match(interpreter)
            if match is None:
                continue
            minor = int(match[3]) if match[3] else None
            for abi in abis.split("."):
                out.append(Tag(match[1], int(match[2]), minor, abi, f"{interpreter}-{abi}"))
    return tuple(out)


def is_pure(tag: Tag, python: PythonVersion) -> bool:
    """A pure-Python wheel (abi ``none``) for ``py3``, ``py2.py3`` or ``pyXY`` with XY <= p."""
    return (
        tag.kind == "py"
        and tag.abi == "none"
        and tag.major == python.major
        and (tag.minor is None or tag.minor <= python.minor)
    )


def _is_exact(tag: Tag, python: PythonVersion) -> bool:
    """A CPython wheel built for exactly this feature version (``cp312-...``)."""
    return tag.kind == "cp" and tag.major == python.major and tag.minor == python.minor


def _installs_on(tag: Tag, python: PythonVersion) -> bool:
    """Does a wheel with this tag install on the regular (GIL) build of ``python``?"""
    if is_pure(tag, python):
        return True
    if tag.kind != "cp" or tag.major != python.major or tag.minor is None:
        return False
    if tag.abi == "abi3":
        return tag.minor <= python.minor
    if tag.minor != python.minor:
        return False
    return tag.abi in {"none", f"cp{python.nodot}", f"cp{python.nodot}m", f"cp{python.nodot}d"}


def free_threaded_wheel(tag: Tag, python: PythonVersion) -> bool:
    """A wheel for the free-threaded build: ``cpXY-cpXYt``, or ``abi3t`` (3.15+)."""
    if tag.kind != "cp" or tag.major != python.major or tag.minor is None:
        return False
    if tag.abi == "abi3t":
        return (python.major, python.minor) >= (3, 15) and tag.minor <= python.minor
    return tag.minor == python.minor and tag.abi == f"cp{python.nodot}t"


def describe_binaries(tags: Sequence[Tag]) -> str:
    """The binary wheels, summarised: a run of CPython versions, abi3 and the rest.

    For example ``cp38\u2013cp311, cp39-abi3, cp313t``.
    """
    exact: set[tuple[int, int]] = set()
    others: set[str] = set()
    for tag in tags:
        if tag.kind == "cp" and tag.minor is not None and tag.abi.startswith(f"cp{tag.major}"):
            if tag.abi.endswith("t"):
                others.add(f"cp{tag.major}{tag.minor}t")
            else:
                exact.add((tag.major, tag.minor))
        else:
            others.add(tag.text)
    parts: list[str] = []
    runs: list[list[tuple[int, int]]] = []
    for version in sorted(exact):
        if runs and runs[-1][-1] == (version[0], version[1] - 1):
            runs[-1].append(version)
        else:
            runs.append([version])
    for run in runs:
        first, last = run[0], run[-1]
        name = f"cp{first[0]}{first[1]}"
        parts.append(name if first == last else f"{name}{_DASH}cp{last[0]}{last[1]}")
    parts.extend(sorted(others))
    return ", ".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Installs:
    """The wheel that installs on one regular Python."""

    tag: Tag
    """The first such wheel."""
    pure: bool
    """Some wheel that installs is a pure-Python wheel."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Wheels:
    """What one set of wheel tags says about each of the project's regular Pythons (the
    per-Python tuples are in the order of the Pythons given to :func:`wheels_for`)."""

    tags: tuple[Tag, ...]
    installs: tuple[Installs | None, ...]
    """Per Python, the wheel that installs on it; None when none does."""
    exact: tuple[str | None, ...]
    """Per Python, the first wheel built for exactly it (``cp312-cp312``), else None."""
    any_pure_abi: bool
    """Some wheel is a generic-Python wheel with ABI ``none`` (of any Python version)."""
    described: str
    """The wheels in short (:func:`describe_binaries`)."""


def wheels_for(wheel_tags: Sequence[str], regular: Sequence[PythonVersion]) -> Wheels:
    """What ``wheel_tags`` say about each Python of ``regular``."""
    tags = _expand(wheel_tags)
    installs: list[Installs | None] = []
    exact: list[str | None] = []
    for python in regular:
        found = [t for t in tags if _installs_on(t, python)]
        pure = any(is_pure(t, python) for t in found)
        installs.append(Installs(tag=found[0], pure=pure) if found else None)
        exact.append(next((t.text for t in tags if _is_exact(t, python)), None))
    return Wheels(
        tags=tags,
        installs=tuple(installs),
        exact=tuple(exact),
        any_pure_abi=any(t.kind == "py" and t.abi == "none" for t in tags),
        described=describe_binaries(tags),
    )
