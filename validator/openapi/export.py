"""A contract as an OpenAPI 3.1 document.

Every schema file the contract uses becomes `components/schemas/KEY` (KEY: its path under
the schema folder without `.schema.json`, `/` turned into `.`); its `$defs` become
`KEY.NAME` beside it, and every `$ref` is rewritten to point into `components`. Rules go
into the operation as `x-respcontract-rules` and into its description, in words. The
document carries `x-respcontract: {contract: NAME}`, which tells a later import that its
schemas already follow respcontract's policy (imported as written).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urldefrag, urljoin

from validator.load.schemas import SchemaStore
from validator.model.contract import (
    Contract,
    Endpoint,
    HeaderSpec,
    MediaSpec,
    Parameter,
    ResponseSpec,
)
from validator.model.pointer import escape_token, pointer_tokens
from validator.openapi.policy import EXPORT_MARK

_DEF_PLACES = ("$defs", "x-open-defs")
_DROPPED = ("$schema", "$id", *_DEF_PLACES)


class _Components:
    """Schema documents of one store, hoisted into `components/schemas`."""

    def __init__(self, store: SchemaStore) -> None:
        self.store = store
        self.schemas: dict[str, Any] = {}
        self._done: set[str] = set()

    def key_of(self, doc_uri: str) -> str:
        """The components key of a schema document (its path, `/` as `.`)."""
        relative = self.store.relative(doc_uri)
        return _safe(re.sub(r"\.schema\.json$|\.json$", "", relative).replace("/", "."))

    def ref_for(self, uri: str) -> str:
        """`#/components/schemas/...` for an absolute schema URI; loads its document."""
        doc_uri, fragment = urldefrag(uri)
        self.add(doc_uri)
        key = self.key_of(doc_uri)
        tokens = pointer_tokens(fragment)
        if len(tokens) >= 2 and tokens[0] in _DEF_PLACES:
            place = "" if tokens[0] == "$defs" else "open."
            key = f"{key}.{place}{_safe(tokens[1])}"
            tokens = tokens[2:]
        rest = "".join(f"/{escape_token(t)}" for t in tokens)
        return f"#/components/schemas/{escape_token(key)}{rest}"

    def add(self, doc_uri: str) -> None:
        """Hoist a schema document and its definitions into components."""
        if doc_uri in self._done:
            return
        self._done.add(doc_uri)
        if doc_uri not in self.store.documents:
            self.store.load(self.store.relative(doc_uri), "export")
        document = self.store.documents[doc_uri]
        key = self.key_of(doc_uri)
        self.schemas[key] = self._rewrite(document, doc_uri, top=True)
        if isinstance(document, dict):
            for place in _DEF_PLACES:
                prefix = "" if place == "$defs" else "open."
                for name, sub in (document.get(place) or {}).items():
                    self.schemas[f"{key}.{prefix}{_safe(name)}"] = self._rewrite(sub, doc_uri)

    def _rewrite(self, node: Any, doc_uri: str, top: bool = False) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if top and key in _DROPPED:
                    continue
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    out["$ref"] = self.ref_for(urljoin(doc_uri, value))
                elif key in ("const", "enum", "examples", "default", "x-documented"):
                    out[key] = value
                else:
                    out[key] = self._rewrite(value, doc_uri)
            return out
        if isinstance(node, list):
            return [self._rewrite(v, doc_uri) for v in node]
        return node


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)


def export_contract(contract: Contract) -> dict[str, Any]:
    """The OpenAPI 3.1 document of one contract."""
    components = _Components(contract.store)
    extensions = contract.annotations
    info: dict[str, Any] = {"title": contract.title or contract.name,
                            "version": str((extensions.get("x-openapi") or {}).get("version")
                                           or "0")}
    if contract.description:
        info["description"] = contract.description
    document: dict[str, Any] = {"openapi": "3.1.0", "info": info}
    if contract.docs:
        document["externalDocs"] = {"url": contract.docs}
    if contract.servers:
        document["servers"] = [{"url": url, "description": name} for name, url in
                               contract.servers.items()]
    document[EXPORT_MARK] = {"contract": contract.name}
    if extensions.get("x-choices"):
        document["x-respcontract-choices"] = extensions["x-choices"]
    paths: dict[str, Any] = {}
    for endpoint in contract.endpoints.values():
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(
            endpoint, components)
    document["paths"] = paths
    document["components"] = {"schemas": dict(sorted(components.schemas.items()))}
    return document


def _operation(endpoint: Endpoint, components: _Components) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": endpoint.name}
    if endpoint.summary:
        operation["summary"] = endpoint.summary
    if endpoint.rules:
        lines = [f"- `{r.id}`: {r.description or r.message or r.id}" for r in endpoint.rules]
        operation["description"] = "Rules checked by respcontract:\n" + "\n".join(lines)
        operation["x-respcontract-rules"] = [r.as_written for r in endpoint.rules]
    if endpoint.docs:
        operation["externalDocs"] = {"url": endpoint.docs}
    parameters = []
    for param in re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", endpoint.path):
        declared = endpoint.params.get(param) or Parameter(param)
        parameters.append(_parameter(declared, "path", True))
    for query in endpoint.query.values():
        parameters.append(_parameter(query, "query", query.required))
    if parameters:
        operation["parameters"] = parameters
    operation["responses"] = {
        response.status: _response(response, endpoint.lists_content(response.status),
                                   endpoint.contract, components)
        for response in endpoint.responses}
    _attach_examples(operation["responses"], endpoint)
    return operation


def _attach_examples(responses: dict[str, Any], endpoint: Endpoint) -> None:
    """The contract's example exchanges as `examples` of the response they document."""
    from validator.formats.json import loads_bytes_strict
    from validator.model.exchange import NOT_PARSED
    from validator.sources import read

    for path in endpoint.examples:
        for index, exchange in enumerate(read(path, endpoint.full_name).exchanges):
            spec = endpoint.response_for(exchange.response.status)
            target = responses.get(spec.status) if spec is not None else None
            content = (target or {}).get("content") or {}
            if not content:
                continue
            body = exchange.response.parsed
            if body is NOT_PARSED:
                body, problem = loads_bytes_strict(exchange.response.body or b"")
                if problem is not None:
                    continue
            media = next(iter(content.values()))
            name = _safe(path.stem if index == 0 else f"{path.stem}-{index}")
            media.setdefault("examples", {})[name] = {"value": body}


