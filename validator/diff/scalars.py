"""Keywords about the value at one place: type, values, limits, pattern, format, content."""

from __future__ import annotations

from typing import Any

from validator.diff.patterns import pattern_change
from validator.diff.place import PlaceBase, names
from validator.diff.schema import (
    BREAKING,
    DOCS_KEYWORDS,
    HANDLED,
    IGNORED,
    LOWER_LIMITS,
    RISKY,
    SAFE,
    UPPER_LIMITS,
    Sub,
    canonical,
    covered,
    numbers,
    show,
    types_text,
)
from validator.formats.json import json_type
from validator.load.schemas import DOCUMENTED_VALUES

# format A -> B where every B value is an A value (so the change narrows): RFC 3986/3987,
# RFC 5321/6531, RFC 1123/5890, and OpenAPI's integer and number formats
NARROWER_FORMATS = {("idn-email", "email"), ("idn-hostname", "hostname"),
                    ("iri", "uri"), ("iri-reference", "iri"), ("iri-reference", "uri"),
                    ("uri-reference", "uri"), ("iri-reference", "uri-reference"),
                    ("int64", "int32"), ("double", "float"), ("number", "float"),
                    ("number", "double")}
BOUNDS = {"upper": ("maximum", "exclusiveMaximum"), "lower": ("minimum", "exclusiveMinimum")}


