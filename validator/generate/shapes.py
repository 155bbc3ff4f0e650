"""JSON Schema -> shapes: the constraints of one instance location, merged and flattened.

A `Shape` gathers everything the schema says about one value (its `$ref` target, its
`allOf` members, the branch of a conditional); a `Choice` stands for `if`/`then`/`else`,
`anyOf` and `oneOf`, with a predicate per option telling which branch a value took.
Generation (values.py), rule repair (repair.py) and mutation (mutate.py) all read
shapes, never raw schemas. The compiler (compiler.py) builds them.

A shape that cannot hold any value is `never` (a `false` subschema, a contradiction, a
recursion cut at its depth bound): an optional member or an option that is `never` is
simply not generated. Keywords the generator does not construct exactly (`not`,
`propertyNames`, `dependentSchemas`, `unevaluated*`, ...) add the predicate of their
schema to `checks`, and values of that shape are filtered by it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from validator.errors import GenerationError as GenerationError
from validator.errors import RespcontractError
from validator.formats.json import json_type

JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
Predicate = Callable[[Any], bool]


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
    multiples: tuple[Fraction, ...] = ()
    properties: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: Node | bool | None = None  # None: not declared
    pattern_properties: dict[str, Node] = field(default_factory=dict)
    names: Node | None = None  # propertyNames
    min_properties: int = 0
    max_properties: int | None = None
    items: Node | None = None
    no_more_items: bool = False  # `items: false`: nothing after prefixItems
    prefix_items: tuple[Node, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    unique_items: bool = False
    contains: Node | None = None
    min_contains: int = 1
    closed: bool = False  # undeclared members are drift (the store closed this object)
    hinted: frozenset[str] | None = None  # types an untyped schema's keywords point to
    checks: tuple[Predicate, ...] = ()  # predicates every value must also meet
    literal_checks: tuple[Predicate, ...] = ()  # what enum/const values must meet
    never: str = ""  # why no value fits ("" = some value may)

    @property
    def multiple_of(self) -> Fraction | None:
        """The step every value is a multiple of (the lcm of all multipleOf), or None."""
        if not self.multiples:
            return None
        step = self.multiples[0]
        for other in self.multiples[1:]:
            step = _lcm(step, other)
        return step

    def generated_types(self) -> tuple[str, ...]:
        """The types to generate, simplest first."""
        wanted = self.types if self.types is not None else self.hinted
        if wanted is None:
            return JSON_TYPES
        if "number" in wanted:
            wanted = wanted - {"integer"}
        return tuple(t for t in JSON_TYPES if t in wanted)

    def allows_type(self, name: str) -> bool:
        """Whether a value of JSON type `name` passes `type`."""
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


def never(where: str, why: str) -> Shape:
    """A shape no value can take."""
    return Shape(where=where, never=why or "no value fits")


def is_never(node: Node | bool | None) -> bool:
    """Whether no value can take this node."""
    if node is False:
        return True
    if isinstance(node, Shape):
        return bool(node.never)
    if isinstance(node, Choice):
        return all(is_never(o.node) for o in node.options)
    return False


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
    for pattern, node in shape.pattern_properties.items():
        if re.search(pattern, key):
            return node
    return shape.additional if not isinstance(shape.additional, bool) else None


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, true != 1, objects by members, arrays by items."""
    return bool(canonical(a) == canonical(b))


