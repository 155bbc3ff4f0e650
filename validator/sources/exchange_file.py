"""Our own exchange files (JSON or YAML):

    {endpoint?, request: {method, url, headers?, body?},
     response: {status, headers?, body? | body_text? | body_base64?}}
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from validator.errors import SourceError
from validator.formats.json import short_repr
from validator.model.exchange import NOT_PARSED, Exchange, Request, Response, normalize_headers
from validator.model.pointer import make_pointer
from validator.sources import Document, Loaded, url_problem
from validator.sources.locate import json_inline, text_body_in_json, text_body_in_yaml, yaml_inline

BODY_KEYS = ("body", "body_text", "body_base64")


def recognise(value: Any) -> bool:
    """Whether a document looks like an exchange file."""
    return isinstance(value, dict) and "response" in value


def read(document: Document, loaded: Loaded, endpoint: str | None) -> None:
    """Read an exchange file into `loaded`."""
    value = document.value
    response = value["response"]
    if not isinstance(response, dict):
        raise SourceError("response must be a mapping", *_at(document, ["response"]))
    status = response.get("status")
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        found = "no status" if status is None else f"status {short_repr(status)}"
        raise SourceError(f"response needs an HTTP status from 100 to 599, found {found}",
                          *_at(document, ["response"]))
    body_keys = [k for k in BODY_KEYS if k in response]
    if len(body_keys) > 1:
        raise SourceError(f"response has both {body_keys[0]} and {body_keys[1]}; keep one",
                          *_at(document, ["response"]))
    exchange = Exchange(
        response=Response(status, _headers(response.get("headers"), document, "response")),
        request=_request(value.get("request"), document),
        source=document.path,
        endpoint=endpoint or _pinned(value),
        find_exchange=lambda: document.position(["response", "status"]),
    )
    _attach_body(exchange, response, body_keys[0] if body_keys else None, document)
    loaded.exchanges.append(exchange)


def _at(document: Document, tokens: list[str]) -> tuple[int | None, int | None]:
    found = document.position(tokens)
    return found if found else (None, None)


def _pinned(value: dict[str, Any]) -> str | None:
    pinned = value.get("endpoint")
    return pinned if isinstance(pinned, str) else None


def _headers(headers: Any, document: Document, part: str) -> dict[str, str] | None:
    if headers is None:
        return None
    if isinstance(headers, list) and all(isinstance(h, dict) and "name" in h for h in headers):
        return normalize_headers((h["name"], h.get("value", "")) for h in headers)
    if not isinstance(headers, dict):
        raise SourceError(f"{part}.headers must be a mapping", *_at(document, [part, "headers"]))
    return normalize_headers(headers)


def _request(request: Any, document: Document) -> Request | None:
    if request is None:
        return None
    if not isinstance(request, dict) or not isinstance(request.get("url"), str):
        raise SourceError("request needs a url", *_at(document, ["request"]))
    bad_url = url_problem(request["url"])
    if bad_url:
        raise SourceError(bad_url, *_at(document, ["request", "url"]))
    method = request.get("method", "GET")
    if not isinstance(method, str):
        raise SourceError("request.method must be a string", *_at(document, ["request"]))
    body = request.get("body")
    raw = body.encode("utf-8") if isinstance(body, str) else None
    return Request(method.upper(), request["url"], _headers(request.get("headers"), document,
                                                             "request"), raw)


def _attach_body(exchange: Exchange, response: dict[str, Any], key: str | None,
                 document: Document) -> None:
    tokens = ["response", key] if key else []
    if key is None:
        exchange.response.body = b""
    elif key == "body":
        if document.is_yaml:
            _require_json_values(response["body"], document)
        exchange.response.parsed = response["body"]
        exchange.locate_body = (yaml_inline(document.yaml_root, tokens) if document.is_yaml
                                else json_inline(document.text, tokens))
    elif key == "body_text":
        text = response["body_text"]
        if not isinstance(text, str):
            raise SourceError("response.body_text must be a string", *_at(document, tokens))
        exchange.response.body = text.encode("utf-8")
        located = (text_body_in_yaml(document.yaml_root, tokens, text, document.text)
                   if document.is_yaml else text_body_in_json(document.position, tokens, text))
        exchange.locate_body = located.pointer
        exchange.locate_offset = located.offset
    else:
        try:
            exchange.response.body = base64.b64decode(str(response[key]), validate=True)
        except (binascii.Error, ValueError):
            raise SourceError("response.body_base64 is not valid base64",
                              *_at(document, tokens)) from None
    if exchange.response.parsed is NOT_PARSED and exchange.locate_body is None:
        position = document.position(tokens) if tokens else None
        exchange.locate_body = lambda _tokens: position


def _require_json_values(body: Any, document: Document) -> None:
    """A YAML body may hold values JSON cannot (!!binary bytes); say where, once."""
    if _all_json(body):
        return
    stack: list[tuple[Any, list[str]]] = [(body, [])]
    while stack:
        value, tokens = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, [*tokens, k]) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, [*tokens, str(i)]) for i, v in enumerate(value))
        elif not _is_json_scalar(value):
            raise SourceError(f"response.body{make_pointer(list(tokens))} holds a "
                              f"{type(value).__name__} value, which JSON cannot carry (use "
                              "body_base64 for binary bodies)",
                              *_at(document, ["response", "body", *tokens]))


def _all_json(body: Any) -> bool:
    # the common case, kept cheap: no paths are built unless something is wrong
    stack = [body]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif not _is_json_scalar(value):
            return False
    return True


def _is_json_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float)