class ScalarKeywords(PlaceBase):
    """Type, enum/const/x-documented, limits, pattern, format, content and annotations."""

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

    # -- limits ----------------------------------------------------------------------------

    def limits(self) -> None:
        for keyword in UPPER_LIMITS:
            if keyword not in ("maximum", "exclusiveMaximum"):
                self.limit(keyword, numbers(self.old, keyword, min),
                           numbers(self.new, keyword, min), looser=lambda o, n: n > o)
        for keyword in LOWER_LIMITS:
            if keyword not in ("minimum", "exclusiveMinimum"):
                self.limit(keyword, numbers(self.old, keyword, max),
                           numbers(self.new, keyword, max), looser=lambda o, n: n < o)
        for side in BOUNDS:
            self.bound(side)
        self.multiple_of()

    def limit(self, keyword: str, old: float | None, new: float | None,
              looser: Any) -> None:
        if old == new:
            return
        if new is None:
            self.say(BREAKING, "limit-loosened", f"{keyword} {show(old)} removed: values "
                     "past it can now be returned", keyword)
        elif old is None:
            self.say(SAFE, "limit-tightened", f"{keyword} {show(new)} added", keyword)
        elif looser(old, new):
            self.say(BREAKING, "limit-loosened", f"{keyword} loosened from {show(old)} to "
                     f"{show(new)}: values between them can now be returned", keyword)
        else:
            self.say(SAFE, "limit-tightened", f"{keyword} tightened from {show(old)} to "
                                              f"{show(new)}", keyword)

    def bound(self, side: str) -> None:
        """maximum/exclusiveMaximum (or the minimum pair) judged as one bound."""
        inclusive, exclusive = BOUNDS[side]
        old, new = _bound(self.old, side), _bound(self.new, side)
        if old == new:
            return
        keyword = exclusive if (new or old or (0, False))[1] else inclusive

        def shown(b: tuple[float, bool] | None) -> str:
            return "none" if b is None else f"{exclusive if b[1] else inclusive} {show(b[0])}"

        if new is None:
            self.say(BREAKING, "limit-loosened", f"{shown(old)} removed: values past it can "
                     "now be returned", keyword)
        elif old is None:
            self.say(SAFE, "limit-tightened", f"{shown(new)} added", keyword)
        elif _looser(side, old, new):
            self.say(BREAKING, "limit-loosened", f"{shown(old)} loosened to {shown(new)}",
                     keyword)
        else:
            self.say(SAFE, "limit-tightened", f"{shown(old)} tightened to {shown(new)}",
                     keyword)

    def multiple_of(self) -> None:
        old_step = numbers(self.old, "multipleOf", max)
        new_step = numbers(self.new, "multipleOf", max)
        if old_step == new_step:
            return
        tighter = old_step is None or (new_step is not None and
                                       (new_step / old_step).is_integer())
        if tighter:
            self.say(SAFE, "limit-tightened", f"multipleOf changed from {show(old_step)} to "
                     f"{show(new_step)}: every new value is a multiple of the old step",
                     "multipleOf")
        else:
            self.say(BREAKING, "limit-loosened", f"multipleOf changed from {show(old_step)} "
                     f"to {show(new_step)}: values off the old step can now be returned",
                     "multipleOf")

    # -- strings ---------------------------------------------------------------------------

    def strings(self) -> None:
        old = {canonical(p.node["pattern"]): p.node["pattern"] for p in self.old
               if "pattern" in p.keys}
        new = {canonical(p.node["pattern"]): p.node["pattern"] for p in self.new
               if "pattern" in p.keys}
        if old.keys() != new.keys():
            gone = [old[k] for k in old if k not in new]
            came = [new[k] for k in new if k not in old]
            self.say(*pattern_change(gone, came), "pattern")
        self.formats()
        self.flag("uniqueItems", BREAKING, "unique-dropped", "items may now repeat",
                  SAFE, "limit-tightened", "items are now unique")
        self.flag("deprecated", SAFE, "docs-changed", "no longer deprecated",
                  RISKY, "deprecated", "now deprecated: it still comes back, plan for its "
                  "removal")

    def formats(self) -> None:
        old = sorted({p.node["format"] for p in self.old if isinstance(p.node.get("format")
                                                                         if p.keys else None, str)})
        new = sorted({p.node["format"] for p in self.new if isinstance(p.node.get("format")
                                                                         if p.keys else None, str)})
        if old == new:
            return
        if not new:
            self.say(BREAKING, "format-changed", f"format {names(old)} removed: any string "
                     "can now come back, and a parser for the old format fails on it",
                     "format")
        elif not old:
            self.say(SAFE, "limit-tightened", f"format {names(new)} added", "format")
        elif len(old) == len(new) == 1 and (old[0], new[0]) in NARROWER_FORMATS:
            self.say(SAFE, "format-narrowed", f"format changed from {old[0]!r} to "
                     f"{new[0]!r}: every {new[0]} value is also a valid {old[0]}", "format")
        else:
            self.say(BREAKING, "format-changed", f"format changed from {names(old)} to "
                     f"{names(new)}: a parser for the old format fails on the new values",
                     "format")

    def others(self) -> None:
        keys = sorted({k for p in self.old + self.new for k in p.keys
                       if k not in HANDLED and k not in IGNORED and not is_docs(k)})
        for key in keys:
            old, new = self.values_of(self.old, key), self.values_of(self.new, key)
            if old != new:
                change = "added" if not old else "removed" if not new else "changed"
                self.say(RISKY, "keyword-changed", f"{key} {change}: respcontract does not "
                         "judge this keyword, review what it now allows", key)

    def docs(self) -> None:
        keys = sorted({k for p in self.old + self.new for k in p.keys if is_docs(k)})
        for key in keys:
            old, new = self.values_of(self.old, key), self.values_of(self.new, key)
            if old != new:
                change = "added" if not old else "removed" if not new else "edited"
                self.say(SAFE, "docs-changed", f"{key} {change}", key)


def is_docs(keyword: str) -> bool:
    """Whether a keyword only documents (no effect on what a body may hold)."""
    return keyword in DOCS_KEYWORDS or (keyword.startswith("x-") and
                                        keyword != DOCUMENTED_VALUES)


def _bound(parts: list[Sub], side: str) -> tuple[float, bool] | None:
    """The tightest (value, exclusive) bound the conjunction sets on one side."""
    inclusive, exclusive = BOUNDS[side]
    found: list[tuple[float, bool]] = []
    for keyword, strict in ((inclusive, False), (exclusive, True)):
        value = numbers(parts, keyword, min if side == "upper" else max)
        if value is not None:
            found.append((value, strict))
    if not found:
        return None
    if side == "upper":
        return min(found, key=lambda b: (b[0], not b[1]))
    return max(found, key=lambda b: (b[0], b[1]))


def _looser(side: str, old: tuple[float, bool], new: tuple[float, bool]) -> bool:
    if old[0] != new[0]:
        return new[0] > old[0] if side == "upper" else new[0] < old[0]
    return old[1] and not new[1]  # exclusive -> inclusive admits the bound itself

