"""Schemas -> shapes: the compiler behind every strategy.

Each schema location becomes a Shape (its own keywords, merged with its `$ref` target,
`allOf` members and `dependentSchemas`), or a Choice for `if`/`anyOf`/`oneOf`. `$ref`
and `$dynamicRef` are resolved through the SchemaStore (see refs.py); a recursive `$ref`
is followed to a bounded depth, past which that branch holds no value (so an optional
member or an `anyOf` option ends the recursion). Keywords that are not built exactly
add their schema's predicate to the shape's checks (values are filtered by it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any
from urllib.parse import urldefrag

from validator.generate.refs import RefError, join, resolve_ref
from validator.generate.shapes import (
    Choice,
    GenerationError,
    Merger,
    Node,
    Option,
    Shape,
    Unsatisfiable,
    is_never,
    never,
    settle,
)
from validator.load.schemas import DOCUMENTED_VALUES, DRAFT, SchemaStore
from validator.model.pointer import escape_token

RECURSION_DEPTH = 3  # how often one `$ref` may be open inside itself
# keywords built approximately, then enforced by filtering with their schema's predicate
FILTERED = ("not", "dependentSchemas", "dependentRequired", "propertyNames", "contains",
            "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "uniqueItems")
KNOWN_FORMATS = ("date-time", "date", "time", "duration", "email", "idn-email", "hostname",
                 "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri",
                 "iri-reference", "uuid", "uri-template", "json-pointer",
                 "relative-json-pointer", "regex")


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
        self._cuts = 0  # recursion cuts so far (a node compiled across a cut is not cached)
        self._registry: Any = None
        self._predicates: dict[tuple[int, str], Callable[[Any], bool]] = {}
        self._keep: list[Any] = []

    def registry(self) -> Any:
        """A jsonschema-rs registry of the store's documents as written."""
        import jsonschema_rs

        if self._registry is None:
            self.store.registry()  # make sure every document is loaded
            resources = list(self.store.documents.items())
            self._registry = jsonschema_rs.Registry(resources, retriever=_refuse)
        return self._registry

    def predicate(self, schema: Any, base: str) -> Callable[[Any], bool]:
        """is_valid of a (sub)schema, resolved against the original documents."""
        key = (id(schema), base)
        if key not in self._predicates:
            import jsonschema_rs

            self._keep.append(schema)
            wrapped = {"$schema": DRAFT, **schema} if isinstance(schema, dict) else schema
            if self._dynamic():
                self._predicates[key] = self._python_predicate(wrapped, base)
                return self._predicates[key]
            try:
                validator = jsonschema_rs.validator_for(wrapped, registry=self.registry(),
                                                        base_uri=base, validate_formats=True)
                self._predicates[key] = validator.is_valid
            except BaseException as exc:  # jsonschema-rs panics on some dynamic scopes
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                self._predicates[key] = self._python_predicate(wrapped, base)
        return self._predicates[key]

    def _dynamic(self) -> bool:
        """Whether any document uses $dynamicRef (jsonschema-rs panics on some of those)."""
        import json

        return any("$dynamicRef" in json.dumps(d) for d in self.store.documents.values())

    def _python_predicate(self, schema: Any, base: str) -> Callable[[Any], bool]:
        """is_valid from python-jsonschema, for schemas jsonschema-rs cannot compile."""
        import jsonschema
        import referencing
        from referencing.jsonschema import DRAFT202012

        registry: Any = referencing.Registry()
        for uri, document in self.store.documents.items():
            registry = registry.with_resource(uri, DRAFT202012.create_resource(document))
        registry = registry.crawl()
        validator = jsonschema.Draft202012Validator(
            schema, registry=registry, _resolver=registry.resolver(base_uri=base),
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        is_valid: Callable[[Any], bool] = validator.is_valid
        return is_valid

    def response(self, ref: str) -> Node:
        """The shape of a response schema named relative to the schema folder."""
        node = self.ref(self.store.uri_for(ref), "")
        return self.refuse_never(node)

    def refuse_never(self, node: Node) -> Node:
        """The node itself, or a GenerationError when no value can take it."""
        if is_never(node):
            shape = node if isinstance(node, Shape) else node.options[0].node
            why = shape.never if isinstance(shape, Shape) else "no option can hold"
            raise GenerationError(f"{node.where}: no value can satisfy this schema ({why})")
        return node

    def ref(self, base: str, ref: str) -> Node:
        """The node a `$ref` (relative to `base`) points at; recursion is depth-bounded."""
        try:
            uri, schema = resolve_ref(self.store, base, ref) if ref else \
                (base, self._whole(base))
        except RefError as exc:
            raise GenerationError(f"{self.store.relative(base)}: {exc}") from None
        key = uri
        if key in self._refs:
            return self._refs[key]
        if self._stack.count(key) >= RECURSION_DEPTH:
            self._cuts += 1
            return never(self.store.relative(key), "recursion past its depth bound")
        doc, fragment = urldefrag(uri)
        cuts = self._cuts
        self._stack.append(key)
        try:
            node = self.compile(schema, doc, fragment)
        finally:
            self._stack.pop()
        if self._cuts == cuts:
            self._refs[key] = node
        return node

    def _whole(self, uri: str) -> Any:
        doc, fragment = urldefrag(uri)
        if doc not in self.store.documents:
            self.store.load(self.store.relative(doc), "(generator)")
        return resolve_ref(self.store, doc, "#" + fragment)[1]

    def compile(self, schema: Any, doc: str, pointer: str) -> Node:
        """The node for a schema found at `doc#pointer` (pointer "" for inline rule schemas)."""
        where = self.store.relative(f"{doc}#{pointer}")
        if schema is True or schema == {}:
            return Shape(where=where)
        if schema is False:
            return never(where, "a false schema")
        if not isinstance(schema, dict):
            raise GenerationError(f"{where}: a schema must be an object or a boolean")
        if isinstance(schema.get("$id"), str):
            doc = urldefrag(join(doc, schema["$id"]))[0]
        try:
            return self._compile(schema, doc, pointer, where)
        except Unsatisfiable as exc:
            return never(where, str(exc))

    def _compile(self, schema: dict[str, Any], doc: str, pointer: str, where: str) -> Node:
        if isinstance(schema.get("items"), list):
            raise GenerationError(f"{where}: array-form 'items' (draft 7) is not supported; "
                                  "use prefixItems")
        node: Node = self._own(schema, doc, pointer, where)
        for keyword in ("$ref", "$dynamicRef"):
            if isinstance(schema.get(keyword), str):
                node = self.merger.merge(node, self.ref(doc, schema[keyword]))
        for i, sub in enumerate(schema.get("allOf") or []):
            node = self.merger.merge(node, self.compile(sub, doc, f"{pointer}/allOf/{i}"))
        if "if" in schema:
            node = self.merger.merge(node, self._conditional(schema, doc, pointer, where))
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                node = self.merger.merge(node, self._alternatives(schema, keyword, doc,
                                                                  pointer, where))
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
        if shape.const or shape.enum is not None:
            shape.literal_checks = (self.predicate(schema, doc),)
        documented = schema.get(DOCUMENTED_VALUES)
        if isinstance(documented, list) and documented:
            shape.documented = tuple(documented)
            shape.drifts = self.store.is_injected(f"{doc}#{pointer}/enum")
        self._scalars(schema, shape, where)
        self._members(schema, shape, doc, pointer)
        self._arrays(schema, shape, doc, pointer)
        shape.closed = self.store.is_injected(f"{doc}#{pointer}/unevaluatedProperties")
        shape.hinted = _implied_types(schema)
        if schema.get("not") is True or schema.get("not") == {}:
            raise Unsatisfiable("not: {} accepts nothing")
        if any(k in schema for k in FILTERED) or len(shape.patterns) > 1:
            shape.checks = (self.predicate(schema, doc),)
        for name, sub in (schema.get("dependentSchemas") or {}).items():
            if is_never(self.compile(sub, doc, f"{pointer}/dependentSchemas/"
                                     f"{escape_token(name)}")) and name not in shape.required:
                shape.properties[name] = never(where, "dependentSchemas false")
        settle(shape, self.merger)
        return shape

    def _scalars(self, schema: dict[str, Any], shape: Shape, where: str) -> None:
        if isinstance(schema.get("pattern"), str):
            try:
                re.compile(schema["pattern"])
            except re.error:
                raise GenerationError(f"{where}: pattern {schema['pattern']!r} is not a "
                                      "regular expression the generator can read") from None
            shape.patterns = (schema["pattern"],)
        fmt = schema.get("format")
        shape.format = fmt if isinstance(fmt, str) else None
        shape.min_length = _count(schema, "minLength", where) or 0
        shape.max_length = _count(schema, "maxLength", where)
        for keyword, attribute in (("minimum", "minimum"), ("maximum", "maximum"),
                                   ("exclusiveMinimum", "exclusive_minimum"),
                                   ("exclusiveMaximum", "exclusive_maximum")):
            if _is_number(schema.get(keyword)):
                setattr(shape, attribute, schema[keyword])
        step: Any = schema.get("multipleOf")
        if _is_number(step) and step > 0:
            shape.multiples = (_fraction(step),)

    def _members(self, schema: dict[str, Any], shape: Shape, doc: str, pointer: str) -> None:
        for name, sub in (schema.get("properties") or {}).items():
            shape.properties[name] = self.compile(
                sub, doc, f"{pointer}/properties/{escape_token(name)}")
        shape.required = frozenset(r for r in schema.get("required") or () if isinstance(r, str))
        if "additionalProperties" in schema:
            extra = schema["additionalProperties"]
            shape.additional = extra if isinstance(extra, bool) else self.compile(
                extra, doc, f"{pointer}/additionalProperties")
        elif "unevaluatedProperties" in schema:
            extra = schema["unevaluatedProperties"]
            shape.additional = extra if isinstance(extra, bool) else self.compile(
                extra, doc, f"{pointer}/unevaluatedProperties")
        for pattern, sub in (schema.get("patternProperties") or {}).items():
            shape.pattern_properties[pattern] = self.compile(
                sub, doc, f"{pointer}/patternProperties/{escape_token(pattern)}")
        if "propertyNames" in schema:
            shape.names = self.compile(schema["propertyNames"], doc, f"{pointer}/propertyNames")
        shape.min_properties = _count(schema, "minProperties", shape.where) or 0
        shape.max_properties = _count(schema, "maxProperties", shape.where)
        dependent = schema.get("dependentRequired")
        if isinstance(dependent, dict):
            for name, needs in dependent.items():
                if name in shape.required:
                    shape.required |= frozenset(n for n in needs if isinstance(n, str))

    def _arrays(self, schema: dict[str, Any], shape: Shape, doc: str, pointer: str) -> None:
        if schema.get("items") is False:
            shape.no_more_items = True
        elif "items" in schema:
            shape.items = self.compile(schema["items"], doc, f"{pointer}/items")
        elif "unevaluatedItems" in schema and "prefixItems" not in schema:
            shape.items = self.compile(schema["unevaluatedItems"], doc,
                                       f"{pointer}/unevaluatedItems")
        shape.prefix_items = tuple(self.compile(sub, doc, f"{pointer}/prefixItems/{i}")
                                   for i, sub in enumerate(schema.get("prefixItems") or []))
        shape.min_items = _count(schema, "minItems", shape.where) or 0
        shape.max_items = _count(schema, "maxItems", shape.where)
        shape.unique_items = schema.get("uniqueItems") is True
        if "contains" in schema:
            least = _count(schema, "minContains", shape.where)
            shape.min_contains = 1 if least is None else least
            most = _count(schema, "maxContains", shape.where)
            if most is not None and most < shape.min_contains:
                raise Unsatisfiable("maxContains below minContains")
            if shape.min_contains:
                shape.contains = self.compile(schema["contains"], doc, f"{pointer}/contains")

    def _conditional(self, schema: dict[str, Any], doc: str, pointer: str, where: str) -> Node:
        test = self.predicate(schema["if"], doc)
        condition = self.compile(schema["if"], doc, f"{pointer}/if")
        options = []
        then = self.compile(schema.get("then", True), doc, f"{pointer}/then")
        otherwise = self.compile(schema.get("else", True), doc, f"{pointer}/else")
        merged = self.merger.merge(condition, then)
        if not is_never(merged):
            options.append(Option(merged, test, f"{where}: then"))
        if not is_never(otherwise):
            options.append(Option(otherwise, lambda value: not test(value), f"{where}: else"))
        if not options:
            raise Unsatisfiable("neither then nor else can hold")
        return Choice(options, where)

    def _alternatives(self, schema: dict[str, Any], keyword: str, doc: str, pointer: str,
                      where: str) -> Node:
        subs = schema[keyword]
        tests = [self.predicate(sub, doc) for sub in subs]
        options = []
        for i, sub in enumerate(subs):
            node = self.compile(sub, doc, f"{pointer}/{keyword}/{i}")
            if is_never(node):
                continue
            accepts = _exactly(tests, i) if keyword == "oneOf" else tests[i]
            options.append(Option(node, accepts, f"{where}: {keyword}[{i}]"))
        if not options:
            raise Unsatisfiable(f"no {keyword} option can hold")
        return Choice(options, where)


def _exactly(tests: list[Callable[[Any], bool]], index: int) -> Callable[[Any], bool]:
    def accepts(value: Any) -> bool:
        return tests[index](value) and not any(t(value) for i, t in enumerate(tests)
                                               if i != index)
    return accepts


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fraction(value: int | float) -> Fraction:
    """The exact decimal value of a JSON number (0.1 is 1/10, not its binary float)."""
    return Fraction(value) if isinstance(value, int) else Fraction(repr(value))


def _count(schema: dict[str, Any], keyword: str, where: str) -> int | None:
    """A non-negative integer keyword (2.0 counts as 2), None when absent."""
    value = schema.get(keyword)
    if value is None:
        return None
    if not _is_number(value) or value < 0 or value != int(value):
        raise GenerationError(f"{where}: {keyword} must be a non-negative integer, "
                              f"not {value!r}")
    return int(value)


_OBJECT_WORDS = ("properties", "required", "additionalProperties", "patternProperties",
                 "minProperties", "maxProperties", "propertyNames", "dependentRequired",
                 "unevaluatedProperties")
_ARRAY_WORDS = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains",
                "unevaluatedItems")
_STRING_WORDS = ("pattern", "minLength", "maxLength")
_NUMBER_WORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


def _implied_types(schema: dict[str, Any]) -> frozenset[str] | None:
    """Types an untyped schema clearly means (generating only those is still valid)."""
    implied = set()
    for words, name in ((_OBJECT_WORDS, "object"), (_ARRAY_WORDS, "array"),
                        (_STRING_WORDS, "string"), (_NUMBER_WORDS, "number")):
        if any(w in schema for w in words):
            implied.add(name)
    if schema.get("format") in KNOWN_FORMATS:
        implied.add("string")
    return frozenset(implied) if implied else None


def _refuse(uri: str) -> Any:
    raise ValueError(f"refusing to fetch {uri}")
