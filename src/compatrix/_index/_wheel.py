"""A wheel's ``METADATA`` read out of the zip with byte ranges, without downloading the wheel.

Many mirrors serve no PEP 658 ``.metadata`` file. The wheel's own
``{name}-{version}.dist-info/METADATA`` is the same file, and a zip can be read from its
end: the end-of-central-directory record (zip64 when present) gives where the central
directory is, the central directory where each member's local header is. So
:func:`read_wheel_metadata` asks for the last :data:`TAIL_SIZE` bytes, then (when they do
not already hold them) the central directory and the METADATA member, and inflates and
checks that one member. Small wheels take one request; most take one or two.

Only the zip structures are parsed here (pure); the bytes come from a ``read`` callback
that makes the range requests. The layout follows the zip specification (APPNOTE.TXT)
as the standard library's ``zipfile`` reads it: the same records, the same tolerance of
data prepended to the archive.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from packaging.utils import canonicalize_name

from compatrix._index._body import KiB, describe_size
from compatrix._index._filenames import same_version
from compatrix._text import shorten

__all__ = ["TAIL_SIZE", "WheelProblem", "read_wheel_metadata"]

TAIL_SIZE = 64 * KiB
"""Bytes asked for first, from the end of the wheel: the end record and, for most wheels,
the central directory and the ``.dist-info`` members (written last) with it."""

_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_END64 = struct.Struct("<4sQ2H2L4Q")
_END64_SIGNATURE = b"PK\x06\x06"
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_LOCAL = struct.Struct("<4s5H3L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ZIP64_EXTRA = 0x0001
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_STORED, _DEFLATED = 0, 8
_METHODS = {
    1: "shrink",
    6: "implode",
    9: "deflate64",
    12: "bzip2",
    14: "lzma",
    93: "zstandard",
    95: "xz",
}


class WheelProblem(Exception):
    """The wheel cannot give its METADATA: not a zip compatrix reads, no (or no single)
    METADATA of its project and version, a member compressed other than stored or
    deflate, a CRC or size that does not match. Only that wheel is at fault."""


ReadRange = Callable[[int, int], Awaitable[bytes]]
"""``read(start, length)``: exactly ``length`` bytes of the wheel from offset ``start``."""


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One member, as the central directory describes it."""

    name: str
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    offset: int
    """Where its local header starts, in the file."""


@dataclass(frozen=True, slots=True)
class Directory:
    """Where the central directory is (in the file), and how many entries it has."""

    offset: int
    size: int
    entries: int
    shift: int = 0
    """Bytes before the archive (a zip appended to something else): added to every
    offset the archive records, as ``zipfile`` does."""


def end_of_central_directory(tail: bytes, tail_start: int) -> Directory | int:
    """The central directory the end record in ``tail`` (the file's last bytes, starting
    at ``tail_start``) points to; for a zip64 archive, the file offset of the zip64 end
    record to read instead (:func:`zip64_directory`)."""
    position = -1
    search_end = len(tail)
    while True:
        position = tail.rfind(_END_SIGNATURE, 0, search_end)
        if position < 0:
            last = describe_size(len(tail))
            msg = f"no zip end-of-central-directory record in its last {last} (not a zip?)"
            raise WheelProblem(msg)
        if position + _END.size <= len(tail):
            record = _END.unpack_from(tail, position)
            if position + _END.size + record[-1] <= len(tail):  # the comment fits
                break
        search_end = position + len(_END_SIGNATURE) - 1
    _, disk, cd_disk, _, entries, cd_size, cd_offset, _ = record
    if disk != 0 or cd_disk != 0:
        msg = "a zip split over several disks"
        raise WheelProblem(msg)
    locator = position - _END64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == _END64_LOCATOR_SIGNATURE:
        _, locator_disk, _, disks = _END64_LOCATOR.unpack_from(tail, locator)
        if locator_disk != 0 or disks > 1:
            msg = "a zip split over several disks"
            raise WheelProblem(msg)
        # As zipfile does: the zip64 end record comes right before its locator.
        return tail_start + locator - _END64.size
    cd_end = tail_start + position
    shift = cd_end - cd_size - cd_offset
    if shift < 0:
        msg = "its end record points past itself (a corrupt zip)"
        raise WheelProblem(msg)
    return Directory(cd_offset + shift, cd_size, entries, shift)


