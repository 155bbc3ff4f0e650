"""Safe, strict YAML loading with node positions.

PyYAML's safe loader still accepts duplicate keys (last one wins) and expands
aliases without limit once the data is walked. Both are refused here, as are
recursive aliases, tags other than plain scalars/mappings/lists and non-finite
floats; mapping keys become strings, as in JSON. The composed node tree is kept
so a JSON pointer can be turned into a file line.

Two resolutions of plain scalars: YAML 1.1 (PyYAML's own, the default: cassettes are
written by PyYAML and must keep reading as they always have) and YAML 1.2's core schema
(`version="1.2"`, for OpenAPI specs and contract files): there `yes`/`no`/`on`/`off` stay
strings, only `true`/`false` are booleans, `0o17` is octal, `017` is decimal 17, `1_000`
and `1:20` are strings. Unquoted dates stay text in both modes.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from validator.errors import SourceError
from validator.formats.json import gc_paused, short_repr

MAX_NODES = 1_000_000  # values an aliased document may expand to (plain documents: no limit)

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

class _Core12Loader(_Loader):  # type: ignore[misc]
    """The same parser with the YAML 1.2 core schema's implicit resolvers."""


_Core12Loader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
     "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _Core12Loader.add_implicit_resolver(_tag, re.compile(_regex), list(_first))

_constructor = yaml.constructor.SafeConstructor()
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"


def compose(text: str | bytes, version: str = "1.1") -> yaml.Node | None:
    """Parse one YAML document into nodes; several documents or bad syntax raise SourceError."""
    try:
        return yaml.compose(text, Loader=_Core12Loader if version == "1.2" else _Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        detail = " ".join((exc.problem or str(exc)).split())
        if "expected a single document" in str(exc):
            detail = "expected one YAML document, found several"
        raise SourceError(f"invalid YAML: {detail}", line, column) from None
    except yaml.YAMLError as exc:  # e.g. a control character: no mark, a multi-line text
        detail = " ".join(str(exc).replace('in "<unicode string>",', "at").split())
        raise SourceError(f"invalid YAML: {detail}") from None
    except RecursionError:
        raise SourceError("invalid YAML: nested too deep") from None


def load(text: str | bytes, version: str = "1.1") -> tuple[Any, yaml.Node | None]:
    """Load one document strictly; returns the value and the node tree for locations.

    `version` "1.1" (default, as PyYAML writes cassettes) or "1.2" (core schema)."""
    with gc_paused():
        return load_node(compose(text, version), version)


def load_node(node: yaml.Node | None, version: str = "1.1") -> tuple[Any, yaml.Node | None]:
    """Construct a composed node tree strictly (as `load` does after composing)."""
    with gc_paused():
        if node is None:
            return None, None
        shared = _has_shared_nodes(node)
        if shared:
            _check_size(node)
        try:
            return _construct(node, {} if shared else None, version == "1.2"), node
        except RecursionError:
            raise SourceError("invalid YAML: nested too deep") from None


def _has_shared_nodes(root: yaml.Node) -> bool:
    """Whether any node is reached twice (aliases); one cheap pass over a plain tree."""
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _check_size(root: yaml.Node) -> None:
    """Refuse alias bombs (too many values once expanded) and recursive aliases."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not expanded:
            if id(node) in open_nodes:  # reached again from inside itself
                raise _error(node, "an alias refers to the collection that contains it "
                             "(recursive data cannot be JSON)")
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        open_nodes.discard(id(node))
        total = 1 + sum(sizes.get(id(c), 0) for c in children)
        # a plain tree never expands beyond its own node count; aliases can, exponentially
        if total > MAX_NODES and total > 2 * (len(sizes) + 1):
            raise SourceError(
                f"YAML expands to more than {MAX_NODES:,} values (an alias bomb?); refused"
            )
        sizes[id(node)] = total


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _construct(node: yaml.Node, memo: dict[int, Any] | None, core12: bool = False) -> Any:
    """Node tree to plain data; `memo` (only when aliases exist) keeps shared nodes shared."""
    if memo is not None and id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.MappingNode):
        _require_tag(node, _MAP)
        result: dict[str, Any] = {}
        if memo is not None:
            memo[id(node)] = result
        for key_node, value_node in node.value:
            key = _key(key_node)
            if key in result:
                raise _error(key_node, f"duplicate key {short_repr(key)}")
            result[key] = _construct(value_node, memo, core12)
        return result
    if isinstance(node, yaml.SequenceNode):
        _require_tag(node, _SEQ)
        items: list[Any] = []
        if memo is not None:
            memo[id(node)] = items
        items.extend(_construct(child, memo, core12) for child in node.value)
        return items
    if node.tag == _TIMESTAMP:
        return node.value  # keep dates as text, as JSON would
    if core12 and node.tag == _INT and isinstance(node.value, str):
        return _int12(node)
    builder = _constructor.yaml_constructors.get(node.tag)
    if builder is None or node.tag in (_MAP, _SEQ):
        raise _error(node, f"tag {short_repr(node.tag)} is not allowed (safe YAML only)")
    try:
        value = builder(_constructor, node)
    except (ValueError, TypeError, yaml.YAMLError) as exc:
        text = (exc.problem or "") if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
        detail = " ".join(text.split(";")[0].split())  # drop the int_max_str_digits hint
        raise _error(node, f"cannot read the value: {detail}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise _error(node, f"expected a finite number, found {short_repr(node.value)} "
                     "(JSON has no infinity or NaN)")
    return value


def _int12(node: yaml.Node) -> int:
    """An integer as the YAML 1.2 core schema reads it (0o octal, 0x hex, else decimal)."""
    text = str(node.value)
    try:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    except ValueError:
        raise _error(node, f"cannot read the value: not an integer {short_repr(text)}") from None


def _require_tag(node: yaml.Node, plain: str) -> None:
    if node.tag != plain:
        raise _error(node, f"tag {short_repr(node.tag)} is not allowed (plain mappings, lists and "
                     "scalars only)")


def _key(node: yaml.Node) -> str:
    """A mapping key as JSON has it: always a string, spelled as written (200 -> "200")."""
    if not isinstance(node, yaml.ScalarNode):
        raise _error(node, "expected a plain mapping key")
    if node.tag not in _constructor.yaml_constructors or node.tag in (_MAP, _SEQ):
        raise _error(node, f"tag {short_repr(node.tag)} is not allowed (safe YAML only)")
    return str(node.value)


def _error(node: yaml.Node, message: str) -> SourceError:
    mark = node.start_mark
    return SourceError(f"invalid YAML: {message}", mark.line + 1, mark.column + 1)


def locate(root: yaml.Node | None, tokens: list[str]) -> yaml.Node | None:
    """The node at a JSON pointer's tokens, or None."""
    node = root
    for token in tokens:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == token), None)
        elif isinstance(node, yaml.SequenceNode) and token.isdigit():
            index = int(token)
            node = node.value[index] if index < len(node.value) else None
        else:
            return None
        if node is None:
            return None
    return node


def position(node: yaml.Node) -> tuple[int, int]:
    """The 1-based (line, column) where a YAML node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1
