"""A small package index on disk with dependencies between packages, for resolution tests
(served by ``tests/index_server.py`` with advertised core metadata, which uv reads)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Dist:
    """One release: its files, upload day and dependencies."""

    name: str
    version: str
    day: str
    """Upload day, ``YYYY-MM-DD``."""
    requires: Sequence[str] = ()
    requires_python: str | None = None
    wheels: Sequence[str] = ("py3-none-any",)
    """Wheel tags (``cp312-cp312-manylinux_2_28_x86_64``); empty for an sdist-only release."""
    sdist: bool = True


@dataclass
class Index:
    dists: list[Dist] = field(default_factory=list)

    def write(self, root: Path) -> Path:
        (root / "files").mkdir(parents=True, exist_ok=True)
        names = sorted({d.name for d in self.dists})
        for name in names:
            files = []
            for dist in (d for d in self.dists if d.name == name):
                stem = f"{name.replace('-', '_')}-{dist.version}"
                filenames = [f"{stem}-{tags}.whl" for tags in dist.wheels]
                if dist.sdist:
                    filenames.append(f"{stem}.tar.gz")
                for filename in filenames:
                    files.append(
                        {
                            "filename": filename,
                            "url": f"../../files/{filename}",
                            "hashes": {"sha256": hashlib.sha256(filename.encode()).hexdigest()},
                            "requires-python": dist.requires_python,
                            "size": 1000,
                            "upload-time": f"{dist.day}T12:00:00.000000Z",
                            "yanked": False,
                        }
                    )
                    if filename.endswith(".whl"):
                        lines = [
                            "Metadata-Version: 2.1",
                            f"Name: {name}",
                            f"Version: {dist.version}",
                        ]
                        if dist.requires_python:
                            lines.append(f"Requires-Python: {dist.requires_python}")
                        lines += [f"Requires-Dist: {r}" for r in dist.requires]
                        (root / "files" / f"{filename}.metadata").write_text(
                            "\n".join(lines) + "\n\n", encoding="utf-8"
                        )
            page = {
                "meta": {"api-version": "1.1"},
                "name": name,
                "versions": sorted({d.version for d in self.dists if d.name == name}),
                "files": files,
            }
            (root / "simple" / name).mkdir(parents=True, exist_ok=True)
            (root / "simple" / name / "index.json").write_text(json.dumps(page), encoding="utf-8")
        return root
