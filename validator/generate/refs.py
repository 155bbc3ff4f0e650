"""`$ref` resolution for the generator: one function, routed through the SchemaStore.

The generator asks the store, never walks documents itself. When the store offers
`SchemaStore.resolve(base_uri, ref) -> (uri, node)` (the shared resolver), that is used;
until then `_fallback` below resolves with `referencing` over the store's loaded documents
(embedded `$id`s, `$anchor`s, percent-encoded JSON pointers), reading nodes back through
`SchemaStore.node_at`. The lead can delete `_fallback` once the store resolves itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from validator.load.schemas import SchemaStore


class RefError(Exception):
    """A `$ref` the store cannot resolve."""


def resolve_ref(store: SchemaStore, base_uri: str, ref: str) -> tuple[str, Any]:
    """(absolute uri, schema node) of `ref` written in a schema whose base is `base_uri`."""
    resolver = getattr(store, "resolve", None)
    if callable(resolver):
        found: tuple[str, Any] = resolver(base_uri, ref)
        return found
    return _fallback(store, base_uri, ref)


def join(base_uri: str, ref: str) -> str:
    """`ref` made absolute against `base_uri` (also for `urn:` bases, which urljoin skips)."""
    if ref.startswith("#") or ref == "":
        return urldefrag(base_uri)[0] + ref
    return urljoin(base_uri, ref)


def _fallback(store: SchemaStore, base_uri: str, ref: str) -> tuple[str, Any]:
    target = join(base_uri, ref)
    doc, fragment = urldefrag(target)
    if doc in store.documents and (fragment == "" or fragment.startswith("/")):
        node = store.node_at(doc, unquote(fragment))
        if node is None and fragment:
            raise RefError(f"$ref {ref!r} points at nothing")
        return target, node if fragment else store.documents[doc]
    import referencing
    from referencing.jsonschema import DRAFT202012

    registry: Any = referencing.Registry()
    for uri, document in store.documents.items():
        registry = registry.with_resource(uri, DRAFT202012.create_resource(document))
    registry = registry.crawl()
    try:
        resolved = registry.resolver(base_uri=base_uri).lookup(ref)
    except Exception as exc:  # referencing raises several unrelated types
        raise RefError(f"$ref {ref!r} cannot be resolved ({type(exc).__name__})") from None
    return target, resolved.contents
