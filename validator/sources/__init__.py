"""Readers that turn recordings into exchanges: exchange files, HAR, cassettes, bare bodies.

`read(path)` never raises for a bad file: what cannot be read becomes a finding for that
file (or for that entry), and the run goes on with everything else.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import jsontext
from ..errors import SourceError
from ..exchange import Exchange
from ..findings import Finding, Severity

RECORDING_SUFFIXES = (".json", ".yaml", ".yml", ".har")


@dataclass
class Loaded:
    """What one file yielded: exchanges to check, and problems found while reading it."""

    source: str
    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    kind: str = ""  # "har", "cassette", "exchange" or "body" once recognised

    def problem(self, message: str, index: int | None = None, line: int | None = None,
                column: int | None = None, rule: str = "source") -> None:
        self.problems.append(Finding(Severity.ERROR, rule, message, self.source, index,
                                     line=line, column=column))


@dataclass
class Document:
    """A parsed recording file with what is needed to locate things inside it."""

    path: str
    raw: bytes
    text: str
    value: Any
    yaml_root: Any = None  # composed YAML nodes, None for JSON

    @property
    def is_yaml(self) -> bool:
        return self.yaml_root is not None

    def position(self, tokens: list[str]) -> tuple[int, int] | None:
        from .locate import json_position, yaml_position

        if self.is_yaml:
            return yaml_position(self.yaml_root, tokens)
        return json_position(self.text, tokens)


def iter_files(paths: Iterable[Path]) -> Iterator[Path | Finding]:
    """Recording files under the given paths, in a stable order, never following dir links."""
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(RECORDING_SUFFIXES) and not name.startswith("."):
                        yield Path(folder) / name
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield Finding(Severity.ERROR, "source", "no such file or folder", str(path))


def read(path: Path, endpoint: str | None = None, status: int = 200) -> Loaded:
    """Read any supported recording format; bad input becomes findings, never exceptions."""
    from . import body, cassette, exchange_file, har

    loaded = Loaded(str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        loaded.problem(f"cannot read file: {exc.strerror or exc}")
        return loaded
    try:
        document = parse(str(path), raw)
    except SourceError as exc:
        if endpoint and path.suffix.lower() not in (".yaml", ".yml"):
            loaded.kind = "body"
            loaded.exchanges.append(body.bare(str(path), raw, endpoint, status))
        else:
            loaded.problem(exc.message, line=exc.line, column=exc.column, rule=exc.rule)
        return loaded
    value = document.value
    try:
        if har.recognise(value):
            loaded.kind = "har"
            har.read(document, loaded, endpoint)
        elif cassette.recognise(value):
            loaded.kind = "cassette"
            cassette.read(document, loaded, endpoint)
        elif exchange_file.recognise(value):
            loaded.kind = "exchange"
            exchange_file.read(document, loaded, endpoint)
        elif endpoint:
            if document.is_yaml:
                loaded.problem("a bare body must be JSON, not YAML")
            else:
                loaded.kind = "body"
                loaded.exchanges.append(body.bare(str(path), raw, endpoint, status))
        else:
            loaded.problem("not an exchange file, HAR or cassette (to check a bare JSON "
                           "body, give --endpoint CONTRACT:ENDPOINT)")
    except SourceError as exc:
        loaded.problem(exc.message, line=exc.line, column=exc.column, rule=exc.rule)
    return loaded


def parse(name: str, raw: bytes) -> Document:
    """Parse a recording as strict JSON (by content) or safe YAML (by suffix or content)."""
    is_yaml = name.lower().endswith((".yaml", ".yml"))
    text, problem = jsontext.decode_text(raw)
    if text is None:
        assert problem is not None
        raise SourceError(f"cannot read file: {problem.message}", rule=problem.rule)
    if not is_yaml and text.lstrip()[:1] in ("{", "["):
        value, problem = jsontext.loads_strict(text)
        if problem is not None:
            line, column = (jsontext.line_column(text, problem.pos)
                            if problem.pos is not None else (None, None))
            raise SourceError(f"invalid JSON: {problem.message}", line, column, problem.rule)
        return Document(name, raw, text, value)
    if not is_yaml:
        raise SourceError("invalid JSON: expected an object or array", 1, 1, "body-json")
    from .. import yamltext

    value, root = yamltext.load(text)
    return Document(name, raw, text, value, root)
