"""Hypothesis strategies for the response headers a contract documents.

Required headers always come, optional ones sometimes; each value is drawn from the
header's schema (integers, numbers, booleans, enums, patterns, plain text) and rendered
as header text, then kept only when check's own reading of it passes the schema.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from validator.check.headers import header_problem
from validator.model.contract import HeaderSpec, ResponseSpec

SAFE_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1,
                    max_size=20)


def response_headers(spec: ResponseSpec) -> st.SearchStrategy[dict[str, str]]:
    """Header name (lower-cased) -> value, for the headers a response documents."""
    parts = {h.name.lower(): header_value(h) for h in spec.headers if h.required}
    optional = {h.name.lower(): header_value(h) for h in spec.headers if not h.required}
    return st.fixed_dictionaries(parts, optional=optional)


def header_value(header: HeaderSpec) -> st.SearchStrategy[str]:
    """Header values that satisfy the contract's entry for that header."""
    schema = header.schema if isinstance(header.schema, dict) else {}
    return _raw(schema).filter(lambda value: header_problem(header, value) is None)


def _raw(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    if isinstance(schema.get("enum"), list):
        return st.sampled_from([_text(v) for v in schema["enum"]])
    if "const" in schema:
        return st.just(_text(schema["const"]))
    types = schema.get("type")
    kind = types if isinstance(types, str) else (types or ["string"])[0]
    if kind == "integer":
        return st.integers(_int(schema.get("minimum")), _int(schema.get("maximum"))).map(str)
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False,
                         allow_infinity=False).map(lambda n: json.dumps(n))
    if kind == "boolean":
        return st.sampled_from(["true", "false"])
    if isinstance(schema.get("pattern"), str):
        return st.from_regex(schema["pattern"], fullmatch=True).filter(
            lambda s: s == s.strip() and "\n" not in s and "\r" not in s)
    return SAFE_TEXT


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
