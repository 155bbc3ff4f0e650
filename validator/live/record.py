"""Recording live exchanges: redaction, provenance, the token leak scan, safe file writes.

A recording is an ordinary exchange file (`check` and the pytest plugin read it back) with
an extra `provenance` member. Before anything is written:

1. credentials are redacted: Authorization-like request headers, cookies, and the raw
   token wherever it still appears;
2. whatever the contract marks `sensitive` is redacted: named fields anywhere in a JSON
   body or the query string, and value patterns (e-mail addresses, for one) in any string;
3. the leak scan looks for the token in every form we know (raw, URL-encoded, JSON- or
   HTML-escaped, hex, base64 at any byte alignment) and refuses to write a file that
   still holds one.

Files are created exclusively: an existing recording is never overwritten.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from validator.errors import LeakError as LeakError
from validator.errors import UsageError
from validator.formats.files import write_new
from validator.formats.json import loads_bytes_strict
from validator.model.contract import Contract
from validator.model.exchange import CREDENTIAL_HEADERS
from validator.model.pointer import escape_token

REDACTED = "REDACTED"
SCRUBBED = "[REDACTED]"
# The stored body is decoded, so these no longer describe it.
STALE_RESPONSE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
# Encoded forms shorter than this would match unrelated text by chance.
MIN_FORM_LENGTH = 8


class Secret:
    """The token, and every encoded form of it that the leak scan and output scrub look for."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.forms = token_forms(token)
        # longest first, so a form is never cut by one of its own substrings
        self._ordered = sorted(self.forms, key=len, reverse=True)

    def leak(self, text: str) -> str | None:
        """The kind of the first form of the token found in `text` (None: clean)."""
        for form in self._ordered:
            if form in text:
                return self.forms[form]
        return None

    def scrub(self, text: str) -> str:
        """`text` with every form of the token replaced by a placeholder."""
        for form in self._ordered:
            text = text.replace(form, SCRUBBED)
        return text


def token_forms(token: str) -> dict[str, str]:
    """form -> what kind of encoding it is."""
    raw = token.encode("utf-8")
    candidates: list[tuple[str, str]] = [(token, "raw")]
    for encoded in (quote(token, safe=""), quote_plus(token),
                    quote(quote(token, safe=""), safe="")):
        candidates += [(encoded, "URL-encoded"), (_lower_escapes(encoded), "URL-encoded")]
    candidates += [
        (json.dumps(token)[1:-1], "JSON-escaped"),
        (html.escape(token), "HTML-escaped"),
        (raw.hex(), "hex"),
        (raw.hex().upper(), "hex"),
    ]
    for shift in range(3):
        core = _base64_core(raw, shift)
        candidates += [(core, "base64"), (core.replace("+", "-").replace("/", "_"), "base64")]
    forms: dict[str, str] = {}
    for form, kind in candidates:
        if form and (kind == "raw" or len(form) >= MIN_FORM_LENGTH):
            forms.setdefault(form, kind)
    return forms


def _lower_escapes(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), text)


