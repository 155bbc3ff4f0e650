"""Object keywords: properties, required, members (additional, unevaluated, pattern), names,
dependencies, and properties moved into `oneOf`/`anyOf` alternatives."""

from __future__ import annotations

import re
from collections.abc import Iterator

from validator.diff.place import PlaceBase, member_state, names, trivial
from validator.diff.schema import BREAKING, RISKY, SAFE, Sub, Walker
from validator.model.pointer import escape_token

ALTERNATIVES = ("oneOf", "anyOf")
MAX_NESTING = 4


class ObjectKeywords(PlaceBase):
    """What an object at this place may hold, member by member."""

    def properties(self) -> None:
        old, new = self.named(self.old, "properties"), self.named(self.new, "properties")
        old_required = guaranteed(self.walker, 0, self.old)
        new_required = guaranteed(self.walker, 1, self.new)
        moved = {name: branches for name in old.keys() - new.keys()
                 if (branches := declaring_branches(self.walker, self.new, name))}
        for name in sorted(old.keys() | new.keys()):
            at = f"{self.at}/{escape_token(name)}"
            if self.flag_set(old.get(name, []), "writeOnly") and \
                    self.flag_set(new.get(name, []), "writeOnly"):
                continue  # never sent in responses, on either side
            if self.partial or (name in old and name in new):
                self.writes(name, old.get(name, []), new.get(name, []))
                self.walker.compare(old.get(name, []), new.get(name, []), at, self.context,
                                    self.partial)
            elif name in moved:
                for label, declared in moved[name]:
                    self.walker.compare(old[name], declared, at, f"{self.context}{label}: ")
            elif name in old:
                self.removed(name, name in old_required, at)
            else:
                self.added(name, name in new_required, new[name], at)
        if moved and not self.partial:
            self.split(sorted(moved), old_required, new_required)
        for name in sorted(old_required - new_required):
            if name in moved or self.flag_set(new.get(name, []), "writeOnly"):
                continue  # told by the split above, or never sent
            if name in new or self.partial or name not in old:
                self.say(BREAKING, "property-optional", f"{name!r} is no longer required: "
                         f"it may be missing{required_in_some(self.walker, self.new, name)}",
                         "required")
        for name in sorted(new_required - old_required):
            if name in old or self.partial or name not in new:
                self.say(SAFE, "property-required", f"{name!r} is now always present",
                         "required")

    def writes(self, name: str, old: list[Sub], new: list[Sub]) -> None:
        """writeOnly: a member servers never send back. Becoming one is a removal."""
        old_flag, new_flag = self.flag_set(old, "writeOnly"), self.flag_set(new, "writeOnly")
        if new_flag and not old_flag:
            self.say(BREAKING, "property-write-only", f"property {name!r} became writeOnly: "
                     "it is no longer sent in responses", "properties")
        elif old_flag and not new_flag:
            self.say(SAFE, "property-write-only", f"property {name!r} is no longer "
                     "writeOnly: it now comes back in responses", "properties")

    def removed(self, name: str, was_required: bool, at: str) -> None:
        if self.flag_set(self.named(self.old, "properties")[name], "writeOnly"):
            self.say(SAFE, "property-removed", f"writeOnly property {name!r} removed: it "
                     "never came back in responses", "properties")
            return
        state, schemas = self.member_rule(1, self.new, name)
        if state == "typed":
            self.walker.compare(self.named(self.old, "properties")[name], schemas, at,
                                f"{self.context}{name!r} now falls under the members "
                                "schema: ", self.partial)
        if was_required:
            self.say(BREAKING, "property-removed", f"required property {name!r} removed: "
                     "code that reads it finds nothing", "properties")
        elif state == "open":
            self.say(BREAKING, "property-removed", f"property {name!r} removed: it may "
                     "still come back, with any value", "properties")
        elif state == "closed":
            self.say(RISKY, "property-removed", f"optional property {name!r} removed and "
                     "no longer allowed: harmless in theory (it could always be missing), "
                     "but code that used it never gets it now", "properties")

    def added(self, name: str, required: bool, schemas: list[Sub], at: str) -> None:
        always = "always present" if required else "optional"
        if self.flag_set(schemas, "writeOnly"):
            self.say(SAFE, "property-added", f"new writeOnly property {name!r}: it is not "
                     "sent in responses", "properties")
            return
        state, old_schemas = self.member_rule(0, self.old, name)
        if state == "closed":
            self.say(BREAKING, "members-opened", f"new {always} property {name!r}: the "
                     "object did not allow it before", "properties")
        elif state == "typed":
            self.walker.compare(old_schemas, schemas, at, f"{self.context}{name!r} was under "
                                "the members schema: ", self.partial)
            self.say(SAFE, "property-added", f"new {always} property {name!r}", "properties")
        else:
            self.say(SAFE, "property-added", f"new {always} property {name!r}", "properties")

    def member_rule(self, side: int, parts: list[Sub], name: str) -> tuple[str, list[Sub]]:
        """How a member not listed in `properties` is treated: open, closed or typed."""
        matching = [s for pattern, subs in self.named(parts, "patternProperties").items()
                    if _search(pattern, name) for s in subs]
        if matching:
            return member_state(matching), matching
        extra = self.members_keyword(parts)
        return member_state(extra), extra

    def members_keyword(self, parts: list[Sub]) -> list[Sub]:
        found = self.keyword(parts, "additionalProperties")
        return found or self.keyword(parts, "unevaluatedProperties")

    def split(self, moved: list[str], old_required: set[str], new_required: set[str]) -> None:
        """Properties now declared inside alternatives: say which stopped coming together."""
        lost = [n for n in sorted(old_required) if n not in new_required]
        alternatives = alternative_requirements(self.walker, self.new)
        listing = "; ".join(f"{label} requires {names(sorted(req)) or 'nothing'}"
                            for label, req in alternatives)
        if lost:
            self.say(BREAKING, "members-split", f"{names(lost)} are no longer required "
                     f"together: the body now matches one of several alternatives "
                     f"({listing}), each promising only some of them", "required")
        else:
            self.say(SAFE, "members-split", f"{names(moved)} moved into alternatives "
                     f"({listing}); every member required before still is", "required")

    def members(self) -> None:
        self.extra_members()
        self.pattern_members()
        self.property_names()
        self.dependencies()

    def extra_members(self) -> None:
        old, new = self.members_keyword(self.old), self.members_keyword(self.new)
        keyword = (new or old or [Sub(None, "", "/additionalProperties")])[0].pointer \
            .rsplit("/", 1)[-1]
        before, after = member_state(old), member_state(new)
        if before == after == "typed":
            self.walker.compare(old, new, f"{self.at}/*", self.context, self.partial)
        elif before == after:
            return
        elif after == "closed":
            self.say(SAFE, "members-closed", f"{keyword} is now false: members not "
                     "listed can no longer appear", keyword)
        elif after == "typed" and before == "open":
            self.say(SAFE, "members-closed", f"{keyword} now describes the members not "
                     "listed", keyword)
        elif before == "closed":
            self.say(BREAKING, "members-opened", f"{keyword} no longer false: members not "
                     "listed may now appear", keyword)
        else:
            self.say(BREAKING, "members-opened", f"{keyword} schema removed: members not "
                     "listed (map values) may now be anything", keyword)

    def pattern_members(self) -> None:
        old, new = self.named(self.old, "patternProperties"), \
            self.named(self.new, "patternProperties")
        old_extra, new_extra = self.members_keyword(self.old), self.members_keyword(self.new)
        for pattern in sorted(old.keys() | new.keys()):
            label = f"{self.context}members matching {pattern!r}: "
            if pattern in old and pattern in new:
                self.walker.compare(old[pattern], new[pattern], f"{self.at}/*", label,
                                    self.partial)
            elif pattern in old:
                self.pattern_removed(pattern, old[pattern], new_extra, label)
            else:
                self.pattern_added(pattern, new[pattern], old_extra, label)

    def pattern_removed(self, pattern: str, schemas: list[Sub], extra: list[Sub],
                        label: str) -> None:
        state = member_state(extra)
        if state == "closed":
            self.say(SAFE, "members-closed", f"patternProperties {pattern!r} removed: "
                     "members matching it can no longer appear", "patternProperties")
        elif state == "typed":
            self.walker.compare(schemas, extra, f"{self.at}/*", label, self.partial)
        elif not trivial(schemas):
            self.say(BREAKING, "members-opened", f"patternProperties {pattern!r} removed: "
                     "members matching it may now hold any value", "patternProperties")

    def pattern_added(self, pattern: str, schemas: list[Sub], extra: list[Sub],
                      label: str) -> None:
        state = member_state(extra)
        if state == "closed" and not all(s.node is False for s in schemas):
            self.say(BREAKING, "members-opened", f"patternProperties {pattern!r} added: "
                     "members matching it may now appear", "patternProperties")
        elif state == "typed":
            self.walker.compare(extra, schemas, f"{self.at}/*", label, self.partial)
        else:
            self.say(SAFE, "members-closed", f"patternProperties {pattern!r} added: members "
                     "matching it are now described", "patternProperties")

    def property_names(self) -> None:
        old, new = self.keyword(self.old, "propertyNames"), \
            self.keyword(self.new, "propertyNames")
        if old and new:
            self.walker.compare(old, new, self.at, f"{self.context}member names: ",
                                self.partial)
        elif new and not trivial(new):
            self.say(SAFE, "names-restricted", "propertyNames added: member names are now "
                     "limited", "propertyNames")
        elif old and not trivial(old):
            self.say(BREAKING, "names-opened", "propertyNames removed: members may now "
                     "have any name", "propertyNames")

    def dependencies(self) -> None:
        required = guaranteed(self.walker, 1, self.new)
        old, new = _dependent(self.old), _dependent(self.new)
        for trigger in sorted(old.keys() | new.keys()):
            lost = sorted(old.get(trigger, set()) - new.get(trigger, set()) - required)
            came = sorted(new.get(trigger, set()) - old.get(trigger, set()))
            if lost:
                self.say(BREAKING, "dependency-removed", f"when {trigger!r} is present, "
                         f"{names(lost)} no longer come with it (dependentRequired)",
                         "dependentRequired")
            if came:
                self.say(SAFE, "dependency-added", f"when {trigger!r} is present, "
                         f"{names(came)} now come with it (dependentRequired)",
                         "dependentRequired")
        old_schemas = self.named(self.old, "dependentSchemas")
        new_schemas = self.named(self.new, "dependentSchemas")
        for trigger in sorted(old_schemas.keys() | new_schemas.keys()):
            label = f"{self.context}when {trigger!r} is present: "
            if trigger in old_schemas and trigger in new_schemas:
                self.walker.compare(old_schemas[trigger], new_schemas[trigger], self.at,
                                    label, partial=True)
            elif trigger in new_schemas:
                self.say(SAFE, "dependency-added", f"dependentSchemas for {trigger!r} "
                         "added: bodies holding it promise more", "dependentSchemas")
            elif not trivial(old_schemas[trigger]):
                self.say(BREAKING, "dependency-removed", f"dependentSchemas for "
                         f"{trigger!r} removed: bodies holding it no longer promise what "
                         "it said", "dependentSchemas")


