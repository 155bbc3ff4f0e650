"""Cassettes: VCR.py (YAML or JSON, every layout vcrpy still replays), Betamax, Ruby VCR.

- vcrpy: `{version: 1, interactions: [{request: {method, uri, body, headers},
  response: {status: {code, message}, headers, body: {string}}}]}`; the old httpx stub
  wrote `response: {status_code, headers, content}` (vcr/stubs/httpx_stubs.py replays it).
- Betamax (betamax/util.py) and Ruby VCR: `{http_interactions: [...], recorded_with}` with
  `body: {encoding, string | base64_string}`; Ruby writes methods in lower case.
"""

from __future__ import annotations

import base64
import binascii
import codecs
from typing import Any

from validator.errors import RespcontractError
from validator.formats.json import short_repr
from validator.model.exchange import Exchange, Request, Response, normalize_headers
from validator.sources import codings
from validator.sources.document import Document, Loaded, url_problem
from validator.sources.locate import text_body_in_json, text_body_in_yaml

SUPPORTED_VERSIONS = (1,)
_LISTS = ("interactions", "http_interactions")


OLD_VCRPY_HINT = ("a vcrpy cassette from before vcrpy 1.0, which vcrpy no longer reads "
                  "either: record it again, or migrate it with `python -m vcr.migration`")


def is_old_vcrpy(value: Any) -> bool:
    """Whether a document is a cassette of vcrpy before 1.0: a list of request-response
    pairs (vcrpy's own check, `vcr/serialize.py`)."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) \
        and "request" in value[0] and "response" in value[0]


def recognise(value: Any) -> bool:
    """Whether a document looks like a VCR.py (or pytest-recording) cassette."""
    return isinstance(value, dict) and any(key in value for key in _LISTS)


def read(document: Document, loaded: Loaded, endpoint: str | None) -> None:
    """Read a cassette's interactions into `loaded`."""
    value = document.value
    key = "interactions" if "interactions" in value else "http_interactions"
    version = value.get("version", 1)
    if key == "interactions" and version not in SUPPORTED_VERSIONS:
        loaded.problem(f"unsupported cassette version {short_repr(version)} (this reads "
                       "version 1)", line=_line(document, ["version"]))
        return
    interactions = value[key]
    if interactions is None:
        interactions = []  # Ruby VCR writes `http_interactions: []`, YAML may leave it empty
    if not isinstance(interactions, list):
        loaded.problem(f"{key} must be a list", line=_line(document, [key]))
        return
    if not interactions:
        loaded.warn("the cassette has no interactions: nothing to check",
                    line=_line(document, [key]), rule="source-empty")
    for index, interaction in enumerate(interactions):
        base = [key, str(index)]
        try:
            exchange = _exchange(document, interaction, index, base, endpoint, loaded)
        except _Bad as exc:
            loaded.problem(f"interaction {index}: {exc.args[0]}", index,
                           _line(document, base), rule=exc.args[1])
            continue
        loaded.exchanges.append(exchange)


class _Bad(RespcontractError):
    pass


def _line(document: Document, tokens: list[str]) -> int | None:
    found = document.position(tokens)
    return found[0] if found else None


def _headers(headers: Any) -> dict[str, str]:
    """Headers as cassettes write them: a mapping of values or lists, or [name, value] pairs."""
    if isinstance(headers, dict):
        return normalize_headers(headers) or {}
    if isinstance(headers, list):
        pairs = [(str(h[0]), h[1]) for h in headers
                 if isinstance(h, list | tuple) and len(h) == 2]
        return normalize_headers(pairs) or {}
    return {}


def _status(response: dict[str, Any]) -> int:
    status = response.get("status", response.get("status_code"))
    # R's vcr (before 1.0) wrote `status: {status_code: '200', message, explanation}`
    code = status.get("code", status.get("status_code")) if isinstance(status, dict) \
        else status
    if isinstance(code, str) and code.strip().isdigit():
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int):
        raise _Bad(f"response.status.code must be a number, found {short_repr(code)}",
                   "source")
    return code


