"""One `$ref` resolver for every consumer of schemas: check, lint, diff, generate, OpenAPI.

A `ResourceIndex` holds every loaded schema document under its file URI and, for the
document itself and every embedded subschema that declares one, under its `$id`
(resolved against the enclosing base, as JSON Schema 2020-12 says). `$anchor` and
`$dynamicAnchor` names are indexed per resource. Resolution never touches the network:
a URI that no loaded document declares is handed to a `load` callback (which reads
files inside the schema folder) and otherwise refused.

    target = index.resolve(base_uri, "#/$defs/percent%25field")
    target.node      # the schema found
    target.base      # the URI its own relative `$ref`s resolve against
    target.doc, target.pointer   # the file URI and RFC 6901 pointer from that file's root
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from validator.errors import RespcontractError
from validator.model.pointer import escape_token, pointer_tokens
from validator.model.record import field, record

# Keywords whose value is a schema, a list of schemas, or a map of names to schemas
# (JSON Schema 2020-12 applicators and `$defs`; `definitions` and `items` arrays from
# older drafts are read the same way so that legacy documents are crawled too).
SCHEMA_SINGLE = ("additionalProperties", "unevaluatedProperties", "items", "unevaluatedItems",
                 "contains", "propertyNames", "not", "if", "then", "else", "additionalItems",
                 "contentSchema")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_MAPS = ("$defs", "definitions", "properties", "patternProperties", "dependentSchemas")

# A walk names the keywords it steps into, in order, each with the shape of its value.
ONE, LIST, MAP = "one", "list", "map"
Keywords = tuple[tuple[str, str], ...]
EVERY_SUBSCHEMA: Keywords = (*((k, ONE) for k in SCHEMA_SINGLE), *((k, LIST) for k in SCHEMA_LISTS),
                             *((k, MAP) for k in SCHEMA_MAPS),
                             ("items", LIST))  # draft 2019-09 and older tuple form


class UnresolvableRef(RespcontractError, LookupError):
    """A `$ref` that names no loaded resource, or a fragment that names nothing in it."""

    def __init__(self, uri: str, reason: str) -> None:
        super().__init__(f"{uri}: {reason}")
        self.uri = uri
        self.reason = reason


@record(frozen=True)
class Target:
    """A resolved schema: the node, the base URI for its own refs, and where it lives."""

    node: Any
    base: str
    doc: str
    pointer: str

    @property
    def key(self) -> str:
        """`file-uri#pointer`: one identity per schema node, whatever URI reached it."""
        return f"{self.doc}#{self.pointer}"


@record(frozen=True)
class RefSite:
    """One `$ref` (or `$dynamicRef`) written in a loaded document."""

    keyword: str
    ref: str
    base: str
    doc: str
    pointer: str  # of the schema object holding the keyword


MISSING: Any = object()  # what `step` and `follow` return where a pointer names nothing


def step(node: Any, token: str) -> Any:
    """The member or array item one unescaped pointer token names in `node`, or MISSING."""
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    return MISSING


def follow(node: Any, pointer: str) -> Any:
    """The value an RFC 6901 pointer (not percent-encoded) names in `node`, or MISSING."""
    for token in pointer_tokens(pointer):
        node = step(node, token)
        if node is MISSING:
            break
    return node


def join(base: str, ref: str) -> str:
    """`ref` resolved against `base` (RFC 3986), also for schemes urljoin does not know."""
    if ref.startswith("#"):
        return urldefrag(base)[0] + ref
    if "://" in base or base.startswith("file:"):
        return urljoin(base, ref)
    if ":" in ref.split("/", 1)[0]:  # already absolute (urn:, tag:, ...)
        return ref
    return urljoin(base, ref)


def _without_fragment(uri: str) -> str:
    return urldefrag(uri)[0]


@record
class ResourceIndex:
    """Schema resources by URI and anchors by `resource#name`, built as documents load."""

    load: Callable[[str], bool] = lambda uri: False
    resources: dict[str, Target] = field(default_factory=dict)
    anchors: dict[str, Target] = field(default_factory=dict)
    ref_sites: list[RefSite] = field(default_factory=list)

    def add_document(self, doc_uri: str, document: Any) -> list[RefSite]:
        """Index a document under its file URI, its `$id`s and anchors; return its refs."""
        sites: list[RefSite] = []
        root_id = document.get("$id") if isinstance(document, dict) else None
        root_base = join(doc_uri, root_id) if isinstance(root_id, str) else doc_uri
        self.resources[doc_uri] = Target(document, root_base, doc_uri, "")
        for node, base, pointer in walk_schemas(document, doc_uri):
            declared = node.get("$id")
            if isinstance(declared, str):
                self.resources.setdefault(_without_fragment(base), Target(node, base, doc_uri,
                                                                          pointer))
            for keyword in ("$anchor", "$dynamicAnchor"):
                name = node.get(keyword)
                if isinstance(name, str):
                    self.anchors.setdefault(f"{_without_fragment(base)}#{name}",
                                            Target(node, base, doc_uri, pointer))
            for keyword in ("$ref", "$dynamicRef"):
                ref = node.get(keyword)
                if isinstance(ref, str):
                    sites.append(RefSite(keyword, ref, base, doc_uri, pointer))
        self.ref_sites += sites
        return sites

    def resolve(self, base: str, ref: str) -> Target:
        """The schema `ref` names, written in a schema whose base URI is `base`."""
        uri = join(base, ref)
        resource_uri, fragment = urldefrag(uri)
        resource = self.resources.get(resource_uri)
        if resource is None and self.load(resource_uri):
            resource = self.resources.get(resource_uri)
        if resource is None:
            raise UnresolvableRef(uri, "no loaded schema has this URI")
        if not fragment:
            return resource
        if fragment.startswith("/"):
            found = self.pointer(resource, unquote(fragment))
            if found is None:
                raise UnresolvableRef(uri, "the JSON pointer points at nothing")
            return found
        anchored = self.anchors.get(f"{_without_fragment(resource.base)}#{unquote(fragment)}")
        if anchored is None:
            raise UnresolvableRef(uri, f"no $anchor {unquote(fragment)!r} in that schema")
        return anchored

    def pointer(self, start: Target, pointer: str) -> Target | None:
        """Walk an RFC 6901 pointer from a resource, following `$id` base changes."""
        node, base, at = start.node, start.base, start.pointer
        schema_position = True
        expect = "keyword"
        for token in pointer_tokens(pointer):
            node = step(node, token)
            if node is MISSING:
                return None
            at = f"{at}/{escape_token(token)}"
            schema_position, expect = next_position(expect, token)
            if schema_position and isinstance(node, dict) and isinstance(node.get("$id"), str):
                base = join(base, node["$id"])
        return Target(node, base, start.doc, at)

    def __iter__(self) -> Iterator[Target]:
        return iter(self.resources.values())


def next_position(expect: str, token: str, through_refs: bool = False) -> tuple[bool, str]:
    """After stepping through `token`, is the node a schema, and what comes next?

    `expect` is what the token is: "keyword", "index" (of a schema list), "name" (of a
    schema map) or "other". With `through_refs` (evaluation paths, which step through a
    `$ref` into the keywords of its target) `$ref` and `$dynamicRef` lead to a keyword.
    """
    if expect == "keyword":
        if token in SCHEMA_SINGLE or (through_refs and token in ("$ref", "$dynamicRef")):
            return True, "keyword"
        if token in SCHEMA_LISTS:
            return False, "index"
        if token in SCHEMA_MAPS:
            return False, "name"
        return False, "other"
    if expect in ("index", "name"):
        return True, "keyword"
    return False, "other"


def shape_of(keyword: str) -> str | None:
    """ONE, LIST or MAP: what a keyword's value holds (None: no subschema)."""
    if keyword in SCHEMA_SINGLE:
        return ONE
    if keyword in SCHEMA_LISTS:
        return LIST
    return MAP if keyword in SCHEMA_MAPS else None


