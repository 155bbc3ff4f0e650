"""VCR.py and pytest-recording cassettes (YAML or JSON), compressed bodies included."""

from __future__ import annotations

import zlib
from typing import Any

from validator.formats.json import short_repr
from validator.model.exchange import Exchange, Request, Response, normalize_headers
from validator.sources.document import Document, Loaded, url_problem
from validator.sources.files import DEFAULT_MAX_BYTES
from validator.sources.locate import text_body_in_json, text_body_in_yaml

SUPPORTED_VERSIONS = (1,)


def recognise(value: Any) -> bool:
    return isinstance(value, dict) and "interactions" in value


def read(document: Document, loaded: Loaded, endpoint: str | None) -> None:
    value = document.value
    version = value.get("version", 1)
    if version not in SUPPORTED_VERSIONS:
        loaded.problem(f"unsupported cassette version {short_repr(version)} (this reads "
                       "version 1)",
                       line=_line(document, ["version"]))
        return
    interactions = value["interactions"]
    if not isinstance(interactions, list):
        loaded.problem("interactions must be a list", line=_line(document, ["interactions"]))
        return
    for index, interaction in enumerate(interactions):
        base = ["interactions", str(index)]
        try:
            exchange = _exchange(document, interaction, index, base, endpoint)
        except _Bad as exc:
            loaded.problem(f"interaction {index}: {exc.args[0]}", index,
                           _line(document, base), rule=exc.args[1])
            continue
        loaded.exchanges.append(exchange)


class _Bad(Exception):
    pass


def _line(document: Document, tokens: list[str]) -> int | None:
    found = document.position(tokens)
    return found[0] if found else None


def _mapping(headers: Any) -> dict[str, Any]:
    """Headers as VCR writes them (a mapping); anything else counts as none."""
    return headers if isinstance(headers, dict) else {}


def _status(response: dict[str, Any]) -> int:
    status = response.get("status")
    code = status.get("code") if isinstance(status, dict) else status
    if isinstance(code, bool) or not isinstance(code, int):
        raise _Bad(f"response.status.code must be a number, found {short_repr(code)}",
                   "source")
    return code


def _body_value(body: Any) -> str | bytes | None:
    if isinstance(body, dict):
        body = body.get("string")
    if body is None or isinstance(body, str | bytes):
        return body
    raise _Bad("response.body.string must be text or binary", "source")


def _decompress(data: bytes, encoding: str) -> bytes:
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        try:
            if coding in ("gzip", "x-gzip"):
                data = _inflate(data, _GZIP)
            elif coding == "deflate":
                try:
                    data = _inflate(data, zlib.MAX_WBITS)
                except zlib.error:
                    data = _inflate(data, -zlib.MAX_WBITS)
            elif coding != "identity":
                raise _Bad(f"content-encoding {short_repr(coding)} is not supported",
                           "body-encoding")
        except (OSError, EOFError, zlib.error):
            raise _Bad(f"response body is not valid {coding} data (corrupt or truncated)",
                       "body-encoding") from None
    return data


_GZIP = 16 + zlib.MAX_WBITS
MAX_INFLATED = DEFAULT_MAX_BYTES  # a few KB of gzip can inflate to gigabytes


def _inflate(data: bytes, wbits: int) -> bytes:
    """Decompress gzip (every member) or deflate data, refusing more than MAX_INFLATED.

    Inflated in steps, so a bomb is stopped after MAX_INFLATED bytes, not after all of it.
    """
    out: list[bytes] = []
    total = 0
    while data:
        stream = zlib.decompressobj(wbits)
        pending = data
        while pending and not stream.eof:
            chunk = stream.decompress(pending, _STEP)
            pending = stream.unconsumed_tail
            total += len(chunk)
            if total > MAX_INFLATED:
                raise _Bad(f"response body inflates to more than {MAX_INFLATED // 2**20} MiB "
                           "(a compression bomb?); refused", "body-encoding")
            out.append(chunk)
        if not stream.eof:
            raise EOFError
        data = stream.unused_data if wbits == _GZIP else b""
    return b"".join(out)


_STEP = 16 * 2**20


def _exchange(document: Document, interaction: Any, index: int, base: list[str],
              endpoint: str | None) -> Exchange:
    if not isinstance(interaction, dict):
        raise _Bad("expected a mapping", "source")
    request, response = interaction.get("request"), interaction.get("response")
    if not isinstance(request, dict) or not isinstance(request.get("uri"), str):
        raise _Bad("has no request (or no request.uri)", "source")
    bad_url = url_problem(request["uri"])
    if bad_url:
        raise _Bad(bad_url, "source")
    if not isinstance(response, dict):
        raise _Bad("has no response", "source")
    status = _status(response)
    headers = normalize_headers(_mapping(response.get("headers"))) or {}
    value = _body_value(response.get("body"))
    data = value.encode("utf-8", errors="surrogatepass") if isinstance(value, str) \
        else (value or b"")
    encoding = headers.get("content-encoding", "")
    if encoding and data:
        if isinstance(value, str):
            data = value.encode("latin-1", errors="replace")
        data = _decompress(data, encoding)
    request_body = _body_value(request.get("body"))
    exchange = Exchange(
        response=Response(status, headers, data),
        request=Request(str(request.get("method", "GET")).upper(), request["uri"],
                        normalize_headers(_mapping(request.get("headers"))),
                        request_body.encode() if isinstance(request_body, str) else request_body),
        source=document.path,
        index=index,
        endpoint=endpoint,
        find_exchange=lambda: document.position(base + ["response", "status"]),
    )
    tokens = base + ["response", "body", "string"]
    if isinstance(value, str) and not encoding:
        located = (text_body_in_yaml(document.yaml_root, tokens, value, document.text)
                   if document.is_yaml else text_body_in_json(document.position, tokens, value))
        exchange.locate_body = located.pointer
        exchange.locate_offset = located.offset
    else:
        exchange.locate_body = lambda _tokens: document.position(tokens)
    return exchange
