"""HTTP content codings of recorded bodies (gzip, deflate), inflated with a size limit."""

from __future__ import annotations

import re
import zlib

from validator.errors import RespcontractError
from validator.formats.json import short_repr
from validator.sources.files import DEFAULT_MAX_BYTES

MAX_INFLATED = DEFAULT_MAX_BYTES  # a few KB of gzip can inflate to gigabytes
_GZIP = 16 + zlib.MAX_WBITS
_STEP = 16 * 2**20
_GZIP_MAGIC = b"\x1f\x8b"
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CodingError(RespcontractError):
    """A body that cannot be decoded: (message, rule)."""


class AlreadyDecoded(RespcontractError):
    """The header names a coding, yet the body is plain text (recorded after decoding)."""


def decode(data: bytes, encoding: str) -> bytes:
    """Undo the codings of a Content-Encoding header, last applied first.

    A body that is not in the coding but is plain text was stored already decoded (vcrpy's
    aiohttp stub records it so): AlreadyDecoded. Anything else that fails is CodingError.
    """
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    original = data
    for coding in reversed(codings):
        try:
            data = _undo(data, coding)
        except CodingError:
            if data is original and looks_decoded(original):
                raise AlreadyDecoded(coding) from None
            raise
    return data


def _undo(data: bytes, coding: str) -> bytes:
    try:
        if coding in ("gzip", "x-gzip"):
            return inflate(data, _GZIP)
        if coding == "deflate":
            try:
                return inflate(data, zlib.MAX_WBITS)
            except zlib.error:
                return inflate(data, -zlib.MAX_WBITS)
    except (OSError, EOFError, zlib.error):
        raise CodingError(f"response body is not valid {coding} data (corrupt or truncated)",
                          "body-encoding") from None
    if coding == "identity":
        return data
    raise CodingError(f"content-encoding {short_repr(coding)} is not supported",
                      "body-encoding")


def looks_decoded(data: bytes) -> bool:
    """UTF-8 text without control characters (and not a gzip stream): already decoded."""
    if data.startswith(_GZIP_MAGIC):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _CONTROL.search(data) is None


def inflate(data: bytes, wbits: int) -> bytes:
    """Decompress gzip (every member) or deflate data, refusing more than MAX_INFLATED.

    Inflated in steps, so a bomb is stopped after MAX_INFLATED bytes, not after all of it.
    """
    out: list[bytes] = []
    total = 0
    while data:
        stream = zlib.decompressobj(wbits)
        pending = data
        while pending and not stream.eof:
            chunk = stream.decompress(pending, _STEP)
            pending = stream.unconsumed_tail
            total += len(chunk)
            if total > MAX_INFLATED:
                raise CodingError(f"response body inflates to more than "
                                  f"{MAX_INFLATED // 2**20} MiB (a compression bomb?); refused",
                                  "body-encoding")
            out.append(chunk)
        if not stream.eof:
            raise EOFError
        data = stream.unused_data if wbits == _GZIP else b""
    return b"".join(out)
