"""The keyword-by-keyword half of the schema walk: one place in the body at a time.

`Place.run` compares what two schema versions say about one location (types, values,
limits, patterns, documentation), then hands each child location (properties, items,
members) and each alternative or conditional branch back to the walker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from validator.diff.model import Level
from validator.diff.schema import (
    BREAKING,
    DOCS_KEYWORDS,
    HANDLED,
    IGNORED,
    LOWER_LIMITS,
    RISKY,
    SAFE,
    SIMPLE_BRANCH_KEYS,
    UPPER_LIMITS,
    SchemaDiff,
    Sub,
    canonical,
    covered,
    meet,
    numbers,
    show,
    types_text,
)
from validator.formats.json import json_type
from validator.load.schemas import DOCUMENTED_VALUES
from validator.model.pointer import escape_token


class Place:
    """One comparison step: the keywords of one place in the body, then its children."""

    def __init__(self, walker: SchemaDiff, old: list[Sub], new: list[Sub], at: str,
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

    def run(self) -> None:
        old_types = self.walker.types(0, self.old)
        new_types = self.walker.types(1, self.new)
        if old_types is not None and new_types is not None and old_types and new_types \
                and not meet(old_types, new_types):
            self.say(BREAKING, "type-changed", f"type changed from {types_text(old_types)} "
                                               f"to {types_text(new_types)}", "type")
            self.docs()
            return  # the children of a different type would only add noise
        new_values = self.walker.values(1, self.new)
        self.types(old_types, new_types, new_values)
        self.enumerations(self.walker.values(0, self.old), new_values)
        self.limits()
        self.strings()
        self.others()
        self.docs()
        self.properties()
        self.items()
        self.members()
        self.alternatives()
        self.conditionals()

    # -- instance keywords -----------------------------------------------------------------

    def types(self, old: frozenset[str] | None, new: frozenset[str] | None,
              new_values: dict[str, Any] | None) -> None:
        if old is not None and new is None:
            if new_values is not None and all(covered(json_type(v), old)
                                              for v in new_values.values()):
                return  # the value list still keeps the type
            self.say(BREAKING, "type-changed",
                     f"type no longer restricted (was {types_text(old)})", "type")
            return
        if old is None and new is not None:
            self.say(SAFE, "type-narrowed", f"type now restricted to {types_text(new)}",
                     "type")
            return
        if old is None or new is None:
            return
        added = {t for t in new if not covered(t, old)}
        removed = {t for t in old if not covered(t, new)}
        if "null" in added:
            self.say(BREAKING, "null-allowed", "null is now allowed", "type")
            added.discard("null")
        if added:
            self.say(BREAKING, "type-changed", f"type changed from {types_text(old)} to "
                                               f"{types_text(new)}", "type")
        elif removed:
            self.say(SAFE, "type-narrowed", f"can no longer be {types_text(removed)} "
                                            f"(now {types_text(new)})", "type")

    def enumerations(self, old_values: dict[str, Any] | None,
                     new_values: dict[str, Any] | None) -> None:
        old_documented = self.documented(self.old)
        new_documented = self.documented(self.new)
        old = old_values if old_values is not None else old_documented
        new = new_values if new_values is not None else new_documented
        from_docs = new_values is None
        holder = DOCUMENTED_VALUES if from_docs else next(
            (k for k in ("enum", "const", "oneOf", "anyOf")
             if any(k in p.keys for p in self.new + self.old)), "")
        if old is not None and new is not None:
            for key, value in new.items():
                if key in old:
                    continue
                if value is None:
                    self.say(BREAKING, "null-allowed", "null is now allowed", holder)
                elif from_docs:
                    self.say(BREAKING, "code-added", f"new documented value {show(value)}: "
                             "a code consumers may not handle yet", holder)
                else:
                    self.say(BREAKING, "enum-value-added", f"new value {show(value)} "
                                                           "can now be returned", holder)
            removed = [v for k, v in old.items() if k not in new]
            if removed:
                self.say(SAFE, "value-removed", "no longer returned: "
                                                + ", ".join(show(v) for v in removed), holder)
            if old_values is not None and new_values is None and new_documented is not None:
                self.say(RISKY, "values-opened", "the value list is now documented, not "
                                                 "closed: other values come back as drift", holder)
        elif old is not None:
            listed = ", ".join(show(v) for v in old.values())
            self.say(BREAKING, "values-unrestricted", f"no longer limited to {listed}", holder)
        elif new is not None:
            listed = ", ".join(show(v) for v in new.values())
            self.say(SAFE, "values-restricted", f"now limited to {listed}", holder)

    def documented(self, parts: list[Sub]) -> dict[str, Any] | None:
        found: dict[str, Any] | None = None
        for part in parts:
            values = part.node.get(DOCUMENTED_VALUES) if isinstance(part.node, dict) else None
            if isinstance(values, list):
                found = {**(found or {}), **{canonical(v): v for v in values}}
        return found

    def limits(self) -> None:
        for keyword in UPPER_LIMITS:
            self.limit(keyword, numbers(self.old, keyword, min),
                       numbers(self.new, keyword, min), looser=lambda o, n: n > o)
        for keyword in LOWER_LIMITS:
            self.limit(keyword, numbers(self.old, keyword, max),
                       numbers(self.new, keyword, max), looser=lambda o, n: n < o)

    def limit(self, keyword: str, old: float | None, new: float | None,
              looser: Callable[[float, float], bool]) -> None:
        if old == new:
            return
        if new is None:
            self.say(RISKY, "limit-loosened", f"{keyword} {show(old)} removed", keyword)
        elif old is None:
            self.say(SAFE, "limit-tightened", f"{keyword} {show(new)} added", keyword)
        elif looser(old, new):
            self.say(RISKY, "limit-loosened", f"{keyword} loosened from {show(old)} to "
                                              f"{show(new)}", keyword)
        else:
            self.say(SAFE, "limit-tightened", f"{keyword} tightened from {show(old)} to "
                                              f"{show(new)}", keyword)

    def strings(self) -> None:
        for keyword in ("pattern", "format"):
            old = {canonical(p.node[keyword]): p.node[keyword] for p in self.old
                   if keyword in p.keys}
            new = {canonical(p.node[keyword]): p.node[keyword] for p in self.new
                   if keyword in p.keys}
            if old.keys() == new.keys():
                continue
            gone = [old[k] for k in old if k not in new]
            came = [new[k] for k in new if k not in old]
            if keyword == "pattern":
                self.say(*pattern_change(gone, came), keyword)
            elif gone and came:
                self.say(RISKY, "format-changed", f"format changed from "
                         f"{', '.join(map(show, gone))} to {', '.join(map(show, came))}",
                         keyword)
            elif gone:
                self.say(RISKY, "format-changed", f"format {', '.join(map(show, gone))} "
                                                  "removed", keyword)
            else:
                self.say(SAFE, "limit-tightened", f"format {', '.join(map(show, came))} "
                                                  "added", keyword)
        self.flag("uniqueItems", RISKY, "unique-dropped", "items may now repeat",
                  SAFE, "limit-tightened", "items are now unique")
        self.flag("deprecated", SAFE, "docs-changed", "no longer deprecated",
                  RISKY, "deprecated", "now deprecated: plan for its removal")
        old_step = numbers(self.old, "multipleOf", max)
        new_step = numbers(self.new, "multipleOf", max)
        if old_step != new_step:
            tighter = old_step is None or (new_step is not None and
                                           (new_step / old_step).is_integer())
            self.say(SAFE if tighter else RISKY, "limit-tightened" if tighter else
                     "limit-loosened", f"multipleOf changed from {show(old_step)} to "
                                       f"{show(new_step)}", "multipleOf")

    def flag(self, keyword: str, off_level: Level, off_kind: str, off: str,
             on_level: Level, on_kind: str, on: str) -> None:
        """A keyword that is either true or absent: report it being switched off or on."""
        old = any(p.node.get(keyword) is True for p in self.old if isinstance(p.node, dict))
        new = any(p.node.get(keyword) is True for p in self.new if isinstance(p.node, dict))
        if old and not new:
            self.say(off_level, off_kind, off, keyword)
        elif new and not old:
            self.say(on_level, on_kind, on, keyword)

    def others(self) -> None:
        keys = sorted({k for p in self.old + self.new for k in p.keys
                       if k not in HANDLED and k not in IGNORED and not _is_docs(k)})
        for key in keys:
            old = [canonical(p.node[key]) for p in self.old if key in p.keys]
            new = [canonical(p.node[key]) for p in self.new if key in p.keys]
            if old != new:
                change = "added" if not old else "removed" if not new else "changed"
                self.say(RISKY, "keyword-changed", f"{key} {change}: review what it now allows",
                         key)

    def docs(self) -> None:
        keys = sorted({k for p in self.old + self.new for k in p.keys if _is_docs(k)})
        for key in keys:
            old = [canonical(p.node[key]) for p in self.old if key in p.keys]
            new = [canonical(p.node[key]) for p in self.new if key in p.keys]
            if old != new:
                change = "added" if not old else "removed" if not new else "edited"
                self.say(SAFE, "docs-changed", f"{key} {change}", key)

    # -- children --------------------------------------------------------------------------

    def properties(self) -> None:
        old = self.named(self.old, "properties")
        new = self.named(self.new, "properties")
        old_required = self.required(self.old)
        new_required = self.required(self.new)
        for name in sorted(old.keys() | new.keys()):
            at = f"{self.at}/{escape_token(name)}"
            if self.partial or (name in old and name in new):
                self.walker.compare(old.get(name, []), new.get(name, []), at, self.context,
                                    self.partial)
            elif name in old:
                self.say(BREAKING, "property-removed", f"property {name!r} removed",
                         "properties")
            else:
                always = "always present" if name in new_required else "optional"
                self.say(SAFE, "property-added", f"new {always} property {name!r}",
                         "properties")
        for name in sorted(old_required - new_required):
            if name in new or self.partial or name not in old:
                self.say(BREAKING, "property-optional", f"{name!r} is no longer required: "
                                                        "it may be missing", "required")
        for name in sorted(new_required - old_required):
            if name in old or self.partial or name not in new:
                self.say(SAFE, "property-required", f"{name!r} is now always present",
                         "required")

    def named(self, parts: list[Sub], keyword: str) -> dict[str, list[Sub]]:
        found: dict[str, list[Sub]] = {}
        for part in parts:
            members = part.node.get(keyword) if isinstance(part.node, dict) else None
            if isinstance(members, dict):
                for name in members:
                    found.setdefault(name, []).append(part.child(keyword, name))
        return found

    def required(self, parts: list[Sub]) -> set[str]:
        names: set[str] = set()
        for part in parts:
            listed = part.node.get("required") if isinstance(part.node, dict) else None
            if isinstance(listed, list):
                names.update(n for n in listed if isinstance(n, str))
        return names

    def items(self) -> None:
        self.child_schemas(self.keyword(self.old, "items"), self.keyword(self.new, "items"),
                           f"{self.at}/*", "array items")
        old = self.indexed(self.old)
        new = self.indexed(self.new)
        for index in range(max(len(old), len(new))):
            self.child_schemas(old[index] if index < len(old) else [],
                               new[index] if index < len(new) else [],
                               f"{self.at}/{index}", f"array item {index}")

    def indexed(self, parts: list[Sub]) -> list[list[Sub]]:
        result: list[list[Sub]] = []
        for part in parts:
            prefix = part.node.get("prefixItems") if isinstance(part.node, dict) else None
            for i in range(len(prefix) if isinstance(prefix, list) else 0):
                while len(result) <= i:
                    result.append([])
                result[i].append(part.child("prefixItems", i))
        return result

    def child_schemas(self, old: list[Sub], new: list[Sub], at: str, what: str) -> None:
        if not old and not new:
            return
        if (old and new) or self.partial:
            self.walker.compare(old, new, at, self.context, self.partial)
        elif old:
            self.say(BREAKING, "schema-dropped", f"{what} are no longer described")
        else:
            self.say(SAFE, "schema-added", f"{what} are now described")

    def members(self) -> None:
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            old = self.keyword(self.old, keyword)
            new = self.keyword(self.new, keyword)
            old_closed = any(s.node is False for s in old)
            new_closed = any(s.node is False for s in new)
            if old_closed and not new_closed:
                self.say(RISKY, "members-opened", f"{keyword} no longer false: members not "
                                                  "listed may now appear", keyword)
            elif new_closed and not old_closed:
                self.say(SAFE, "members-closed", f"{keyword} is now false", keyword)
            old_schemas = [s for s in old if isinstance(s.node, dict)]
            new_schemas = [s for s in new if isinstance(s.node, dict)]
            if old_schemas and new_schemas:
                self.walker.compare(old_schemas, new_schemas, f"{self.at}/*", self.context,
                                    self.partial)
        old_patterns = self.named(self.old, "patternProperties")
        new_patterns = self.named(self.new, "patternProperties")
        for pattern in sorted(old_patterns.keys() | new_patterns.keys()):
            if pattern not in new_patterns:
                self.say(RISKY, "members-opened", f"patternProperties {pattern!r} removed",
                         "patternProperties")
            elif pattern not in old_patterns:
                self.say(SAFE, "members-closed", f"patternProperties {pattern!r} added",
                         "patternProperties")
            else:
                self.walker.compare(old_patterns[pattern], new_patterns[pattern],
                                    f"{self.at}/*", f"{self.context}members matching "
                                    f"{pattern!r}: ", self.partial)

    # -- applicators -----------------------------------------------------------------------

    def alternatives(self) -> None:
        for keyword in ("oneOf", "anyOf"):
            old = [p for p in self.old if isinstance(p.node, dict)
                   and isinstance(p.node.get(keyword), list)]
            new = [p for p in self.new if isinstance(p.node, dict)
                   and isinstance(p.node.get(keyword), list)]
            for index in range(max(len(old), len(new))):
                if index < len(old) and index < len(new):
                    self.branches(keyword, old[index], new[index])
                elif _all_simple(new[index] if index < len(new) else old[index], keyword):
                    continue  # only types or values: reported as type or value changes
                elif index < len(new):
                    self.say(SAFE, "constraint-added", f"must now match {keyword} of "
                             f"{len(new[index].node[keyword])} alternatives", keyword)
                else:
                    self.say(RISKY, "constraint-removed", f"no longer limited to the {keyword} "
                                                          "alternatives", keyword)

    def branches(self, keyword: str, old_part: Sub, new_part: Sub) -> None:
        old = [old_part.child(keyword, i) for i in range(len(old_part.node[keyword]))]
        new = [new_part.child(keyword, i) for i in range(len(new_part.node[keyword]))]
        pairs, extra_old, extra_new = _pair_branches(old, new)
        for old_branch, new_branch in pairs:
            number = new.index(new_branch) + 1
            self.walker.compare([old_branch], [new_branch], self.at,
                                f"{self.context}in {keyword} alternative {number}: ")
        for branch in extra_new:
            if not _is_simple(branch):  # simple ones show up as type or value changes
                self.say(BREAKING, "branch-added", f"new {keyword} alternative "
                         f"{new.index(branch) + 1}: a shape consumers have not seen", keyword)
        for branch in extra_old:
            if not _is_simple(branch):
                self.say(SAFE, "branch-removed", f"{keyword} alternative "
                         f"{old.index(branch) + 1} removed", keyword)

    def conditionals(self) -> None:
        old = [p for p in self.old if p.keys & {"if", "then", "else"}]
        new = [p for p in self.new if p.keys & {"if", "then", "else"}]
        for index in range(max(len(old), len(new))):
            old_part = old[index] if index < len(old) else None
            new_part = new[index] if index < len(new) else None
            old_if = old_part.node.get("if") if old_part else None
            new_if = new_part.node.get("if") if new_part else None
            if old_part and new_part and canonical(old_if) != canonical(new_if):
                self.say(RISKY, "condition-changed", f"if condition changed from "
                         f"{describe_condition(old_if)} to {describe_condition(new_if)}", "if")
            condition = describe_condition(new_if if new_part else old_if)
            for branch, lead in (("then", "when"), ("else", "unless")):
                old_branch = [old_part.child(branch)] if old_part and branch in old_part.keys \
                    else []
                new_branch = [new_part.child(branch)] if new_part and branch in new_part.keys \
                    else []
                if old_branch or new_branch:
                    self.walker.compare(old_branch, new_branch, self.at,
                                        f"{self.context}{lead} {condition}: ", partial=True)


def pattern_change(gone: list[Any], came: list[Any]) -> tuple[Level, str, str]:
    """Level, kind and sentence for a `pattern` edit, judged on sampled strings."""
    from validator.diff.patterns import relation

    old_text, new_text = ", ".join(map(show, gone)), ", ".join(map(show, came))
    if not came:
        return RISKY, "pattern-loosened", f"pattern {old_text} removed: any string now"
    if not gone:
        return SAFE, "pattern-tightened", f"pattern {new_text} added"
    verdict, example = ("unknown", None)
    if len(gone) == len(came) == 1 and isinstance(gone[0], str) and isinstance(came[0], str):
        verdict, example = relation(gone[0], came[0])
    change = f"pattern changed from {old_text} to {new_text}"
    if verdict == "looser":
        return RISKY, "pattern-loosened", f"{change}: it now allows {show(example)}"
    if verdict == "tighter":
        return SAFE, "pattern-tightened", f"{change}: it no longer allows {show(example)}"
    if verdict == "same":
        return SAFE, "pattern-rewritten", f"{change}: no string found that one allows and " \
                                          "the other does not"
    return RISKY, "pattern-changed", f"{change}: cannot compare them, values it did not " \
                                     "allow may come back"


def _is_docs(keyword: str) -> bool:
    return keyword in DOCS_KEYWORDS or (keyword.startswith("x-") and
                                        keyword != DOCUMENTED_VALUES)


def _is_simple(branch: Sub) -> bool:
    """A branch that only names a type or values: its changes show as type/value changes."""
    return isinstance(branch.node, dict) and branch.keys <= SIMPLE_BRANCH_KEYS | {
        k for k in branch.keys if k.startswith("x-") and k != DOCUMENTED_VALUES}


def _all_simple(part: Sub, keyword: str) -> bool:
    return all(_is_simple(part.child(keyword, i)) for i in range(len(part.node[keyword])))


def _shape(branch: Sub) -> str:
    node = branch.node if isinstance(branch.node, dict) else {}
    return canonical({k: node[k] for k in ("type", "const", "enum") if k in node})


def _pair_branches(old: list[Sub], new: list[Sub]) -> tuple[list[tuple[Sub, Sub]], list[Sub],
                                                             list[Sub]]:
    """Pair alternatives: identical first, then simple ones by shape, then by position."""
    pairs: list[tuple[Sub, Sub]] = []
    left, right = list(old), list(new)
    for key in (lambda b: canonical(b.node), _shape):
        for branch in list(left):
            if key is _shape and not _is_simple(branch):
                continue
            match = next((b for b in right if key(b) == key(branch)
                          and (key is not _shape or _is_simple(b))), None)
            if match is not None:
                pairs.append((branch, match))
                left.remove(branch)
                right.remove(match)
    complex_left = [b for b in left if not _is_simple(b)]
    complex_right = [b for b in right if not _is_simple(b)]
    for old_branch, new_branch in zip(complex_left, complex_right, strict=False):
        pairs.append((old_branch, new_branch))
        left.remove(old_branch)
        right.remove(new_branch)
    return pairs, left, right


def describe_condition(schema: Any) -> str:
    """A short reading of an `if` schema: `code is "SUCCESS"`, `job_id is present`."""
    if not isinstance(schema, dict):
        return "the condition holds" if schema is not False else "never"
    parts = []
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            if isinstance(sub, dict) and "const" in sub:
                parts.append(f"{name} is {show(sub['const'])}")
            elif isinstance(sub, dict) and isinstance(sub.get("enum"), list):
                parts.append(f"{name} is one of {', '.join(map(show, sub['enum']))}")
    if not parts and isinstance(schema.get("required"), list):
        parts = [f"{name} is present" for name in schema["required"]]
    return " and ".join(parts) if parts else f"{show(schema)} holds"