def zip64_directory(record: bytes, record_start: int) -> Directory:
    """The central directory a zip64 end record (read at ``record_start``) points to."""
    if len(record) < _END64.size or not record.startswith(_END64_SIGNATURE):
        msg = "no zip64 end-of-central-directory record before its locator (a corrupt zip)"
        raise WheelProblem(msg)
    _, _, _, _, disk, cd_disk, _, entries, cd_size, cd_offset = _END64.unpack_from(record)
    if disk != 0 or cd_disk != 0:
        msg = "a zip split over several disks"
        raise WheelProblem(msg)
    shift = record_start - cd_size - cd_offset
    if shift < 0:
        msg = "its zip64 end record points past itself (a corrupt zip)"
        raise WheelProblem(msg)
    return Directory(cd_offset + shift, cd_size, entries, shift)


def central_directory(data: bytes, directory: Directory) -> list[ZipEntry]:
    """The entries of the central directory ``data`` (file offsets already shifted)."""
    entries: list[ZipEntry] = []
    position = 0
    while position < len(data):
        if position + _CENTRAL.size > len(data):
            msg = "its central directory is cut short (a corrupt zip)"
            raise WheelProblem(msg)
        fields = _CENTRAL.unpack_from(data, position)
        if fields[0] != _CENTRAL_SIGNATURE:
            msg = "a bad central directory entry (a corrupt zip)"
            raise WheelProblem(msg)
        flags, method = fields[3], fields[4]
        crc, compressed, size = fields[7], fields[8], fields[9]
        name_length, extra_length, comment_length = fields[10], fields[11], fields[12]
        offset = fields[16]
        start = position + _CENTRAL.size
        end = start + name_length + extra_length + comment_length
        if end > len(data):
            msg = "its central directory is cut short (a corrupt zip)"
            raise WheelProblem(msg)
        raw_name = data[start : start + name_length]
        extra = data[start + name_length : start + name_length + extra_length]
        if 0xFFFFFFFF in (compressed, size, offset):
            size, compressed, offset = _zip64_sizes(extra, size, compressed, offset)
        name = raw_name.decode("utf-8" if flags & _UTF8_FLAG else "cp437", "replace")
        entries.append(
            ZipEntry(name, flags, method, crc, compressed, size, offset + directory.shift)
        )
        position = end
    return entries


