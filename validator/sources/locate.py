"""Turn body pointers and offsets into lines and columns of the recording file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import jsontext

Position = tuple[int, int] | None


def json_inline(text: str, base: list[str]) -> Callable[[list[str]], Position]:
    """Body stored as JSON inside a JSON file at `base`."""
    def find(tokens: list[str]) -> Position:
        pos = jsontext.locate(text, base + tokens)
        return jsontext.line_column(text, pos) if pos is not None else None
    return find


def yaml_inline(root: Any, base: list[str]) -> Callable[[list[str]], Position]:
    """Body stored as structured YAML at `base`."""
    from .. import yamltext

    def find(tokens: list[str]) -> Position:
        node = yamltext.locate(root, base + tokens)
        return yamltext.position(node) if node is not None else None
    return find


def json_position(text: str, tokens: list[str]) -> Position:
    pos = jsontext.locate(text, tokens)
    return jsontext.line_column(text, pos) if pos is not None else None


def yaml_position(root: Any, tokens: list[str]) -> Position:
    from .. import yamltext

    node = yamltext.locate(root, tokens)
    return yamltext.position(node) if node is not None else None


class TextBody:
    """A body kept as a string inside the recording: map body offsets to file positions.

    In a YAML literal block (`|`) each body line is a file line, so positions are exact;
    inside a quoted string, every position is the string's own start.
    """

    def __init__(self, body_text: str, origin: Position, block_indent: int | None = None):
        self.body_text = body_text
        self.origin = origin
        self.block_indent = block_indent

    def offset(self, pos: int) -> Position:
        if self.origin is None:
            return None
        if self.block_indent is None:
            return self.origin
        line, column = jsontext.line_column(self.body_text, pos)
        return self.origin[0] + line, self.block_indent + column

    def pointer(self, tokens: list[str]) -> Position:
        pos = jsontext.locate(self.body_text, tokens)
        return self.offset(pos) if pos is not None else None


def text_body_in_yaml(root: Any, tokens: list[str], body_text: str, file_text: str) -> TextBody:
    import yaml

    from .. import yamltext

    node = yamltext.locate(root, tokens)
    if node is None:
        return TextBody(body_text, None)
    origin = yamltext.position(node)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") and node.style == "|":
        lines = file_text.splitlines()
        first = lines[origin[0]] if origin[0] < len(lines) else ""
        indent = len(first) - len(first.lstrip(" "))
        return TextBody(body_text, origin, indent)
    return TextBody(body_text, origin)


def text_body_in_json(text: str, tokens: list[str], body_text: str) -> TextBody:
    return TextBody(body_text, json_position(text, tokens))
