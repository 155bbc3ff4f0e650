"""`[tool.respcontract]` in the user's pyproject.toml, merged under command-line options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import UsageError

KNOWN_KEYS = {"contracts", "recordings", "strict", "bundled", "format"}


@dataclass
class Config:
    """The settings `[tool.respcontract]` gives; command-line options override them."""
    contracts: list[Path] = field(default_factory=list)
    recordings: list[Path] = field(default_factory=list)
    strict: bool = False
    bundled: bool = True
    format: str | None = None
    source: Path | None = None


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml in `start` or a folder above it."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(start: Path | None = None) -> Config:
    """The Config of the nearest pyproject.toml (the defaults when there is none)."""
    pyproject = find_pyproject((start or Path.cwd()).resolve())
    if pyproject is None:
        return Config()
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{pyproject}: cannot read: {exc}") from None
    if "respcontract" not in text:
        return Config()  # most projects: skip the TOML parser and its import time
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{pyproject}: cannot read [tool.respcontract]: {exc}") from None
    table = data.get("tool", {}).get("respcontract")
    if table is None:
        return Config()
    return from_table(table, pyproject)


def from_table(table: Any, pyproject: Path) -> Config:
    """The Config a `[tool.respcontract]` table asks for; every key's type and value is
    checked, and a wrong one is a UsageError of one line naming the file and the key."""
    where = f"{pyproject}: [tool.respcontract]"
    if not isinstance(table, dict):
        raise UsageError(f"{where} must be a table")
    unknown = set(table) - KNOWN_KEYS
    if unknown:
        raise UsageError(f"{where}: unknown key {sorted(unknown)[0]!r} "
                         f"(known: {', '.join(sorted(KNOWN_KEYS))})")
    base = pyproject.parent
    config = Config(source=pyproject)
    for key in ("contracts", "recordings"):
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{where}: {key} must be a list of paths")
        setattr(config, key, [base / v for v in value])
    for key in ("strict", "bundled"):
        if key in table:
            if not isinstance(table[key], bool):
                raise UsageError(f"{where}: {key} must be true or false")
            setattr(config, key, table[key])
    if "format" in table:
        config.format = _format(table["format"], where)
    return config


def _format(value: Any, where: str) -> str:
    from validator.report import FORMATS

    if not isinstance(value, str) or value not in FORMATS:
        raise UsageError(f"{where}: format must be one of {', '.join(FORMATS)} "
                         f"(found {value!r})")
    return value