def subschemas(node: dict[str, Any], pointer: str, keywords: Keywords
               ) -> list[tuple[Any, str]]:
    """The subschemas of `node` under `keywords`, in that order, each with its pointer."""
    found: list[tuple[Any, str]] = []
    for keyword, shape in keywords:
        value = node.get(keyword)
        if shape == ONE:
            if keyword in node:
                found.append((value, f"{pointer}/{keyword}"))
        elif shape == LIST:
            if isinstance(value, list):
                found += [(sub, f"{pointer}/{keyword}/{i}") for i, sub in enumerate(value)]
        elif isinstance(value, dict):
            found += [(sub, f"{pointer}/{keyword}/{escape_token(name)}")
                      for name, sub in value.items()]
    return found


def replace_subschemas(node: dict[str, Any], keywords: Keywords,
                       change: Callable[[Any], Any]) -> None:
    """Replace, in place, each subschema of `node` under `keywords` by `change(subschema)`."""
    for keyword, shape in keywords:
        value = node.get(keyword)
        if shape == ONE:
            if keyword in node:
                node[keyword] = change(value)
        elif shape == LIST:
            if isinstance(value, list):
                value[:] = [change(sub) for sub in value]
        elif isinstance(value, dict):
            for name in value:
                value[name] = change(value[name])


def walk_schemas(document: Any, base: str, keywords: Keywords = EVERY_SUBSCHEMA,
                 through: Keywords = ()) -> Iterator[tuple[dict[str, Any], str, str]]:
    """Every schema object of a document with its base URI and pointer, parents first.

    The walk steps into `keywords` (by default every subschema) and `through`: a
    subschema under `through` is not yielded itself, but its own subschemas are.
    """
    stack: list[tuple[Any, str, str, bool]] = [(document, base, "", True)]
    while stack:
        node, parent_base, pointer, own = stack.pop()
        if not isinstance(node, dict):
            continue
        declared = node.get("$id")
        here = join(parent_base, declared) if isinstance(declared, str) else parent_base
        if own:
            yield node, here, pointer
        children = [(sub, here, at, True) for sub, at in subschemas(node, pointer, keywords)]
        children += [(sub, here, at, False) for sub, at in subschemas(node, pointer, through)]
        stack.extend(reversed(children))
