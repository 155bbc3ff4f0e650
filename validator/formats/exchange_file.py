"""The exchange-file format: the one reader and writer of its dict form.

    {endpoint?, request?: {method, url, headers?, body?},
     response: {status, headers?, body? | body_text? | body_base64?}}

`body` holds the response body as JSON values, `body_text` as the exact text, and
`body_base64` as the exact bytes; at most one of them, none for an empty body. Files,
`check_exchange(dict)`, fuzzing, live recording and `sample` all go through `decode` and
`encode`, so they cannot disagree on the shape.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from validator.errors import RespcontractError
from validator.model.exchange import (
    NOT_PARSED,
    Exchange,
    Request,
    Response,
    TextResponse,
    normalize_headers,
)
from validator.model.pointer import make_pointer

BODY_KEYS = ("body", "body_text", "body_base64")


class ExchangeFileError(RespcontractError, ValueError):
    """Why a dict is not an exchange file; `tokens` say where in it (for a line number)."""

    def __init__(self, message: str, tokens: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.tokens = tokens


def body_key(response: Mapping[str, Any]) -> str | None:
    """Which body member a response mapping uses (None: no body); two is an error."""
    keys = [k for k in BODY_KEYS if k in response]
    if len(keys) > 1:
        raise ExchangeFileError(f"response has both {keys[0]} and {keys[1]}; keep one",
                                ["response"])
    return keys[0] if keys else None


def decode(document: Mapping[str, Any], source: str = "<dict>",
           endpoint: str | None = None, raw_json: bool = False,
           from_json: bool = False) -> Exchange:
    """An exchange-file mapping as an Exchange; ExchangeFileError says what is wrong.

    A `body` stays parsed (no second decode); with `raw_json` its JSON text is kept too.
    `from_json`: the mapping was decoded from JSON, so it holds JSON values only.
    """
    if not isinstance(document, Mapping):
        raise ExchangeFileError("an exchange must be a mapping", [])
    response = document.get("response")
    if not isinstance(response, Mapping):
        raise ExchangeFileError("response must be a mapping", ["response"])
    status = response.get("status")
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        found = "no status" if status is None else f"status {_short(status)}"
        raise ExchangeFileError(f"response needs an HTTP status from 100 to 599, found {found}",
                                ["response"])
    key = body_key(response)
    headers = _headers(response.get("headers"), "response")
    text = response.get("body_text") if key == "body_text" else None
    decoded = TextResponse(status, headers, text, _utf8) if isinstance(text, str) \
        else Response(status, headers)
    _decode_body(decoded, response, key, raw_json, from_json)
    pinned = document.get("endpoint")
    return Exchange(response=decoded, request=_request(document.get("request")), source=source,
                    endpoint=endpoint or (pinned if isinstance(pinned, str) else None))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _headers(headers: Any, part: str) -> dict[str, str] | None:
    if headers is None:
        return None
    if isinstance(headers, list) and all(isinstance(h, Mapping) and "name" in h
                                         for h in headers):
        return normalize_headers((h["name"], h.get("value", "")) for h in headers)
    if not isinstance(headers, Mapping):
        raise ExchangeFileError(f"{part}.headers must be a mapping", [part, "headers"])
    return normalize_headers(headers)


def _request(request: Any) -> Request | None:
    if request is None:
        return None
    if not isinstance(request, Mapping) or not isinstance(request.get("url"), str):
        raise ExchangeFileError("request needs a url", ["request"])
    method = request.get("method", "GET")
    if not isinstance(method, str):
        raise ExchangeFileError("request.method must be a string", ["request"])
    body = request.get("body")
    if body is not None and not isinstance(body, str):
        body = json.dumps(body, ensure_ascii=False)  # a structured request body, as JSON
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else None
    return Request(method.upper(), request["url"], _headers(request.get("headers"), "request"),
                   raw)


def _decode_body(decoded: Response, response: Mapping[str, Any], key: str | None,
                 raw_json: bool, from_json: bool) -> None:
    if key is None:
        decoded.body = b""
    elif key == "body":
        if not from_json:
            require_json_values(response["body"], ["response", "body"])
        decoded.parsed = response["body"]
        if raw_json:
            decoded.body = json.dumps(response["body"], ensure_ascii=False).encode("utf-8")
    elif key == "body_text":
        text = response["body_text"]
        if not isinstance(text, str):
            raise ExchangeFileError("response.body_text must be a string",
                                    ["response", "body_text"])
        # a TextResponse (see decode): its bytes are made from the text when read
    else:
        data = response["body_base64"]
        try:
            if not isinstance(data, str):
                raise ValueError
            decoded.body = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise ExchangeFileError("response.body_base64 is not valid base64",
                                    ["response", "body_base64"]) from None


def require_json_values(body: Any, tokens: list[str]) -> None:
    """A YAML body may hold values JSON cannot (!!binary bytes); say where, once."""
    if _all_json(body):
        return
    stack: list[tuple[Any, list[str]]] = [(body, [])]
    while stack:
        value, inner = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, [*inner, str(k)]) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, [*inner, str(i)]) for i, v in enumerate(value))
        elif not _is_json_scalar(value):
            raise ExchangeFileError(f"response.body{make_pointer(list(inner))} holds a "
                                    f"{type(value).__name__} value, which JSON cannot carry "
                                    "(use body_base64 for binary bodies)", [*tokens, *inner])


def _all_json(body: Any) -> bool:
    stack = [body]  # the common case, kept cheap: no paths built unless something is wrong
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                return False
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif not _is_json_scalar(value):
            return False
    return True


def _is_json_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float)


def encode_body(data: bytes | None, parsed: Any = NOT_PARSED) -> dict[str, Any]:
    """The body member that keeps the body exactly: parsed JSON, else text, else base64."""
    if parsed is not NOT_PARSED:
        return {"body": parsed}
    if not data:
        return {}
    try:
        return {"body_text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(data).decode("ascii")}


def assemble(request: Mapping[str, Any] | None, response: Mapping[str, Any],
             endpoint: str | None = None, trailer: Mapping[str, Any] | None = None,
             **extra: Any) -> dict[str, Any]:
    """An exchange-file mapping from its parts, in the canonical member order.

    `extra` members come before the request, `trailer` members after the response (the
    reader ignores both). Two body members are refused, as `decode` would refuse them.
    """
    out: dict[str, Any] = {}
    if endpoint:
        out["endpoint"] = endpoint
    out.update(extra)
    if request is not None:
        out["request"] = {k: request[k] for k in ("method", "url", "headers", "body")
                          if request.get(k) is not None}
    out["response"] = {"status": response["status"]}
    out["response"].update({k: response[k] for k in ("headers", *BODY_KEYS) if k in response})
    body_key(out["response"])
    out.update(trailer or {})
    return out


def encode(exchange: Exchange, **extra: Any) -> dict[str, Any]:
    """An Exchange as an exchange-file mapping; `decode(encode(x))` gives x back."""
    request = None
    if exchange.request is not None:
        sent = exchange.request
        request = {"method": sent.method, "url": sent.url,
                   "headers": dict(sent.headers) if sent.headers is not None else None,
                   "body": sent.body.decode("utf-8", "surrogatepass")
                   if sent.body is not None else None}
    got = exchange.response
    response: dict[str, Any] = {"status": got.status}
    if got.headers is not None:
        response["headers"] = dict(got.headers)
    response.update(encode_body(got.body, got.parsed))
    return assemble(request, response, exchange.endpoint, **extra)


__all__ = ["BODY_KEYS", "ExchangeFileError", "assemble", "body_key", "decode", "encode",
           "encode_body", "require_json_values"]
