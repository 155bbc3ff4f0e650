"""What `respcontract diff` finds: changes, their levels, and the verdict for an exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """How a change lands on code that consumes the responses."""

    BREAKING = "breaking"
    RISKY = "risky"
    SAFE = "safe"

    @property
    def rank(self) -> int:
        return {"safe": 0, "risky": 1, "breaking": 2}[self.value]


FAIL_ON = ("breaking", "risky", "never")


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new contract set."""

    level: Level
    kind: str  # short id of the classification row, e.g. "property-removed"
    endpoint: str  # CONTRACT:ENDPOINT, or CONTRACT for contract-wide changes
    status: str  # the response status key ("200", "4XX"), "" when not about one response
    pointer: str  # into the response body; `*` stands for every item or member
    message: str
    source: str = ""  # file that shows the change (new side when it exists there)
    location: str = ""  # JSON pointer inside that file
    line: int | None = None
    in_worktree: bool = False  # source is a file of the working tree (can carry annotations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "kind": self.kind,
            "endpoint": self.endpoint,
            "status": self.status,
            "pointer": self.pointer,
            "message": self.message,
            "source": self.source,
            "location": self.location,
            "line": self.line,
        }

    def fails(self, fail_on: str) -> bool:
        return fail_on != "never" and self.level.rank >= Level(fail_on).rank


@dataclass
class DiffResult:
    """The changes between two contract versions, and the verdict for a --fail-on level."""

    old: str
    new: str
    changes: list[Change] = field(default_factory=list)

    def count(self, level: Level) -> int:
        return sum(1 for change in self.changes if change.level is level)

    def summary(self) -> dict[str, int]:
        return {level.value: self.count(level) for level in Level}

    def failed(self, fail_on: str) -> bool:
        return any(change.fails(fail_on) for change in self.changes)

    def exit_code(self, fail_on: str) -> int:
        return 1 if self.failed(fail_on) else 0

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "summary": self.summary(),
                "changes": [change.to_dict() for change in self.changes]}
