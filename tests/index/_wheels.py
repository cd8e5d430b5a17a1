"""Wheels, index directories and reads for the index tests of core metadata that the index
has no ``.metadata`` file for: real zips, built here, served by ``tests/index_server.py``."""

from __future__ import annotations

import io
import json
import random
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Protocol
from unittest import mock

from tests.index.test_index_client import run
from tests.index_server import IndexServer, RangeMode

from compatrix._index import IndexClient
from compatrix._lock import CoreMetadata

Result = tuple[CoreMetadata | None, str]


def metadata(version: str = "1.0", *lines: str, requires_python: str | None = ">=3.9") -> bytes:
    head = ["Metadata-Version: 2.1", "Name: demo", f"Version: {version}"]
    if requires_python is not None:
        head.append(f"Requires-Python: {requires_python}")
    head += ["Classifier: Programming Language :: Python :: 3.12", "Provides-Extra: fast", *lines]
    return ("\n".join(head) + "\n\nThe long description.\n").encode()


def members(
    meta: bytes | None = None,
    *,
    dist_info: str = "demo-1.0.dist-info",
    first: bool = False,
    padding: int = 0,
    entries: int = 0,
) -> dict[str, bytes]:
    """A wheel's members: the package, its ``.dist-info`` (METADATA last, as wheel builders
    write it, or ``first``), ``padding`` bytes that do not compress and ``entries`` more
    empty modules."""
    meta = metadata() if meta is None else meta
    out: dict[str, bytes] = {}
    if first:
        out[f"{dist_info}/METADATA"] = meta
    out["demo/__init__.py"] = b"VALUE = 1\n"
    if padding:
        out["demo/data.bin"] = random.Random(0).randbytes(padding)
    for n in range(entries):
        out[f"demo/generated/a_module_with_a_rather_long_name_{n:05}.py"] = b""
    if not first:
        out[f"{dist_info}/METADATA"] = meta
    out[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\n"
    out[f"{dist_info}/RECORD"] = b""
    return out


def build_wheel(
    files: dict[str, bytes],
    *,
    method: int = zipfile.ZIP_DEFLATED,
    zip64: bool = False,
    comment: bytes = b"",
    prefix: bytes = b"",
) -> bytes:
    """A zip of ``files``; ``zip64`` writes zip64 records (an end record, sizes and offsets
    in extra fields) as zipfile does for archives over 4 GiB."""
    buffer = io.BytesIO()
    with ExitStack() as stack:
        if zip64:
            stack.enter_context(mock.patch.object(zipfile, "ZIP64_LIMIT", 10))
            stack.enter_context(mock.patch.object(zipfile, "ZIP_FILECOUNT_LIMIT", 1))
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
            archive.comment = comment
    return prefix + buffer.getvalue()


def entry(filename: str, **fields: Any) -> dict[str, Any]:
    return {"filename": filename, "url": f"../../files/{filename}", "hashes": {}, **fields}


def write_index(
    root: Path,
    wheels: dict[str, bytes | None],
    *,
    sdists: tuple[str, ...] = (),
    release_json: dict[str, dict[str, Any]] | None = None,
    advertised: dict[str, str] | None = None,
) -> Path:
    """The page of ``demo`` listing ``wheels`` (served when given bytes) and ``sdists``,
    and the per-version JSON documents ``release_json`` (by version)."""
    (root / "simple/demo").mkdir(parents=True)
    (root / "files").mkdir()
    files = []
    for name, data in wheels.items():
        fields = {}
        if advertised and name in advertised:
            fields["core-metadata"] = {"sha256": advertised[name]}
        files.append(entry(name, **fields))
        if data is not None:
            (root / "files" / name).write_bytes(data)
    files += [entry(name) for name in sdists]
    page = {"meta": {"api-version": "1.1"}, "name": "demo", "files": files}
    (root / "simple/demo/index.json").write_text(json.dumps(page))
    for version, document in (release_json or {}).items():
        folder = root / "pypi/demo" / version
        folder.mkdir(parents=True)
        (folder / "json").write_text(json.dumps(document))
    return root


class Serve(Protocol):
    """The ``serve`` fixture: a running server of an index :func:`write_index` wrote."""

    def __call__(
        self,
        wheels: dict[str, bytes | None],
        *,
        ranges: RangeMode = "bytes",
        sdists: tuple[str, ...] = (),
        release_json: dict[str, dict[str, Any]] | None = None,
        advertised: dict[str, str] | None = None,
    ) -> IndexServer: ...


def read(client: IndexClient, *versions: str) -> list[Result]:
    async def work(c: IndexClient) -> list[Result]:
        page = (await c.fetch_page("demo")).page
        return [await c.fetch_metadata(page, v) for v in versions]

    return run(client, work)


def stored_metadata(data: bytes, member: str = "demo-1.0.dist-info/METADATA") -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(member)
