"""Applicators: `oneOf`/`anyOf` alternatives judged by shape, and `if`/`then`/`else`.

A new alternative is harmless when an existing one already admits everything it admits
(`SchemaDiff.covers`, a silent walk); only an alternative with a shape of its own is a
body consumers have not seen. Alternatives that only name a type or values show up as
type or value changes instead.
"""

from __future__ import annotations

from typing import Any

from validator.diff.place import PlaceBase
from validator.diff.schema import BREAKING, DOCS_KEYWORDS, RISKY, SAFE, Sub, canonical, show
from validator.load.schemas import DOCUMENTED_VALUES

SIMPLE_BRANCH_KEYS = {"type", "const", "enum", *DOCS_KEYWORDS}


class BranchKeywords(PlaceBase):
    """oneOf, anyOf and if/then/else at one place."""

    def alternatives(self) -> None:
        old = {k: _holders(self.old, k) for k in ("oneOf", "anyOf")}
        new = {k: _holders(self.new, k) for k in ("oneOf", "anyOf")}
        if self.exclusivity(old, new):
            return
        for keyword in ("oneOf", "anyOf"):
            olds, news = old[keyword], new[keyword]
            for index in range(max(len(olds), len(news))):
                if index < len(olds) and index < len(news):
                    self.branches(keyword, olds[index], news[index])
                elif _all_simple(news[index] if index < len(news) else olds[index], keyword):
                    continue  # only types or values: reported as type or value changes
                elif index < len(news):
                    self.say(SAFE, "constraint-added", f"must now match {keyword} of "
                             f"{len(news[index].node[keyword])} alternatives", keyword)
                else:
                    self.say(BREAKING, "constraint-removed", f"no longer limited to the "
                             f"{keyword} alternatives: other shapes can come back", keyword)

    def exclusivity(self, old: dict[str, list[Sub]], new: dict[str, list[Sub]]) -> bool:
        """anyOf <-> oneOf over the same alternatives (only that keyword changed)."""
        for before, after in (("anyOf", "oneOf"), ("oneOf", "anyOf")):
            if len(old[before]) == len(new[after]) == 1 and not old[after] \
                    and not new[before]:
                self.branches(after, old[before][0], new[after][0], before)
                if after == "oneOf":
                    self.say(SAFE, "constraint-added", "anyOf became oneOf: a body must now "
                             "match exactly one alternative", after)
                elif _all_simple(new[after][0], after):
                    self.say(SAFE, "docs-changed", "oneOf became anyOf over alternatives "
                             "that cannot overlap", after)
                else:
                    self.say(RISKY, "constraint-removed", "oneOf became anyOf: a body that "
                             "matches several alternatives now passes (approximation: "
                             "overlap between alternatives is not decided)", after)
                return True
        return False

    def branches(self, keyword: str, old_part: Sub, new_part: Sub,
                 old_keyword: str = "") -> None:
        old_keyword = old_keyword or keyword
        old = [old_part.child(old_keyword, i) for i in range(len(old_part.node[old_keyword]))]
        new = [new_part.child(keyword, i) for i in range(len(new_part.node[keyword]))]
        pairs, extra_old, extra_new = _pair_identical(old, new)
        used = {id(o) for o, _ in pairs}
        pending = []
        for branch in extra_new:
            cover = next((o for o in extra_old if self.walker.covers([o], [branch])), None)
            if cover is not None:
                pairs.append((cover, branch))
                used.add(id(cover))
            elif any(self.walker.covers([o], [branch]) for o in old):
                self.say(SAFE, "branch-covered", f"new {keyword} alternative "
                         f"{new.index(branch) + 1}: its shape is already admitted by an "
                         "existing alternative", keyword)
            else:
                pending.append(branch)
        left = [o for o in extra_old if id(o) not in used]
        more, left, pending = _pair_remaining(left, pending)
        for old_branch, new_branch in pairs + more:
            self.walker.compare([old_branch], [new_branch], self.at,
                                f"{self.context}in {keyword} alternative "
                                f"{new.index(new_branch) + 1}: ")
        for branch in pending:
            if not _is_simple(branch):  # simple ones show up as type or value changes
                self.say(BREAKING, "branch-added", f"new {keyword} alternative "
                         f"{new.index(branch) + 1}: a shape no existing alternative admits",
                         keyword)
        for branch in left:
            if not _is_simple(branch):
                self.say(SAFE, "branch-removed", f"{old_keyword} alternative "
                         f"{old.index(branch) + 1} removed", keyword)
        changed = left or any(canonical(o.node) != canonical(n.node) for o, n in pairs + more)
        if old_keyword == "oneOf" and changed and not self.disjoint(old):
            self.say(RISKY, "alternatives-overlap", "oneOf alternatives changed and may "
                     "overlap: a body that matched two of them (and was refused) may now "
                     "match only one (approximation: overlap is decided only by type, "
                     "const and enum)", keyword)

    def disjoint(self, old: list[Sub]) -> bool:
        """No body matches two old alternatives (told apart by type, values or a const
        member): then a new body that matches one new alternative, admitted by the old
        alternative it is paired with, matches exactly one old alternative too."""
        facts = [self.branch_facts(0, b) for b in old]
        return all(_apart(facts[i], facts[j]) for i in range(len(facts))
                   for j in range(i + 1, len(facts)))

    def branch_facts(self, side: int, branch: Sub) -> tuple[Any, Any, dict[str, Any]]:
        flat = self.walker.flatten(side, [branch])
        members: dict[str, Any] = {}
        for part in flat:
            node = part.node if isinstance(part.node, dict) else {}
            required = node.get("required")
            properties = node.get("properties")
            if not isinstance(required, list) or not isinstance(properties, dict):
                continue
            for name, sub in properties.items():
                if name in required and isinstance(sub, dict) and "const" in sub:
                    members[name] = canonical(sub["const"])
        return self.walker.types(side, flat), self.walker.values(side, flat), members

    def conditionals(self) -> None:
        old = [p for p in self.old if "if" in p.keys]
        new = [p for p in self.new if "if" in p.keys]
        for index in range(max(len(old), len(new))):
            old_part = old[index] if index < len(old) else None
            new_part = new[index] if index < len(new) else None
            old_if = old_part.node.get("if") if old_part else None
            new_if = new_part.node.get("if") if new_part else None
            if old_part and new_part and canonical(old_if) != canonical(new_if):
                self.say(RISKY, "condition-changed", f"if condition changed from "
                         f"{describe_condition(old_if)} to {describe_condition(new_if)}: its "
                         "promises now apply to other bodies (approximation: conditions "
                         "are not compared)", "if")
            condition = describe_condition(new_if if new_part else old_if)
            for branch, lead in (("then", "when"), ("else", "unless")):
                old_branch = [old_part.child(branch)] if old_part and branch in old_part.keys \
                    else []
                new_branch = [new_part.child(branch)] if new_part and branch in new_part.keys \
                    else []
                if old_branch or new_branch:
                    self.walker.compare(old_branch, new_branch, self.at,
                                        f"{self.context}{lead} {condition}: ", partial=True)


