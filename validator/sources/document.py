"""The shared types of the readers: what a file yielded, and a parsed recording file.

Kept apart from the package `__init__` so that every reader imports them directly and
the package imports the readers, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from validator.errors import RespcontractError
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


RELEASE_FROM = 1 << 20  # characters: the text of a smaller file is kept, never read twice


@record
class Document:
    """A parsed recording file with what is needed to locate things inside it."""

    path: str
    text: str | None  # for locating findings (None: released, read again when needed)
    value: Any
    yaml_root: Any = None  # composed YAML nodes, None for JSON
    location: Path | None = None  # the file itself, for bodies stored next to it
    # bodies stored beside the HAR inside its zip archive: a member's bytes, or why not
    attachments: Callable[[str], bytes | str] | None = None
    _index: jsontext.JsonIndex | None = field(default=None, repr=False)
    _stamp: tuple[int, int] | None = field(default=None, repr=False)  # (size, mtime) released

    def released_once_read(self) -> bool:
        """Whether `release_text` will drop this document's text (positions inside it are
        then best found before, while it is in memory)."""
        return not self.is_yaml and self.location is not None and self.text is not None \
            and len(self.text) >= RELEASE_FROM

    def locator(self, tokens: list[str]) -> Callable[[], tuple[int, int] | None]:
        """Where `tokens` is, asked later: found now if the text is released once read."""
        if self.released_once_read():
            found = self.position(tokens)
            return lambda: found
        return lambda: self.position(tokens)

    def release_text(self) -> None:
        """Drop the text of a large JSON file: a finding to locate reads the file again
        (if it has not changed since), so a 100 MB HAR is not held twice while its
        exchanges are read and checked."""
        if not self.released_once_read() or self.location is None:
            return
        try:
            stat = self.location.stat()
        except OSError:
            return
        self._stamp = (stat.st_size, stat.st_mtime_ns)
        self.text = self._index = None  # the index holds the text too

    def full_text(self) -> str | None:
        """The file's text (read again if released; None if it has changed since)."""
        if self.text is None and self._stamp is not None and self.location is not None:
            self.text = _read_again(self.path, self.location, self._stamp)
            if self.text is not None:
                self._stamp = None
        return self.text

    @property
    def is_yaml(self) -> bool:
        return self.yaml_root is not None

    def position(self, tokens: list[str]) -> tuple[int, int] | None:
        from validator.sources.locate import yaml_position

        if self.is_yaml:
            return yaml_position(self.yaml_root, tokens)
        index = self.json_index()
        pos = index.offset(tokens) if index is not None else None
        return index.line_column(pos) if index is not None and pos is not None else None

    def json_index(self) -> jsontext.JsonIndex | None:
        """Shared by every exchange of the file, so a big HAR is walked once, not per entry
        (None: the released text cannot be read again)."""
        if self._index is None:
            text = self.full_text()
            if text is None:
                return None
            self._index = jsontext.JsonIndex(text)
        return self._index


def _read_again(name: str, location: Path, stamp: tuple[int, int]) -> str | None:
    """A released file's text, if the file is still the one that was read."""
    from validator.sources import recording_text
    from validator.sources.files import read_limited

    try:
        stat = location.stat()
        if (stat.st_size, stat.st_mtime_ns) != stamp:
            return None
        return recording_text(name, read_limited(location, None))
    except (OSError, ValueError, RespcontractError):
        return None


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