def _text_encoding(body: dict[str, Any]) -> str:
    """The codec of a Betamax / Ruby VCR `string` (ASCII-8BIT is Ruby's name for bytes)."""
    name = body.get("encoding")
    if not isinstance(name, str) or not name:
        return "utf-8"
    if name.upper() in ("ASCII-8BIT", "BINARY"):
        return "latin-1"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _body(holder: dict[str, Any], field: str, base: list[str]
          ) -> tuple[bytes | None, str | None, list[str]]:
    """(bytes, the text as stored or None, where it is) of a request or response body."""
    body = holder.get(field)
    tokens = [*base, field]
    encoding = "utf-8"
    if isinstance(body, dict):
        encoding = _text_encoding(body)
        if isinstance(body.get("base64_string"), str):
            try:
                data = base64.b64decode("".join(body["base64_string"].split()), validate=True)
            except (binascii.Error, ValueError):
                raise _Bad(f"{field}.base64_string is not valid base64", "body-encoding") \
                    from None
            return data, None, [*tokens, "base64_string"]
        body, tokens = body.get("string"), [*tokens, "string"]
    if body is None:
        return None, None, tokens
    if isinstance(body, bytes):
        return body, None, tokens
    if isinstance(body, str):
        errors = "surrogatepass" if encoding == "utf-8" else "replace"
        return body.encode(encoding, errors), body, tokens
    raise _Bad(f"{field}.string must be text or binary", "source")


def _exchange(document: Document, interaction: Any, index: int, base: list[str],
              endpoint: str | None, loaded: Loaded) -> Exchange:
    if not isinstance(interaction, dict):
        raise _Bad("expected a mapping", "source")
    request, response = interaction.get("request"), interaction.get("response")
    if not isinstance(request, dict):
        raise _Bad("has no request (or no request.uri)", "source")
    uri = request.get("uri", request.get("url"))
    if not isinstance(uri, str):
        raise _Bad("has no request (or no request.uri)", "source")
    bad_url = url_problem(uri)
    if bad_url:
        raise _Bad(bad_url, "source")
    if not isinstance(response, dict):
        raise _Bad("has no response", "source")
    status = _status(response)
    headers = _headers(response.get("headers"))
    field = "content" if "status_code" in response and "body" not in response else "body"
    data, text, tokens = _body(response, field, [*base, "response"])
    data = _undo_codings(data or b"", text, headers, loaded, index, document, tokens)
    try:
        request_body, _, _ = _body(request, "body", [])
    except _Bad:
        request_body = None  # a request body in a form this cannot read is not checked
    exchange = Exchange(
        response=Response(status, headers, data),
        request=Request(str(request.get("method", "GET")).upper(), uri,
                        _headers(request.get("headers")), request_body),
        source=document.path,
        index=index,
        endpoint=endpoint,
        find_exchange=lambda: document.position([*base, "response", "status"]),
    )
    if text is not None and text.encode("utf-8", "surrogatepass") == data:
        located = (text_body_in_yaml(document.yaml_root, tokens, text,
                                     document.full_text() or "")
                   if document.is_yaml else text_body_in_json(document.position, tokens, text))
        exchange.locate_body = located.pointer
        exchange.locate_offset = located.offset
    else:
        exchange.locate_body = lambda _tokens: document.position(tokens)
    return exchange


def _undo_codings(data: bytes, text: str | None, headers: dict[str, str], loaded: Loaded,
                  index: int, document: Document, tokens: list[str]) -> bytes:
    encoding = headers.get("content-encoding", "")
    if not encoding or not data:
        return data
    stored = data
    if text is not None:  # JSON cassettes carry compressed bytes as latin-1 text
        try:
            stored = text.encode("latin-1")
        except UnicodeEncodeError:
            stored = data
    try:
        return codings.decode(stored, encoding)
    except codings.AlreadyDecoded:
        pass
    except codings.CodingError as exc:
        if not (text is not None and codings.looks_decoded(data)):
            raise _Bad(exc.args[0], exc.args[1]) from None
    loaded.warn(f"interaction {index}: Content-Encoding {short_repr(encoding)} but the body "
                "is stored already decoded; read as it is", index, _line(document, tokens),
                rule="body-encoding")
    return data
