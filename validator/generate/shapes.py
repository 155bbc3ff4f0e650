"""JSON Schema -> shapes: the constraints of one instance location, merged and flattened.

A `Shape` gathers everything the schema says about one value (its `$ref` target, its
`allOf` members, the branch of a conditional); a `Choice` stands for `if`/`then`/`else`,
`anyOf` and `oneOf`, with a predicate per option telling which branch a value took.
Generation (values.py), rule repair (repair.py) and mutation (mutate.py) all read
shapes, never raw schemas.

Which objects are closed (undeclared members are drift) and which values are listed
under `x-documented` come from the same SchemaStore the checker uses, so the generator
and the checker agree on what drift is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from validator.errors import GenerationError as GenerationError
from validator.errors import RespcontractError
from validator.formats.json import json_type
from validator.load.schemas import DOCUMENTED_VALUES, DRAFT, SchemaStore
from validator.model.pointer import escape_token

JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")

# Keywords whose meaning the generator cannot honour; a schema using one is refused with a
# clear error rather than producing examples the checker would reject.
UNSUPPORTED = ("not", "dependentSchemas", "dependentRequired", "dependencies", "propertyNames",
               "contains", "minContains", "maxContains", "unevaluatedProperties",
               "unevaluatedItems", "$dynamicRef", "$recursiveRef", "additionalItems")


class Unsatisfiable(RespcontractError):
    """Merged constraints that no value can meet (such a branch is dropped)."""


@dataclass(eq=False)
class Shape:
    """Every constraint on one instance location (absent keyword = no constraint)."""

    where: str = ""
    types: frozenset[str] | None = None
    const: tuple[Any, ...] = ()  # () or (value,)
    enum: tuple[Any, ...] | None = None
    documented: tuple[Any, ...] | None = None
    drifts: bool = False  # values outside `documented` are warnings, not errors
    patterns: tuple[str, ...] = ()
    format: str | None = None
    min_length: int = 0
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    properties: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: Node | bool | None = None  # None: not declared
    pattern_properties: dict[str, Node] = field(default_factory=dict)
    min_properties: int = 0
    max_properties: int | None = None
    items: Node | None = None
    no_more_items: bool = False  # `items: false`: nothing after prefixItems
    prefix_items: tuple[Node, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    unique_items: bool = False
    closed: bool = False  # undeclared members are drift (the store closed this object)
    hinted: frozenset[str] | None = None  # types an untyped schema's keywords point to

    def generated_types(self) -> tuple[str, ...]:
        """The types to generate, simplest first."""
        wanted = self.types if self.types is not None else self.hinted
        if wanted is None:
            return JSON_TYPES
        if "number" in wanted:
            wanted = wanted - {"integer"}
        return tuple(t for t in JSON_TYPES if t in wanted)

    def allows_type(self, name: str) -> bool:
        if self.types is None:
            return True
        return name in self.types or (name == "integer" and "number" in self.types)


@dataclass(eq=False)
class Option:
    """One branch of a choice (anyOf, oneOf, type list) with its test."""

    node: Node
    accepts: Callable[[Any], bool]
    label: str


@dataclass(eq=False)
class Choice:
    """Alternative shapes; a value belongs to the first option that accepts it."""

    options: list[Option]
    where: str = ""


Node = Shape | Choice

ANY = Shape(where="(any)")


def resolve(node: Node | None, value: Any) -> Shape:
    """The shape a concrete value takes: the option of each choice that accepts it."""
    while isinstance(node, Choice):
        chosen = next((o.node for o in node.options if o.accepts(value)), None)
        node = chosen if chosen is not None else node.options[0].node
    return node if node is not None else ANY


def child(shape: Shape, key: str | int) -> Node | None:
    """The node describing one member or item of a value of this shape."""
    if isinstance(key, int):
        if key < len(shape.prefix_items):
            return shape.prefix_items[key]
        return shape.items
    if key in shape.properties:
        return shape.properties[key]
    import re

    for pattern, node in shape.pattern_properties.items():
        if re.search(pattern, key):
            return node
    return shape.additional if not isinstance(shape.additional, bool) else None


# ---------------------------------------------------------------- merging


def _intersect_types(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None:
        return b
    if b is None:
        return a
    out = set(a & b)
    if ("integer" in a and "number" in b) or ("number" in a and "integer" in b):
        out.add("integer")
    if not out:
        raise Unsatisfiable("no common type")
    return frozenset(out)


def _tighter(a: float | None, b: float | None, pick: Callable[[float, float], float]
             ) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)


class Merger:
    """Merges nodes; results are cached so merged shapes keep a stable identity."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int], Node] = {}
        self._keep: list[Node] = []

    def merge(self, a: Node, b: Node) -> Node:
        if a is ANY:
            return b
        if b is ANY:
            return a
        key = (id(a), id(b))
        if key not in self._cache:
            self._keep += [a, b]
            self._cache[key] = self._merge(a, b)
        return self._cache[key]

    def _merge(self, a: Node, b: Node) -> Node:
        if isinstance(a, Choice) or isinstance(b, Choice):
            return self._merge_choices(a, b)
        return self._merge_shapes(a, b)

    def _merge_choices(self, a: Node, b: Node) -> Node:
        left = a.options if isinstance(a, Choice) else [Option(a, _always, "")]
        right = b.options if isinstance(b, Choice) else [Option(b, _always, "")]
        options = []
        for x in left:
            for y in right:
                try:
                    node = self.merge(x.node, y.node)
                except Unsatisfiable:
                    continue
                options.append(Option(node, _both(x.accepts, y.accepts),
                                      " & ".join(filter(None, (x.label, y.label)))))
        if not options:
            raise Unsatisfiable("no branch can be satisfied")
        return options[0].node if len(options) == 1 and options[0].accepts is _always \
            else Choice(options, a.where or b.where)

    def _merge_shapes(self, a: Shape, b: Shape) -> Shape:
        out = replace(a, where=a.where or b.where)
        out.types = _intersect_types(a.types, b.types)
        if a.const and b.const and a.const[0] != b.const[0]:
            raise Unsatisfiable("two different constants")
        out.const = a.const or b.const
        if a.enum is not None and b.enum is not None:
            out.enum = tuple(v for v in a.enum if v in b.enum)
            if not out.enum:
                raise Unsatisfiable("no common enum value")
        else:
            out.enum = a.enum if a.enum is not None else b.enum
        if a.documented is not None and b.documented is not None:
            out.documented = tuple(v for v in a.documented if v in b.documented) or a.documented
        else:
            out.documented = a.documented if a.documented is not None else b.documented
        out.drifts = a.drifts or b.drifts
        out.patterns = a.patterns + tuple(p for p in b.patterns if p not in a.patterns)
        out.format = a.format or b.format
        out.min_length = max(a.min_length, b.min_length)
        out.max_length = _tighter(a.max_length, b.max_length, min)  # type: ignore[assignment]
        out.minimum = _tighter(a.minimum, b.minimum, max)
        out.maximum = _tighter(a.maximum, b.maximum, min)
        out.exclusive_minimum = _tighter(a.exclusive_minimum, b.exclusive_minimum, max)
        out.exclusive_maximum = _tighter(a.exclusive_maximum, b.exclusive_maximum, min)
        out.multiple_of = a.multiple_of or b.multiple_of
        out.properties = dict(a.properties)
        for name, node in b.properties.items():
            out.properties[name] = self.merge(out.properties[name], node) \
                if name in out.properties else node
        out.required = a.required | b.required
        out.additional = _merge_additional(self, a.additional, b.additional)
        out.pattern_properties = {**a.pattern_properties, **b.pattern_properties}
        out.min_properties = max(a.min_properties, b.min_properties)
        out.max_properties = _tighter(a.max_properties, b.max_properties, min)  # type: ignore
        out.items = b.items if a.items is None else a.items if b.items is None \
            else self.merge(a.items, b.items)
        longer, shorter = (a, b) if len(a.prefix_items) >= len(b.prefix_items) else (b, a)
        out.prefix_items = tuple(
            self.merge(x, shorter.prefix_items[i]) if i < len(shorter.prefix_items) else x
            for i, x in enumerate(longer.prefix_items))
        out.min_items = max(a.min_items, b.min_items)
        out.max_items = _tighter(a.max_items, b.max_items, min)  # type: ignore[assignment]
        out.unique_items = a.unique_items or b.unique_items
        out.no_more_items = a.no_more_items or b.no_more_items
        out.closed = a.closed or b.closed
        out.hinted = a.hinted | b.hinted if a.hinted and b.hinted else a.hinted or b.hinted
        _check_consistent(out)
        return out