def _zip64_sizes(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """Sizes and offset from the zip64 extra field, for those recorded as 0xFFFFFFFF."""
    position = 0
    while position + 4 <= len(extra):
        kind, length = struct.unpack_from("<2H", extra, position)
        body = extra[position + 4 : position + 4 + length]
        if kind == _ZIP64_EXTRA:
            values = iter(struct.unpack_from(f"<{len(body) // 8}Q", body))
            try:
                if size == 0xFFFFFFFF:
                    size = next(values)
                if compressed == 0xFFFFFFFF:
                    compressed = next(values)
                if offset == 0xFFFFFFFF:
                    offset = next(values)
            except StopIteration:
                break
            return size, compressed, offset
        position += 4 + length
    msg = "a zip64 entry without its zip64 sizes (a corrupt zip)"
    raise WheelProblem(msg)


def find_metadata(entries: list[ZipEntry], project: str, version: str) -> ZipEntry:
    """The ``{project}-{version}.dist-info/METADATA`` member (the wheel spec's place).

    The directory's name is compared normalized (``Foo_Bar-1.0`` is ``foo-bar`` 1.0); a
    wheel without it, or with two, cannot give its metadata.
    """
    wanted = canonicalize_name(project)
    found: list[ZipEntry] = []
    others: list[str] = []
    for entry in entries:
        directory, _, leaf = entry.name.partition("/")
        if leaf != "METADATA" or not directory.endswith(".dist-info"):
            continue
        name, dash, found_version = directory[: -len(".dist-info")].rpartition("-")
        if dash and canonicalize_name(name) == wanted and same_version(found_version, version):
            found.append(entry)
        else:
            others.append(entry.name)
    if not found:
        seen = f" (it has {shorten(repr(others[0]))})" if others else ""
        msg = f"no {project}-{version}.dist-info/METADATA in the wheel{seen}"
        raise WheelProblem(msg)
    if len(found) > 1:
        names = ", ".join(shorten(repr(e.name)) for e in found[:2])
        msg = f"more than one METADATA for {project} {version} in the wheel ({names})"
        raise WheelProblem(msg)
    return found[0]


def member_data(local: bytes, entry: ZipEntry, limit: int) -> bytes:
    """The uncompressed bytes of ``entry`` from ``local`` (its local header onwards):
    stored or deflate, at most ``limit`` bytes, checked against the central directory's
    size and CRC-32."""
    if entry.flags & _ENCRYPTED_FLAG:
        msg = "METADATA is encrypted"
        raise WheelProblem(msg)
    if entry.method not in (_STORED, _DEFLATED):
        method = _METHODS.get(entry.method, f"method {entry.method}")
        msg = f"METADATA is compressed with {method}; compatrix reads stored or deflate"
        raise WheelProblem(msg)
    if entry.size > limit:
        msg = f"METADATA is larger than {describe_size(limit)}"
        raise WheelProblem(msg)
    if len(local) < _LOCAL.size or not local.startswith(_LOCAL_SIGNATURE):
        msg = "no local header where the central directory puts METADATA (a corrupt zip)"
        raise WheelProblem(msg)
    fields = _LOCAL.unpack_from(local)
    start = _LOCAL.size + fields[9] + fields[10]
    data = local[start : start + entry.compressed_size]
    if len(data) != entry.compressed_size:
        msg = "METADATA runs past the next member (a corrupt zip)"
        raise WheelProblem(msg)
    if entry.method == _STORED:
        out = data
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            out = inflater.decompress(data, limit + 1)
        except zlib.error as exc:
            msg = f"METADATA does not inflate ({exc})"
            raise WheelProblem(msg) from None
        if len(out) > limit:
            msg = f"METADATA is larger than {describe_size(limit)}"
            raise WheelProblem(msg)
        if not inflater.eof:
            msg = "METADATA is cut short (a corrupt zip)"
            raise WheelProblem(msg)
    if len(out) != entry.size:
        msg = f"METADATA has {len(out)} bytes, the central directory says {entry.size}"
        raise WheelProblem(msg)
    if zlib.crc32(out) != entry.crc:
        msg = "METADATA fails its CRC-32 check (a corrupt zip)"
        raise WheelProblem(msg)
    return out


class _Bytes:
    """The wheel's bytes: its tail as first read, anything else asked for by range."""

    def __init__(self, read: ReadRange, tail: bytes, size: int) -> None:
        self.read_range = read
        self.tail = tail
        self.tail_start = size - len(tail)

    async def read(self, start: int, length: int) -> bytes:
        if length <= 0:
            return b""
        end = start + length
        if start >= self.tail_start:
            return self.tail[start - self.tail_start : end - self.tail_start]
        if end <= self.tail_start:
            return await self.read_range(start, length)
        head = await self.read_range(start, self.tail_start - start)
        return head + self.tail[: end - self.tail_start]


async def read_wheel_metadata(
    read: ReadRange, *, tail: bytes, size: int, project: str, version: str, limit: int
) -> bytes:
    """The METADATA bytes of a wheel of ``size`` bytes whose last bytes are ``tail``.

    ``read`` fetches any other range (at most two calls: the central directory, the
    member). The central directory and METADATA must be at most ``limit`` bytes. Raises
    :class:`WheelProblem` when the wheel cannot give it.
    """
    if size < len(tail):
        msg = "the wheel is shorter than the bytes read from it"
        raise WheelProblem(msg)
    wheel = _Bytes(read, tail, size)
    directory = end_of_central_directory(tail, wheel.tail_start)
    if isinstance(directory, int):
        zip64_at = directory
        if zip64_at < 0:
            msg = "no zip64 end-of-central-directory record before its locator (a corrupt zip)"
            raise WheelProblem(msg)
        directory = zip64_directory(await wheel.read(zip64_at, _END64.size), zip64_at)
    if directory.size > limit:
        msg = f"its central directory is larger than {describe_size(limit)}"
        raise WheelProblem(msg)
    if directory.offset + directory.size > size:
        msg = "its central directory runs past the end of the file (a corrupt zip)"
        raise WheelProblem(msg)
    entries = central_directory(await wheel.read(directory.offset, directory.size), directory)
    entry = find_metadata(entries, project, version)
    if entry.compressed_size > limit:
        msg = f"METADATA is larger than {describe_size(limit)}"
        raise WheelProblem(msg)
    # The member's local record ends where the next one (or the central directory) starts.
    end = min(
        (e.offset for e in entries if e.offset > entry.offset),
        default=directory.offset,
    )
    end = min(end, directory.offset)
    if entry.offset >= end:
        msg = "METADATA's local header is not before the central directory (a corrupt zip)"
        raise WheelProblem(msg)
    room = _LOCAL.size + 2 * 0xFFFF + entry.compressed_size + 16  # header, name, extra, descriptor
    length = min(end - entry.offset, room)
    return member_data(await wheel.read(entry.offset, length), entry, limit)
