"""Reading input files without hanging or exhausting memory.

`Path.read_bytes()` blocks forever on a FIFO nobody writes to, reads a device such as
/dev/zero until memory runs out, and loads a file of any size. `read_limited` refuses
what is not a regular file or a pipe, checks the size before reading, and never reads
more than the limit plus one byte.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from validator.errors import RespcontractError

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 256 * MIB
# PyYAML keeps a node object per value: a YAML file takes ~50x its size in memory while
# it is parsed, so YAML gets a smaller share of the limit than JSON (~7x).
YAML_SHARE = 8


class TooLarge(RespcontractError):
    """A file over the size limit; `size` is None when it is not known in advance (a pipe)."""

    def __init__(self, size: int | None, limit: int) -> None:
        super().__init__(size, limit)
        self.size = size
        self.limit = limit


class NotAFile(RespcontractError):
    """A device, socket or other special file: reading it could hang or never end."""


def read_limited(path: Path, limit: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; OSError, TooLarge or NotAFile instead of hanging or bloating."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)  # non-blocking: opening a FIFO without a writer returns
    with os.fdopen(fd, "rb", buffering=0) as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            size = os.fstat(fd).st_size
            if limit and size > limit:
                raise TooLarge(size, limit)
            data = handle.readall()  # one buffer sized from fstat, no chunk copies
            if limit and len(data) > limit:  # it grew while we looked
                raise TooLarge(len(data), limit)
            return data
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "is a folder, not a file")
        if not stat.S_ISFIFO(mode):
            raise NotAFile(_kind(mode))
        os.set_blocking(handle.fileno(), True)  # a pipe with a writer: wait for its data
        return _read_all(fd, limit)


def _read_all(fd: int, limit: int | None) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, 4 * MIB)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if limit and total > limit:
            raise TooLarge(None, limit)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def too_large_message(error: TooLarge, yaml: bool = False) -> str:
    """The finding message for a file over the size limit."""
    size = f"{error.size / MIB:.1f} MiB" if error.size is not None else "more than that"
    limit = f"{error.limit / MIB:.1f} MiB"
    if yaml:
        return (f"YAML file is {size}, over the {limit} allowed for YAML (1/{YAML_SHARE} of "
                "--max-size: YAML parsing takes about 50 times the file size in memory); "
                "convert it to JSON or raise --max-size")
    return (f"file is {size}, over the --max-size limit of {limit}; not read (raise "
            "--max-size to check it)")


_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": MIB, "MB": MIB, "MIB": MIB,
          "G": 1024 * MIB, "GB": 1024 * MIB, "GIB": 1024 * MIB}


def parse_size(text: str) -> int:
    """'256M', '1G', '500k' or plain bytes; 0 means no limit. Units are powers of 1024."""
    import argparse
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([A-Za-z]*)\s*", text)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _UNITS:
        raise argparse.ArgumentTypeError(f"expected a size such as 256M, 1G or 0 (no limit), "
                                         f"found {text!r}")
    return int(match.group(1)) * _UNITS[unit]
