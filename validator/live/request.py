"""The request a live run sends: URL, parameters, body and credentials, from the contract
endpoint and what the user gave. Nothing here touches the network.

Safety first: plain http only to loopback, and never credentials inside a URL.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from validator.errors import UsageError
from validator.model.contract import Contract, Endpoint


@dataclass(frozen=True)
class Call:
    """One request as the contract and the user describe it, credentials included."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None
    writes: bool = False
    auth_header: str = "Authorization"



def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_safe_url(url: str, what: str) -> None:
    """http(s) only, no credentials in the URL, plain http only to loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} {url!r} is not an http:// or https:// URL")
    if parts.username or parts.password:
        raise UsageError(f"{what} must not carry credentials; use --token-env or --token-file")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(f"{what} {url!r} uses plain http: the token would travel "
                         "unencrypted (plain http is allowed only to loopback)")


def resolve_base(contract: Contract, dc: str | None, base_url: str | None
                 ) -> tuple[str, str | None]:
    """(API domain, data-centre name) from --dc or --base-url."""
    servers = contract.servers
    if dc and base_url:
        raise UsageError("give --dc or --base-url, not both")
    if dc:
        if dc not in servers:
            known = ", ".join(servers) or "none declared"
            raise UsageError(f"unknown data centre {dc!r} for {contract.name} "
                             f"(known: {known})")
        return servers[dc].rstrip("/"), dc
    if base_url:
        require_safe_url(base_url, "--base-url")
        parts = urlsplit(base_url)
        if parts.query or parts.fragment:
            raise UsageError(f"--base-url {base_url!r} must not have a query or fragment")
        return base_url.rstrip("/"), None
    if len(servers) == 1:
        name = next(iter(servers))
        return servers[name].rstrip("/"), name
    choices = "|".join(servers)
    raise UsageError("say where to send the request: "
                     + (f"--dc {choices} or " if choices else "") + "--base-url URL")


def split_base(base: str, endpoint: Endpoint) -> tuple[str, dict[str, str]]:
    """A base URL may already hold the start of the endpoint's path (Zoho documents
    `{api-domain}/crm/{version}` as its base URL). Returns the base without that part, and
    the path parameters it gives, so the path is not repeated."""
    parts = urlsplit(base)
    given = [segment for segment in parts.path.split("/") if segment]
    template = [segment for segment in endpoint.path.split("/") if segment]
    for start in range(len(given)):
        values = _match_prefix(given[start:], template)
        if values is not None:
            prefix = "".join(f"/{segment}" for segment in given[:start])
            return f"{parts.scheme}://{parts.netloc}{prefix}", values
    return base, {}


def _match_prefix(segments: list[str], template: list[str]) -> dict[str, str] | None:
    if len(segments) > len(template):
        return None
    values: dict[str, str] = {}
    literal = False
    for segment, pattern in zip(segments, template, strict=False):
        name = re.fullmatch(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", pattern)
        if name:
            values[name.group(1)] = unquote(segment)
        elif segment != pattern:
            return None
        else:
            literal = True
    return values if literal else None


def parse_assignments(values: Sequence[str], option: str) -> list[tuple[str, str]]:
    """NAME=VALUE option values as pairs; UsageError naming the option otherwise."""
    pairs = []
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise UsageError(f"{option} {value!r}: expected NAME=VALUE")
        pairs.append((name, text))
    return pairs


def path_values(endpoint: Endpoint, version: str | None, params: list[tuple[str, str]],
                from_base: dict[str, str] | None = None) -> dict[str, str]:
    """Path parameter values: contract defaults, then the base URL's, then --version, then
    --param."""
    names = re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", endpoint.path)
    defaults = endpoint.contract.defaults
    values = {name: str(defaults[name]) for name in names if name in defaults}
    values.update(from_base or {})
    given = ([("--version", "version", version)] if version else []) + \
        [(f"--param {name}", name, value) for name, value in params]
    for option, name, value in given:
        if name not in names:
            raise UsageError(f"{option}: {endpoint.full_name} has no {{{name}}} in its path "
                             f"{endpoint.path}")
        values[name] = value
    missing = [name for name in names if name not in values]
    if missing:
        # no sample values for endpoints that write: a pasted sample must not hit a record
        samples = {n: p.example for n, p in endpoint.params.items()
                   if p.example and not endpoint.writes}
        hints = " ".join(f"--param {n}={samples.get(n, '...')}" for n in missing)
        raise UsageError(f"{endpoint.full_name} needs path parameter(s) {', '.join(missing)}: "
                         f"give {hints}")
    for name, value in values.items():
        spec = endpoint.params.get(name)
        problem = spec.problem(value) if spec else None
        if problem or not value:
            sample = f" (e.g. {spec.example})" if spec and spec.example else ""
            raise UsageError(f"path parameter {problem or name + ' is empty'}{sample}")
    return values


def query_pairs(endpoint: Endpoint, query: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The query to send, each value checked against the endpoint's declaration."""
    declared = endpoint.query
    for name, value in query:
        spec = declared.get(name)
        if spec is None:
            known = ", ".join(declared) or "none"
            raise UsageError(f"--query {name}: {endpoint.full_name} declares no such query "
                             f"parameter (declared: {known})")
        problem = spec.problem(value)
        if problem:
            raise UsageError(f"--query {problem}")
    given = {name for name, _ in query}
    missing = [name for name, spec in declared.items() if spec.required and name not in given]
    if missing:
        raise UsageError(f"{endpoint.full_name} requires query parameter(s) "
                         f"{', '.join(missing)}: give --query NAME=VALUE")
    return query


