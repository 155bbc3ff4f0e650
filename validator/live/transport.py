"""Live mode: send a request with httpx.

Safety first: credentials never follow a redirect to another origin, a redirect target must
be as safe as the request URL (live/request.py), and requests that may have taken effect
(writes) are not retried blindly.
Resilience: connect and read timeouts, 429 and 5xx retried with exponential backoff and
jitter, honouring Retry-After up to a bound. Every network failure becomes one
`NetworkError` line. httpx is imported only when a request is actually sent.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from validator.errors import NetworkError as NetworkError
from validator.errors import UsageError
from validator.live.request import Call, is_loopback, require_safe_url
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


__all__ = ["Attempt", "NetworkError", "Outcome", "Settings", "backoff", "describe_error",
           "open_client", "parse_retry_after", "send"]
