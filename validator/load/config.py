"""`[tool.respcontract]` in the user's pyproject.toml, merged under command-line options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from validator.errors import UsageError
from validator.model.record import field, record

KNOWN_KEYS = {"contracts", "recordings", "strict", "bundled", "format"}


@record
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
    if not may_configure(text):
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


def may_configure(text: str) -> bool:
    """Whether pyproject.toml text may hold a `tool.respcontract` table: False only when
    it surely does not (no table header or key of `tool` names it), so that a project
    which merely depends on respcontract, or names a script after it, is not parsed."""
    if "respcontract" not in text:
        return False
    table = None  # the root table, before any header
    for line in text.splitlines():
        bare = "".join(line.split()).replace('"', "").replace("'", "")
        if bare.startswith("["):
            table = bare.lstrip("[").split("]")[0]
            if table.startswith("tool.respcontract"):
                return True
        elif "respcontract" in bare and (table == "tool" or (table is None
                                                              and bare.startswith("tool"))):
            return True
    return False


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
