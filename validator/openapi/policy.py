"""The import policy: how vendor constraints become contract constraints (drift vs breakage)."""

from __future__ import annotations

from dataclasses import dataclass, field

CLOSED_MARK = "x-respcontract-enum"  # on a schema: "closed" keeps its enum, "open" opens it
OBJECT_MARK = "x-respcontract-object"  # on a schema: "closed" keeps additionalProperties: false
EXPORT_MARK = "x-respcontract"  # on an exported document: its schemas already follow the policy


@dataclass(frozen=True)
class Policy:
    """Enums open (`x-documented`, values outside are drift) unless closed by name or mark.

    `faithful` imports schemas as written (set for documents respcontract exported)."""

    enums: str = "open"  # "open" or "closed": the default for every enum
    closed_enums: frozenset[str] = field(default_factory=frozenset)  # property names kept closed
    faithful: bool = False

    def enum_is_closed(self, schema: dict[str, object], name: str | None) -> bool:
        """Whether the enum of this schema (property `name`) stays a real constraint."""
        mark = schema.get(CLOSED_MARK)
        if mark in ("closed", "open"):
            return mark == "closed"
        if self.faithful or (name is not None and name in self.closed_enums):
            return True
        return self.enums == "closed"
