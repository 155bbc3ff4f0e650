"""Contract rules, on the generator's side: which rules bind an example, whether they hold,
and how to make a generated body satisfy them.

Values are generated from the schema first; then every active rule is applied at the
nodes its selector reaches: an `if`/`then` rule whose `if` holds gets the smallest change
that makes `then` hold (a constant set, a missing member drawn, a wrong type redrawn),
an `assert` rule is met the same way, `equals` copies the request value, `unique`
redraws repeated values. Passes repeat until nothing changes, since one repair can
trigger another rule (a status set to "success" now needs a record id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from validator.check.rules import applies, request_values, select
from validator.formats.json import json_type
from validator.generate.compiler import Compiler
from validator.generate.shapes import ANY, Choice, Node, Shape, child, meets_multiples, resolve
from validator.generate.values import Values
from validator.model.contract import Endpoint, Rule
from validator.model.exchange import Exchange, Request, Response
from validator.model.pointer import make_pointer

Path = list[str | int]
Draw = Callable[[st.SearchStrategy[Any]], Any]


@dataclass
class Context:
    """What a generated body answers: its status, and the request when there is one."""

    status: int
    request: Request | None = None
    path_params: dict[str, str] = field(default_factory=dict)

    def exchange(self) -> Exchange:
        return Exchange(response=Response(self.status), request=self.request)


@dataclass(eq=False)
class RuleModel:
    """A rule compiled for generation: its predicates and target shape."""

    rule: Rule
    test: Callable[[Any], bool] | None = None  # the `if` predicate
    holds: Callable[[Any], bool] | None = None  # the `then` / `assert` predicate
    target: Node | None = None  # the `then` / `assert` schema as a shape

    @property
    def kind(self) -> str:
        return self.rule.kind

    def selected(self, body: Any) -> list[tuple[Path, Any]]:
        return list(select(body, self.rule.at))


class Rulebook:
    """The rules of one endpoint, compiled for evaluation and repair."""

    def __init__(self, endpoint: Endpoint, compiler: Compiler) -> None:
        self.endpoint = endpoint
        base = compiler.store.base_uri
        self.rules: list[RuleModel] = []
        for rule in endpoint.rules:
            model = RuleModel(rule)
            if rule.kind == "then":
                model.test = compiler.predicate(rule.condition, base)
                model.holds = compiler.predicate(rule.then, base)
                model.target = compiler.compile(rule.then, base, "")
            elif rule.kind == "assert":
                model.holds = compiler.predicate(rule.assertion, base)
                model.target = compiler.compile(rule.assertion, base, "")
            elif rule.kind not in ("equals", "unique"):
                continue  # state rules span several responses, not one example
            self.rules.append(model)

    def active(self, ctx: Context) -> list[RuleModel]:
        exchange = ctx.exchange()
        return [r for r in self.rules if applies(r.rule, exchange, ctx.path_params)]

    def expected_value(self, model: RuleModel, ctx: Context) -> str | None:
        part, name = model.rule.equals_source
        values = request_values(ctx.exchange(), part, ctx.path_params)
        return values.get(name.lower() if part == "headers" else name)


def same_as_request(node: Any, expected: str) -> bool:
    """`equals` compares JSON values; a number that reads the same is the schema's concern."""
    return node == expected or (isinstance(node, int) and not isinstance(node, bool)
                                and str(node) == expected)


def failures(body: Any, active: list[RuleModel], book: Rulebook, ctx: Context
             ) -> set[tuple[str, str]]:
    """(rule id, pointer of the selected node) for every rule a body breaks."""
    broken: set[tuple[str, str]] = set()
    for model in active:
        selected = model.selected(body)
        if model.kind in ("then", "assert"):
            for path, node in selected:
                if (model.test is None or model.test(node)) and model.holds is not None \
                        and not model.holds(node):
                    broken.add((model.rule.id, make_pointer(path)))
        elif model.kind == "equals":
            expected = book.expected_value(model, ctx)
            if expected is not None:
                broken.update((model.rule.id, make_pointer(path)) for path, node in selected
                              if not same_as_request(node, expected))
        else:
            seen: set[str] = set()
            for path, node in selected:
                key = repr(node)
                if key in seen:
                    broken.add((model.rule.id, make_pointer(path)))
                seen.add(key)
    return broken