def _base64_core(raw: bytes, shift: int) -> str:
    """The base64 characters that depend only on `raw` when it starts `shift` bytes into a
    larger encoded blob (so "Zoho-oauthtoken <token>" encoded whole is caught too)."""
    encoded = base64.b64encode(b"\0" * shift + raw).decode("ascii")
    start = -(-shift * 8 // 6)  # characters that still hold bits of the unknown prefix
    end = (shift + len(raw)) * 8 // 6  # characters complete before the unknown suffix
    return encoded[start:end]


@dataclass(frozen=True)
class Sensitive:
    """What the contract's `sensitive` list asks recordings to hide."""

    fields: Mapping[str, str]  # field name -> replacement
    patterns: tuple[tuple[re.Pattern[str], str], ...]  # value pattern -> replacement

    @classmethod
    def from_contract(cls, contract: Contract) -> Sensitive:
        """What the contract's `sensitive` list names, with patterns compiled."""
        fields: dict[str, str] = {}
        patterns: list[tuple[re.Pattern[str], str]] = []
        for entry in contract.sensitive:
            replace = REDACTED if entry.replace is None else entry.replace
            if entry.field is not None:
                fields[entry.field] = replace
            elif entry.pattern is not None:
                patterns.append((re.compile(entry.pattern), replace))
        return cls(fields, tuple(patterns))


@dataclass
class Redactor:
    """Redacts one exchange at a time, noting every place it changed."""

    sensitive: Sensitive
    secret: Secret | None = None
    auth_header: str = "authorization"
    notes: list[str] = field(default_factory=list)

    def headers(self, headers: Mapping[str, str] | None, where: str,
                drop: frozenset[str] = frozenset()) -> dict[str, str] | None:
        """Headers with credentials redacted (and `drop` removed); notes each change."""
        if headers is None:
            return None
        hidden = CREDENTIAL_HEADERS | {self.auth_header.lower()}
        result: dict[str, str] = {}
        for name, value in headers.items():
            key = name.lower()
            if key in drop:
                continue
            if key in hidden:
                result[key] = REDACTED
                self.notes.append(f"{where}.headers.{key}")
            else:
                result[key] = self.string(value, f"{where}.headers.{key}")
        return result

    def url(self, url: str) -> str:
        """The URL with sensitive query values redacted."""
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        changed = False
        redacted_pairs = []
        for name, value in pairs:
            new = self.value(name, value, f"request.url?{name}")
            changed = changed or new != value
            redacted_pairs.append((name, new))
        query = urlencode(redacted_pairs) if changed else parts.query
        rest = urlunsplit((parts.scheme, parts.netloc, parts.path, "", parts.fragment))
        rest = self.string(rest, "request.url")
        return f"{rest}?{query}" if query else rest

    def value(self, name: str, value: str, where: str) -> str:
        """A value redacted if its field name is sensitive, else pattern-scrubbed."""
        if name in self.sensitive.fields:
            self.notes.append(where)
            return self.sensitive.fields[name]
        return self.string(value, where)

    def string(self, text: str, where: str) -> str:
        """A string with every sensitive pattern and the token replaced."""
        new = text
        for pattern, replacement in self.sensitive.patterns:
            new = pattern.sub(replacement, new)
        if self.secret is not None:
            new = new.replace(self.secret.token, REDACTED)
        if new != text:
            self.notes.append(where)
        return new

    def json(self, value: Any, where: str) -> Any:
        """A JSON value with sensitive fields and strings redacted, recursively."""
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                inner = f"{where}/{escape_token(key)}"
                if key in self.sensitive.fields and item is not None:
                    result[key] = self.sensitive.fields[key]
                    self.notes.append(inner)
                else:
                    result[key] = self.json(item, inner)
            return result
        if isinstance(value, list):
            return [self.json(item, f"{where}/{i}") for i, item in enumerate(value)]
        if isinstance(value, str):
            return self.string(value, where)
        return value

    def body(self, data: bytes | None, where: str) -> dict[str, Any]:
        """The body as an exchange-file member: JSON when strict JSON, else text, else base64."""
        if not data:
            return {}
        value, problem = loads_bytes_strict(data)
        if problem is None:
            return {"body": self.json(value, f"{where}.body")}
        try:
            return {"body_text": self.string(data.decode("utf-8"), f"{where}.body_text")}
        except UnicodeDecodeError:
            return {"body_base64": base64.b64encode(data).decode("ascii")}


def exchange_document(method: str, url: str, request_headers: Mapping[str, str] | None,
                      request_body: bytes | None, status: int,
                      response_headers: Mapping[str, str] | None, response_body: bytes | None,
                      endpoint: str, provenance: dict[str, Any],
                      redactor: Redactor) -> dict[str, Any]:
    """An exchange file's content, redacted, with provenance (including what was redacted)."""
    from validator.formats.exchange_file import assemble

    redactor.notes = []
    request: dict[str, Any] = {"method": method, "url": redactor.url(url),
                               "headers": redactor.headers(request_headers, "request") or None}
    if request_body:
        sent = redactor.body(request_body, "request")
        request["body"] = json.dumps(sent["body"]) if "body" in sent else \
            sent.get("body_text", REDACTED)
    response: dict[str, Any] = {"status": status}
    headers = redactor.headers(response_headers, "response", STALE_RESPONSE_HEADERS)
    if headers:
        response["headers"] = headers
    response.update(redactor.body(response_body, "response"))
    return assemble(request, response, endpoint, trailer={
        "provenance": {**provenance, "redacted": sorted(set(redactor.notes))}})


def contract_hash(contract: Contract) -> str:
    """sha256 of the contract file followed by every schema it loads, in path order."""
    digest = hashlib.sha256(contract.path.read_bytes())
    store = contract.store
    for uri in sorted(store.documents):
        relative = store.relative(uri)
        digest.update(relative.encode("utf-8"))
        digest.update((store.root / relative).read_bytes())
    return digest.hexdigest()


class Recorder:
    """Writes exchange files into one folder, never replacing a file that exists."""

    def __init__(self, folder: Path, secret: Secret | None) -> None:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"--record {folder}: exists and is not a folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--record {folder}: cannot create the folder: "
                             f"{exc.strerror or exc}") from None
        self.folder = folder
        self.secret = secret

    def write(self, document: dict[str, Any], stem: str) -> Path:
        """Write one recording; LeakError if the token is still in it, OSError on I/O."""
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if self.secret is not None:
            kind = self.secret.leak(text)
            if kind is not None:
                raise LeakError(f"the recording would contain the token ({kind}); "
                                "not written")
        names = (f"{stem}.json" if attempt == 0 else f"{stem}-{attempt}.json"
                 for attempt in range(1000))
        path = write_new(self.folder, names, text)
        if path is None:
            raise OSError(f"no free file name for {stem} in {self.folder}")
        return path


__all__ = ["REDACTED", "LeakError", "Recorder", "Redactor", "Secret", "Sensitive",
           "contract_hash", "exchange_document", "token_forms"]
