"""Builders for the report tests: configs from TOML text, locks from release lists."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from compatrix._config import Config, config_from_dict
from compatrix._lock._facts import CoreMetadata, PackageFacts, Release, sort_releases
from compatrix._lock._format import Lock

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

UTC = timezone.utc
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
"""When the current lock was fetched."""
WEEK_AGO = NOW - timedelta(days=7)
"""When the base lock was fetched."""

PYTHONS = 'python = ["3.9", "3.10", "3.11", "3.12", "3.13"]\n'


def config(text: str, root: Path = Path("/project")) -> Config:
    """A Config from compatrix.toml text (no file is read)."""
    return config_from_dict(tomllib.loads(text), path=root / "compatrix.toml")


def suite_config(
    *suites: str, num_versions: int = 2, python: str = PYTHONS, extra: str = ""
) -> Config:
    """A config whose suites each test the package of the same name."""
    body = [python, f"[defaults]\nnum-versions = {num_versions}\n{extra}"]
    body += [f'[suites.{name}]\npackage = "{name}"\n' for name in suites]
    return config("\n".join(body))


def rel(
    version: str,
    uploaded: datetime,
    *,
    yanked: str | None = None,
    requires_python: str = ">=3.8",
    classifiers: Sequence[str] = ("3.9", "3.10", "3.11", "3.12", "3.13"),
) -> Release:
    """A release with an sdist, a pure wheel and known core metadata."""
    return Release(
        version=version,
        uploaded=uploaded,
        yanked=yanked is not None,
        yanked_reason=yanked or None,
        requires_python=requires_python,
        sdist=True,
        wheel_tags=("py3-none",),
        files=2,
        metadata=CoreMetadata(
            wheel=f"pkg-{version}-py3-none-any.whl",
            sha256="00" * 32,
            advertised=True,
            requires_python=requires_python,
            classifiers=tuple(f"Programming Language :: Python :: {c}" for c in classifiers),
            extras=(),
        ),
        metadata_status="ok",
    )


def monthly(*versions: str, start: datetime = datetime(2025, 1, 15, tzinfo=UTC)) -> list[Release]:
    """Releases uploaded 30 days apart from ``start``, in the order given."""
    return [rel(v, start + timedelta(days=30 * n)) for n, v in enumerate(versions)]


def lock(
    packages: Mapping[str, Sequence[Release]],
    *,
    fetched: datetime = NOW,
    picks: Mapping[str, Sequence[str]] | None = None,
) -> Lock:
    return Lock(
        packages={
            name: PackageFacts(
                name=name,
                index="https://pypi.org/simple/",
                fetched_at=fetched,
                releases=sort_releases(list(releases)),
            )
            for name, releases in packages.items()
        },
        picks={suite: tuple(versions) for suite, versions in (picks or {}).items()},
    )