# ---------------------------------------------------------------- walking bodies with shapes


@dataclass
class Site:
    """A node of a generated body with its schema shape."""

    path: Path
    node: Node | None  # None: a member the schema does not declare
    shape: Shape
    value: Any


def shape_at(root: Node | None, body: Any, path: Path) -> Node | None:
    """The shape the schema gives the node at `path` of `body`, if any."""
    node, value = root, body
    for key in path:
        if node is None:
            return None
        node = child(resolve(node, value), key)
        value = value[key]
    return node


def walk(root: Node | None, body: Any) -> Iterator[Site]:
    """Every node of a body with the shape it takes (undeclared members are not entered)."""
    stack: list[tuple[Path, Node | None, Any]] = [([], root, body)]
    while stack:
        path, node, value = stack.pop()
        shape = resolve(node, value)
        yield Site(path, node, shape, value)
        if node is None:
            continue
        if isinstance(value, dict):
            stack.extend((path + [k], child(shape, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((path + [i], child(shape, i), v)
                         for i, v in reversed(list(enumerate(value))))


def branches(root: Node | None, body: Any, path: Path) -> list[int]:
    """Which option each choice on the way to `path` (itself included) takes."""
    taken: list[int] = []
    node, value = root, body
    for depth in range(len(path) + 1):
        while isinstance(node, Choice):
            index = next((i for i, o in enumerate(node.options) if o.accepts(value)), -1)
            taken.append(index)
            node = node.options[max(index, 0)].node
        if node is None or depth == len(path):
            break
        key = path[depth]
        node = child(node, key)
        value = _member(value, key)
    return taken


def _member(value: Any, key: str | int) -> Any:
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, list) and isinstance(key, int) and key < len(value):
        return value[key]
    return None


def undeclared(shape: Shape, value: Any) -> list[str]:
    """Members of a closed object that its shape does not declare."""
    if not shape.closed or not isinstance(value, dict):
        return []
    return [k for k in value if child(shape, k) is None and k not in shape.required]


def has_drift(root: Node | None, body: Any) -> bool:
    """Whether `body` holds anything the schema does not document."""
    for site in walk(root, body):
        if undeclared(site.shape, site.value):
            return True
        shape = site.shape
        if shape.drifts and shape.documented is not None and not shape.const \
                and shape.enum is None and site.value not in shape.documented:
            return True
    return False


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


def set_at(body: Any, path: Path, value: Any) -> Any:
    """Put `value` at `path` (in place) and return the body (new when path is empty)."""
    if not path:
        return value
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return body


# ---------------------------------------------------------------- repairing


class Fixer:
    """Changes a value as little as possible to meet a rule's schema, drawing what it adds."""

    def __init__(self, merge: Callable[[Node, Node], Node], values: Values,
                 draw: Draw) -> None:
        self.merge = merge
        self.values = values
        self.draw = draw

    def fresh(self, node: Node | None) -> Any:
        return copy_json(self.draw(self.values.of(node)))

    def conform(self, value: Any, target: Node, own: Node | None) -> Any:
        """The smallest change to `value` that meets `target`, staying within `own`."""
        if isinstance(target, Choice):
            return self.fresh(self.merge(own or ANY, target))
        own_shape = resolve(own, value)
        if target.const:
            return copy_json(target.const[0])
        if target.enum is not None and value not in target.enum:
            return copy_json(self.draw(st.sampled_from(target.enum)))
        if target.types is not None and not target.allows_type(json_type(value)):
            return self.fresh(self.merge(own or ANY, target))
        if isinstance(value, dict):
            return self._conform_object(value, target, own_shape)
        if isinstance(value, list):
            return self._conform_array(value, target, own_shape)
        if not meets_limits(target, value):
            return self.fresh(self.merge(own or ANY, target))
        return value

    def _conform_object(self, value: dict[str, Any], target: Shape, own: Shape) -> Any:
        value = dict(value)
        for name in sorted(target.required):
            if name not in value:
                mine, theirs = child(own, name), target.properties.get(name)
                node = self.merge(mine, theirs) if mine and theirs else mine or theirs
                value[name] = self.fresh(node)
        for name, sub in target.properties.items():
            if name in value:
                value[name] = self.conform(value[name], sub, child(own, name))
        return value

    def _conform_array(self, value: list[Any], target: Shape, own: Shape) -> Any:
        value = list(value)
        while len(value) < target.min_items:
            value.append(self.fresh(child(own, len(value))))
        if target.max_items is not None:
            del value[target.max_items:]
        for i in range(len(value)):
            sub = target.prefix_items[i] if i < len(target.prefix_items) else target.items
            if sub is not None:
                value[i] = self.conform(value[i], sub, child(own, i))
        return value


class Repairer(Fixer):
    """Makes one drawn body satisfy the active rules, drawing whatever it must add.

    Rules that hold wherever their node appears are already met as each node is drawn
    (see `inline_wrappers`); this pass handles the rest (`when`, `equals`, `unique` across
    nested arrays) and anything one repair undid for another.
    """

    MAX_REDRAWS = 5

    def __init__(self, book: Rulebook, compiler: Compiler, values: Values, root: Node | None,
                 ctx: Context, draw: Draw) -> None:
        super().__init__(compiler.merger.merge, values, draw)
        self.book = book
        self.root = root
        self.ctx = ctx

    def run(self, body: Any, skip: RuleModel | None = None) -> Any:
        active = [r for r in self.book.active(self.ctx) if r is not skip]
        if not active:
            return body
        for _ in range(2 * len(active) + 2):
            changed = False
            for model in active:
                body, touched = self._apply(model, body)
                changed = changed or touched
            if not changed:
                return body
        reject()  # rules that undo each other: no value satisfies all of them

    def _apply(self, model: RuleModel, body: Any) -> tuple[Any, bool]:
        changed = False
        if model.kind in ("then", "assert"):
            for path, node in model.selected(body):
                if (model.test is None or model.test(node)) and model.holds is not None \
                        and not model.holds(node):
                    own = shape_at(self.root, body, path)
                    assert model.target is not None
                    body = set_at(body, path, self.conform(node, model.target, own))
                    changed = True
        elif model.kind == "equals":
            expected = self.book.expected_value(model, self.ctx)
            if expected is not None:
                for path, node in model.selected(body):
                    if not same_as_request(node, expected):
                        own = resolve(shape_at(self.root, body, path), node)
                        body = set_at(body, path, _typed(expected, own))
                        changed = True
        else:
            body, changed = self._make_unique(model, body)
        return body, changed

    def _make_unique(self, model: RuleModel, body: Any) -> tuple[Any, bool]:
        seen: set[str] = set()
        changed = False
        for path, node in model.selected(body):
            if repr(node) in seen:
                own = shape_at(self.root, body, path)
                for _ in range(self.MAX_REDRAWS):
                    node = self.fresh(own)
                    if repr(node) not in seen:
                        break
                else:
                    reject()
                body = set_at(body, path, node)
                changed = True
            seen.add(repr(node))
        return body, changed

def meets_limits(shape: Shape, value: Any) -> bool:
    """Whether a string or number meets a shape's pattern, length and range keywords."""
    import re

    if isinstance(value, str):
        return (all(re.search(p, value) for p in shape.patterns)
                and len(value) >= shape.min_length
                and (shape.max_length is None or len(value) <= shape.max_length))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ((shape.minimum is None or value >= shape.minimum)
                and (shape.maximum is None or value <= shape.maximum)
                and (shape.exclusive_minimum is None or value > shape.exclusive_minimum)
                and (shape.exclusive_maximum is None or value < shape.exclusive_maximum)
                and meets_multiples(shape, value))
    return True


def _typed(expected: str, own: Shape) -> Any:
    """A request value as the body's node holds it (string unless the node is a number)."""
    if own.allows_type("string") or own.types is None:
        return expected
    try:
        return int(expected) if own.allows_type("integer") else float(expected)
    except ValueError:
        return expected


# ---------------------------------------------------------------- rules met while drawing


def static_select(root: Node, selector: tuple[str, ...]) -> list[Node]:
    """The schema nodes a selector reaches, walking the shapes instead of a body."""
    level: list[Node] = [root]
    for token in selector:
        following: list[Node] = []
        for shape in _options(level):
            following += _static_children(shape, token)
        level = following
    unique: dict[int, Node] = {id(n): n for n in level}
    return list(unique.values())


def _options(nodes: list[Node]) -> list[Shape]:
    shapes: list[Shape] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, Choice):
            stack.extend(o.node for o in node.options)
        else:
            shapes.append(node)
    return shapes


def _static_children(shape: Shape, token: str) -> list[Node]:
    extra = [shape.additional] if isinstance(shape.additional, Shape | Choice) else []
    if token == "*":
        found = [*shape.properties.values(), *shape.prefix_items,
                 *shape.pattern_properties.values(), *extra]
        return found + ([shape.items] if shape.items is not None else [])
    if token in shape.properties:
        return [shape.properties[token]]
    if token.isdigit():
        index = int(token)
        if index < len(shape.prefix_items):
            return [shape.prefix_items[index]]
        if shape.items is not None:
            return [shape.items]
    return extra


def inline_rules(book: Rulebook, codes: list[int]) -> list[RuleModel]:
    """Schema rules that bind every example of a response: no `when`, every status."""
    return [m for m in book.rules if m.kind in ("then", "assert") and not m.rule.when
            and all(m.rule.applies_to_status(code) for code in codes)]


def inline_wrappers(models: list[RuleModel], root: Node,
                    merge: Callable[[Node, Node], Node]) -> dict[int, Any]:
    """For each node a rule selects: a wrapper that meets the rule as the node is drawn."""
    by_node: dict[int, list[RuleModel]] = {}
    for model in models:
        for node in static_select(root, model.rule.at):
            by_node.setdefault(id(node), []).append(model)
    return {key: _wrapper(rules, merge) for key, rules in by_node.items()}


def _wrapper(models: list[RuleModel], merge: Callable[[Node, Node], Node]) -> Any:
    def wrap(node: Node, base: st.SearchStrategy[Any], values: Values
             ) -> st.SearchStrategy[Any]:
        @st.composite
        def repaired(draw: st.DrawFn) -> Any:
            value = copy_json(draw(base))
            fixer = Fixer(merge, values, draw)
            for _ in range(2 * len(models) + 2):
                changed = False
                for model in models:
                    if (model.test is None or model.test(value)) and model.holds is not None \
                            and not model.holds(value):
                        assert model.target is not None
                        value = fixer.conform(value, model.target, node)
                        changed = True
                if not changed:
                    return value
            reject()
        return repaired()
    return wrap


def unique_keys(book: Rulebook, root: Node, codes: list[int]) -> dict[int, list[list[str]]]:
    """Arrays whose items must differ in some member (a `unique` rule), drawn that way."""
    keys: dict[int, list[list[str]]] = {}
    for model in book.rules:
        at = model.rule.at
        if model.kind != "unique" or model.rule.when or "*" not in at or not all(
                model.rule.applies_to_status(code) for code in codes):
            continue
        last = len(at) - 1 - at[::-1].index("*")
        suffix = list(at[last + 1:])
        if "*" in suffix:
            continue  # unique across nested arrays: left to the repair pass
        for shape in _options(static_select(root, at[:last])):
            if shape.items is not None:
                keys.setdefault(id(shape), []).append(suffix)
    return keys
