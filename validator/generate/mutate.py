"""Invalid examples: one contract violation in an otherwise valid body, with the finding
(rule id and JSON pointer) the checker must report for it.

Candidate violations come from the shapes and the rules: drop a required member, give a
node a type, value, pattern, length or size the schema forbids, or break one keyword of a
rule's `then` / `assert`, an `equals` or a `unique`. They are drawn by family first (drop,
type, ..., each rule), then location in the schema (e.g. "details of an item"), then site,
so each kind of violation is equally likely however many items the body has.

A candidate is kept only when it breaks nothing else: the schema is still valid (for a
rule violation) or every rule still holds and no conditional changed branch (for a
schema violation). The generator decides this with its own evaluation of the schemas
and rules; the checker is never consulted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from validator.formats.json import json_type
from validator.generate.compiler import Compiler
from validator.generate.repair import (
    Context,
    Draw,
    Path,
    Repairer,
    Rulebook,
    RuleModel,
    branches,
    copy_json,
    failures,
    meets_limits,
    same_as_request,
    shape_at,
    walk,
)
from validator.generate.shapes import ANY, Node, Shape, child, resolve
from validator.generate.values import Values
from validator.model.pointer import make_pointer

SCHEMA = "schema"
_ODD_VALUES: tuple[Any, ...] = (None, 0, "", True, [], {})
_DELETE: Any = object()
MAX_TRIES = 30


@dataclass(frozen=True)
class Expected:
    """The one finding an invalid example must produce."""

    rule: str
    pointer: str
    description: str
    several: bool = False  # more violations under the same parent (every item broken)

    def to_dict(self) -> dict[str, Any]:
        """The finding as an exchange file's `expected` mapping."""
        found: dict[str, Any] = {"rule": self.rule, "pointer": self.pointer,
                                 "description": self.description}
        if self.several:
            found["several"] = True
        return found

    @property
    def parent(self) -> str:
        """The pointer every error of a several-violation example lies under."""
        return self.pointer.rsplit("/", 1)[0] if self.several else self.pointer


@dataclass
class Change:
    """One mutation of a valid body, and the finding it must produce."""

    path: Path  # the node replaced (or the member deleted)
    value: Any  # the new value, or _DELETE
    expected: Expected
    checked_at: str  # the pointer verification compares (the rule's selected node)
    rule: RuleModel | None = None  # the rule broken, None for a schema violation


Maker = Callable[[], Change | None]
Adder = Callable[[str, str, Maker], None]


def changed(body: Any, path: Path, value: Any) -> Any:
    """A copy of body with one node replaced or deleted (only the path is copied)."""
    if not path:
        return value
    top = _shallow(body)
    node = top
    for key in path[:-1]:
        node[key] = _shallow(node[key])
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return top


