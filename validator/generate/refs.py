"""`$ref` resolution for the generator: the contract's SchemaStore, never a walk of its own."""

from __future__ import annotations

from typing import Any

from validator.errors import ContractError, RespcontractError
from validator.load.schemas import SchemaStore


class RefError(RespcontractError):
    """A `$ref` the store cannot resolve."""


def resolve_ref(store: SchemaStore, base_uri: str, ref: str) -> tuple[str, Any]:
    """(`file-uri#pointer`, schema node) of `ref` written in a schema whose base is `base_uri`."""
    try:
        target = store.resolve(base_uri, ref)
    except ContractError as exc:
        raise RefError(exc.detail) from None
    return target.key, target.node


def join(base_uri: str, ref: str) -> str:
    """`ref` made absolute against `base_uri` (also for `urn:` bases, which urljoin skips)."""
    from urllib.parse import urldefrag, urljoin

    if ref.startswith("#") or ref == "":
        return urldefrag(base_uri)[0] + ref
    return urljoin(base_uri, ref)
