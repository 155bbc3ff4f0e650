"""The one place `respcontract diff` turns a `$ref` into a schema: through the SchemaStore.

Every `$ref` diff follows goes through `resolve_ref`, which asks the contract's
SchemaStore (`SchemaStore.resolve(base_uri, ref) -> (uri, node)` where the store offers
it; else `SchemaStore.node_at` for JSON pointers and the store's `$anchor` lookup for
plain-name fragments). Diff has no schema walk of its own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

from validator.errors import ContractError
from validator.load.schemas import SchemaStore


def resolve_ref(store: SchemaStore, base_uri: str, ref: str) -> tuple[str, str, Any] | None:
    """(document URI, JSON pointer, node) that `ref` written in `base_uri` names, or None."""
    resolve = getattr(store, "resolve", None)
    if callable(resolve):
        try:
            uri, node = resolve(base_uri, ref)
        except (ContractError, LookupError, ValueError):
            return None
        doc, fragment = urldefrag(uri)
        return doc, fragment if fragment.startswith("/") else "", node
    doc, fragment = urldefrag(urljoin(base_uri, ref))
    if fragment and not fragment.startswith("/"):
        found = store._anchor(doc, fragment)  # an `$anchor` name (plain-name fragment)
        if found is None:
            return None
        fragment = found
    node = store.node_at(doc, fragment)
    return None if node is None else (doc, fragment, node)