def _shallow(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else list(value)


class Mutator:
    """Draws one clean violation for a valid body."""

    def __init__(self, book: Rulebook, compiler: Compiler, values: Values, drift: Values,
                 root: Node, base_valid: Callable[[Any], bool], ctx: Context,
                 draw: Draw) -> None:
        self.repairer = Repairer(book, compiler, values, root, ctx, draw)
        self.drift = drift
        self.book = book
        self.merge = compiler.merger.merge
        self.values = values
        self.root = root
        self.base_valid = base_valid
        self.ctx = ctx
        self.draw = draw
        self.active = book.active(ctx)
        self._typed: dict[frozenset[str], Shape] = {}

    def mutate(self, body: Any) -> tuple[Any, Expected]:
        families = self._candidates(body)
        if not families:
            reject()
        # Hypothesis draws its simplest choice (0) far more often than any other; adding a
        # second, wide draw spreads that favourite over every option. (Nothing here may
        # depend on the body's content, or shrinking the body would change the violation.)
        salt = self.draw(st.integers(0, 2**16 - 1))
        tries = 0
        for family in self._family_order(list(families), salt):
            groups = families[family]
            for group in _rotated(list(groups), self._pick(len(groups), salt))[:3]:
                makers = groups[group]
                for maker in _rotated(makers, self._pick(len(makers), salt))[:6]:
                    tries += 1
                    if tries > MAX_TRIES:
                        reject()
                    change = maker()
                    if change is None:
                        continue
                    mutated = changed(body, change.path, change.value)
                    # what the violation drew (fresh items, say) must meet the other rules
                    mutated = self.repairer.run(copy_json(mutated), skip=change.rule)
                    if self._clean(body, mutated, change):
                        return mutated, change.expected
        reject()

    def _family_order(self, names: list[str], salt: int) -> list[str]:
        """Schema violations a quarter of the time, structural surprises half, rule
        violations a quarter (of those present), then a family within."""
        rules = [n for n in names if n.startswith("rule ")]
        structure = [n for n in names if n.startswith("structure: ")]
        schema = [n for n in names if n not in rules and n not in structure]
        # structural surprises are what crash consumers in the field: they get two shares
        halves = [h for h in (schema, structure, structure, rules) if h]
        first = halves[self._pick(len(halves), salt)]
        order = _rotated(first, self._pick(len(first), salt))
        return order + [n for n in _rotated(names, salt % len(names)) if n not in order]

    def _pick(self, count: int, salt: int) -> int:
        return (self.draw(st.integers(0, count - 1)) + salt) % count if count > 1 else 0

    def _clean(self, body: Any, mutated: Any, change: Change) -> bool:
        broken = failures(mutated, self.active, self.book, self.ctx)
        if change.expected.rule == SCHEMA:
            if self.base_valid(mutated) or broken:
                return False
            where = change.path[:-1] if change.value is _DELETE else change.path
            return branches(self.root, body, where) == branches(self.root, mutated, where)
        return self.base_valid(mutated) and broken == {(change.expected.rule,
                                                         change.checked_at)}

    # ------------------------------------------------------------ candidates

    def _candidates(self, body: Any) -> dict[str, dict[str, list[Maker]]]:
        """Violations by family (what is broken), then location, then site."""
        families: dict[str, dict[str, list[Maker]]] = {}

        def add(family: str, location: str, maker: Maker) -> None:
            families.setdefault(family, {}).setdefault(location, []).append(maker)

        for site in walk(self.root, body):
            if site.node is not None:
                self._schema_candidates(site.path, site.shape, site.value, add)
        for model in self.active:
            if model.rule.severity == "error":  # breaking a warning rule is only drift
                self._rule_candidates(model, body, add)
        return families

    def _schema_candidates(self, path: Path, shape: Shape, value: Any,
                           add: Adder) -> None:
        where = shape.where
        pointer = make_pointer(path)
        if isinstance(value, dict):
            for name in sorted(shape.required & value.keys()):
                add("drop", f"{name} @ {where}", _fixed(Change(
                    path + [name], _DELETE,
                    Expected(SCHEMA, pointer, f"required member {name!r} removed"), pointer)))
            if shape.additional is False and shape.properties:
                add("extra member", where, _fixed(Change(
                    path + ["unexpected_member"], True,
                    Expected(SCHEMA, pointer, "a member the schema forbids"), pointer)))
        wrong = _wrong_type(value, shape)
        if wrong is not _DELETE:
            add("type", where, _fixed(Change(path, wrong, Expected(
                SCHEMA, pointer, f"{json_type(wrong)} where the schema wants "
                f"{' or '.join(shape.generated_types())}"), pointer)))
        if shape.const or shape.enum is not None:
            allowed = list(shape.const or shape.enum or ())
            other = _outside(value, allowed)
            if other is not _DELETE:
                add("value", where, _fixed(Change(path, other, Expected(
                    SCHEMA, pointer, f"{other!r} is not an allowed value"), pointer)))
        if isinstance(value, str):
            broken = _broken_string(value, shape)
            if broken is not None:
                add("pattern", where, _fixed(Change(path, broken, Expected(
                    SCHEMA, pointer, f"{broken!r} breaks the string's pattern or length"),
                    pointer)))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out = _out_of_range(shape)
            if out is not None:
                add("range", where, _fixed(Change(path, out, Expected(
                    SCHEMA, pointer, f"{out!r} is out of range"), pointer)))
        elif isinstance(value, list):
            self._size_candidates(path, shape, value, add)
        self._structural_candidates(path, shape, value, add)

    def _structural_candidates(self, path: Path, shape: Shape, value: Any,
                               add: Adder) -> None:
        """Whole-structure surprises: null / another type / "" in place of a value, an
        object emptied, holding only unknown keys or missing every required member, and
        every item of an array broken at once (several violations in one body)."""
        pointer = make_pointer(path)
        where = shape.where
        others: tuple[Any, ...] = (None, "", 0, True, [], {})
        for other in others:
            if not shape.allows_type(json_type(other)) and other not in shape.const:
                family = "structure: null" if other is None else "structure: another type"
                shown = "null" if other is None else f"{json_type(other)} {other!r}"
                add(family, where, _fixed(Change(path, other, Expected(
                    SCHEMA, pointer, f"{shown} in place of the value"), pointer)))
        if isinstance(value, dict) and shape.required & value.keys():
            kept = {k: v for k, v in value.items() if k not in shape.required}
            for label, new in (("an empty object", {}),
                               ("an object with only unknown keys", {"unknown_member": 1}),
                               ("an object missing every required member", kept)):
                add("structure: hollow object", where, _fixed(Change(
                    path, new, Expected(SCHEMA, pointer, label), pointer)))
        if isinstance(value, list) and value and not shape.prefix_items:
            self._malformed_items(path, shape, value, add)
        if isinstance(value, list) and value and shape.unique_items and not shape.prefix_items \
                and (len(value) > 1 or shape.max_items is None or shape.max_items > 1):
            duplicated = [*value[:-1], copy_json(value[0])] if len(value) > 1 else \
                [value[0], copy_json(value[0])]
            add("structure: duplicated item", where, _fixed(Change(path, duplicated, Expected(
                SCHEMA, pointer, "the first item repeated where items must be unique"),
                pointer)))
        if isinstance(value, list) and value and len(value) < 64 and not shape.prefix_items:
            item = child(shape, len(value) - 1)
            own = resolve(item, value[-1]) if item is not None else None
            if own is not None and own.types is not None:
                first = make_pointer(path + [0])
                wrongs: tuple[Any, ...] = (None, 0, "", [], {})
                for wrong in wrongs:
                    if own.allows_type(json_type(wrong)) or wrong in own.const:
                        continue
                    add("structure: every item broken", where, _fixed(Change(
                        path, [copy_json(wrong) for _ in value], Expected(
                            SCHEMA, first, f"every item is {json_type(wrong)}",
                            len(value) > 1),
                        first)))

    def _malformed_items(self, path: Path, shape: Shape, value: list[Any], add: Adder) -> None:
        """One item of the array malformed: null, another type, "", or hollowed out."""
        index = self.draw(st.integers(0, len(value) - 1))
        item = child(shape, index)
        own = resolve(item, value[index]) if item is not None else None
        if own is None or own.types is None:
            return
        where = make_pointer(path + [index])
        replacements: list[tuple[Any, str]] = [
            (other, f"item {index} is {json_type(other)} {other!r}")
            for other in _ODD_VALUES
            if not own.allows_type(json_type(other)) and other not in own.const]
        if isinstance(value[index], dict) and own.required & value[index].keys():
            kept = {k: v for k, v in value[index].items() if k not in own.required}
            replacements.append((kept, f"item {index} lacks every required member"))
            first = next(iter(value[index]))
            truncated = {first: value[index][first]}
            if own.required - truncated.keys() and truncated != kept:
                add("structure: truncated item", shape.where, _fixed(Change(
                    path + [index], truncated, Expected(
                        SCHEMA, where, f"item {index} truncated after its first member"),
                    where)))
        for new, label in replacements:
            add("structure: malformed item", shape.where, _fixed(Change(
                path + [index], new, Expected(SCHEMA, where, label), where)))

    def _size_candidates(self, path: Path, shape: Shape, value: list[Any],
                         add: Adder) -> None:
        pointer = make_pointer(path)
        if shape.min_items > 0 and len(value) >= shape.min_items:
            add("too few", shape.where, _fixed(Change(
                path, value[:shape.min_items - 1],
                Expected(SCHEMA, pointer, f"fewer than {shape.min_items} item(s)"), pointer)))
        if shape.max_items is not None and not shape.no_more_items:
            limit = shape.max_items

            def longer() -> Change:
                more = [self._fresh(child(shape, i)) for i in range(len(value), limit + 1)]
                return Change(path, value + more, Expected(
                    SCHEMA, pointer, f"more than {limit} item(s)"), pointer)
            add("too many", shape.where, longer)

    def _rule_candidates(self, model: RuleModel, body: Any,
                         add: Adder) -> None:
        selected = model.selected(body)
        rule = model.rule.id
        if model.kind in ("then", "assert"):
            assert model.target is not None
            for path, node in selected:
                if model.test is not None and not model.test(node):
                    continue
                for subpath, leaf in _leaves(model.target, node, []):
                    add(f"rule {rule}", f"{leaf[0]} {subpath}",
                        self._leaf_maker(model, body, path, subpath, leaf))
        elif model.kind == "equals":
            expected = self.book.expected_value(model, self.ctx)
            if expected is not None:
                for path, _node in selected:
                    add(f"rule {rule}", "", self._equals_maker(model, body, path, expected))
        elif len(selected) >= 2:
            first = selected[0][1]
            for path, _node in selected[1:]:
                pointer = make_pointer(path)
                add(f"rule {rule}", "", _fixed(Change(path, copy_json(first), Expected(
                    rule, pointer, f"{_short(first)} repeated"), pointer, model)))

    def _leaf_maker(self, model: RuleModel, body: Any, path: Path, subpath: Path,
                    leaf: tuple[str, Any]) -> Maker:
        def make() -> Change | None:
            where = path + subpath
            own_node = shape_at(self.root, body, where)
            current = _get(body, where)
            own = resolve(own_node, current)
            pointer = make_pointer(where)
            checked = make_pointer(path)
            kind, arg = leaf
            new: Any = _DELETE
            if kind == "required":
                if arg in own.required or arg not in current:
                    return None
                return Change(where + [arg], _DELETE, Expected(
                    model.rule.id, pointer, f"member {arg!r} removed"), checked, model)
            if kind in ("const", "enum"):
                new = self._other_value(own_node, own, list(arg), current)
            elif kind == "type":
                new = self._other_type(own_node, own, arg)
            elif kind == "min_items" and arg > 0:
                new = current[:arg - 1]
            elif kind == "max_items":
                new = current + [self._fresh(child(own, len(current)))
                                 for _ in range(arg + 1 - len(current))]
            elif kind == "limits":
                new = self._other_value(own_node, own, [], current,
                                        lambda v: not meets_limits(arg, v))
            if new is _DELETE:
                return None
            return Change(where, new, Expected(model.rule.id, pointer,
                                               f"{_short(new)} breaks the rule"), checked, model)
        return make

    def _equals_maker(self, model: RuleModel, body: Any, path: Path, expected: str) -> Maker:
        def make() -> Change | None:
            own_node = shape_at(self.root, body, path)
            current = _get(body, path)
            new = self._other_value(own_node, resolve(own_node, current), [], current,
                                    lambda v: not same_as_request(v, expected))
            if new is _DELETE:
                return None
            pointer = make_pointer(path)
            return Change(path, new, Expected(model.rule.id, pointer,
                                              f"{_short(new)} instead of {expected!r}"), pointer,
                          model)
        return make

    # ------------------------------------------------------------ drawing replacements

    def _fresh(self, node: Node | None) -> Any:
        return copy_json(self.draw(self.values.of(node)))

    def _other_value(self, node: Node | None, own: Shape, avoid: list[Any], current: Any,
                     wanted: Callable[[Any], bool] | None = None) -> Any:
        """A value the node's own shape allows that differs from `avoid` and `current`."""
        def good(v: Any) -> bool:
            return v not in avoid and v != current and (wanted is None or wanted(v))

        listed = [v for v in (own.enum or own.documented or ()) if good(v)]
        if listed:
            return self.draw(st.sampled_from(listed))
        # then any value the schema allows, undocumented ones included (those only warn)
        for values in (self.values, self.drift):
            for _ in range(5):
                value = copy_json(self.draw(values.of(node)))
                if good(value):
                    return value
        return _DELETE

    def _other_type(self, node: Node | None, own: Shape, types: frozenset[str]) -> Any:
        others = frozenset(t for t in own.generated_types()
                           if t not in types and not (t == "integer" and "number" in types))
        if not others:
            return _DELETE
        if others not in self._typed:
            self._typed[others] = Shape(where="(other type)", types=others)
        return self._fresh(self.merge(node or ANY, self._typed[others]))


def _rotated(items: list[Any], start: int) -> list[Any]:
    return items[start:] + items[:start]


def _fixed(change: Change) -> Maker:
    return lambda: change


def _get(body: Any, path: Path) -> Any:
    for key in path:
        body = body[key]
    return body


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _leaves(target: Node, value: Any, subpath: Path) -> list[tuple[Path, tuple[str, Any]]]:
    """The single keywords of a rule schema that can be broken at this value."""
    if not isinstance(target, Shape):
        return []
    found: list[tuple[Path, tuple[str, Any]]] = []
    if target.const:
        found.append((subpath, ("const", target.const)))
    if target.enum is not None:
        found.append((subpath, ("enum", target.enum)))
    if target.types is not None:
        found.append((subpath, ("type", target.types)))
    if isinstance(value, dict):
        found += [(subpath, ("required", name)) for name in sorted(target.required)]
        for name, sub in target.properties.items():
            if name in value:
                found += _leaves(sub, value[name], subpath + [name])
    if isinstance(value, list):
        if target.min_items:
            found.append((subpath, ("min_items", target.min_items)))
        if target.max_items is not None:
            found.append((subpath, ("max_items", target.max_items)))
    if isinstance(value, str | int | float) and (target.patterns or target.min_length
                                                  or target.max_length is not None
                                                  or target.minimum is not None
                                                  or target.maximum is not None):
        found.append((subpath, ("limits", target)))
    return found


def _wrong_type(value: Any, shape: Shape) -> Any:
    if shape.types is None:
        return _DELETE
    options: list[Any] = []
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 40:
        options.append(int(value))  # an ID read as a number: the classic
    if isinstance(value, int | float) and not isinstance(value, bool):
        options.append(str(value))
    if isinstance(value, list):
        options.append({})
    if isinstance(value, dict):
        options.append([])
    options += [0, "", None, [], {}, False]
    allowed = set(shape.const or ()) if shape.const else None
    for option in options:
        if not shape.allows_type(json_type(option)) and (allowed is None
                                                         or option not in allowed):
            return option
    return _DELETE


def _outside(value: Any, allowed: list[Any]) -> Any:
    if isinstance(value, str):
        options: list[Any] = [value.upper() if value.upper() != value else value.lower(),
                              value + "_x", "unexpected"]
    elif isinstance(value, bool):
        options = [not value]
    elif isinstance(value, int | float):
        options = [value + 1, value - 1, -99999]
    else:
        return _DELETE
    for option in options:
        if option not in allowed and json_type(option) == json_type(value):
            return option
    return _DELETE


def _broken_string(value: str, shape: Shape) -> str | None:
    import re

    options = [value + " ", " " + value, "", "?", value * 2 + "x" * (shape.max_length or 0)]
    for option in options:
        if shape.patterns and not all(re.search(p, option) for p in shape.patterns):
            return option
        if len(option) < shape.min_length or (shape.max_length is not None
                                              and len(option) > shape.max_length):
            return option
    return None


def _out_of_range(shape: Shape) -> float | None:
    if shape.minimum is not None:
        return shape.minimum - 1
    if shape.exclusive_minimum is not None:
        return shape.exclusive_minimum
    if shape.maximum is not None:
        return shape.maximum + 1
    if shape.exclusive_maximum is not None:
        return shape.exclusive_maximum
    return None
