"""The exchange-file codec: what `encode` writes, `decode` reads back as the same exchange."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.formats import exchange_file as codec
from validator.model.exchange import NOT_PARSED, Exchange, Request, Response
from validator.sources.clients import from_dict

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                    allow_infinity=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
HEADERS = st.none() | st.dictionaries(st.text("abcxyz-", min_size=1, max_size=8),
                                      st.text(max_size=10), max_size=3)


@st.composite
def exchanges(draw: st.DrawFn) -> Exchange:
    form = draw(st.sampled_from(["parsed", "text", "bytes", "empty"]))
    response = Response(draw(st.integers(100, 599)), draw(HEADERS), b"")
    if form == "parsed":
        response.parsed = draw(JSON)
        response.body = None
    elif form == "text":
        response.body = draw(st.text(min_size=1)).encode("utf-8")
    elif form == "bytes":
        response.body = draw(st.binary(min_size=1))
    request = None
    if draw(st.booleans()):
        body = draw(st.none() | st.text())
        request = Request(draw(st.sampled_from(["GET", "POST", "DELETE"])),
                          "https://api.example/" + draw(st.text("abc/?=&", max_size=12)),
                          draw(HEADERS), body.encode() if body is not None else None)
    endpoint = draw(st.none() | st.just("api:get"))
    return Exchange(response=response, request=request, endpoint=endpoint)


def _same(exchange: Exchange) -> tuple[Any, ...]:
    response, request = exchange.response, exchange.request
    body = response.body or b"" if response.parsed is NOT_PARSED else ("parsed", response.parsed)
    return (response.status, response.headers, body, exchange.endpoint,
            None if request is None else (request.method, request.url, request.headers,
                                          request.body))


@given(exchanges())
def test_decode_of_encode_is_the_same_exchange_for_every_body_form(exchange: Exchange) -> None:
    document = codec.encode(exchange)
    again = codec.decode(json.loads(json.dumps(document)))  # through real JSON text
    assert _same(again) == _same(exchange)


@given(exchanges())
def test_from_dict_reads_what_the_codec_writes(exchange: Exchange) -> None:
    assert _same(from_dict(codec.encode(exchange))) == _same(exchange)


def test_body_base64_is_kept_by_from_dict() -> None:
    exchange = from_dict({"response": {"status": 200, "body_base64": "AAE="}})
    assert exchange.response.body == b"\x00\x01"


@pytest.mark.parametrize(("document", "problem"), [
    ({"response": {"status": 200, "body": {}, "body_text": ""}}, "both body and body_text"),
    ({"response": {"status": 99}}, "status from 100 to 599"),
    ({"response": {"status": 200, "body_base64": "!!"}}, "not valid base64"),
    ({"response": {"status": 200, "body": {"a": b"x"}}}, "JSON cannot carry"),
    ({"request": {"method": "GET"}, "response": {"status": 200}}, "request needs a url"),
])
def test_bad_documents_say_what_is_wrong(document: dict[str, Any], problem: str) -> None:
    with pytest.raises(codec.ExchangeFileError, match=problem):
        codec.decode(document)
