"""A bare JSON body, checked against an endpoint the user names."""

from __future__ import annotations

from validator.model.exchange import Exchange, Response
from validator.sources.document import Document
from validator.sources.locate import json_inline, whole_file


def bare(path: str, raw: bytes, endpoint: str, status: int) -> Exchange:
    """A bare JSON body file as an exchange for `endpoint` with `status`."""
    text = raw.decode("utf-8", errors="replace")
    located = whole_file(text)
    return Exchange(
        response=Response(status, None, raw),
        source=path,
        endpoint=endpoint,
        locate_body=located.pointer,
        locate_offset=located.offset,
        locate_exchange=(1, 1),
    )


def parsed(document: Document, endpoint: str, status: int) -> Exchange:
    """A bare body that already parsed as strict JSON: no second decode, no second parse."""
    return Exchange(
        response=Response(status, None, None, document.value),
        source=document.path,
        endpoint=endpoint,
        locate_body=json_inline(document.json_index, []),
        locate_exchange=(1, 1),
    )
