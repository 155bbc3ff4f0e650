"""The JSONPath subset overlay targets use (RFC 9535 syntax), on plain JSON data.

Supported: the root `$`; child names `.name`, `['name']`, `["name"]`; wildcards `.*` and
`[*]`; array indexes `[0]`, `[-1]`; recursive descent `..name` and `..*`; filters on a
member `[?@.key == 'value']` (also `[?(@.key == 'value')]`, `!=`, numbers, true/false/null,
and `[?@.key]` for presence). Anything else is refused with the position of the problem.
Results are (parent, key) pairs so an action can update or remove what it selects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from validator.errors import UsageError

_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")
_FILTER = re.compile(r"\[\?\(?\s*@((?:\.[A-Za-z_$][A-Za-z0-9_$-]*|\['[^']*'\])+)\s*"
                     r"(?:(==|!=)\s*('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|-?[0-9.]+|true|false"
                     r"|null))?\s*\)?\]")


def select(document: Any, path: str) -> list[tuple[Any, Any]]:
    """Every (container, key) the path selects; the root is ([document], 0)."""
    steps = _parse(path)
    current: list[tuple[Any, Any]] = [([document], 0)]
    for kind, arg in steps:
        current = [hit for parent, key in current for hit in _step(parent[key], kind, arg)]
    return current


def _parse(path: str) -> list[tuple[str, Any]]:
    if not path.startswith("$"):
        raise UsageError(f"JSONPath {path!r}: must start with $")
    steps: list[tuple[str, Any]] = []
    at = 1
    while at < len(path):
        rest = path[at:]
        if rest.startswith(".."):
            match = _NAME.match(rest, 2)
            if rest[2:3] == "*":
                steps.append(("descend", None))
                at += 3
            elif match:
                steps.append(("descend", match.group()))
                at += match.end()
            else:
                raise _bad(path, at)
        elif rest.startswith(".*") or rest.startswith("[*]"):
            steps.append(("all", None))
            at += 2 if rest.startswith(".*") else 3
        elif rest.startswith("."):
            match = _NAME.match(rest, 1)
            if not match:
                raise _bad(path, at)
            steps.append(("name", match.group()))
            at += match.end()
        elif rest.startswith("[?"):
            match = _FILTER.match(rest)
            if not match:
                raise _bad(path, at)
            steps.append(("filter", (_members(match.group(1)), match.group(2),
                                     _literal(match.group(3)) if match.group(3) else None)))
            at += match.end()
        elif rest.startswith("['") or rest.startswith('["'):
            quote = rest[1]
            end = rest.find(quote + "]", 2)
            if end < 0:
                raise _bad(path, at)
            steps.append(("name", rest[2:end]))
            at += end + 2
        elif match := re.match(r"\[(-?[0-9]+)\]", rest):
            steps.append(("index", int(match.group(1))))
            at += match.end()
        else:
            raise _bad(path, at)
    return steps


def _bad(path: str, at: int) -> UsageError:
    return UsageError(f"JSONPath {path!r}: unsupported syntax at character {at + 1} "
                      "(supported: .name, ['name'], [n], *, .., [?@.key == 'value'])")


def _members(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r"\.([A-Za-z_$][A-Za-z0-9_$-]*)|\['([^']*)'\]", text)]


def _literal(text: str) -> Any:
    if text.startswith("'"):
        return json.loads('"' + text[1:-1].replace('"', '\\"').replace("\\'", "'") + '"')
    return json.loads(text)


def _children(node: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(node, dict):
        yield from ((node, k) for k in node)
    elif isinstance(node, list):
        yield from ((node, i) for i in range(len(node)))


def _step(node: Any, kind: str, arg: Any) -> Iterator[tuple[Any, Any]]:
    if kind == "name":
        if isinstance(node, dict) and arg in node:
            yield node, arg
    elif kind == "index":
        if isinstance(node, list) and -len(node) <= arg < len(node):
            yield node, arg % len(node)
    elif kind == "all":
        yield from _children(node)
    elif kind == "filter":
        members, operator, value = arg
        for parent, key in _children(node):
            if _test(parent[key], members, operator, value):
                yield parent, key
    elif kind == "descend":
        stack = [node]
        while stack:
            current = stack.pop(0)
            for parent, key in _children(current):
                if arg is None or key == arg:
                    yield parent, key
                stack.append(parent[key])


def _test(node: Any, members: list[str], operator: str | None, value: Any) -> bool:
    for member in members:
        if not isinstance(node, dict) or member not in node:
            return False
        node = node[member]
    if operator is None:
        return True
    return bool((node == value) == (operator == "=="))
