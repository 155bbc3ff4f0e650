"""Compare two versions of a response schema the way the code that reads the responses sees it.

A response consumer is hurt when the new schema lets through something the old one kept
out: a new type, null, a new enum value or code, a missing property. Those are `breaking`.
Loosened limits (a longer string, a different pattern) are `risky`: most readers cope, some
do not. Tightening and documentation edits are `safe`.

Each side of a comparison is a list of subschemas that all apply to the same place in the
body (a conjunction). `$ref` and `allOf` are flattened into that list first, so moving a
property into a shared definition is not reported as a removal plus an addition. `oneOf` and
`anyOf` alternatives are paired and compared one by one; `if`/`then`/`else` branches are
compared as partial constraints on top of their parent.

This module resolves schemas (flattening, `$ref`, the types and values a place allows);
walk.SchemaDiff drives the comparison and the keyword modules (scalars, objects, arrays,
branches, gathered in keywords.Place) compare one place keyword by keyword.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from validator.diff.model import Level
from validator.diff.refs import resolve_ref
from validator.load.schemas import DOCUMENTED_VALUES, SchemaStore
from validator.model.pointer import escape_token

BREAKING, RISKY, SAFE = Level.BREAKING, Level.RISKY, Level.SAFE

UPPER_LIMITS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
LOWER_LIMITS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
DOCS_KEYWORDS = ("title", "description", "$comment", "examples", "default", "readOnly",
                 "example", "externalDocs", "xml")
IGNORED = {"$schema", "$id", "$anchor", "$dynamicAnchor", "$defs", "definitions",
           "$vocabulary", "$ref", "allOf", "writeOnly", "nullable"}
HANDLED = {"type", "enum", "const", DOCUMENTED_VALUES, "pattern", "format", "multipleOf",
           "uniqueItems", "deprecated", "properties", "required", "items", "prefixItems",
           "additionalProperties", "unevaluatedProperties", "patternProperties", "oneOf",
           "anyOf", "if", "then", "else", "contains", "minContains", "maxContains",
           "unevaluatedItems", "propertyNames", "dependentRequired", "dependentSchemas",
           "contentEncoding", "contentMediaType", "contentSchema", "discriminator", "not",
           *UPPER_LIMITS, *LOWER_LIMITS}
MAX_DEPTH = 64

# level, kind, body pointer, message, old anchor, new anchor
Emit = Callable[[Level, str, str, str, "Sub | None", "Sub | None"], None]


@dataclass(frozen=True)
class Sub:
    """A subschema and where it sits: document URI plus JSON pointer."""

    node: Any
    doc: str
    pointer: str

    @property
    def uri(self) -> str:
        return f"{self.doc}#{self.pointer}"

    def child(self, *tokens: str | int) -> Sub:
        node = self.node
        for token in tokens:
            node = node[token]
        suffix = "".join(f"/{escape_token(str(t))}" for t in tokens)
        return Sub(node, self.doc, self.pointer + suffix)

    @property
    def keys(self) -> set[str]:
        return set(self.node) if isinstance(self.node, dict) else set()


def canonical(value: Any) -> str:
    """One spelling per JSON value (1 and 1.0 are the same number in JSON Schema)."""
    def normal(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: normal(x) for k, x in v.items()}
        if isinstance(v, list):
            return [normal(x) for x in v]
        return v
    return json.dumps(normal(value), sort_keys=True, ensure_ascii=False)


def show(value: Any) -> str:
    """A JSON value for a message, clipped to 60 characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def covered(kind: str, types: frozenset[str]) -> bool:
    """Whether values of JSON type `kind` are allowed by `types` (integers are numbers)."""
    return kind in types or (kind == "integer" and "number" in types)


