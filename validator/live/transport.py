"""Live mode: build a request from a contract endpoint, send it with httpx, poll.

Safety first: plain http only to loopback, credentials never follow a redirect to another
origin, and requests that may have taken effect (writes) are not retried blindly.
Resilience: connect and read timeouts, 429 and 5xx retried with exponential backoff and
jitter, honouring Retry-After up to a bound. Every network failure becomes one
`NetworkError` line. httpx is imported only when a request is actually sent.
"""

from __future__ import annotations

import ipaddress
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from validator.errors import NetworkError as NetworkError
from validator.errors import UsageError
from validator.model.contract import Contract, Endpoint
from validator.model.exchange import CREDENTIAL_HEADERS

if TYPE_CHECKING:
    import httpx

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Settings:
    """Timeouts, retries, backoff and redirect limits for sending."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3  # extra attempts after the first
    backoff: float = 1.0  # first backoff step, doubled each retry
    max_backoff: float = 30.0
    max_wait: float = 120.0  # a longer Retry-After ends the retries
    max_redirects: int = 5


@dataclass(frozen=True)
class Call:
    """One request as the contract and the user describe it, credentials included."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None
    writes: bool = False
    auth_header: str = "Authorization"


@dataclass(frozen=True)
class Attempt:
    """A try that was retried: what came back and how long we waited after it."""

    status: int | None
    error: str | None
    waited: float
    retry_after: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The attempt as provenance JSON: status or error, Retry-After, wait."""
        outcome: dict[str, Any] = {"status": self.status} if self.status is not None \
            else {"error": self.error}
        if self.retry_after is not None:
            outcome["retry_after"] = self.retry_after
        return {**outcome, "waited": round(self.waited, 3)}


@dataclass
class Outcome:
    """The final response of a call, with the retries and redirects it took."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    retried: list[Attempt] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    gave_up: str | None = None  # why a retryable answer was not retried (further)


# ---------------------------------------------------------------- where and what to send

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


# ---------------------------------------------------------------- sending

def open_client(settings: Settings, url: str) -> httpx.Client:
    """A client without automatic redirects; proxy settings from the environment apply,
    except to loopback (a local fake must not be sent through a corporate proxy)."""
    import httpx

    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    local = is_loopback(urlsplit(url).hostname or "")
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=not local)


def send(client: httpx.Client, call: Call, settings: Settings, sleep: Sleep = time.sleep,
         jitter: Callable[[], float] = random.random) -> Outcome:
    """Send with retries; the final response (even a 503) is returned for checking."""
    import httpx

    retried: list[Attempt] = []
    for attempt in range(settings.retries + 1):
        last = attempt == settings.retries
        try:
            outcome = _follow_redirects(client, call, settings)
        except httpx.TransportError as exc:
            message = describe_error(exc, call, settings)
            if last or not _safe_to_retry(exc, call):
                tries = f" ({attempt + 1} attempts)" if attempt else ""
                raise NetworkError(message + tries) from None
            wait = backoff(attempt, settings, jitter)
            retried.append(Attempt(None, message, wait))
            sleep(wait)
            continue
        outcome.retried = retried
        reason = _retry_reason(outcome.status, call)
        if reason is None:
            return outcome
        if reason != "retry":
            outcome.gave_up = reason
            return outcome
        header = _header(outcome.headers, "retry-after")
        asked = parse_retry_after(header)
        if last:
            outcome.gave_up = f"still {outcome.status} after {attempt + 1} attempts"
            return outcome
        if asked is not None and asked > settings.max_wait:
            outcome.gave_up = (f"Retry-After asks for {asked:g}s, more than the "
                               f"{settings.max_wait:g}s allowed (--max-wait)")
            return outcome
        wait = max(asked, backoff(attempt, settings, jitter)) if asked is not None \
            else backoff(attempt, settings, jitter)
        retried.append(Attempt(outcome.status, None, wait, header))
        sleep(wait)
    raise AssertionError("unreachable")  # the loop always returns or raises


def _retry_reason(status: int, call: Call) -> str | None:
    """None: final; "retry": try again; else why it is final although retryable."""
    if status == 429:
        return "retry"
    if 500 <= status <= 599:
        if call.writes:
            return f"{status} not retried: a {call.method} may already have taken effect"
        return "retry"
    return None


