"""Shapes -> hypothesis strategies, in three modes.

- `valid`: any conforming value, with each choice point leaning on its documented edges
  (documented values, null where allowed, `{}`, empty / one / many items, shortest and
  longest pattern matches, empty and non-ASCII text, numeric bounds). Arrays are plain
  lists here, short or long, so that a failing example shrinks by dropping items.
- `edge`: every choice point takes an edge.
- `drift`: like `valid`, plus undocumented additions where the contract treats them as
  drift: extra members on closed objects, values outside `x-documented`.
- `rich`: like `valid` with no empty arrays: the bases that invalid examples break.

Strategies are built once per (shape, mode) and cached, so drawing is cheap.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from validator.generate.formats import format_strings
from validator.generate.numbers import numbers
from validator.generate.regex_edges import pattern_strings
from validator.generate.shapes import (
    ANY,
    Choice,
    Node,
    Shape,
    Unsatisfiable,
    canonical,
    is_never,
    undeclared_node,
)

MANY = (10, 16)  # the size range of a "many items" edge
GENERAL_ITEMS = 4  # extra items above minItems for a short array
TEXT_SIZE = 24
# names of undeclared members: one text draw, far cheaper than from_regex
EXTRA_NAMES: st.SearchStrategy[str] = st.tuples(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=2, max_size=11)).map("".join)

NON_ASCII_CHARS = st.characters(min_codepoint=0xA0, max_codepoint=0x1F9FF,
                                exclude_categories=("Cs", "Co", "Cn"))

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000),
                     st.text(max_size=8))
# any JSON value, two levels deep at most (st.recursive is much slower to draw from)
ANY_JSON: st.SearchStrategy[Any] = st.one_of(
    _SCALARS, st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=6), _SCALARS, max_size=3))

def pattern_pair(pattern: str) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """(general, edge) strategies for strings matching a pattern."""
    general = pattern_strings(pattern, edge=False)
    if general is None:
        general = st.from_regex(re.compile(pattern, re.ASCII), fullmatch=True).filter(
            lambda s: "\n" not in s)
    edge = pattern_strings(pattern, edge=True)
    return general, general if edge is None else edge


# (node, its plain strategy, the Values building it) -> the strategy with rules applied
Wrapper = Callable[[Node, st.SearchStrategy[Any], "Values"], st.SearchStrategy[Any]]


class Values:
    """Builds (and caches) the strategy of every shape for one mode.

    `wrappers` apply contract rules right where a node is drawn (see repair.Inline), and
    `unique_keys` make the items of an array unique by some members, so that what a
    rule needs is drawn inside the node it concerns: shrinking then stays local.
    """

    def __init__(self, mode: str, many: bool = True,
                 wrappers: dict[int, Wrapper] | None = None,
                 unique_keys: dict[int, list[list[str]]] | None = None) -> None:
        assert mode in ("valid", "edge", "drift", "rich")
        self.mode = mode
        self.many = many  # False inside a "many" array: many x many would be too big
        self.wrappers = wrappers or {}
        self.unique_keys = unique_keys or {}
        self._few: Values | None = None
        self._cache: dict[int, st.SearchStrategy[Any]] = {}
        self._keep: list[Node] = []

    def twin(self, mode: str) -> Values:
        """The Values of another mode, with the same rules and sizes."""
        if mode == self.mode:
            return self
        key = f"_twin_{mode}"
        found = self.__dict__.get(key)
        if found is None:
            found = Values(mode, self.many, self.wrappers, self.unique_keys)
            self.__dict__[key] = found
        return found

    @property
    def few(self) -> Values:
        if not self.many:
            return self
        if self._few is None:
            self._few = Values(self.mode, False, self.wrappers, self.unique_keys)
        return self._few

    def of(self, node: Node | None) -> st.SearchStrategy[Any]:
        if node is None:
            node = ANY
        key = id(node)
        if key not in self._cache:
            self._keep.append(node)
            strategy = self._build(node)
            wrapper = self.wrappers.get(key)
            self._cache[key] = strategy if wrapper is None else wrapper(node, strategy, self)
        return self._cache[key]

    def _build(self, node: Node) -> st.SearchStrategy[Any]:
        if is_never(node):
            return st.nothing()
        if isinstance(node, Choice):
            return st.one_of([self.of(o.node).filter(o.accepts) for o in node.options
                              if not is_never(o.node)])
        strategy = self._shape(node)
        checks = node.checks
        if checks:
            strategy = strategy.filter(lambda v: all(check(v) for check in checks))
        return strategy

    def _pick(self, general: st.SearchStrategy[Any], edge: st.SearchStrategy[Any]
              ) -> st.SearchStrategy[Any]:
        return edge if self.mode == "edge" else st.one_of(general, edge)

    def _shape(self, shape: Shape) -> st.SearchStrategy[Any]:
        if shape.const:
            return st.just(shape.const[0])
        if shape.enum is not None:
            return st.sampled_from(shape.enum)
        if shape.documented is not None:
            documented = st.sampled_from(shape.documented)
            if self.mode == "drift" and shape.drifts:
                listed = shape.documented
                undocumented = self._typed_union(shape).filter(
                    lambda v: canonical(v) not in {canonical(x) for x in listed})
                return st.one_of(documented, undocumented)
            return documented
        return self._typed_union(shape)

    def _typed_union(self, shape: Shape) -> st.SearchStrategy[Any]:
        parts = []
        for name in shape.generated_types():
            try:
                parts.append(self._typed(shape, name))
            except Unsatisfiable:
                continue  # e.g. no integer between 0.5 and 0.6: the other types remain
        return st.one_of(parts) if parts else st.nothing()

    def _typed(self, shape: Shape, name: str) -> st.SearchStrategy[Any]:
        if name == "null":
            return st.none()
        if name == "boolean":
            return st.booleans()
        if name in ("integer", "number"):
            return self._number(shape, name)
        if name == "string":
            return self._string(shape)
        if name == "array":
            return self._array(shape)
        return self._object(shape)

    # -------------------------------------------------------------- scalars

    def _number(self, shape: Shape, name: str) -> st.SearchStrategy[Any]:
        return numbers(shape, name, self.mode == "edge")

    def _string(self, shape: Shape) -> st.SearchStrategy[str]:
        low, high = shape.min_length, shape.max_length
        patterns = [re.compile(p) for p in shape.patterns]

        def fits(text: str) -> bool:
            return len(text) >= low and (high is None or len(text) <= high) and all(
                p.search(text) for p in patterns)

        limited = low > 0 or high is not None or len(patterns) > 1

        def limit(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
            return strategy.filter(fits) if limited else strategy  # no needless layer

        fmt = None if shape.format is None else format_strings(shape.format)
        if fmt is not None:
            return fmt.filter(fits)
        if shape.patterns:
            general, edge = pattern_pair(shape.patterns[0])
            if len(shape.patterns) > 1:  # each pattern's match, and their concatenations
                others = [pattern_pair(p)[0] for p in shape.patterns[1:]]
                joined = st.tuples(general, *others).flatmap(
                    lambda parts: st.sampled_from(["".join(parts), "".join(parts[::-1]),
                                                   *parts]))
                return joined.filter(fits)
            return self._pick(limit(general), limit(edge))
        cap = high if high is not None else max(low, TEXT_SIZE)
        general = st.text(min_size=low, max_size=max(low, min(cap, low + TEXT_SIZE)))
        edges: list[st.SearchStrategy[str]] = [st.just("x" * low)]
        if high is None or high >= 1:
            longest = max(low, 1, min(high if high is not None else 12, 12))
            edges.append(st.text(NON_ASCII_CHARS, min_size=max(low, 1), max_size=longest))
        if high is not None and high > low:
            edges.append(st.just("é" * high))
        return self._pick(general, limit(st.one_of(edges)))

    # -------------------------------------------------------------- containers

    def _array(self, shape: Shape) -> st.SearchStrategy[list[Any]]:
        if self.mode != "edge":
            # Plain lists (which shrink by deleting items): short ones whose items may hold
            # many, or long ones (up to "many") whose items hold few.
            short = self._sized_lists(shape, self, many=False)
            if not self.many:
                return short
            return st.one_of(short, self._sized_lists(shape, self.few, many=True))
        exact = self._sized_lists(shape, self, many=False, edge=True)
        if not self.many:
            return exact
        return st.one_of(exact, self._sized_lists(shape, self.few, many=True, edge=True))

    def _sized_lists(self, shape: Shape, values: Values, many: bool, edge: bool = False
                     ) -> st.SearchStrategy[list[Any]]:
        original = shape
        if shape.unique_items and values.mode == "edge":
            values = values.twin("valid")  # edges alone may be too few distinct items
        items = values.of(shape.items) if shape.items is not None else ANY_JSON
        prefix = [values.of(p) for p in shape.prefix_items]
        if items.is_empty:  # no value fits an item past the prefix
            shape = _capped(shape, len(prefix))
        low = max(shape.min_items, 0)
        high = shape.max_items
        if self.mode == "rich" and (high is None or high > 0):
            low = max(low, 1)  # bases for invalid examples: something to break in each array
        if shape.no_more_items:
            high = len(prefix) if high is None else min(high, len(prefix))
        keys: list[Callable[[Any], Any]] = [_json_key] if shape.unique_items else []
        if shape.unique_items:
            distinct = _distinct(shape.items)
            if distinct is not None:
                high = distinct + len(prefix) if high is None else min(high, distinct + len(prefix))
        keys += [_member_key(path) for path in self.unique_keys.get(id(original), [])]
        unique = tuple(keys) if keys else None

        def sized(least: int, most: int | None) -> st.SearchStrategy[list[Any]]:
            if shape.contains is not None and shape.min_contains and (
                    most is None or most >= shape.min_contains):
                need = shape.min_contains
                found = st.lists(values.of(shape.contains), min_size=need, max_size=need)
                rest = plain(max(0, least - need), None if most is None else most - need)
                return st.tuples(rest, found).map(lambda pair: pair[0] + pair[1])
            return plain(least, most)

        def plain(least: int, most: int | None) -> st.SearchStrategy[list[Any]]:
            if most is not None and least > most:
                raise Unsatisfiable(f"{shape.where}: at least {least} item(s) needed, but at "
                                    f"most {most} can be drawn")
            if not prefix:
                return st.lists(items, min_size=least, max_size=most, unique_by=unique)
            head = st.tuples(*prefix[:most] if most is not None else prefix).map(list)
            rest_low = max(least - len(prefix), 0)
            rest_high = None if most is None else max(most - len(prefix), 0)
            if shape.no_more_items or rest_high == 0:
                tail: st.SearchStrategy[list[Any]] = st.just([])
            else:
                tail = st.lists(items, min_size=rest_low, max_size=rest_high,
                                unique_by=unique)
            both = st.tuples(head, tail).map(lambda ht: ht[0] + ht[1])
            return both.filter(lambda v: all(len({k(x) for x in v}) == len(v) for k in keys)
                               ) if keys else both

        if not edge:
            most = low + (MANY[1] if many else GENERAL_ITEMS)
            return sized(low, most if high is None else min(high, most))
        counts = sorted({low, max(low, 1)} if high is None else {low, min(max(low, 1), high)})
        if not many:
            repeated = self._repeated_items(shape, keys, sized, low, high)
            return st.one_of([sized(n, n) for n in counts] + repeated)
        many_low = max(MANY[0], low)
        many_high = MANY[1] if high is None else min(MANY[1], high)
        if many_low <= many_high and many_low > counts[-1]:
            return sized(many_low, many_high)
        if high is not None and high > counts[-1]:
            return sized(high, high)
        return st.one_of([sized(n, n) for n in counts])

    @staticmethod
    def _repeated_items(shape: Shape, keys: list[Callable[[Any], Any]],
                        sized: Callable[[int, int | None], st.SearchStrategy[list[Any]]],
                        low: int, high: int | None) -> list[st.SearchStrategy[list[Any]]]:
        """The duplicated-item edge: the last item a copy of the first (a consumer that keys
        items by id meets the same one twice). Only where nothing asks items to differ and
        the copy changes no count (`contains`) or position (`prefixItems`)."""
        size = max(low, 2)
        if shape.unique_items or keys or shape.prefix_items or shape.contains is not None or (
                high is not None and high < size):
            return []
        return [sized(size, size).map(lambda v: [*v[:-1], copy.deepcopy(v[0])])]

    def _member(self, node: Node | None) -> st.SearchStrategy[Any]:
        return ANY_JSON if node is None or node is ANY else self.of(node)

    def _object(self, shape: Shape) -> st.SearchStrategy[dict[str, Any]]:
        declared = {n: node for n, node in shape.properties.items() if not is_never(node)}
        required = {n: self._member(declared.get(n, undeclared_node(shape, n)))
                    for n in [*declared, *sorted(shape.required)] if n in shape.required}
        optional = {n: self.of(node) for n, node in declared.items()
                    if n not in shape.required}
        if self.mode == "edge" and optional:
            body = st.one_of(st.fixed_dictionaries(required),
                             st.fixed_dictionaries({**required, **optional}))
        else:
            body = st.fixed_dictionaries(required, optional=optional)
        extras = self._extras(shape)
        if extras is not None:
            body = st.tuples(body, extras).map(lambda pair: {**pair[1], **pair[0]})
        # Member order is hypothesis's: it varies (JSON objects have no order, and a
        # consumer must not care) and shrinks back to the declared order.
        if shape.min_properties or shape.max_properties is not None:
            body = body.filter(lambda v: shape.min_properties <= len(v) and (
                shape.max_properties is None or len(v) <= shape.max_properties))
        return body

    def _extras(self, shape: Shape) -> st.SearchStrategy[dict[str, Any]] | None:
        """Members beyond the declared properties: allowed ones, or drift on closed objects."""
        taken = set(shape.properties) | set(shape.required)
        names: st.SearchStrategy[str] = EXTRA_NAMES
        if shape.names is not None and is_never(shape.names):
            return None
        if shape.names is not None:
            names = self.of(shape.names).filter(lambda n: isinstance(n, str))
        names = names.filter(_not_declared(taken, list(shape.pattern_properties)))
        if self.mode == "drift" and shape.closed:
            return st.dictionaries(names, ANY_JSON, max_size=2)
        extra = shape.additional
        if extra is False:
            return None
        free = extra is None or extra is True
        room = 3 if shape.max_properties is None else max(
            0, shape.max_properties - len(shape.required))
        least = max(0, shape.min_properties - len(shape.properties))
        if room == 0 or (not free and self.mode == "edge" and not least):
            return None
        if free and (shape.properties or shape.pattern_properties) and not least:
            return None  # declared objects get no unknown members in valid examples
        members = ANY_JSON if free else self.of(extra)  # type: ignore[arg-type]
        wide = st.dictionaries(names, members, min_size=min(least, room),
                               max_size=max(min(least, room), min(room, least + 3)))
        return wide if least or self.mode != "edge" else st.just({})


def _not_declared(taken: set[str], patterns: list[str]) -> Callable[[str], bool]:
    return lambda name: name not in taken and not any(re.search(p, name) for p in patterns)


def _member_key(path: list[str]) -> Callable[[Any], Any]:
    """The value at `path` inside an item (an item without one gets a key of its own)."""
    def key(item: Any) -> Any:
        node = item
        for token in path:
            if not isinstance(node, dict) or token not in node:
                return ("unselected", id(item))
            node = node[token]
        return _json_key(node)
    return key


def _capped(shape: Shape, most: int) -> Shape:
    """The shape with at most `most` items (a copy; the original keeps its identity)."""
    from dataclasses import replace

    return replace(shape, max_items=most if shape.max_items is None
                   else min(shape.max_items, most), no_more_items=True)


def _distinct(node: Node | None) -> int | None:
    """How many JSON-distinct values a node allows, when it lists them (enum, const)."""
    if isinstance(node, Shape):
        if node.const:
            return 1
        if node.enum is not None:
            return len({canonical(v) for v in node.enum})
        if node.types is not None and node.types <= {"null", "boolean"}:
            return len(node.types) + ("boolean" in node.types)
    if isinstance(node, Choice):  # at most the sum of its options' counts (they may overlap)
        counts = [_distinct(option.node) for option in node.options]
        return None if None in counts else sum(c for c in counts if c is not None)
    return None


def _json_key(value: Any) -> Any:
    return canonical(value)