# -- required members across alternatives -------------------------------------------------

def guaranteed(walker: Walker, side: int, parts: list[Sub], depth: int = 0) -> set[str]:
    """Members every valid body has: `required` lists, plus those all alternatives require."""
    found: set[str] = set()
    for part in parts:
        node = part.node if isinstance(part.node, dict) else {}
        listed = node.get("required")
        if isinstance(listed, list):
            found.update(n for n in listed if isinstance(n, str))
        if depth >= MAX_NESTING:
            continue
        for keyword in ALTERNATIVES:
            branches = node.get(keyword)
            if isinstance(branches, list) and branches:
                sets = [guaranteed(walker, side, _flat(walker, side, part.child(keyword, i)),
                                   depth + 1) for i in range(len(branches))]
                found.update(set.intersection(*sets))
    return found


def alternative_requirements(walker: Walker, parts: list[Sub]) -> list[tuple[str, set[str]]]:
    """(label, members it requires) for each alternative of the new side."""
    return [(label, guaranteed(walker, 1, flat))
            for label, flat in _new_alternatives(walker, parts)]


def declaring_branches(walker: Walker, parts: list[Sub], name: str) -> list[tuple[str,
                                                                                list[Sub]]]:
    """Alternatives (of the new side) that declare property `name`, with its schemas."""
    found = []
    for label, flat in _new_alternatives(walker, parts):
        declared = [p.child("properties", name) for p in flat
                    if isinstance(p.node, dict) and isinstance(p.node.get("properties"), dict)
                    and name in p.node["properties"]]
        if declared:
            found.append((f"in {label}", declared))
    return found