def _parameter(spec: Parameter, place: str, required: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if spec.pattern:
        schema["pattern"] = spec.pattern
    if spec.enum:
        schema["enum"] = list(spec.enum)
    out: dict[str, Any] = {"name": spec.name, "in": place, "required": required,
                           "schema": schema}
    if spec.description:
        out["description"] = spec.description
    if spec.example is not None:
        out["example"] = spec.example
    return out


def _response(spec: ResponseSpec, listed: bool, contract: Contract, components: _Components
              ) -> dict[str, Any]:
    """`listed`: the contract lists the media types under `content:` (else the shorthand)."""
    out: dict[str, Any] = {"description": spec.description or "response"}
    media = spec.media if listed else _shorthand_media(spec)
    if listed or media:
        out["content"] = {entry.media_type: _media_object(entry, contract, components)
                          for entry in media}
    if spec.headers:  # a bodiless response too: a 201's Location, say
        out["headers"] = {h.name: _header_object(h) for h in spec.headers}
    return out


def _shorthand_media(spec: ResponseSpec) -> tuple[MediaSpec, ...]:
    """The one media type a shorthand response has (none: bodiless, or nothing said)."""
    if spec.body == "empty" or (not spec.schema and spec.body != "json"
                                and not spec.content_type):
        return ()
    return (MediaSpec(spec.content_type or "application/json", spec.schema, spec.body),)


def _media_object(entry: MediaSpec, contract: Contract, components: _Components
                  ) -> dict[str, Any]:
    if entry.schema:
        uri = contract.store.uri_for(entry.schema)
        return {"schema": {"$ref": components.ref_for(uri)}}
    return {"schema": {}} if entry.body == "json" else {}


def _header_object(header: HeaderSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"required": header.required, "schema": header.schema or {}}
    if header.description:
        out["description"] = header.description
    return out
