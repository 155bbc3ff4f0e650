"""Routing and request checks of the mock: which endpoint, and what the request breaks.

Routing is `check`'s (`ContractSet.match`); a request whose path fits a template but
breaks a parameter pattern is routed to that endpoint with the problem, so it gets the
endpoint's documented 400 rather than a 404. Problems read like `check`'s findings.
"""

from __future__ import annotations

from typing import Any

from validator.load.contracts import ContractSet
from validator.model.contract import Endpoint
from validator.model.exchange import Request


def route(contracts: ContractSet, method: str, path: str
          ) -> tuple[Endpoint, dict[str, str], str | None] | None:
    """(endpoint, path parameters, problem): as `check` matches; else a route whose
    template fits but whose parameters break their patterns (problem says which)."""
    matched = contracts.match(method, path)
    if matched is not None:
        return matched[0], matched[1], None
    candidates = sorted((e for e in contracts.endpoints() if e.method == method.upper()),
                        key=lambda e: -e.literal_segments)
    for endpoint in candidates:
        found = endpoint.route.fullmatch(path.rstrip("/") or "/")
        if found is None:
            continue
        values = found.groupdict()
        for name, value in values.items():
            spec = endpoint.params.get(name)
            problem = spec.problem(value) if spec else None
            if problem:
                return endpoint, values, f"request path {problem}"
    return None


def missing_auth(endpoint: Endpoint, request: Request) -> str | None:
    """Why the request's credentials do not satisfy the contract's `auth`, or None."""
    auth = endpoint.contract.auth
    if not auth.declared:
        return None
    header = auth.header
    value = (request.headers or {}).get(header.lower())
    if not value:
        return f"request header {header!r} is required but absent"
    scheme = auth.scheme
    if scheme and not value.startswith(f"{scheme} "):
        return f"request header {header!r} does not use the {scheme} scheme"
    return None


def query_problem(endpoint: Endpoint, request: Request) -> str | None:
    """The first query parameter that breaks its contract entry, or None."""
    query = request.query
    for name, param in endpoint.query.items():
        if name in query:
            problem = param.problem(query[name])
            if problem:
                return f"request query {problem}"
        elif param.required:
            return f"request query parameter {name!r} is required but absent"
    return None


def success_status(endpoint: Endpoint) -> int:
    """The endpoint's documented success status (200 when only a range is given)."""
    for spec in endpoint.responses:
        if spec.status.startswith("2"):
            return int(spec.status) if spec.status.isdigit() else 200
    return 200


def get_at(body: Any, path: list[str]) -> Any:
    """The value at a path of member names, or None."""
    for token in path:
        if not isinstance(body, dict):
            return None
        body = body.get(token)
    return body


def put_at(body: Any, path: list[str], value: Any) -> Any:
    """The body with `value` placed at a path of member names."""
    if not path:
        return value
    if not isinstance(body, dict):
        body = {}
    parent = body
    for token in path[:-1]:
        if not isinstance(parent.get(token), dict):
            parent[token] = {}
        parent = parent[token]
    parent[path[-1]] = value
    return body


__all__ = ["get_at", "missing_auth", "put_at", "query_problem", "route", "success_status"]
