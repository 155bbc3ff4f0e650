"""Array keywords, position by position: prefixItems, items, unevaluatedItems, contains.

Each position is described by the `prefixItems` entry that covers it, else by `items`
(2020-12: `items` applies after the prefix). Comparing positions rather than keywords is
what catches a `prefixItems` added next to an `items` that covered those positions.
"""

from __future__ import annotations

from validator.diff.place import PlaceBase, member_state, trivial
from validator.diff.schema import BREAKING, SAFE, Sub, numbers, show


class ArrayKeywords(PlaceBase):
    """What an array at this place may hold, item by item."""

    def items(self) -> None:
        width = max(_prefix_length(self.old), _prefix_length(self.new))
        for index in range(width):
            self.position(_at_position(self.old, index), _at_position(self.new, index),
                          f"{self.at}/{index}", f"array item {index}")
        self.position(self.keyword(self.old, "items"), self.keyword(self.new, "items"),
                      f"{self.at}/*", "array items" if not width else
                      f"array items after position {width - 1}")
        self.unevaluated_items()
        self.contains()

    def position(self, old: list[Sub], new: list[Sub], at: str, what: str) -> None:
        if not old and not new:
            return
        before, after = member_state(old), member_state(new)
        if before == "closed" and after != "closed":
            self.say(BREAKING, "items-opened", f"{what} were not allowed and now may "
                     "appear: the array can be longer", "items")
        elif after == "closed" and before != "closed":
            self.say(SAFE, "items-closed", f"{what} are no longer allowed: the array is "
                     "shorter", "items")
        elif before == after == "closed":
            return
        elif (old and new) or self.partial:
            self.walker.compare(old, new, at, self.context, self.partial)
        elif old and not trivial(old):
            self.say(BREAKING, "schema-dropped", f"{what} are no longer described")
        elif new and not trivial(new):
            self.say(SAFE, "schema-added", f"{what} are now described")

    def unevaluated_items(self) -> None:
        old = self.keyword(self.old, "unevaluatedItems")
        new = self.keyword(self.new, "unevaluatedItems")
        before, after = member_state(old), member_state(new)
        if before == after == "typed":
            self.walker.compare(old, new, f"{self.at}/*", self.context, self.partial)
        elif before == after:
            return
        elif after == "closed" or (after == "typed" and before == "open"):
            self.say(SAFE, "items-closed", "unevaluatedItems added: items no other keyword "
                     "describes are now limited", "unevaluatedItems")
        else:
            self.say(BREAKING, "items-opened", "unevaluatedItems removed or loosened: items "
                     "no other keyword describes may now be anything", "unevaluatedItems")

    def contains(self) -> None:
        old, new = self.keyword(self.old, "contains"), self.keyword(self.new, "contains")
        if old and new:
            self.walker.compare(old, new, f"{self.at}/*", f"{self.context}contains: ",
                                self.partial)
        elif new:
            self.say(SAFE, "contains-added", "contains added: the array now promises an "
                     "item of that shape", "contains")
            return
        elif old:
            self.say(BREAKING, "contains-removed", "contains removed: the array no longer "
                     "promises an item of that shape", "contains")
            return
        else:
            return
        self.contains_counts()

    def contains_counts(self) -> None:
        old_min = numbers(self.old, "minContains", max)
        new_min = numbers(self.new, "minContains", max)
        old_min, new_min = 1 if old_min is None else old_min, 1 if new_min is None else new_min
        if new_min < old_min:
            self.say(BREAKING, "limit-loosened", f"minContains lowered from {show(old_min)} "
                     f"to {show(new_min)}: fewer matching items are promised", "minContains")
        elif new_min > old_min:
            self.say(SAFE, "limit-tightened", f"minContains raised from {show(old_min)} to "
                     f"{show(new_min)}", "minContains")
        old_max = numbers(self.old, "maxContains", min)
        new_max = numbers(self.new, "maxContains", min)
        if old_max == new_max:
            return
        if new_max is None or (old_max is not None and new_max > old_max):
            self.say(BREAKING, "limit-loosened", f"maxContains loosened from "
                     f"{show(old_max)} to {show(new_max)}: more matching items can come "
                     "back", "maxContains")
        else:
            self.say(SAFE, "limit-tightened", f"maxContains tightened from {show(old_max)} "
                     f"to {show(new_max)}", "maxContains")


def _prefix_length(parts: list[Sub]) -> int:
    lengths = [len(p.node["prefixItems"]) for p in parts
               if isinstance(p.node, dict) and isinstance(p.node.get("prefixItems"), list)]
    return max(lengths, default=0)


def _at_position(parts: list[Sub], index: int) -> list[Sub]:
    """The subschemas that describe item `index`: its prefixItems entry, else `items`."""
    found = []
    for part in parts:
        node = part.node if isinstance(part.node, dict) else {}
        prefix = node.get("prefixItems")
        if isinstance(prefix, list) and index < len(prefix):
            found.append(part.child("prefixItems", index))
        elif "items" in node:
            found.append(part.child("items"))
    return found
