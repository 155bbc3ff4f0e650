"""One endpoint, ready to generate from: its response shapes, its rules, and the strategies
for bodies and whole exchanges of each kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from validator.generate.compiler import Compiler
from validator.generate.headers import response_headers
from validator.generate.mutate import Expected, Mutator
from validator.generate.repair import (
    Context,
    Draw,
    Repairer,
    Rulebook,
    copy_json,
    has_drift,
    inline_rules,
    inline_wrappers,
    undeclared,
    unique_keys,
    walk,
)
from validator.generate.requests import requests
from validator.generate.shapes import Choice, Node, Shape
from validator.generate.values import ANY_JSON, EXTRA_NAMES, Values
from validator.model.contract import Endpoint, ResponseSpec
from validator.model.exchange import NOT_PARSED as _NOT_PARSED
from validator.model.exchange import Exchange, Request, Response

MODE_OF = {"valid": "valid", "edge": "edge", "drift": "drift", "invalid": "rich"}
# concrete statuses tried for ranges (4XX) and `default`
STATUS_CODES = {
    "1": [100], "2": [200, 201, 202], "3": [301, 302, 304],
    "4": [400, 401, 403, 404, 409, 422, 429], "5": [500, 502, 503, 504],
}
GENERATED = "<generated>"


@dataclass(frozen=True)
class Example:
    """One generated response body, with the finding it must produce when it is invalid."""

    kind: str
    status: int
    body: Any
    expected: Expected | None = None

    @property
    def expected_rule(self) -> str | None:
        return self.expected.rule if self.expected else None

    @property
    def expected_pointer(self) -> str | None:
        return self.expected.pointer if self.expected else None


@dataclass
class ResponseModel:
    """A documented response compiled for generation: its codes and body shape."""

    spec: ResponseSpec
    codes: list[int]
    node: Node | None  # None: no schema (empty body, or any body)
    base_valid: Callable[[Any], bool] | None
    can_drift: bool


class EndpointModel:
    """An endpoint compiled for generation: its responses, rules and requests."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.compiler = Compiler(endpoint.contract.store)
        self.book = Rulebook(endpoint, self.compiler)
        self.responses = [self._response(spec) for spec in endpoint.responses]
        self.responses = [r for r in self.responses if r.codes]
        self._values: dict[tuple[str, str], Values] = {}

    def values(self, mode: str, response: ResponseModel) -> Values:
        """The strategies of one mode for one response, its static rules built in."""
        key = (mode, response.spec.status)
        if key not in self._values:
            wrappers: dict[int, Any] = {}
            keys: dict[int, list[list[str]]] = {}
            if response.node is not None:
                rules = inline_rules(self.book, response.codes)
                wrappers = inline_wrappers(rules, response.node, self.compiler.merger.merge)
                keys = unique_keys(self.book, response.node, response.codes)
            self._values[key] = Values(mode, wrappers=wrappers, unique_keys=keys)
        return self._values[key]

    def _response(self, spec: ResponseSpec) -> ResponseModel:
        node = self.compiler.response(spec.schema) if spec.schema else None
        base_valid = None
        if spec.schema:
            base_valid = self.compiler.predicate(
                {"$ref": self.compiler.store.uri_for(spec.schema)}, self.compiler.store.base_uri)
        return ResponseModel(spec, self._codes(spec), node, base_valid,
                             node is not None and _can_drift(node))

    def _codes(self, spec: ResponseSpec) -> list[int]:
        if spec.status.isdigit():
            return [int(spec.status)]
        pool = STATUS_CODES.get(spec.status[0], []) if spec.status.endswith("XX") \
            else [c for codes in STATUS_CODES.values() for c in codes]
        return [c for c in pool if self.endpoint.response_for(c) is spec]

    # ------------------------------------------------------------ choosing responses

    def body_response(self, status: str | int | None) -> ResponseModel:
        """The response a bodies-only strategy generates: 2XX with a schema by default."""
        with_schema = [r for r in self.responses if r.node is not None]
        if status is None:
            chosen = next((r for r in with_schema if r.spec.status.startswith("2")), None)
            chosen = chosen or (with_schema[0] if with_schema else None)
        else:
            chosen = next((r for r in with_schema if r.spec.status == str(status)), None)
            if chosen is None and str(status).isdigit():
                spec = self.endpoint.response_for(int(status))
                chosen = next((r for r in with_schema if r.spec is spec), None)
        if chosen is None:
            known = ", ".join(r.spec.status for r in with_schema) or "none"
            wanted = "a JSON body" if status is None else f"status {status} with a JSON body"
            from validator.generate.shapes import GenerationError

            raise GenerationError(f"{self.endpoint.full_name} documents no {wanted} "
                                  f"(statuses with a schema: {known})")
        return chosen

    def exchange_responses(self, kind: str, status: str | int | None) -> list[ResponseModel]:
        chosen = self.responses
        if status is not None:
            wanted = str(status)
            chosen = [r for r in chosen if r.spec.status == wanted
                      or (wanted.isdigit() and int(wanted) in r.codes)]
        if kind == "drift" and any(r.can_drift for r in chosen):
            chosen = [r for r in chosen if r.can_drift]
        if kind == "invalid":
            chosen = [r for r in chosen if self._transport_breaks(r) or r.node is not None]
        if not chosen:
            from validator.generate.shapes import GenerationError

            raise GenerationError(f"{self.endpoint.full_name}: no documented response fits "
                                  f"status {status} for {kind} examples")
        return chosen

    # ------------------------------------------------------------ bodies

    def body(self, response: ResponseModel, kind: str, ctx: Context, draw: Draw
             ) -> tuple[Any, Expected | None]:
        values = self.values(MODE_OF[kind], response)
        node = response.node
        assert node is not None
        body = copy_json(draw(values.of(node)))
        body = Repairer(self.book, self.compiler, values, node, ctx, draw).run(body)
        if kind == "drift" and response.can_drift and not has_drift(node, body):
            body = add_undeclared_member(node, body, draw)
        if kind != "invalid" and response.base_valid is not None and \
                not response.base_valid(body):
            reject()  # valid means valid under the schema as written, whatever was missed
        if kind == "invalid":
            assert response.base_valid is not None
            mutator = Mutator(self.book, self.compiler, values,
                              self.values("drift", response), node, response.base_valid,
                              ctx, draw)
            return mutator.mutate(body)
        return body, None

    def examples(self, kind: str, status: str | int | None) -> st.SearchStrategy[Example]:
        response = self.body_response(status)

        @st.composite
        def draw_example(draw: st.DrawFn) -> Example:
            code = draw(st.sampled_from(response.codes))
            body, expected = self.body(response, kind, Context(code), draw)
            return Example(kind, code, body, expected)

        return draw_example()

    # ------------------------------------------------------------ exchanges

    def exchanges(self, kind: str, status: str | int | None) -> st.SearchStrategy[Exchange]:
        responses = self.exchange_responses(kind, status)
        request_strategy = requests(self.endpoint, MODE_OF[kind])

        @st.composite
        def draw_exchange(draw: st.DrawFn) -> Exchange:
            response = draw(st.sampled_from(responses))
            code = draw(st.sampled_from(response.codes))
            request, params = draw(request_strategy)
            ctx = Context(code, request, params)
            breaks = self._transport_breaks(response) if kind == "invalid" else []
            # an invalid exchange breaks its body three times in four, else its framing
            in_body = response.node is not None and (not breaks or draw(st.integers(0, 3)) < 3)
            if response.node is not None:
                body, expected = self.body(response, kind if in_body else "valid", ctx, draw)
            else:
                body, expected = _NO_BODY, None
            exchange = self._exchange(request, response, code, body, draw)
            if breaks and not in_body:
                expected = draw(st.sampled_from(breaks))(exchange, draw)
            exchange.extras.update(kind=kind, expected=expected)
            return exchange

        return draw_exchange()

    def _exchange(self, request: Request, response: ResponseModel, code: int, body: Any,
                  draw: Draw) -> Exchange:
        spec = response.spec
        headers: dict[str, str] = {}
        raw = b""
        parsed: Any = _NOT_PARSED
        if spec.body != "empty":
            media = spec.content_type or "application/json"
            headers["content-type"] = draw(st.sampled_from([media, f"{media};charset=UTF-8"]))
            if body is _NO_BODY:
                raw = draw(st.text(max_size=20)).encode("utf-8")
            else:
                raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
                parsed = body
        headers.update(draw(response_headers(spec)))
        return Exchange(response=Response(code, headers, raw, parsed), request=request,
                        source=GENERATED, endpoint=self.endpoint.full_name)

    def _transport_breaks(self, response: ResponseModel
                          ) -> list[Callable[[Exchange, Draw], Expected]]:
        """Ways to break an exchange outside its body: status, Content-Type, framing."""
        spec = response.spec
        found: list[Callable[[Exchange, Draw], Expected]] = []
        if spec.body == "empty":
            found.append(_body_not_empty)
        elif spec.content_type:
            found.append(_wrong_content_type(spec.content_type))
        if response.node is not None:
            found.append(_not_json)
        if self._undocumented_status() is not None:
            found.append(self._wrong_status)
        return found

    def _undocumented_status(self) -> int | None:
        candidates = [*STATUS_CODES["2"], *STATUS_CODES["4"], *STATUS_CODES["5"], 418]
        return next((c for c in candidates if self.endpoint.response_for(c) is None), None)

    def _wrong_status(self, exchange: Exchange, draw: Draw) -> Expected:
        code = self._undocumented_status()
        assert code is not None
        exchange.response = Response(code, {}, b"")
        return Expected("status", "", f"status {code}, which the endpoint does not document")


