"""Endpoint names from operations: stable, unique within a contract, readable.

The rule (docs/guides/openapi.md): an operation's `x-respcontract-name` if an overlay set
one; else its `operationId` in snake_case (camelCase split, every run of other characters
one `_`: "Get Bulk Invite Status" and "getBulkInviteStatus" both give
`get_bulk_invite_status`); else METHOD plus the path's literal segments, `{x}` as `by_x`.
A name that starts with a digit gets `op_` in front. When several operations of one
contract get the same name, each gets its method appended, and if that is still not
unique, six hex digits of the SHA-256 of "METHOD path": the suffix depends only on the
operation itself, so names do not move when operations are added or reordered.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

NAME_MARK = "x-respcontract-name"


def base_name(method: str, path: str, operation: dict[str, object]) -> str:
    """The readable name before de-duplication."""
    chosen = operation.get(NAME_MARK) or operation.get("operationId")
    if isinstance(chosen, str) and snake(chosen):
        return snake(chosen)
    parts = [method.lower()]
    for segment in path.strip("/").split("/"):
        inner = re.fullmatch(r"\{(.+)\}", segment)
        parts.append(f"by_{inner.group(1)}" if inner else segment)
    return snake("_".join(parts))


def snake(text: str) -> str:
    """A name in snake_case ("getBulkInviteStatus", "Get Bulk" -> get_bulk_...)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", spaced)
    name = re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
    if name and not name[0].isalpha():
        name = f"op_{name}"
    return name


def unique_names(operations: list[tuple[str, str, dict[str, object]]]) -> list[str]:
    """Names for (method, path, operation) triples, in the same order."""
    first = [base_name(m, p, op) for m, p, op in operations]
    counts = Counter(first)
    second = [n if counts[n] == 1 else f"{n}_{m.lower()}"
              for n, (m, _, _) in zip(first, operations, strict=True)]
    counts = Counter(second)
    final = []
    for name, (method, path, _) in zip(second, operations, strict=True):
        if counts[name] > 1:
            digest = hashlib.sha256(f"{method.upper()} {path}".encode()).hexdigest()[:6]
            name = f"{name}_{digest}"
        final.append(name)
    return final