def _safe_to_retry(exc: Exception, call: Call) -> bool:
    """Connect failures always (the request never left); a dropped connection only for
    reads; never a timeout: the server is slow, and trying again multiplies the wait."""
    import httpx

    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return True
    if isinstance(exc, httpx.TimeoutException):
        return False
    return not call.writes


def backoff(attempt: int, settings: Settings, jitter: Callable[[], float]) -> float:
    """Exponential backoff with 'equal jitter': half fixed, half random."""
    ceiling = min(settings.max_backoff, settings.backoff * 2.0 ** attempt)
    return ceiling / 2 + jitter() * ceiling / 2


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def _follow_redirects(client: httpx.Client, call: Call, settings: Settings) -> Outcome:
    """Send, following redirects by hand so credentials never leave their origin."""
    method, url, body = call.method, call.url, call.body
    headers = dict(call.headers)
    hops: list[str] = []
    for _ in range(settings.max_redirects + 1):
        response = client.send(client.build_request(method, url, headers=headers, content=body))
        location = response.headers.get("location")
        if response.status_code not in REDIRECT_STATUSES or not location:
            return Outcome(response.status_code, list(response.headers.multi_items()),
                           response.content, redirects=hops)
        target = str(response.url.join(location))
        response.close()
        try:
            require_safe_url(target, "redirect target")
        except UsageError as exc:
            raise NetworkError(f"not following the redirect from {_host(url)}: {exc}") from None
        hops.append(f"{response.status_code} {target}")
        if _origin(target) != _origin(url):
            headers = {k: v for k, v in headers.items()
                       if k.lower() not in CREDENTIAL_HEADERS | {call.auth_header.lower()}}
        if response.status_code == 303 or (response.status_code in (301, 302)
                                           and method not in ("GET", "HEAD")):
            method, body = "GET", None
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        url = target
    raise NetworkError(f"more than {settings.max_redirects} redirects from {_host(call.url)}")


def _host(url: str) -> str:
    return urlsplit(url).netloc


def describe_error(exc: Exception, call: Call, settings: Settings) -> str:
    """One line naming the host and what went wrong at the network level."""
    import httpx

    host = _host(call.url)
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect to {host} within {settings.connect_timeout:g}s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"{host} sent no response within {settings.read_timeout:g}s (read timeout)"
    if isinstance(exc, httpx.TimeoutException):
        return f"{host} timed out ({type(exc).__name__})"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {host}: {detail}"
    return f"network error talking to {host}: {detail}"


# ---------------------------------------------------------------- polling

@dataclass(frozen=True)
class Step:
    """What one poll learnt about the polled state."""

    final: bool  # every followed node has reached a final value
    progress: str = ""
    pending: tuple[str, ...] = ()  # keys of nodes not final yet
    stop: str | None = None  # a reason to stop at once (no state in the answer, a broken rule)


@dataclass(frozen=True)
class PollEnd:
    """Why polling ended, after how many polls, and the last step."""

    polls: int
    last: Step
    reason: str  # "final", "timeout", or the step's stop reason


def poll(step: Callable[[int], Step], interval: float, timeout: float, confirm: int = 1,
         on_progress: Callable[[int, Step, float], None] | None = None,
         sleep: Sleep = time.sleep, clock: Callable[[], float] = time.monotonic) -> PollEnd:
    """Call step(0), step(1), ... until every node is final and `confirm` more polls agree
    (so final nodes are seen to stay put), a step says stop, or `timeout` would pass."""
    started = clock()
    index = confirmations = 0
    while True:
        result = step(index)
        index += 1
        elapsed = clock() - started
        if on_progress is not None:
            on_progress(index, result, elapsed)
        if result.stop is not None:
            return PollEnd(index, result, result.stop)
        if result.final:
            if confirmations >= confirm:
                return PollEnd(index, result, "final")
            confirmations += 1
        else:
            confirmations = 0
        if elapsed + interval > timeout:
            return PollEnd(index, result, "timeout")
        sleep(interval)


__all__ = ["Attempt", "Call", "NetworkError", "Outcome", "PollEnd", "Settings", "Step",
           "auth_headers", "backoff", "build_url", "is_loopback", "open_client",
           "parse_assignments", "parse_retry_after", "path_values", "poll", "query_pairs",
           "require_safe_url", "resolve_base", "send", "split_base"]