def _merge_additional(merger: Merger, a: Node | bool | None, b: Node | bool | None
                      ) -> Node | bool | None:
    if a is None or a is True:
        return b if b is not None else a
    if b is None or b is True:
        return a
    if a is False or b is False:
        return False
    return merger.merge(a, b)


def _check_consistent(shape: Shape) -> None:
    if shape.const and shape.types is not None and not shape.allows_type(json_type(shape.const[0])):
        raise Unsatisfiable("constant of the wrong type")
    if shape.max_length is not None and shape.max_length < shape.min_length:
        raise Unsatisfiable("maxLength below minLength")
    if shape.max_items is not None and shape.max_items < shape.min_items:
        raise Unsatisfiable("maxItems below minItems")


def _always(_value: Any) -> bool:
    return True


def _both(f: Callable[[Any], bool], g: Callable[[Any], bool]) -> Callable[[Any], bool]:
    if f is _always:
        return g
    if g is _always:
        return f
    return lambda value: f(value) and g(value)


# ---------------------------------------------------------------- compiling


class Compiler:
    """Translates the schemas of one SchemaStore into shapes, with `$ref` followed.

    Predicates (which branch a value took) are compiled with jsonschema-rs against the
    original documents, so they mean exactly what the schema says.
    """

    def __init__(self, store: SchemaStore) -> None:
        self.store = store
        self.merger = Merger()
        self._refs: dict[str, Node] = {}
        self._stack: list[str] = []
        self._registry: Any = None

    def registry(self) -> Any:
        import jsonschema_rs

        if self._registry is None:
            self.store.registry()  # make sure every document is loaded
            resources = list(self.store.documents.items())
            self._registry = jsonschema_rs.Registry(resources, retriever=_refuse)
        return self._registry

    def predicate(self, schema: Any, base: str) -> Callable[[Any], bool]:
        """is_valid of a (sub)schema, resolved against the original documents."""
        import jsonschema_rs

        wrapped = {"$schema": DRAFT, **schema} if isinstance(schema, dict) else schema
        validator = jsonschema_rs.validator_for(wrapped, registry=self.registry(),
                                                base_uri=base)
        is_valid: Callable[[Any], bool] = validator.is_valid
        return is_valid

    def response(self, ref: str) -> Node:
        """The shape of a response schema named relative to the schema folder."""
        return self.ref(self.store.uri_for(ref))

    def ref(self, uri: str) -> Node:
        doc, fragment = urldefrag(uri)
        fragment = unquote(fragment)
        key = f"{doc}#{fragment}"
        if key in self._refs:
            return self._refs[key]
        if key in self._stack:
            raise GenerationError(f"{self.store.relative(key)}: recursive $ref is not "
                                  "supported by the generator")
        if doc not in self.store.documents:
            self.store.load(self.store.relative(doc), "(generator)")
        self._stack.append(key)
        try:
            node = self.compile(self.store.document_at(key), doc, fragment)
        finally:
            self._stack.pop()
        self._refs[key] = node
        return node

    def compile(self, schema: Any, doc: str, pointer: str) -> Node:
        """The node for a schema found at `doc#pointer` (pointer "" for inline rule schemas)."""
        where = self.store.relative(f"{doc}#{pointer}")
        if schema is True or schema == {}:
            return Shape(where=where)
        if schema is False or not isinstance(schema, dict):
            raise GenerationError(f"{where}: a schema that accepts nothing cannot be generated")
        for keyword in UNSUPPORTED:
            if keyword in schema:
                raise GenerationError(f"{where}: keyword {keyword!r} is not supported by the "
                                      "generator")
        if isinstance(schema.get("items"), list):
            raise GenerationError(f"{where}: array-form 'items' (draft 7) is not supported; "
                                  "use prefixItems")
        node: Node = self._own(schema, doc, pointer, where)
        try:
            if "$ref" in schema:
                node = self.merger.merge(node, self.ref(urljoin(doc, schema["$ref"])))
            for i, sub in enumerate(schema.get("allOf") or []):
                node = self.merger.merge(node, self.compile(sub, doc, f"{pointer}/allOf/{i}"))
            if "if" in schema:
                node = self.merger.merge(node, self._conditional(schema, doc, pointer, where))
            for keyword in ("anyOf", "oneOf"):
                if keyword in schema:
                    node = self.merger.merge(node, self._alternatives(schema, keyword, doc,
                                                                      pointer, where))
        except Unsatisfiable as exc:
            raise GenerationError(f"{where}: no value can satisfy this schema ({exc})") from None
        return node

    def _own(self, schema: dict[str, Any], doc: str, pointer: str, where: str) -> Shape:
        shape = Shape(where=where)
        declared = schema.get("type")
        if isinstance(declared, str):
            shape.types = frozenset([declared])
        elif isinstance(declared, list):
            shape.types = frozenset(declared)
        if "const" in schema:
            shape.const = (schema["const"],)
        if isinstance(schema.get("enum"), list):
            shape.enum = tuple(schema["enum"])
        documented = schema.get(DOCUMENTED_VALUES)
        if isinstance(documented, list) and documented:
            shape.documented = tuple(documented)
            shape.drifts = self.store.is_injected(f"{doc}#{pointer}/enum")
        if isinstance(schema.get("pattern"), str):
            shape.patterns = (schema["pattern"],)
        shape.format = schema.get("format") if isinstance(schema.get("format"), str) else None
        shape.min_length = int(schema.get("minLength", 0))
        shape.max_length = schema.get("maxLength")
        for keyword, attribute in (("minimum", "minimum"), ("maximum", "maximum"),
                                   ("exclusiveMinimum", "exclusive_minimum"),
                                   ("exclusiveMaximum", "exclusive_maximum"),
                                   ("multipleOf", "multiple_of")):
            if isinstance(schema.get(keyword), int | float):
                setattr(shape, attribute, schema[keyword])
        for name, sub in (schema.get("properties") or {}).items():
            shape.properties[name] = self.compile(
                sub, doc, f"{pointer}/properties/{escape_token(name)}")
        shape.required = frozenset(schema.get("required") or ())
        if "additionalProperties" in schema:
            extra = schema["additionalProperties"]
            shape.additional = extra if isinstance(extra, bool) else self.compile(
                extra, doc, f"{pointer}/additionalProperties")
        for pattern, sub in (schema.get("patternProperties") or {}).items():
            shape.pattern_properties[pattern] = self.compile(
                sub, doc, f"{pointer}/patternProperties/{escape_token(pattern)}")
        shape.min_properties = int(schema.get("minProperties", 0))
        shape.max_properties = schema.get("maxProperties")
        if schema.get("items") is False:
            shape.no_more_items = True
        elif "items" in schema:
            shape.items = self.compile(schema["items"], doc, f"{pointer}/items")
        shape.prefix_items = tuple(self.compile(sub, doc, f"{pointer}/prefixItems/{i}")
                                   for i, sub in enumerate(schema.get("prefixItems") or []))
        shape.min_items = int(schema.get("minItems", 0))
        shape.max_items = schema.get("maxItems")
        shape.unique_items = bool(schema.get("uniqueItems", False))
        shape.closed = self.store.is_injected(f"{doc}#{pointer}/unevaluatedProperties")
        shape.hinted = _implied_types(schema)
        return shape

    def _conditional(self, schema: dict[str, Any], doc: str, pointer: str, where: str) -> Node:
        test = self.predicate(schema["if"], doc)
        condition = self.compile(schema["if"], doc, f"{pointer}/if")
        options = []
        then = self.compile(schema.get("then", True), doc, f"{pointer}/then")
        otherwise = self.compile(schema.get("else", True), doc, f"{pointer}/else")
        with contextlib.suppress(Unsatisfiable):  # a `then` that can never hold
            options.append(Option(self.merger.merge(condition, then), test, f"{where}: then"))
        options.append(Option(otherwise, lambda value: not test(value), f"{where}: else"))
        return Choice(options, where)

    def _alternatives(self, schema: dict[str, Any], keyword: str, doc: str, pointer: str,
                      where: str) -> Node:
        subs = schema[keyword]
        tests = [self.predicate(sub, doc) for sub in subs]
        options = []
        for i, sub in enumerate(subs):
            node = self.compile(sub, doc, f"{pointer}/{keyword}/{i}")
            accepts = _exactly(tests, i) if keyword == "oneOf" else tests[i]
            options.append(Option(node, accepts, f"{where}: {keyword}[{i}]"))
        return Choice(options, where)


def _exactly(tests: list[Callable[[Any], bool]], index: int) -> Callable[[Any], bool]:
    def accepts(value: Any) -> bool:
        return tests[index](value) and not any(t(value) for i, t in enumerate(tests)
                                               if i != index)
    return accepts


_OBJECT_WORDS = ("properties", "required", "additionalProperties", "patternProperties",
                 "minProperties", "maxProperties")
_ARRAY_WORDS = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")
_STRING_WORDS = ("pattern", "minLength", "maxLength", "format")
_NUMBER_WORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


def _implied_types(schema: dict[str, Any]) -> frozenset[str] | None:
    """Types an untyped schema clearly means (generating only those is still valid)."""
    implied = set()
    for words, name in ((_OBJECT_WORDS, "object"), (_ARRAY_WORDS, "array"),
                        (_STRING_WORDS, "string"), (_NUMBER_WORDS, "number")):
        if any(w in schema for w in words):
            implied.add(name)
    return frozenset(implied) if implied else None


def _refuse(uri: str) -> Any:
    raise ValueError(f"refusing to fetch {uri}")