def build_url(base: str, endpoint: Endpoint, values: dict[str, str],
              query: list[tuple[str, str]]) -> str:
    """The request URL: base, path with quoted values, and the query."""
    path = re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}",
                  lambda m: quote(values[m.group(1)], safe=""), endpoint.path)
    return base + path + (f"?{urlencode(query)}" if query else "")


def auth_headers(contract: Contract, token: str | None) -> tuple[str, dict[str, str]]:
    """(header name, headers) carrying the token as the contract's `auth` says."""
    name, scheme = contract.auth.header, contract.auth.scheme
    if token is None:
        return name, {}
    return name, {name: f"{scheme} {token}" if scheme else token}


# ---------------------------------------------------------------- resolving a request

@dataclass(frozen=True)
class Target:
    """A resolved request: the call, the API domain and data centre it goes to, the path
    values (for state rules and provenance), and the token (None when the API needs none)."""

    call: Call
    base: str
    dc: str | None
    values: dict[str, str]
    token: str | None


@dataclass(frozen=True)
class Wanted:
    """What the user asked for: where to send, which parameters, which body and token."""

    dc: str | None = None
    base_url: str | None = None
    api_version: str | None = None
    params: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    body: Path | None = None
    token_env: str | None = None
    token_file: Path | None = None
    user_agent: str = "respcontract"


def resolve(endpoint: Endpoint, wanted: Wanted) -> Target:
    """The request to send; UsageError naming the option for anything wrong or unsafe."""
    base, dc = resolve_base(endpoint.contract, wanted.dc, wanted.base_url)
    base, from_base = split_base(base, endpoint)
    values = path_values(endpoint, wanted.api_version,
                         parse_assignments(wanted.params, "--param"), from_base)
    query = query_pairs(endpoint, parse_assignments(wanted.query, "--query"))
    url = build_url(base, endpoint, values, query)
    require_safe_url(url, "the request URL")
    body = read_body(wanted.body, endpoint)
    token = read_token(endpoint.contract, wanted.token_env, wanted.token_file)
    header, credentials = auth_headers(endpoint.contract, token)
    headers = {"Accept": "application/json", "User-Agent": wanted.user_agent, **credentials}
    if body is not None:
        headers["Content-Type"] = "application/json"
    call = Call(endpoint.method, url, headers, body, endpoint.writes, header)
    return Target(call, base, dc, values, token)


def read_body(path: Path | None, endpoint: Endpoint) -> bytes | None:
    """The JSON request body from `path`, checked to be strict JSON; None without one."""
    if path is None:
        return None
    if endpoint.method in ("GET", "HEAD"):
        raise UsageError(f"--body: {endpoint.full_name} is a {endpoint.method}; it takes no body")
    from validator.formats.json import loads_bytes_strict

    try:
        data: bytes = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"--body {path}: cannot read: {exc.strerror or exc}") from None
    _, problem = loads_bytes_strict(data)
    if problem is not None:
        raise UsageError(f"--body {path}: not strict JSON: {problem.message}")
    return data


def read_token(contract: Contract, token_env: str | None, token_file: Path | None
               ) -> str | None:
    """The token from `token_file` or the environment; None when the contract needs none."""
    if token_file and token_env:
        raise UsageError("give --token-env or --token-file, not both")
    if token_file:
        source = f"--token-file {token_file}"
        try:
            value = token_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise UsageError(f"{source}: cannot read: {reason}") from None
    else:
        name = token_env or contract.auth.token_env
        if not name:
            return None
        source = f"environment variable {name}"
        value = os.environ.get(name, "")
        if not value.strip():
            raise UsageError(f"no token: set the environment variable {name} "
                             "(or give --token-env NAME or --token-file FILE)")
    token: str = value.strip()
    scheme = contract.auth.scheme
    if scheme and token.startswith(scheme + " "):
        token = token[len(scheme) + 1:].strip()
    if not token:
        raise UsageError(f"no token in {source}")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in token):
        raise UsageError(f"the token in {source} contains spaces, line breaks or control "
                         "characters; expected a single token")
    return token
