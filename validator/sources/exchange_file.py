"""Our own exchange files (JSON or YAML), read through the one codec of the format.

The codec (`validator.formats.exchange_file`) says what the file holds; this module adds
where: the line of every problem and locators for findings inside the body.
"""

from __future__ import annotations

from typing import Any

from validator.errors import SourceError
from validator.formats import exchange_file as codec
from validator.model.exchange import NOT_PARSED, Exchange
from validator.sources.document import Document, Loaded, url_problem
from validator.sources.locate import json_inline, text_body_in_json, text_body_in_yaml, yaml_inline


def recognise(value: Any) -> bool:
    """Whether a document looks like an exchange file."""
    return isinstance(value, dict) and "response" in value


def read(document: Document, loaded: Loaded, endpoint: str | None) -> None:
    """Read an exchange file into `loaded`."""
    value = document.value
    try:
        exchange = codec.decode(value, document.path, endpoint, from_json=not document.is_yaml)
    except codec.ExchangeFileError as exc:
        raise SourceError(exc.message, *_at(document, exc.tokens)) from None
    if exchange.request is not None:
        bad_url = url_problem(exchange.request.url)
        if bad_url:
            raise SourceError(bad_url, *_at(document, ["request", "url"]))
    exchange.find_exchange = document.locator(["response", "status"])
    _attach_locators(exchange, value["response"], codec.body_key(value["response"]), document)
    loaded.exchanges.append(exchange)


def _at(document: Document, tokens: list[str]) -> tuple[int | None, int | None]:
    found = document.position(tokens)
    return found if found else (None, None)


def _attach_locators(exchange: Exchange, response: dict[str, Any], key: str | None,
                     document: Document) -> None:
    tokens = ["response", key] if key else []
    if key == "body":
        exchange.locate_body = (yaml_inline(document.yaml_root, tokens) if document.is_yaml
                                else json_inline(document.json_index, tokens))
    elif key == "body_text":
        text = response["body_text"]
        if document.is_yaml:
            located = text_body_in_yaml(document.yaml_root, tokens, text,
                                        document.full_text() or "")
        else:
            where = document.locator(tokens)
            located = text_body_in_json(lambda _tokens: where(), tokens, text)
        exchange.locate_body = located.pointer
        exchange.locate_offset = located.offset
    if exchange.response.parsed is NOT_PARSED and exchange.locate_body is None:
        position = document.position(tokens) if tokens else None
        exchange.locate_body = lambda _tokens: position