def _holders(parts: list[Sub], keyword: str) -> list[Sub]:
    return [p for p in parts if isinstance(p.node, dict)
            and isinstance(p.node.get(keyword), list)]


def _is_simple(branch: Sub) -> bool:
    """A branch that only names a type or values: its changes show as type/value changes."""
    return isinstance(branch.node, dict) and branch.keys <= SIMPLE_BRANCH_KEYS | {
        k for k in branch.keys if k.startswith("x-") and k != DOCUMENTED_VALUES}


def _all_simple(part: Sub, keyword: str) -> bool:
    return all(_is_simple(part.child(keyword, i)) for i in range(len(part.node[keyword])))


def _shape(branch: Sub) -> str:
    node = branch.node if isinstance(branch.node, dict) else {}
    return canonical({k: node[k] for k in ("type", "const", "enum") if k in node})


def _pair_identical(old: list[Sub], new: list[Sub]) -> tuple[list[tuple[Sub, Sub]], list[Sub],
                                                              list[Sub]]:
    """Identical alternatives first, then simple ones by shape."""
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
    return pairs, left, right


def _pair_remaining(left: list[Sub], right: list[Sub]) -> tuple[list[tuple[Sub, Sub]],
                                                               list[Sub], list[Sub]]:
    """Complex alternatives that changed: paired by position, to say what changed in each."""
    complex_left = [b for b in left if not _is_simple(b)]
    complex_right = [b for b in right if not _is_simple(b)]
    pairs = list(zip(complex_left, complex_right, strict=False))
    paired = {id(b) for pair in pairs for b in pair}
    return pairs, [b for b in left if id(b) not in paired], \
        [b for b in right if id(b) not in paired]


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


def _apart(one: tuple[Any, Any, dict[str, Any]], other: tuple[Any, Any, dict[str, Any]]
           ) -> bool:
    from validator.diff.schema import meet

    types, values, members = one
    other_types, other_values, other_members = other
    if types is not None and other_types is not None and not meet(types, other_types):
        return True
    if values is not None and other_values is not None and not values.keys() & \
            other_values.keys():
        return True
    return any(members[k] != other_members[k] for k in members.keys() & other_members.keys())