def canonical(value: Any) -> Any:
    """A hashable form of a JSON value under JSON equality."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", Fraction(value))
    if isinstance(value, list):
        return ("array", tuple(canonical(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, canonical(v)) for k, v in value.items()))
    return ("other", repr(value))


def _lcm(a: Fraction, b: Fraction) -> Fraction:
    from math import gcd, lcm

    return Fraction(lcm(a.numerator, b.numerator), gcd(a.denominator, b.denominator))


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


def _tighter(a: Any, b: Any, pick: Callable[[Any, Any], Any]) -> Any:
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
        """The node of values that take both a and b (`never` when none can)."""
        if a is ANY or a is b:
            return b
        if b is ANY:
            return a
        key = (id(a), id(b))
        if key not in self._cache:
            self._keep += [a, b]
            try:
                self._cache[key] = self._merge(a, b)
            except Unsatisfiable as exc:
                self._cache[key] = never(_where(a) or _where(b), str(exc))
        return self._cache[key]

    def _merge(self, a: Node, b: Node) -> Node:
        if is_never(a):
            return a
        if is_never(b):
            return b
        if isinstance(a, Choice) or isinstance(b, Choice):
            return self._merge_choices(a, b)
        return self._merge_shapes(a, b)

    def _merge_choices(self, a: Node, b: Node) -> Node:
        left = a.options if isinstance(a, Choice) else [Option(a, _always, "")]
        right = b.options if isinstance(b, Choice) else [Option(b, _always, "")]
        options = []
        for x in left:
            for y in right:
                node = self.merge(x.node, y.node)
                if is_never(node):
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
        if a.const and b.const and not json_equal(a.const[0], b.const[0]):
            raise Unsatisfiable("two different constants")
        out.const = a.const or b.const
        if a.enum is not None and b.enum is not None:
            out.enum = tuple(v for v in a.enum if any(json_equal(v, w) for w in b.enum))
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
        out.max_length = _tighter(a.max_length, b.max_length, min)
        out.minimum = _tighter(a.minimum, b.minimum, max)
        out.maximum = _tighter(a.maximum, b.maximum, min)
        out.exclusive_minimum = _tighter(a.exclusive_minimum, b.exclusive_minimum, max)
        out.exclusive_maximum = _tighter(a.exclusive_maximum, b.exclusive_maximum, min)
        out.multiples = a.multiples + tuple(m for m in b.multiples if m not in a.multiples)
        out.properties = dict(a.properties)
        for name, node in b.properties.items():
            out.properties[name] = self.merge(out.properties[name], node) \
                if name in out.properties else node
        out.required = a.required | b.required
        out.additional = _merge_additional(self, a.additional, b.additional)
        out.pattern_properties = dict(a.pattern_properties)
        for pattern, node in b.pattern_properties.items():
            out.pattern_properties[pattern] = self.merge(out.pattern_properties[pattern], node) \
                if pattern in out.pattern_properties else node
        out.names = b.names if a.names is None else a.names if b.names is None \
            else self.merge(a.names, b.names)
        out.min_properties = max(a.min_properties, b.min_properties)
        out.max_properties = _tighter(a.max_properties, b.max_properties, min)
        self._merge_arrays(out, a, b)
        out.closed = a.closed or b.closed
        out.hinted = a.hinted | b.hinted if a.hinted and b.hinted else a.hinted or b.hinted
        out.checks = a.checks + tuple(c for c in b.checks if c not in a.checks)
        out.literal_checks = a.literal_checks + tuple(
            c for c in b.literal_checks if c not in a.literal_checks)
        settle(out, self)
        return out

    def _merge_arrays(self, out: Shape, a: Shape, b: Shape) -> None:
        out.items = b.items if a.items is None else a.items if b.items is None \
            else self.merge(a.items, b.items)
        out.no_more_items = a.no_more_items or b.no_more_items
        # position i of each side: its prefix item, else its `items` (or nothing, or any)
        count = max(len(a.prefix_items), len(b.prefix_items))
        out.prefix_items = tuple(self.merge(_at(a, i), _at(b, i)) for i in range(count))
        out.min_items = max(a.min_items, b.min_items)
        out.max_items = _tighter(a.max_items, b.max_items, min)
        out.unique_items = a.unique_items or b.unique_items
        # two `contains`: the first is built, both are checked (their schemas' predicates)
        out.contains = a.contains if a.contains is not None else b.contains
        out.min_contains = a.min_contains if a.contains is not None else b.min_contains


def _at(shape: Shape, index: int) -> Node:
    if index < len(shape.prefix_items):
        return shape.prefix_items[index]
    if shape.no_more_items:
        return never(shape.where, "items: false")
    return shape.items if shape.items is not None else ANY


def _where(node: Node) -> str:
    return node.where


def _merge_additional(merger: Merger, a: Node | bool | None, b: Node | bool | None
                      ) -> Node | bool | None:
    if a is None or a is True:
        return b if b is not None else a
    if b is None or b is True:
        return a
    if a is False or b is False:
        return False
    return merger.merge(a, b)


def settle(shape: Shape, merger: Merger) -> None:
    """Make a shape's parts agree; raise Unsatisfiable when they cannot.

    Declared members also take the patternProperties their names match; members that
    cannot hold a value become impossible (required ones make the object impossible);
    enum and const keep only the values every merged schema accepts.
    """
    for name in list(shape.properties):
        for pattern, node in shape.pattern_properties.items():
            if _search(pattern, name):
                shape.properties[name] = merger.merge(shape.properties[name], node)
    if isinstance(shape.additional, Shape | Choice) and is_never(shape.additional):
        shape.additional = False
    _settle_literals(shape)
    _settle_arrays(shape)
    if shape.max_length is not None and shape.max_length < shape.min_length:
        raise Unsatisfiable("maxLength below minLength")
    if shape.max_properties is not None and shape.max_properties < shape.min_properties:
        raise Unsatisfiable("maxProperties below minProperties")
    if shape.types is not None and shape.types <= {"object"}:
        _settle_members(shape)


def _settle_literals(shape: Shape) -> None:
    def fits(value: Any) -> bool:
        return shape.allows_type(json_type(value)) and all(c(value) for c in shape.literal_checks)

    if shape.const and not fits(shape.const[0]):
            raise Unsatisfiable("the constant breaks a sibling keyword")
    if shape.enum is not None:
        shape.enum = tuple(v for v in shape.enum if fits(v))
        if shape.const:
            shape.enum = tuple(v for v in shape.enum if json_equal(v, shape.const[0]))
        if not shape.enum:
            raise Unsatisfiable("no enum value meets the sibling keywords")


def _settle_arrays(shape: Shape) -> None:
    for index, node in enumerate(shape.prefix_items):
        if is_never(node):
            shape.prefix_items = shape.prefix_items[:index]
            shape.max_items = _tighter(shape.max_items, index, min)
            shape.no_more_items = True
            break
    if shape.items is not None and is_never(shape.items):
        shape.items = None
        shape.no_more_items = True
    if shape.max_items is not None and shape.max_items < shape.min_items and \
            shape.types is not None and shape.types <= {"array"}:
            raise Unsatisfiable("maxItems below minItems")


def _settle_members(shape: Shape) -> None:
    for name in shape.required:
        node = shape.properties.get(name)
        if node is None:
            node = undeclared_node(shape, name)
        if node is None or is_never(node):
            raise Unsatisfiable(f"required member {name!r} cannot have a value")


def undeclared_node(shape: Shape, name: str) -> Node | None:
    """The node of a member not under `properties` (None: no value is allowed)."""
    for pattern, node in shape.pattern_properties.items():
        if _search(pattern, name):
            return node
    if shape.additional is False:
        return None
    if shape.additional is None or shape.additional is True:
        return ANY
    return shape.additional


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _always(_value: Any) -> bool:
    return True


def _both(f: Callable[[Any], bool], g: Callable[[Any], bool]) -> Callable[[Any], bool]:
    if f is _always:
        return g
    if g is _always:
        return f
    return lambda value: f(value) and g(value)


def is_multiple(value: int | float, step: Fraction) -> bool:
    """`value` is a multiple of `step` exactly (as a decimal) and in float arithmetic.

    Both must hold: validators differ (python-jsonschema divides floats), and a value
    one of them rejects is no valid example.
    """
    if isinstance(value, float) and not value.is_integer() and abs(value) > 2**52:
        return False
    exact = Fraction(value) if isinstance(value, int) else Fraction(repr(value))
    if exact % step != 0:
        return False
    if step.denominator == 1 and isinstance(value, int):
        return True
    try:
        quotient = value / float(step)
        return quotient == int(quotient)
    except (OverflowError, ValueError, ZeroDivisionError):
        return False


def meets_multiples(shape: Shape, value: int | float) -> bool:
    """Whether a number is a multiple of every multipleOf of the shape."""
    return all(is_multiple(value, step) for step in shape.multiples)
