"""Response headers and the media type a response came in, checked against the contract.

A header value travels as text; before it is validated it is read the way its schema
types it (`"120"` is the integer 120 for `{type: integer}`, `true`/`false` booleans for
`{type: boolean}`), and stays a string otherwise. Header names match case-insensitively
(RFC 9110 section 5.1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from validator.load.schemas import DRAFT
from validator.model.contract import HeaderSpec, ResponseSpec
from validator.model.findings import Severity
from validator.model.record import replace

Add = Callable[[Severity, str, str, str, "str | None"], None]


def choose_media(spec: ResponseSpec, content_type: str | None) -> ResponseSpec:
    """The response narrowed to the media type its Content-Type names (else the first)."""
    if len(spec.media) <= 1:
        return spec
    chosen = next((m for m in spec.media if m.accepts(content_type)), spec.media[0])
    return replace(spec, content_type=chosen.media_type, schema=chosen.schema,
                   body=chosen.body)


def media_problem(spec: ResponseSpec, content_type: str | None) -> str | None:
    """Why a Content-Type matches none of the response's media types, or None."""
    media = [m for m in spec.media if m.body != "empty" or m.schema]
    if not media or any(m.accepts(content_type) for m in media):
        return None
    expected = " or ".join(m.media_type for m in media)
    shown = repr(content_type) if content_type else "no Content-Type header"
    return f"expected Content-Type {expected}, found {shown}"


def check_headers(spec: ResponseSpec, headers: dict[str, str], add: Add,
                  docs: str | None) -> None:
    """Report required headers that are missing and values their schema refuses."""
    found = {name.lower(): value for name, value in headers.items()}
    for header in spec.headers:
        value = found.get(header.name.lower())
        where = header.docs or docs
        if value is None:
            if header.required:
                add(Severity.ERROR, "header", "", f"expected response header "
                    f"{header.name}, found none", where)
            continue
        problem = header_problem(header, value)
        if problem is not None:
            add(Severity.ERROR, "header", "", f"response header {header.name}: {problem}",
                where)


def header_problem(header: HeaderSpec, value: str) -> str | None:
    """What is wrong with one header value under its contract entry, or None."""
    if header.schema is None or header.schema is True:
        return None
    validator = _validator(json.dumps(header.schema, sort_keys=True))
    typed = typed_value(header.schema, value)
    if validator.is_valid(typed):
        return None
    error = next(iter(validator.iter_errors(typed)))
    return f"{value!r} does not match its schema ({error.message})"


def typed_value(schema: Any, value: str) -> Any:
    """A header's text read as the JSON value its schema expects."""
    types = schema.get("type") if isinstance(schema, dict) else None
    wanted = {types} if isinstance(types, str) else set(types or [])
    text = value.strip()
    if wanted & {"integer", "number"}:
        try:
            number = json.loads(text)
        except ValueError:
            number = None
        if isinstance(number, int | float) and not isinstance(number, bool):
            return number
    if "boolean" in wanted and text in ("true", "false"):
        return text == "true"
    return value


@lru_cache(maxsize=256)
def _validator(schema_text: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for({"$schema": DRAFT, **_as_object(schema_text)})


def _as_object(schema_text: str) -> dict[str, Any]:
    schema = json.loads(schema_text)
    return schema if isinstance(schema, dict) else {"not": {}} if schema is False else {}