_NO_BODY: Any = object()


def _body_not_empty(exchange: Exchange, draw: Draw) -> Expected:
    exchange.response.body = b"{}"
    return Expected("body-not-empty", "", "a body where the contract documents none")


def _wrong_content_type(media: str) -> Callable[[Exchange, Draw], Expected]:
    def apply(exchange: Exchange, draw: Draw) -> Expected:
        wrong = draw(st.sampled_from(["text/html", "text/plain"]))
        assert exchange.response.headers is not None
        exchange.response.headers["content-type"] = wrong
        return Expected("content-type", "", f"Content-Type {wrong} instead of {media}")
    return apply


def _not_json(exchange: Exchange, draw: Draw) -> Expected:
    text = exchange.response.body.decode("utf-8") if exchange.response.body else "{}"
    options = [text[: max(1, len(text) // 2)], "<html><body>502 Bad Gateway</body></html>"]
    exchange.response.body = draw(st.sampled_from(options)).encode("utf-8")
    exchange.response.parsed = _NOT_PARSED
    return Expected("body-json", "", "a body that is not JSON (cut short, or an HTML page)")


def add_undeclared_member(node: Node, body: Any, draw: Draw) -> Any:
    """Give one closed object an undeclared member, so a drift example always drifts."""
    closed = [site for site in walk(node, body)
              if site.node is not None and site.shape.closed and isinstance(site.value, dict)]
    if not closed:
        return body
    site = closed[draw(st.integers(0, len(closed) - 1))]
    name = draw(EXTRA_NAMES.filter(
        lambda n: n not in site.value and n not in site.shape.properties))
    site.value[name] = copy_json(draw(ANY_JSON))
    assert undeclared(site.shape, site.value)
    return body


def _can_drift(root: Node) -> bool:
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Choice):
            stack.extend(o.node for o in node.options)
            continue
        if node.closed or (node.drifts and node.documented):
            return True
        stack.extend(_children(node))
    return False


def _children(shape: Shape) -> list[Node]:
    found: list[Node] = list(shape.properties.values()) + list(shape.prefix_items)
    found += list(shape.pattern_properties.values())
    if shape.items is not None:
        found.append(shape.items)
    if shape.additional is not None and not isinstance(shape.additional, bool):
        found.append(shape.additional)
    return found


def as_dict(exchange: Exchange) -> dict[str, Any]:
    """An exchange in the exchange-file format (what `respcontract check` reads)."""
    from validator.formats.exchange_file import encode

    expected = exchange.extras.get("expected")
    extra: dict[str, Any] = {}
    if exchange.extras.get("kind"):
        extra["kind"] = exchange.extras["kind"]
    if expected is not None:
        extra["expected"] = expected.to_dict()
    return encode(exchange, **extra)

