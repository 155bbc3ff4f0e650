"""Contract rules: compiled into JSON Schema where a schema can say it, checked in Python
where it needs the request or several nodes at once.

A rule's selector (`at`) is a JSON pointer whose `*` tokens stand for every item of an
array or member of an object. Schema rules (`if`/`then`, `assert`) are wrapped so the
selector becomes schema structure, and joined with the response schema under one
`allOf`: a conforming body is then checked by a single validator call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from validator.model.contract import Rule
from validator.model.exchange import CREDENTIAL_HEADERS, Exchange
from validator.model.pointer import make_pointer


def wrap(selector: tuple[str, ...], inner: Any) -> Any:
    """A schema that applies `inner` at every node the selector reaches."""
    schema = inner
    for token in reversed(selector):
        if token == "*":
            schema = {"items": schema, "additionalProperties": schema}
        elif token.isdigit():
            schema = {"properties": {token: schema},
                      "prefixItems": [True] * int(token) + [schema]}
        else:
            schema = {"properties": {token: schema}}
    return schema


def schema_of(rule: Rule) -> Any:
    """The JSON Schema an if/then or assert rule amounts to, wrapped to reach its selector."""
    if rule.kind == "then":
        return wrap(rule.at, {"if": rule.condition, "then": rule.then})
    return wrap(rule.at, rule.assertion)


def is_schema_rule(rule: Rule) -> bool:
    """Whether the rule is checked as a schema (then, assert) rather than in Python."""
    return rule.kind in ("then", "assert")


def applies(rule: Rule, exchange: Exchange, path_params: dict[str, str]) -> bool:
    """Whether the rule's `when` and `status` conditions hold for this exchange."""
    if not rule.applies_to_status(exchange.response.status):
        return False
    if not rule.when:
        return True
    conditions = rule.when.get("request", {})
    if conditions and exchange.request is None:
        return False
    for part, wanted in conditions.items():
        values = request_values(exchange, part, path_params)
        for name, presence in wanted.items():
            if (name in values) != (presence == "present"):
                return False
    return True


def request_values(exchange: Exchange, part: str, path_params: dict[str, str]) -> dict[str, str]:
    """The request's query, path parameters or headers, as `part` names them."""
    request = exchange.request
    if request is None:
        return {}
    if part == "query":
        return request.query
    if part == "params":
        return path_params
    return request.headers or {}


def select(value: Any, selector: tuple[str, ...]) -> Iterator[tuple[list[str | int], Any]]:
    """Every (path, node) the selector reaches in a body."""
    level: list[tuple[list[str | int], Any]] = [([], value)]
    for token in selector:
        following: list[tuple[list[str | int], Any]] = []
        for path, node in level:
            if token == "*":
                if isinstance(node, list):
                    following.extend((path + [i], item) for i, item in enumerate(node))
                elif isinstance(node, dict):
                    following.extend((path + [k], item) for k, item in node.items())
            elif isinstance(node, dict) and token in node:
                following.append((path + [token], node[token]))
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                following.append((path + [int(token)], node[int(token)]))
        level = following
    yield from level


def _all_distinct(values: Iterator[Any]) -> bool:
    """True when the values are surely distinct (False: look closer, by their repr)."""
    seen: set[Any] = set()
    for value in values:
        if isinstance(value, dict | list) or value in seen:
            return False
        seen.add(value)
    return True


def python_violations(rule: Rule, exchange: Exchange, body: Any,
                      path_params: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each violation of an `equals` or `unique` rule."""
    if rule.kind == "equals":
        part, name = rule.equals_source
        values = request_values(exchange, part, path_params)
        if part == "headers":
            name = name.lower()
        if name not in values:
            return
        expected = values[name]
        for path, node in select(body, rule.at):
            # a number that reads the same is a type problem, which the schema reports
            same = node == expected or (isinstance(node, int) and str(node) == expected)
            if not same:
                wanted = "<redacted>" if name in CREDENTIAL_HEADERS else _short(expected)
                yield make_pointer(path), (
                    f"expected {wanted} (the request's {part} {name}), found {_short(node)}")
    elif rule.kind == "unique":
        if _all_distinct(node for _, node in select(body, rule.at)):
            return
        seen: dict[str, list[str | int]] = {}
        for path, node in select(body, rule.at):
            key = repr(node)
            if key in seen:
                yield make_pointer(path), (f"expected unique values, found {_short(node)} "
                                           f"again (first at {make_pointer(seen[key])})")
            else:
                seen[key] = path




def _short(value: Any) -> str:
    """A value for a one-line message: repr, clipped (a body may hold megabyte strings)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
