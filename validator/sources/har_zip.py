"""HAR archives packed in a zip (`recordHar: {path: "x.har.zip"}` in Playwright).

Playwright writes the HAR as `har.har` and every body it attaches (`content._file`) as a
member of its own, named by its SHA-1. Its reader takes the first member whose name ends
in `.har` and looks `_file` names up among the members; so does this one. Nothing is
extracted to disk: members are only read, by exact name, each within the size limit
(a few KB of deflate can inflate to gigabytes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from validator.errors import SourceError
from validator.formats.json import short_repr
from validator.sources.files import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    import zipfile

ZIP_MAGIC = b"PK\x03\x04"
ZIP_SUFFIX = ".zip"

# A member's bytes, or why they cannot be had (the message of the entry's finding).
Members = Callable[[str], "bytes | str"]


def is_zip(name: str, raw: bytes) -> bool:
    """Whether a recording file is a zip archive (by its name and its first bytes)."""
    return name.lower().endswith(ZIP_SUFFIX) and raw.startswith(ZIP_MAGIC)


def unpack(raw: bytes, limit: int | None = DEFAULT_MAX_BYTES) -> tuple[str, bytes, Members]:
    """(the HAR member's name, its bytes, a reader of the other members by name); a
    SourceError for a zip that holds no readable HAR."""
    import io
    import zipfile  # here, not above: it imports bz2, lzma and shutil, which a check of
    # anything but a zip never needs

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise SourceError(f"cannot read file: not a valid zip archive ({exc})") from None
    har = next((name for name in names if name.endswith(".har")), None)
    if har is None:
        raise SourceError("cannot read file: the zip archive holds no .har file")
    data = _member(archive, har, limit)
    if isinstance(data, str):
        raise SourceError(f"cannot read file: {data}")
    return har, data, lambda name: _attached(archive, name, limit)


def _attached(archive: zipfile.ZipFile, name: str, limit: int | None) -> bytes | str:
    data = _member(archive, name, limit)
    return data if isinstance(data, bytes) else f"response.content._file {data}"


def _member(archive: zipfile.ZipFile, name: str, limit: int | None) -> bytes | str:
    """A member's bytes, read within `limit`, or why not."""
    import zipfile
    import zlib

    try:
        info = archive.getinfo(name)
    except KeyError:
        return f"{short_repr(name)} is not in the zip archive"
    if limit and info.file_size > limit:
        return f"{short_repr(name)} is too large ({info.file_size:,} bytes inflated)"
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1) if limit else member.read()
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError,
            OSError, EOFError) as exc:  # a corrupt, encrypted or unsupported member
        return f"{short_repr(name)} cannot be read from the zip archive: {exc}"
    if limit and len(data) > limit:  # the header understated its size
        return f"{short_repr(name)} is too large (more than {limit:,} bytes inflated)"
    return data
