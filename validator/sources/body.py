"""A bare JSON body, checked against an endpoint the user names."""

from __future__ import annotations

from ..exchange import Exchange, Response
from .locate import TextBody


def bare(path: str, raw: bytes, endpoint: str, status: int) -> Exchange:
    text = raw.decode("utf-8", errors="replace")
    located = TextBody(text, (0, 0), block_indent=0)  # the file is the body
    return Exchange(
        response=Response(status, None, raw),
        source=path,
        endpoint=endpoint,
        locate_body=located.pointer,
        locate_offset=located.offset,
        locate_exchange=(1, 1),
    )
