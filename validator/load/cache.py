"""A small on-disk cache of parsed contract files, so a check run need not import or run the
YAML parser (about 50 ms of start-up) when contracts have not changed.

Entries are keyed by the file's path, size and modification time, and by this package's
version; a stale or unreadable entry is ignored. Location: $RESPCONTRACT_CACHE_DIR, else
$XDG_CACHE_HOME/respcontract, else ~/.cache/respcontract. RESPCONTRACT_NO_CACHE=1 turns it off.
Nothing is ever written next to the user's files.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

FORMAT = 1


def _folder() -> Path | None:
    if os.environ.get("RESPCONTRACT_NO_CACHE"):
        return None
    explicit = os.environ.get("RESPCONTRACT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "respcontract"


def _key(path: Path) -> tuple[Path, list[Any]] | None:
    folder = _folder()
    if folder is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    resolved = str(path.resolve())
    return folder / entry_name(resolved, ".json"), [
        FORMAT, resolved, stat.st_size, stat.st_mtime_ns, Path(__file__).stat().st_mtime_ns]


def entry_name(text: str, suffix: str) -> str:
    """A cache file name for `text` (a path). Not a secure hash, and need not be: every
    entry holds its full key, so two paths sharing a name only evict each other; hashlib
    would cost start-up (its OpenSSL import) on every run."""
    data = text.encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{suffix}"


def get(path: Path) -> Any:
    """The cached parsed content of `path`, or None."""
    return lookup(path)[0]


def lookup(path: Path) -> tuple[Any, Any]:
    """(the cached parsed content of `path` or None, the `validated` stamp it was put with)."""
    found = _key(path)
    if found is None:
        return None, None
    entry, key = found
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(data, dict) or data.get("key") != key:
        return None, None
    return data.get("value"), data.get("validated")


def put(path: Path, value: Any, validated: Any = None) -> None:
    """Remember the parsed content of `path`; any failure is silently ignored.

    `validated` stamps content that passed a check (the contract meta-schema, named by its
    own stamp), so a later run with the same stamp may skip that check.
    """
    found = _key(path)
    if found is None:
        return
    entry, key = found
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        record = {"key": key, "value": value}
        if validated is not None:
            record["validated"] = validated
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, entry)
    except OSError:
        pass
