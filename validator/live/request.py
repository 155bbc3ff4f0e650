"""The request a live run sends: URL, parameters, body and credentials, from the contract
endpoint and what the user gave. Nothing here touches the network."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from validator.errors import UsageError
from validator.live.transport import (
    Call,
    auth_headers,
    build_url,
    parse_assignments,
    path_values,
    query_pairs,
    require_safe_url,
    resolve_base,
    split_base,
)
from validator.model.contract import Contract, Endpoint


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
