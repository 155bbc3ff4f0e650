"""The schema walk of `respcontract diff`: two schema versions side by side, one place at a time.

`SchemaDiff.compare` flattens each side into the conjunction of subschemas that apply to
one place in the body, then lets keywords.Place judge that place and hand its children
back here. `covers` answers, by a silent walk, whether everything one schema admits the
other admits too (no breaking or risky difference found): it is how a new `oneOf`/`anyOf`
alternative is judged by its shape rather than by the number of alternatives.
"""

from __future__ import annotations

from validator.diff.keywords import Place
from validator.diff.model import Level
from validator.diff.schema import MAX_DEPTH, Emit, Resolver, Sub, identity
from validator.load.schemas import SchemaStore

MAX_COVER_DEPTH = 3  # nested shape checks beyond this count as "not covered" (conservative)


class SchemaDiff(Resolver):
    """Walks two schemas side by side and reports every difference through `emit`."""

    def __init__(self, old: SchemaStore, new: SchemaStore, emit: Emit,
                 cover_depth: int = 0) -> None:
        super().__init__(old, new)
        self.emit = emit
        self.cover_depth = cover_depth
        self._active: set[tuple[tuple[str, ...], tuple[str, ...], bool]] = set()

    def compare(self, old: list[Sub], new: list[Sub], at: str = "", context: str = "",
                partial: bool = False) -> None:
        """Compare the conjunction `old` with `new` at body pointer `at`.

        `partial` marks conditional branches and rule schemas: they add constraints to a
        parent schema, so a property they do not mention is not a removed property.
        """
        old_parts, new_parts = self.flatten(0, old), self.flatten(1, new)
        key = (identity(old_parts), identity(new_parts), partial)
        if key in self._active or len(self._active) > MAX_DEPTH:
            return  # a recursive schema: this pair is already being compared further up
        self._active.add(key)
        try:
            Place(self, old_parts, new_parts, at, context, partial,
                  old[0] if old else None, new[0] if new else None).run()
        finally:
            self._active.discard(key)

    def covers(self, old: list[Sub], new: list[Sub]) -> bool:
        """True when the walk finds nothing `new` admits that `old` does not."""
        if self.cover_depth >= MAX_COVER_DEPTH:
            return False
        found: list[Level] = []

        def collect(level: Level, *_: object) -> None:
            found.append(level)

        SchemaDiff(*self.stores, collect, self.cover_depth + 1).compare(old, new)
        return all(level is Level.SAFE for level in found)
