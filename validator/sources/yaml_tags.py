"""The few YAML tags that cassette writers put in files, turned into plain YAML nodes.

Old vcrpy cassettes carry Python tags that vcrpy's own safe loader still reads
(`vcr/serializers/yamlserializer.py`: `!!python/str`, `!!python/unicode`,
`!!python/tuple`, and request bodies as `!!python/object/new:_io.BytesIO` or
`!!python/object/apply:builtins.iter`); Ruby's Psych writes binary strings as `!binary`
(Ruby VCR, webmock). Each is rewritten to the plain node holding the same data, *before*
anything is constructed: no object is ever built from a tag, and every other tag is left
for the strict loader to refuse.
"""

from __future__ import annotations

import base64
import binascii

import yaml

from validator.errors import SourceError
from validator.sources.cassette import OLD_VCRPY_HINT

_PY = "tag:yaml.org,2002:python/"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_BINARY = "tag:yaml.org,2002:binary"
_TEXT_TAGS = frozenset({_PY + "str", _PY + "unicode", _PY + "bytes"})
_BUFFER_TAGS = frozenset({_PY + "object/new:_io.BytesIO", _PY + "object/new:io.BytesIO",
                          _PY + "object/apply:builtins.iter"})
_RUBY_BINARY = frozenset({"!binary", "tag:yaml.org,2002:binary"})
_OLD_VCRPY = _PY + "object:vcr.request.Request"  # vcrpy before 1.0 pickled its requests


def plain(root: yaml.Node | None) -> yaml.Node | None:
    """The node tree with the accepted tags rewritten in place (the root may be replaced)."""
    if root is None:
        return None
    root = _rewrite(root, is_key=False)
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            node.value = [(_rewrite(k, True), _rewrite(v, False)) for k, v in node.value]
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            node.value = [_rewrite(child, False) for child in node.value]
            stack.extend(node.value)
    return root


def _rewrite(node: yaml.Node, is_key: bool) -> yaml.Node:
    tag = node.tag
    if tag == _OLD_VCRPY:
        mark = node.start_mark
        raise SourceError(f"cannot read file: {OLD_VCRPY_HINT} (tag {tag!r} is not allowed)",
                          mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        if tag in _TEXT_TAGS:
            node.tag = _STR
        elif tag in _RUBY_BINARY:
            node.tag = _BINARY
            if is_key:  # a binary mapping key (Ruby header names): its text, as JSON has it
                _binary_key(node)
    elif isinstance(node, yaml.SequenceNode) and tag == _PY + "tuple":
        node.tag = _SEQ
    elif tag in _BUFFER_TAGS:
        return _buffer_content(node)
    return node


def _binary_key(node: yaml.ScalarNode) -> None:
    try:
        text = base64.b64decode("".join(str(node.value).split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return  # left as a binary key: the strict loader says what is wrong
    node.tag, node.value = _STR, text


def _buffer_content(node: yaml.Node) -> yaml.Node:
    """A pickled BytesIO (its `state` tuple) or iterator (its `args`): the data inside."""
    items: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if str(key.value) in ("state", "args") and isinstance(value, yaml.SequenceNode):
                items = value.value
                break
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
    if items:  # BytesIO: state[0] is the buffer; iter: args[0] holds the parts
        return _rewrite(items[0], is_key=False)
    return yaml.ScalarNode(_STR, "", node.start_mark, node.end_mark)
