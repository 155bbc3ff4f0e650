"""Writing output files (recordings, reproducers, samples): an existing file is never replaced."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def write_new(folder: Path, names: Iterable[str], text: str, reuse_same: bool = False
              ) -> Path | None:
    """Write `text` to the first of `names` in `folder` that does not exist yet (exclusive
    create, so two runs never write the same file); with `reuse_same`, a file that already
    holds exactly `text` is returned instead. None when every name is taken."""
    for name in names:
        path = folder / name
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except FileExistsError:
            if reuse_same and path.read_text(encoding="utf-8") == text:
                return path
    return None
