"""Schema errors as one line, 'expected ..., found ...', from the schema itself.

The failing keyword and its value are read by following the error's evaluation path (a
JSON Schema keyword path) through the schema with the project's own resolver, never from
a validator library's class names or absolute-location strings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from validator.errors import ContractError
from validator.formats.json import json_type
from validator.load.resolver import Target, join
from validator.load.schemas import DOCS, SchemaStore


def follow(store: SchemaStore, root: Any, tokens: Sequence[str | int]) -> list[Any]:
    """Every node an evaluation path passes through, `$ref`s resolved; the root first."""
    nodes = [root]
    node, base = root, store.base_uri
    for token in tokens:
        key = str(token)
        if key in ("$ref", "$dynamicRef") and isinstance(node, dict) and \
                isinstance(node.get(key), str):
            try:
                target: Target = store.resolve(base, node[key])
            except ContractError:
                break
            node, base = target.node, target.base
        elif isinstance(node, dict) and key in node:
            node = node[key]
            if isinstance(node, dict) and isinstance(node.get("$id"), str):
                base = join(base, node["$id"])
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            break
        nodes.append(node)
    return nodes


def docs_along(nodes: list[Any]) -> str | None:
    """The nearest `x-docs` link above the last node of a path."""
    for node in reversed(nodes):
        if isinstance(node, dict) and isinstance(node.get(DOCS), str):
            return str(node[DOCS])
    return None


def shown(value: Any) -> str:
    """A short rendering of an instance value for a message."""
    text = repr(value) if not isinstance(value, dict | list) else json_type(value)
    return text if len(text) <= 80 else text[:77] + "..."


_LIMITS = {
    "maxItems": ("at most {} item(s)", len),
    "minItems": ("at least {} item(s)", len),
    "maxLength": ("at most {} character(s)", None),
    "minLength": ("at least {} character(s)", None),
    "maxProperties": ("at most {} propert(ies)", len),
    "minProperties": ("at least {} propert(ies)", len),
    "maximum": ("a number <= {}", None),
    "minimum": ("a number >= {}", None),
    "exclusiveMaximum": ("a number < {}", None),
    "exclusiveMinimum": ("a number > {}", None),
}


def describe(keyword: str | None, value: Any, found: Any, fallback: str) -> str:
    """'expected ..., found ...' for a failing keyword whose schema value is `value`."""
    if keyword == "required" and isinstance(value, list) and isinstance(found, dict):
        missing = [name for name in value if name not in found]
        # one error per missing name in most validators: the one its message quotes
        named = [name for name in missing if json.dumps(name) in fallback]
        if len(named) == 1:
            return f"missing required property {named[0]!r}"
        if len(missing) == 1:
            return f"missing required property {missing[0]!r}"
        if missing:
            return f"missing required properties {', '.join(map(repr, missing))}"
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        scalar = found is not None and not isinstance(found, dict | list)
        return f"expected {' or '.join(sorted(map(str, types)))}, found {json_type(found)}" + (
            f" {shown(found)}" if scalar else "")
    if keyword == "const":
        return f"expected {value!r}, found {shown(found)}"
    if keyword == "enum" and isinstance(value, list):
        return f"expected one of {value}, found {shown(found)}"
    if keyword == "pattern":
        return f"expected a string matching {value}, found {shown(found)}"
    if keyword == "format":
        return f"expected a valid {value} string, found {shown(found)}"
    if keyword in _LIMITS:
        template, measure = _LIMITS[keyword]
        size = measure(found) if measure and isinstance(found, list | dict) else (
            len(found) if isinstance(found, str) and "Length" in keyword else None)
        seen = size if size is not None else shown(found)
        return f"expected {template.format(value)}, found {seen}"
    if value is False and keyword is None:
        return f"expected nothing here, found {shown(found)}"
    message = " ".join(fallback.split())  # one line, even for odd instances
    return message if len(message) <= 300 else message[:297] + "..."
