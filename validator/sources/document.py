"""The shared types of the readers: what a file yielded, and a parsed recording file.

Kept apart from the package `__init__` so that every reader imports them directly and
the package imports the readers, never the other way round.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from validator.formats import json as jsontext
from validator.model.exchange import Exchange
from validator.model.findings import Finding, Severity
from validator.model.record import field, record


@record
class Loaded:
    """What one file yielded: exchanges to check, and problems found while reading it."""

    source: str
    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    kind: str = ""  # "har", "cassette", "exchange" or "body" once recognised

    def warn(self, message: str, index: int | None = None, line: int | None = None,
             rule: str = "source") -> None:
        """Record a warning for this file: readable, but something the user should know."""
        self.problems.append(Finding(Severity.WARNING, rule, _one_line(message), self.source,
                                     index, line=line))

    def problem(self, message: str, index: int | None = None, line: int | None = None,
                column: int | None = None, rule: str = "source") -> None:
        """Record an error finding for this file (or one of its exchanges)."""
        self.problems.append(Finding(Severity.ERROR, rule, _one_line(message), self.source, index,
                                     line=line, column=column))


@record
class Document:
    """A parsed recording file with what is needed to locate things inside it."""

    path: str
    text: str  # kept for locating findings; the raw bytes are dropped once decoded
    value: Any
    yaml_root: Any = None  # composed YAML nodes, None for JSON
    location: Path | None = None  # the file itself, for bodies stored next to it
    _index: jsontext.JsonIndex | None = field(default=None, repr=False)

    @property
    def is_yaml(self) -> bool:
        return self.yaml_root is not None

    def position(self, tokens: list[str]) -> tuple[int, int] | None:
        from validator.sources.locate import yaml_position

        if self.is_yaml:
            return yaml_position(self.yaml_root, tokens)
        index = self.json_index()
        pos = index.offset(tokens)
        return index.line_column(pos) if pos is not None else None

    def json_index(self) -> jsontext.JsonIndex:
        """Shared by every exchange of the file, so a big HAR is walked once, not per entry."""
        if self._index is None:
            self._index = jsontext.JsonIndex(self.text)
        return self._index


def url_problem(url: str) -> str | None:
    """Why a recorded request URL cannot be used (None when it can)."""
    from urllib.parse import urlsplit

    try:
        urlsplit(url)
    except ValueError as exc:
        return f"the request URL is not a valid URL ({' '.join(str(exc).split())[:80]})"
    return None




def _one_line(message: str) -> str:
    message = " ".join(message.split())  # one line, whatever the file held
    return message if len(message) <= 500 else message[:497] + "..."
