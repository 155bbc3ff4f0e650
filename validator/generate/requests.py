"""Requests for generated exchanges: the endpoint's method, its path template filled in,
and query parameters (required ones always, optional ones sometimes), so that rules
conditioned on the request (`when`, `equals`) get exercised both ways.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from validator.generate.values import pattern_pair
from validator.model.contract import Endpoint, Parameter
from validator.model.exchange import Request

FALLBACK_SERVER = "https://api.example.com"
TOKENS = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-",
                 min_size=1, max_size=16)


def _pattern_values(pattern: str, mode: str) -> st.SearchStrategy[str]:
    general, edge = pattern_pair(pattern)
    return edge if mode == "edge" else st.one_of(general, edge)


def parameter_values(param: Parameter, mode: str, default: str | None = None
                     ) -> st.SearchStrategy[str]:
    """A strategy for a parameter's values: enum, pattern, default or example."""
    if param.enum:
        return st.sampled_from(param.enum)
    if param.pattern:
        return _pattern_values(param.pattern, mode)
    known = default or param.example
    return st.just(known) if known else TOKENS


def _path_values(endpoint: Endpoint, mode: str) -> dict[str, st.SearchStrategy[str]]:
    defaults = endpoint.contract.defaults
    names = re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", endpoint.path)
    values: dict[str, st.SearchStrategy[str]] = {}
    for name in names:
        param = endpoint.params.get(name, Parameter(name))
        known = defaults.get(name) or param.example
        if known is not None:
            values[name] = st.just(str(known))
        else:  # path segments must survive URL quoting unchanged to match the template
            values[name] = parameter_values(param, mode).filter(
                lambda v: v != "" and quote(v, safe="") == v)
    return values


def _mentioned(endpoint: Endpoint, part: str) -> list[str]:
    """Request names the rules look at (in `when` or `equals`) for one request part."""
    names: list[str] = []
    for rule in endpoint.rules:
        names += list((rule.when.get("request") or {}).get(part, {}))
        target = rule.equals
        if isinstance(target, str) and target.startswith(f"request.{part}."):
            names.append(target.split(".", 2)[2])
    return list(dict.fromkeys(names))


def requests(endpoint: Endpoint, mode: str) -> st.SearchStrategy[tuple[Request, dict[str, str]]]:
    """(request, path parameters) for one endpoint."""
    servers = endpoint.contract.servers
    base = str(next(iter(servers.values()), FALLBACK_SERVER)).rstrip("/")
    path_values = _path_values(endpoint, mode)
    query_params = dict(endpoint.query)
    for name in _mentioned(endpoint, "query"):
        query_params.setdefault(name, Parameter(name))
    required = {n: parameter_values(p, mode) for n, p in query_params.items() if p.required}
    optional = {n: parameter_values(p, mode) for n, p in query_params.items()
                if not p.required}
    headers = {n.lower(): TOKENS
               for n in _mentioned(endpoint, "headers")}

    def build(parts: tuple[dict[str, str], dict[str, str], dict[str, str]]
              ) -> tuple[Request, dict[str, str]]:
        params, query, header_values = parts
        path = endpoint.path
        for name, value in params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        ordered = {n: query[n] for n in query_params if n in query}
        url = base + path + (f"?{urlencode(ordered)}" if ordered else "")
        request_headers = {"accept": "application/json", **header_values}
        return Request(endpoint.method, url, request_headers), params

    return st.tuples(st.fixed_dictionaries(path_values),
                     st.fixed_dictionaries(required, optional=optional),
                     st.fixed_dictionaries({}, optional=headers)).map(build)
