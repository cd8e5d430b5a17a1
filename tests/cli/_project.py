"""Build small projects and package indexes on disk for command-line tests."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from compatrix._cli import main

UTC = timezone.utc


@dataclass(frozen=True)
class Rel:
    """One release on the fake index: a pure wheel (with metadata) and an sdist."""

    version: str
    uploaded: datetime
    requires_python: str | None = ">=3.8"
    classifiers: Sequence[str] = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
    yanked: bool | str = False
    sdist: bool = True
    wheel: bool = True
    wheel_tags: str = "py3-none-any"
    requires_dist: Sequence[str] = ()


@dataclass
class Index:
    """Packages and their releases, written in the layout ``tests/index_server.py`` serves."""

    packages: dict[str, list[Rel]] = field(default_factory=dict)

    def write(self, root: Path) -> Path:
        (root / "simple").mkdir(parents=True, exist_ok=True)
        (root / "files").mkdir(exist_ok=True)
        for serial, (name, releases) in enumerate(sorted(self.packages.items()), start=1):
            files = []
            for rel in releases:
                names = []
                if rel.wheel:
                    names.append(f"{name.replace('-', '_')}-{rel.version}-{rel.wheel_tags}.whl")
                if rel.sdist:
                    names.append(f"{name.replace('-', '_')}-{rel.version}.tar.gz")
                for filename in names:
                    files.append(
                        {
                            "filename": filename,
                            "url": f"../../files/{filename}",
                            "hashes": {"sha256": hashlib.sha256(filename.encode()).hexdigest()},
                            "requires-python": rel.requires_python,
                            "size": 1000,
                            "upload-time": rel.uploaded.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                            "yanked": rel.yanked,
                        }
                    )
                if rel.wheel:
                    lines = [
                        "Metadata-Version: 2.1",
                        f"Name: {name}",
                        f"Version: {rel.version}",
                    ]
                    if rel.requires_python:
                        lines.append(f"Requires-Python: {rel.requires_python}")
                    lines += [
                        f"Classifier: Programming Language :: Python :: {c}"
                        for c in rel.classifiers
                    ]
                    lines += [f"Requires-Dist: {r}" for r in rel.requires_dist]
                    metadata = root / "files" / f"{names[0]}.metadata"
                    metadata.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
            page = {
                "meta": {"api-version": "1.1", "_last-serial": 100 + serial},
                "name": name,
                "versions": [r.version for r in releases],
                "files": files,
            }
            folder = root / "simple" / name
            folder.mkdir(exist_ok=True)
            (folder / "index.json").write_text(json.dumps(page), encoding="utf-8")
        return root


def day(year: int, month: int, dom: int) -> datetime:
    return datetime(year, month, dom, 12, 0, tzinfo=UTC)


def minors(major: int, count: int, *, start: datetime, step_days: int = 30) -> list[Rel]:
    """``count`` minor releases ``major.0.0`` ... uploaded ``step_days`` apart."""
    from datetime import timedelta

    return [Rel(f"{major}.{n}.0", start + timedelta(days=step_days * n)) for n in range(count)]


CONFIG = """\
python = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]

[defaults]
num-versions = 3
cooldown = 0
# The fake index has the suites' packages only: nothing else would resolve.
pins = "off"

[suites.alpha]
package = "alpha"
min-version = "1.0"
test-path = "tests/alpha"

[suites.beta]
package = "beta"
test-path = "tests/beta"

[suites.beta.deps]
"*" = ["pytest-beta"]
"<2.2" = ["legacy-helper<2"]
"""

TOX_INI = """\
[tox]
requires = tox>=4.48
env_list =
    lint

[testenv]
deps =
    pytest
commands = pytest {env:TESTPATH} {posargs}

[testenv:lint]
deps = ruff
commands = ruff check .
"""


def project(root: Path, config: str = CONFIG, tox_ini: str | None = TOX_INI) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "compatrix.toml").write_text(config, encoding="utf-8")
    if tox_ini is not None:
        (root / "tox.ini").write_text(tox_ini, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run(*argv: str) -> Run:
    """``compatrix ARGV`` in-process, capturing stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return Run(code=code, out=out.getvalue(), err=err.getvalue())


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
