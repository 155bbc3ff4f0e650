"""JSON pointers (RFC 6901): the one place tokens are escaped, split and joined."""

from __future__ import annotations

from collections.abc import Iterable


def escape_token(token: str) -> str:
    """One reference token escaped: `~` becomes `~0`, then `/` becomes `~1`."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """The inverse of escape_token: `~1` becomes `/`, then `~0` becomes `~`."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer; "" (the whole document) has none."""
    if not pointer:
        return []
    return [unescape_token(t) for t in pointer.split("/")[1:]]


def make_pointer(tokens: Iterable[str | int]) -> str:
    """The pointer to the path `tokens` (keys and array indexes), each token escaped."""
    return "".join("/" + escape_token(str(t)) for t in tokens)
