"""Build exchanges from objects users already have: httpx / requests responses, dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from validator.formats import exchange_file
from validator.model.exchange import NOT_PARSED, Exchange, Request, Response, normalize_headers


def from_httpx(response: Any, source: str = "<httpx>", endpoint: str | None = None) -> Exchange:
    """An httpx.Response (with its request) as an exchange; the body is the raw bytes."""
    request = getattr(response, "_request", None)
    req = None
    if request is not None:
        req = Request(request.method, str(request.url),
                      normalize_headers(list(request.headers.multi_items())),
                      None)
    return Exchange(
        response=Response(response.status_code, normalize_headers(
            list(response.headers.multi_items())), response.content),
        request=req, source=source, endpoint=endpoint)


def from_requests(response: Any, source: str = "<requests>",
                  endpoint: str | None = None) -> Exchange:
    """A requests.Response (with its prepared request) as an exchange."""
    request = response.request
    req = None
    if request is not None:
        req = Request(request.method or "GET", request.url or "/",
                      normalize_headers(dict(request.headers)), None)
    return Exchange(
        response=Response(response.status_code, normalize_headers(dict(response.headers)),
                          response.content),
        request=req, source=source, endpoint=endpoint)


def from_dict(data: Mapping[str, Any], source: str = "<dict>",
              endpoint: str | None = None) -> Exchange:
    """Our exchange-file shape as a dict; a dict without `response` is a bare 200 body.

    Read by the one codec of the format, so every body form (body, body_text, body_base64)
    means what it means in a file; a malformed dict raises ExchangeFileError (a ValueError).
    """
    if "response" not in data:
        return Exchange(response=Response(200, None, None, dict(data)), source=source,
                        endpoint=endpoint)
    return exchange_file.decode(data, source, endpoint)


def to_exchange(obj: Any, endpoint: str | None = None) -> Exchange:
    """Whatever the user passed (Exchange, httpx/requests response, dict) as an Exchange."""
    if isinstance(obj, Exchange):
        if endpoint:
            obj.endpoint = endpoint
        return obj
    module = type(obj).__module__.split(".")[0]
    if module == "httpx":
        return from_httpx(obj, endpoint=endpoint)
    if module == "requests":
        return from_requests(obj, endpoint=endpoint)
    if isinstance(obj, Mapping):
        return from_dict(obj, endpoint=endpoint)
    raise TypeError(f"cannot check a {type(obj).__name__}: pass an httpx.Response, "
                    "requests.Response, Exchange or dict")


__all__ = ["NOT_PARSED", "from_dict", "from_httpx", "from_requests", "to_exchange"]
