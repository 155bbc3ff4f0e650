"""What every keyword comparison shares: the two conjunctions at one place, and how to report."""

from __future__ import annotations

from typing import Any

from validator.diff.model import Level
from validator.diff.schema import Sub, Walker, canonical


class PlaceBase:
    """One comparison step: what old and new say about one location of the body."""

    def __init__(self, walker: Walker, old: list[Sub], new: list[Sub], at: str,
                 context: str, partial: bool, old_anchor: Sub | None,
                 new_anchor: Sub | None) -> None:
        self.walker = walker
        self.old, self.new = old, new
        self.at, self.context, self.partial = at, context, partial
        self.anchors = (old_anchor, new_anchor)

    def say(self, level: Level, kind: str, message: str, keyword: str = "") -> None:
        """Report at this place; `keyword` points the location at the keyword itself."""
        old, new = self.anchors
        if keyword:
            old = next((p.child(keyword) for p in self.old if keyword in p.keys), old)
            new = next((p.child(keyword) for p in self.new if keyword in p.keys), new)
        self.walker.emit(level, kind, self.at, self.context + message, old, new)

    def keyword(self, parts: list[Sub], keyword: str) -> list[Sub]:
        return [p.child(keyword) for p in parts if keyword in p.keys]

    def values_of(self, parts: list[Sub], keyword: str) -> list[str]:
        return [canonical(p.node[keyword]) for p in parts if keyword in p.keys]

    def named(self, parts: list[Sub], keyword: str) -> dict[str, list[Sub]]:
        found: dict[str, list[Sub]] = {}
        for part in parts:
            members = part.node.get(keyword) if isinstance(part.node, dict) else None
            if isinstance(members, dict):
                for name in members:
                    found.setdefault(name, []).append(part.child(keyword, name))
        return found

    def flag_set(self, parts: list[Sub], keyword: str) -> bool:
        return any(isinstance(p.node, dict) and p.node.get(keyword) is True for p in parts)

    def flag(self, keyword: str, off_level: Level, off_kind: str, off: str,
             on_level: Level, on_kind: str, on: str) -> None:
        """A keyword that is either true or absent: report it being switched off or on."""
        old, new = self.flag_set(self.old, keyword), self.flag_set(self.new, keyword)
        if old and not new:
            self.say(off_level, off_kind, off, keyword)
        elif new and not old:
            self.say(on_level, on_kind, on, keyword)


def trivial(subs: list[Sub]) -> bool:
    """No constraint at all: nothing, `true`, `{}` or only annotations."""
    from validator.diff.schema import DOCS_KEYWORDS

    return all(s.node is True or (isinstance(s.node, dict) and
                                  s.keys <= {*DOCS_KEYWORDS, "deprecated"}) for s in subs)


def member_state(subs: list[Sub]) -> str:
    """How a members keyword (additionalProperties, ...) treats what it covers."""
    if any(s.node is False for s in subs):
        return "closed"
    if not subs or trivial(subs):
        return "open"
    return "typed"


def names(values: Any) -> str:
    """Values listed for a message: 'a', 'b'."""
    return ", ".join(repr(v) for v in values)