def required_in_some(walker: Walker, parts: list[Sub], name: str) -> str:
    """Which alternatives still require member `name`, as a reason suffix."""
    labels = [label for label, req in alternative_requirements(walker, parts) if name in req]
    return f" (only {', '.join(labels)} require it)" if labels else ""


def _new_alternatives(walker: Walker, parts: list[Sub]) -> Iterator[tuple[str, list[Sub]]]:
    """("oneOf alternative 2", its flattened schemas) for each alternative of the new side."""
    for part in parts:
        node = part.node if isinstance(part.node, dict) else {}
        for keyword in ALTERNATIVES:
            for i in range(len(node.get(keyword) or [])):
                yield f"{keyword} alternative {i + 1}", _flat(walker, 1, part.child(keyword, i))


def _flat(walker: Walker, side: int, sub: Sub) -> list[Sub]:
    return walker.flatten(side, [sub])


def _dependent(parts: list[Sub]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for part in parts:
        listed = part.node.get("dependentRequired") if isinstance(part.node, dict) else None
        if isinstance(listed, dict):
            for trigger, members in listed.items():
                if isinstance(members, list):
                    found.setdefault(trigger, set()).update(
                        m for m in members if isinstance(m, str))
    return found


def _search(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return True  # cannot tell: assume it matches (the pattern's schema is compared)
