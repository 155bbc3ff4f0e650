"""The one place `respcontract diff` turns a `$ref` into a schema: the contract's SchemaStore.

Diff has no schema walk of its own: anchors, `$id`s, percent-encoded pointers and relative
refs resolve exactly as they do when checking.
"""

from __future__ import annotations

from typing import Any

from validator.errors import ContractError
from validator.load.schemas import SchemaStore


def resolve_ref(store: SchemaStore, base_uri: str, ref: str) -> tuple[str, str, Any] | None:
    """(document URI, JSON pointer, node) that `ref` written in `base_uri` names, or None."""
    try:
        target = store.resolve(base_uri, ref)
    except ContractError:
        return None
    return target.doc, target.pointer, target.node
