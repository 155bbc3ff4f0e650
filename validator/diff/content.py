"""Keywords about what a value carries and how alternatives are named: contentEncoding,
contentMediaType, contentSchema, `not`, and OpenAPI's `discriminator`."""

from __future__ import annotations

from validator.diff.place import PlaceBase, names, trivial
from validator.diff.schema import BREAKING, RISKY, SAFE, canonical


class ContentKeywords(PlaceBase):
    """content*, not and discriminator at one place."""

    def content(self) -> None:
        """contentEncoding/contentMediaType: the consumer's decoder depends on them."""
        for keyword in ("contentEncoding", "contentMediaType"):
            old, new = self.values_of(self.old, keyword), self.values_of(self.new, keyword)
            if old == new:
                continue
            if not old:
                self.say(SAFE, "content-described", f"{keyword} {new[0]} added", keyword)
            elif not new:
                self.say(BREAKING, "content-changed", f"{keyword} {old[0]} removed: the "
                         "string no longer promises that content", keyword)
            else:
                self.say(BREAKING, "content-changed", f"{keyword} changed from {old[0]} to "
                         f"{new[0]}: the consumer's decoder fails on the new content", keyword)
        old_schema = self.keyword(self.old, "contentSchema")
        new_schema = self.keyword(self.new, "contentSchema")
        if old_schema and new_schema:
            self.walker.compare(old_schema, new_schema, self.at,
                                f"{self.context}decoded content: ", self.partial)
        elif new_schema:
            self.say(SAFE, "content-described", "contentSchema added: the decoded content "
                     "is now described", "contentSchema")
        elif old_schema and not trivial(old_schema):
            self.say(BREAKING, "content-changed", "contentSchema removed: the decoded "
                     "content is no longer described", "contentSchema")

    # -- the rest --------------------------------------------------------------------------

    def negation(self) -> None:
        old, new = self.values_of(self.old, "not"), self.values_of(self.new, "not")
        if old == new:
            return
        if not old:
            self.say(SAFE, "constraint-added", "a `not` constraint added: fewer values pass",
                     "not")
        elif not new:
            self.say(BREAKING, "constraint-removed", "the `not` constraint removed: values "
                     "it excluded can now be returned", "not")
        else:
            self.say(RISKY, "not-changed", "the `not` schema changed: which values it now "
                     "excludes is not compared (approximation: any change to `not` is "
                     "undecided)", "not")

    def discriminator(self) -> None:
        old = [p.node["discriminator"] for p in self.old if isinstance(
            p.node.get("discriminator") if p.keys else None, dict)]
        new = [p.node["discriminator"] for p in self.new if isinstance(
            p.node.get("discriminator") if p.keys else None, dict)]
        if canonical(old) == canonical(new):
            return
        if not old:
            self.say(SAFE, "discriminator-changed", "discriminator added: the alternatives "
                     "are now named by a property", "discriminator")
            return
        if not new:
            self.say(RISKY, "discriminator-changed", "discriminator removed: the bodies are "
                     "the same, but generated clients that dispatch on it lose their key",
                     "discriminator")
            return
        o, n = old[0], new[0]
        if o.get("propertyName") != n.get("propertyName"):
            self.say(RISKY, "discriminator-changed", f"discriminator property changed "
                     f"from {o.get('propertyName')!r} to {n.get('propertyName')!r}: the "
                     "bodies are the same, but clients that dispatch on the old one no "
                     "longer find their key", "discriminator")
        old_map = o.get("mapping") if isinstance(o.get("mapping"), dict) else {}
        new_map = n.get("mapping") if isinstance(n.get("mapping"), dict) else {}
        added = sorted(new_map.keys() - old_map.keys())
        removed = sorted(old_map.keys() - new_map.keys())
        moved = sorted(k for k in old_map.keys() & new_map.keys() if old_map[k] != new_map[k])
        if added:
            self.say(RISKY, "discriminator-changed", f"discriminator mapping added for "
                     f"{names(added)}: the bodies are the same (the alternatives say what "
                     "can come), but a client's dispatch may have no case for the name",
                     "discriminator")
        if moved:
            self.say(RISKY, "discriminator-changed", f"discriminator mapping for "
                     f"{names(moved)} now names another schema: clients dispatch those "
                     "bodies differently", "discriminator")
        if removed:
            self.say(SAFE, "discriminator-changed", f"discriminator mapping removed for "
                     f"{names(removed)}: that kind no longer comes back", "discriminator")