def meet(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """The JSON types allowed by both type sets."""
    return frozenset({t for t in a if covered(t, b)} | {t for t in b if covered(t, a)})


def types_text(types: Iterable[str]) -> str:
    """Type names for a message: 'integer or string', or 'nothing'."""
    return " or ".join(sorted(types)) or "nothing"


def numbers(parts: list[Sub], keyword: str, pick: Callable[..., Any]) -> float | None:
    """The `pick` (min or max) of a numeric keyword over the parts that set it."""
    values = [p.node[keyword] for p in parts if isinstance(p.node, dict)
              and isinstance(p.node.get(keyword), int | float)
              and not isinstance(p.node.get(keyword), bool)]
    return pick(values) if values else None


class Walker(Protocol):
    """What a keyword comparison needs from the walk (implemented by walk.SchemaDiff)."""

    stores: tuple[SchemaStore, SchemaStore]
    emit: Emit

    def compare(self, old: list[Sub], new: list[Sub], at: str = "", context: str = "",
                partial: bool = False) -> None: ...

    def covers(self, old: list[Sub], new: list[Sub]) -> bool: ...

    def flatten(self, side: int, subs: list[Sub]) -> list[Sub]: ...

    def types(self, side: int, parts: list[Sub], depth: int = 0) -> frozenset[str] | None: ...

    def values(self, side: int, parts: list[Sub], depth: int = 0) -> dict[str, Any] | None: ...


class Resolver:
    """Resolution half of the walk: flattening, `$ref`, the types and values a place allows."""

    def __init__(self, old: SchemaStore, new: SchemaStore) -> None:
        self.stores = (old, new)

    # -- resolution ------------------------------------------------------------------------

    def flatten(self, side: int, subs: list[Sub]) -> list[Sub]:
        """The subschemas that apply to one instance: follows `$ref` and `allOf`."""
        parts: list[Sub] = []
        seen: set[str] = set()
        queue = list(subs)
        while queue:
            sub = queue.pop(0)
            if sub.uri in seen or not isinstance(sub.node, dict | bool) or sub.node is True:
                continue  # `true` (and anything that is not a schema) constrains nothing
            seen.add(sub.uri)
            parts.append(sub)
            node = sub.node
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("$ref"), str):
                target = self.resolve(side, sub, node["$ref"])
                if target is not None:
                    queue.append(target)
            for i, branch in enumerate(node.get("allOf") or []):
                if isinstance(branch, dict | bool):
                    queue.append(sub.child("allOf", i))
        return parts

    def resolve(self, side: int, sub: Sub, ref: str) -> Sub | None:
        found = resolve_ref(self.stores[side], sub.doc, ref)
        return None if found is None else Sub(found[2], found[0], found[1])

    def types(self, side: int, parts: list[Sub], depth: int = 0) -> frozenset[str] | None:
        """Types an instance may have (None: any), `oneOf`/`anyOf` branches included."""
        result: frozenset[str] | None = None
        for part in parts:
            own = self._own_types(side, part, depth)
            if own is not None:
                result = own if result is None else meet(result, own)
        return result

    def _own_types(self, side: int, part: Sub, depth: int) -> frozenset[str] | None:
        node = part.node
        if not isinstance(node, dict):
            return frozenset()  # `false`: no value at all
        declared = node.get("type")
        if isinstance(declared, str):
            return frozenset([declared])
        if isinstance(declared, list):
            return frozenset(t for t in declared if isinstance(t, str))
        if depth < 8:
            for keyword in ("oneOf", "anyOf"):
                union = self._branch_union(side, part, keyword, depth, self.types)
                if union is not None:
                    return frozenset(union)
        return None

    def values(self, side: int, parts: list[Sub], depth: int = 0) -> dict[str, Any] | None:
        """The values an instance is limited to by enum/const (None: not limited)."""
        result: dict[str, Any] | None = None
        for part in parts:
            own = self._own_values(side, part, depth)
            if own is not None:
                result = own if result is None else {k: v for k, v in result.items()
                                                     if k in own}
        return result

    def _own_values(self, side: int, part: Sub, depth: int) -> dict[str, Any] | None:
        node = part.node
        if not isinstance(node, dict):
            return {} if node is False else None
        listed: dict[str, Any] | None = None
        if isinstance(node.get("enum"), list):
            listed = {canonical(v): v for v in node["enum"]}
        if "const" in node:
            const = {canonical(node["const"]): node["const"]}
            listed = const if listed is None else {k: v for k, v in const.items()
                                                   if k in listed}
        if listed is not None:
            return listed
        if depth < 8:
            for keyword in ("oneOf", "anyOf"):
                union = self._branch_union(side, part, keyword, depth, self.values)
                if union is not None:
                    return dict(union)
        return None

    def _branch_union(self, side: int, part: Sub, keyword: str, depth: int,
                      measure: Callable[..., Any]) -> Any:
        branches = part.node.get(keyword)
        if not isinstance(branches, list) or not branches:
            return None
        union: Any = None
        for i in range(len(branches)):
            found = measure(side, self.flatten(side, [part.child(keyword, i)]), depth + 1)
            if found is None:
                return None
            union = (set(found) if isinstance(found, frozenset) else dict(found)) \
                if union is None else (union | found if isinstance(union, set)
                                       else {**union, **found})
        return union


def identity(parts: list[Sub]) -> tuple[str, ...]:
    """Which schemas a place is made of, ignoring bare `$ref` hops (to spot recursion)."""
    return tuple(p.uri for p in parts if not p.keys or not p.keys <= {"$ref", *DOCS_KEYWORDS})
