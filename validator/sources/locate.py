"""Turn body pointers and offsets into lines and columns of the recording file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from validator.formats import json as jsontext

Position = tuple[int, int] | None


def json_inline(index: Callable[[], jsontext.JsonIndex | None], base: list[str]
                ) -> Callable[[list[str]], Position]:
    """Body stored as JSON inside a JSON file at `base`; all look-ups share one index, built
    on the first look-up (a body without findings never builds it)."""
    def find(tokens: list[str]) -> Position:
        built = index()
        if built is None:
            return None
        pos = built.offset(base + tokens)
        return built.line_column(pos) if pos is not None else None
    return find


def yaml_inline(root: Any, base: list[str]) -> Callable[[list[str]], Position]:
    """Body stored as structured YAML at `base`; each mapping is indexed once, when reached."""
    import yaml

    from validator.formats import yaml as yamltext

    start = yamltext.locate(root, base)
    members: dict[int, dict[str, Any]] = {}

    def child(node: Any, token: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            if id(node) not in members:
                found: dict[str, Any] = {}
                for key, value in node.value:
                    found.setdefault(str(key.value), value)
                members[id(node)] = found
            return members[id(node)].get(token)
        if isinstance(node, yaml.SequenceNode) and token.isdigit():
            index = int(token)
            return node.value[index] if index < len(node.value) else None
        return None

    def find(tokens: list[str]) -> Position:
        node = start
        for token in tokens:
            if node is None:
                return None
            node = child(node, token)
        return yamltext.position(node) if node is not None else None
    return find


def yaml_position(root: Any, tokens: list[str]) -> Position:
    """The (line, column) of the node `tokens` reach in a YAML tree, if found."""
    from validator.formats import yaml as yamltext

    node = yamltext.locate(root, tokens)
    return yamltext.position(node) if node is not None else None


class TextBody:
    """A body kept as a string inside the recording: map body offsets to file positions.

    In a YAML literal block (`|`) each body line is a file line, so positions are exact;
    inside a quoted string, every position is the string's own start. Where the string sits
    is only worked out when a finding needs it.
    """

    def __init__(self, body_text: str, find: Callable[[], tuple[Position, int | None]]):
        self.body_text = body_text
        self._find: Callable[[], tuple[Position, int | None]] | None = find
        self._origin: Position = None
        self._indent: int | None = None
        self._index: jsontext.JsonIndex | None = None

    def _resolve(self) -> None:
        if self._find is not None:
            self._origin, self._indent = self._find()
            self._find = None

    def offset(self, pos: int) -> Position:
        self._resolve()
        if self._origin is None:
            return None
        if self._indent is None:
            return self._origin
        line, column = self._body_index().line_column(pos)
        return self._origin[0] + line, self._indent + column

    def pointer(self, tokens: list[str]) -> Position:
        pos = self._body_index().offset(tokens)
        return self.offset(pos) if pos is not None else None

    def _body_index(self) -> jsontext.JsonIndex:
        if self._index is None:  # built once: every finding of the body shares it
            self._index = jsontext.JsonIndex(self.body_text)
        return self._index


def whole_file(body_text: str) -> TextBody:
    """The file is the body: body lines are file lines."""
    return TextBody(body_text, lambda: ((0, 0), 0))


def text_body_in_yaml(root: Any, tokens: list[str], body_text: str, file_text: str) -> TextBody:
    """A body stored as a YAML string, located in its file."""
    def find() -> tuple[Position, int | None]:
        import yaml

        from validator.formats import yaml as yamltext

        node = yamltext.locate(root, tokens)
        if node is None:
            return None, None
        origin = yamltext.position(node)
        if isinstance(node, yaml.ScalarNode) and node.style == "|":
            end = file_text.find("\n", _line_start(file_text, origin[0] + 1))
            first = file_text[_line_start(file_text, origin[0] + 1):end if end >= 0 else None]
            return origin, len(first) - len(first.lstrip(" "))
        return origin, None

    return TextBody(body_text, find)


def _line_start(text: str, line: int) -> int:
    """Offset where the 1-based `line` starts (the text's end if it has fewer lines)."""
    pos = 0
    for _ in range(line - 1):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return len(text)
    return pos


def text_body_in_json(position: Callable[[list[str]], Position], tokens: list[str],
                      body_text: str) -> TextBody:
    """A body stored as a JSON string, located in its file."""
    return TextBody(body_text, lambda: (position(tokens), None))
