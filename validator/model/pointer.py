"""JSON pointers (RFC 6901): the one place tokens are escaped, split and joined."""

from __future__ import annotations


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [unescape_token(t) for t in pointer.split("/")[1:]]


def make_pointer(tokens: list[str | int]) -> str:
    return "".join("/" + escape_token(str(t)) for t in tokens)
