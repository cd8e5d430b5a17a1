"""Reading a response body within a size limit, decompressing it as it arrives.

httpx decodes a compressed body one network read at a time, and a read of 64 KiB of gzip
can inflate to 64 MiB; ``response.content`` then holds all of it. Here the raw body is
decompressed with zlib's ``max_length``, so no more than the limit (and one byte) is ever
produced, and reading stops as soon as the limit is passed.
"""

from __future__ import annotations

import zlib

import httpx

__all__ = [
    "ACCEPT_ENCODING",
    "BodyTooLarge",
    "KiB",
    "MiB",
    "Undecodable",
    "UnsupportedEncoding",
    "describe_size",
    "drain",
    "read_body",
]

KiB = 1024
MiB = 1024 * KiB
ACCEPT_ENCODING = "gzip, deflate"
"""The encodings compatrix asks for, and the only ones it decodes."""
DRAIN_LIMIT = 64 * KiB
"""Bytes of an unwanted body (an error page, a redirect) read so the connection can be
reused; a longer one closes the connection instead."""


class BodyTooLarge(Exception):
    """The body, decompressed, is larger than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {describe_size(limit)}")
        self.limit = limit


class UnsupportedEncoding(Exception):
    """A ``Content-Encoding`` compatrix did not ask for."""


class Undecodable(Exception):
    """A compressed body that is corrupt or cut short."""


def describe_size(size: int) -> str:
    """``64 MiB``, ``512 KiB``, ``1000 bytes``."""
    if size >= MiB and size % MiB == 0:
        return f"{size // MiB} MiB"
    if size >= KiB and size % KiB == 0:
        return f"{size // KiB} KiB"
    return f"{size} bytes"


class _Decoder:
    """One ``Content-Encoding`` (identity, gzip or deflate), never giving more than asked."""

    def __init__(self, header: str) -> None:
        codings = [c.strip().lower() for c in header.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        self._zlib: zlib._Decompress | None = None
        self._raw_deflate_fallback = False
        if not codings:
            return
        if len(codings) > 1 or codings[0] not in {"gzip", "x-gzip", "deflate"}:
            msg = f"unsupported Content-Encoding {header[:100]!r}"
            raise UnsupportedEncoding(msg)
        if codings[0] == "deflate":
            # "deflate" is zlib-wrapped by the standard, raw deflate by some servers.
            self._zlib = zlib.decompressobj()
            self._raw_deflate_fallback = True
        else:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def decode(self, data: bytes, room: int) -> bytes:
        """The next decoded bytes: at most ``room + 1``, so one more than fits shows the
        body is too large (the rest of ``data`` is then left undecoded)."""
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error as exc:
            if not self._raw_deflate_fallback:
                msg = f"cannot decompress the body ({exc})"
                raise Undecodable(msg) from None
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._raw_deflate_fallback = False
            return self.decode(data, room)
        self._raw_deflate_fallback = False
        return out

    def finish(self) -> None:
        if self._zlib is not None and not self._zlib.eof:
            msg = "the compressed body is cut short"
            raise Undecodable(msg)


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed ``response``, decoded, at most ``limit`` bytes.

    Raises :class:`BodyTooLarge` as soon as more than ``limit`` bytes would be decoded,
    :class:`UnsupportedEncoding` for an encoding other than gzip or deflate, and
    :class:`Undecodable` for a corrupt or truncated compressed body.
    """
    encoding = response.headers.get("Content-Encoding", "")
    decoder = _Decoder(encoding)
    declared = response.headers.get("Content-Length", "")
    if not encoding and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        out = decoder.decode(chunk, limit - size)
        size += len(out)
        if size > limit:
            raise BodyTooLarge(limit)
        parts.append(out)
    decoder.finish()
    return b"".join(parts)


async def drain(response: httpx.Response) -> None:
    """Read a short unwanted body so its connection can be reused; stop after
    :data:`DRAIN_LIMIT` bytes (closing the response then closes the connection)."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > DRAIN_LIMIT:
            return
