"""Drift: members and values the contract does not document, without touching the verdict.

The verdict always comes from the schema as written. Drift is read from the evaluation
annotations of that same validation (JSON Schema 2020-12 output format):

- a member of an object at instance location L is *documented* when some subschema
  that succeeded at L evaluated it through `properties`, `patternProperties`,
  `additionalProperties` or `unevaluatedProperties`; it is *undocumented* when L is
  described (some succeeding subschema at L has `properties`) and none did;
- a value at L is *undocumented* when some succeeding subschema at L carries an
  `x-documented` list and the value is in none of those lists.

"Succeeding" follows the annotation rules of the specification: nothing under `not` or
`propertyNames` counts, and an `anyOf`/`oneOf` branch, an `if` or a `contains` match
counts only when it holds. For a body that fails, the same walk keeps what the failing
parts' unconditional subschemas evaluated, so drift is still reported next to errors.

The fast path is one call: a *witness* schema, the schema as written with
`unevaluatedProperties: false` added at every member position and each `x-documented`
list added as an `enum` (in `allOf`, so pointers still resolve). Those additions only
strengthen subschemas in positions where strengthening is monotone, so a body the
witness accepts is valid and has no drift. Where that argument does not hold (a member
position or an `x-documented` list under `not`, `if`, `oneOf`, `contains` or
`$dynamicRef`, or an `x-documented` list under `anyOf`) there is no witness and every
body takes the annotation path.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from validator.errors import RespcontractError
from validator.load.resolver import (
    LIST,
    MAP,
    MISSING,
    ONE,
    Keywords,
    RefSite,
    UnresolvableRef,
    follow,
    next_position,
    replace_subschemas,
    shape_of,
    subschemas,
    walk_schemas,
)
from validator.load.schemas import DOCUMENTED_VALUES, SchemaStore
from validator.model.pointer import escape_token, pointer_tokens, unescape_token
from validator.model.record import record

MEMBER_KEYWORDS = ("properties", "patternProperties", "additionalProperties",
                   "unevaluatedProperties")
# Subschemas that describe a member or item: where the witness closes objects.
_CLOSED_AT: Keywords = (
    ("additionalProperties", ONE), ("items", ONE), ("unevaluatedItems", ONE),
    ("unevaluatedProperties", ONE), ("properties", MAP), ("patternProperties", MAP),
    ("prefixItems", LIST))
# Applicators in which a stronger subschema can make the parent weaker or pick another
# branch: the witness leaves their subschemas alone, so they must hold nothing drift sees.
_NON_MONOTONE = ("not", "if", "oneOf", "contains")
_DRIFT_KEYS = frozenset({*(k for k, _ in _CLOSED_AT), "$ref", "$dynamicRef",
                         DOCUMENTED_VALUES})
_MEMBER_POSITIONS = frozenset(k for k, _ in _CLOSED_AT)
# Keywords through which a schema object has members evaluated by other subschemas. Where
# none is present, `additionalProperties: false` closes the object exactly as
# `unevaluatedProperties: false` does, and jsonschema-rs checks it for much less (the
# latter re-evaluates the in-place subschemas to learn what they evaluated).
_IN_PLACE = frozenset({"$ref", "$dynamicRef", "$recursiveRef", "allOf", "anyOf", "oneOf",
                       "not", "if", "then", "else", "dependentSchemas", "dependencies",
                       "unevaluatedProperties"})
_ANNOTATIONS = frozenset({"title", "description", "$comment", "default", "examples",
                          "example", "deprecated", "readOnly", "writeOnly"})


@record(frozen=True)
class Drift:
    """One undocumented member or value: where, what, and the schema path that said so."""

    pointer: str
    message: str
    evaluation_path: tuple[str, ...]


class _NoWitness(RespcontractError):
    """The witness argument does not hold for this schema."""


def witness_registry(store: SchemaStore) -> Any:
    """A jsonschema-rs Registry of every document's witness variant, or None."""
    import jsonschema_rs

    if "witness" not in store.cache:
        try:
            documented = any(DOCUMENTED_VALUES in node for doc in store.documents.values()
                             for node, _, _ in walk_schemas(doc, ""))
            documents = {uri: _witness(doc, documented) for uri, doc in store.documents.items()}
            store.cache["witness-closed"] = _close_in_place(store, documents)
            store.cache["witness"] = jsonschema_rs.Registry(list(documents.items()))
        except (_NoWitness, RecursionError):
            store.cache["witness"] = None
    return store.cache["witness"]


def closed_root(store: SchemaStore, main: dict[str, Any]) -> dict[str, Any]:
    """The witness of an endpoint's `{"$ref": ...}` root: closed here, unless its target
    is closed in place (see _close_in_place)."""
    try:
        target = store.index.resolve(store.base_uri, main["$ref"])
    except UnresolvableRef:
        return {**main, "unevaluatedProperties": False}
    if target.key in store.cache.get("witness-closed", ()):
        return main
    return {**main, "unevaluatedProperties": False}


def _close_in_place(store: SchemaStore, documents: dict[str, Any]) -> frozenset[str]:
    """Close, with `additionalProperties: false`, each schema that is only ever reached
    through a plain member `$ref` (or as an endpoint's root) and evaluates members itself
    alone, and drop the closing of those `$ref` sites: the same witness, checked once per
    object instead of re-evaluating the target for `unevaluatedProperties` at each site.
    Returns the target keys closed so (what a site's or a root's closing may leave out)."""
    plain: dict[str, list[RefSite]] = {}
    elsewhere: set[str] = set()
    for site in store.index.ref_sites:
        try:
            target = store.index.resolve(site.base, site.ref)
        except UnresolvableRef:
            return frozenset()
        written = follow(store.documents.get(site.doc), site.pointer)
        if site.keyword == "$ref" and _plain_ref(written) and _member_position(site.pointer):
            plain.setdefault(target.key, []).append(site)
        else:
            elsewhere.add(target.key)
    # every document's root, which an endpoint may name (and close as closed_root says)
    roots: dict[str, list[RefSite]] = {f"{uri}#": [] for uri in store.documents}
    closed = set()
    for key, sites in {**roots, **plain}.items():
        uri, _, pointer = key.partition("#")
        node = follow(store.documents.get(uri), pointer)
        if key in elsewhere or not isinstance(node, dict) or _IN_PLACE & node.keys():
            continue
        follow(documents[uri], pointer).setdefault("additionalProperties", False)
        for site in sites:
            follow(documents[site.doc], site.pointer).pop("unevaluatedProperties", None)
        closed.add(key)
    return frozenset(closed)


def _plain_ref(node: Any) -> bool:
    """A `$ref` with nothing beside it but annotations."""
    return isinstance(node, dict) and "$ref" in node and all(
        key == "$ref" or key in _ANNOTATIONS or (key.startswith("x-") and
                                                 key != DOCUMENTED_VALUES) for key in node)


def _member_position(pointer: str) -> bool:
    """Whether a subschema pointer ends at a member or item position (`_CLOSED_AT`)."""
    tokens, at, keyword = pointer_tokens(pointer), 0, None
    while at < len(tokens):
        keyword = tokens[at]
        shape = shape_of(keyword)
        if shape is None:
            return False
        at += 1 if shape == ONE else 2
    return at == len(tokens) and keyword in _MEMBER_POSITIONS


def _witness(document: Any, documented: bool) -> Any:
    copied = copy.deepcopy(document)
    _strengthen(copied, under_any_of=False, documented=documented)
    return copied


def _strengthen(node: Any, under_any_of: bool, documented: bool) -> None:
    """Add the witness keywords to one subschema and everything below it, in place."""
    if not isinstance(node, dict):
        return
    if "$dynamicRef" in node:
        raise _NoWitness
    if under_any_of and (DOCUMENTED_VALUES in node or (documented and "$ref" in node)):
        raise _NoWitness  # a stronger branch could hand the verdict to a looser one
    values = node.get(DOCUMENTED_VALUES)
    if isinstance(values, list):
        node["allOf"] = [*node.get("allOf", []), {"enum": values}]
    for keyword in _NON_MONOTONE:
        for sub in _subschemas_of(node, keyword):
            if any(_DRIFT_KEYS & inner.keys() for inner, _, _ in walk_schemas(sub, "")):
                raise _NoWitness
    replace_subschemas(node, _CLOSED_AT,
                       lambda sub: _closed(sub, under_any_of, documented))
    for keyword in ("allOf", "then", "else", "dependentSchemas", "$defs", "definitions"):
        for sub in _subschemas_of(node, keyword):
            _strengthen(sub, under_any_of and keyword != "$defs", documented)
    for sub in _subschemas_of(node, "anyOf"):
        _strengthen(sub, True, documented)


def _closed(sub: Any, under_any_of: bool, documented: bool) -> Any:
    if sub is True:
        return {"additionalProperties": False}
    if isinstance(sub, dict):
        _strengthen(sub, under_any_of, documented)
        if "additionalProperties" in sub:
            pass  # every member is evaluated here already
        elif _IN_PLACE & sub.keys():
            sub.setdefault("unevaluatedProperties", False)
        else:
            sub["additionalProperties"] = False  # the same, where nothing else evaluates
    return sub


def _subschemas_of(node: dict[str, Any], keyword: str) -> list[Any]:
    shape = shape_of(keyword)
    return [sub for sub, _ in subschemas(node, "", ((keyword, shape),))] if shape else []


# -- the annotation walk --------------------------------------------------------------


@record
class _Seen:
    """What the kept subschemas said about one instance location."""

    evaluated: set[str]
    described: bool
    lists: list[tuple[list[Any], tuple[str, ...]]]
    member_path: tuple[str, ...] = ()


def drift_in(output: dict[str, Any], body: Any, failed: set[str], prefix: tuple[str, ...],
             closed: frozenset[str] = frozenset(),
             declared: Callable[[tuple[str, ...]], Any] = lambda tokens: None) -> list[Drift]:
    """Undocumented members and values, from a flat ("list") evaluation output.

    `prefix` selects the subtree that counts (the response schema inside the combined
    validator); `failed` holds instance pointers that already have errors (a value that
    is wrong is not also reported as undocumented), `closed` those where the schema's own
    `additionalProperties`/`unevaluatedProperties` already rejected members.
    """
    seen: dict[str, _Seen] = {}
    for node in _kept_nodes(output, prefix):
        tokens, location = node["path"], node["instance"]
        annotations = node["annotations"]
        entry = seen.setdefault(location, _Seen(set(), False, []))
        keyword = None if node["applied"] else _last_keyword(tokens)
        if keyword in ("additionalProperties", "unevaluatedProperties"):
            # what these keywords apply to is every member the others left over: when
            # they hold, every member here is evaluated (whether or not the output
            # lists the names, which not every version does for unevaluatedProperties)
            entry.evaluated.add("*")
        elif keyword == "patternProperties" and annotations is None:
            entry.evaluated.add("*")  # a failing unit lists no names: assume it covers all
        elif keyword == "properties" and annotations is None:
            # a failing unit lists no names: read them from the schema itself
            names = declared(tokens)
            value = follow(body, location)
            entry.evaluated.update(n for n in names or () if isinstance(value, dict)
                                   and n in value)
            entry.described = True
            entry.member_path = entry.member_path or tokens
        elif keyword in MEMBER_KEYWORDS and isinstance(annotations, list):
            entry.evaluated.update(str(a) for a in annotations)
            if keyword == "properties":
                entry.described = True
                entry.member_path = entry.member_path or tokens
        elif isinstance(annotations, dict) and isinstance(annotations.get(DOCUMENTED_VALUES),
                                                          list):
            entry.lists.append((annotations[DOCUMENTED_VALUES], tokens))
    found: list[Drift] = []
    for location, entry in sorted(seen.items()):
        value = follow(body, location)
        if entry.described and isinstance(value, dict) and "*" not in entry.evaluated and \
                location not in closed:
            for name in value:
                if name not in entry.evaluated:
                    found.append(Drift(f"{location}/{escape_token(name)}",
                                       f"undocumented property {name!r}: the contract does "
                                       "not declare it", entry.member_path))
        if entry.lists and location not in failed and value is not MISSING and not any(
                _contains(values, value) for values, _ in entry.lists):
            options = [v for values, _ in entry.lists for v in values]
            shown = ", ".join(map(str, dict.fromkeys(map(str, options))))
            found.append(Drift(location, f"undocumented value {value!r} (documented: {shown})",
                               entry.lists[0][1]))
    return found


def _kept_nodes(output: dict[str, Any], prefix: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Output units whose annotations count, from the flat ("list") output format.

    A unit is dropped when it lies under a failing conditional unit (an `anyOf`/`oneOf`
    branch, an `if`, a `contains` match) at an enclosing instance location, or under
    `not`/`propertyNames`. A keyword such as `additionalProperties` has one unit at the
    object and one per member it applied to, with the same evaluation path: `applied`
    tells the second kind apart (its instance's parent has a unit with that path).
    """
    units = []
    dropped: dict[tuple[str, ...], list[str]] = {}
    seen_at: set[tuple[tuple[str, ...], str]] = set()
    for unit in output.get("details", []) or []:
        path = unit.get("evaluationPath", unit.get("keywordLocation", ""))
        tokens = _tokens(path) if isinstance(path, str) else ()
        if tokens[:len(prefix)] != prefix[:len(tokens)]:
            continue
        instance = str(unit.get("instanceLocation", ""))
        if not _counts(tokens, bool(unit.get("valid", True))):
            dropped.setdefault(tokens, []).append(instance)
            continue
        seen_at.add((tokens, instance))
        if len(tokens) >= len(prefix) and ("annotations" in unit or _last_keyword(tokens) in
                                           MEMBER_KEYWORDS):
            units.append((tokens, instance, unit.get("annotations")))
    for tokens, instance, found in units:
        if dropped and _under_dropped(tokens, instance, dropped):
            continue
        parent = instance.rsplit("/", 1)[0] if instance else None
        yield {"path": tokens, "instance": instance, "annotations": found,
               "applied": parent is not None and (tokens, parent) in seen_at}


def _under_dropped(tokens: tuple[str, ...], instance: str,
                   dropped: dict[tuple[str, ...], list[str]]) -> bool:
    for length in range(len(tokens), 0, -1):
        for where in dropped.get(tokens[:length], ()):
            if instance == where or instance.startswith(where + "/") or not where:
                return True
    return False


@lru_cache(maxsize=65536)
def _tokens(pointer: str) -> tuple[str, ...]:
    """RFC 6901 tokens of a JSON pointer (fast path for tokens without escapes)."""
    if not pointer:
        return ()
    return tuple(t if "~" not in t else unescape_token(t)
                 for t in pointer[1:].split("/"))


@lru_cache(maxsize=65536)
def _counts(tokens: tuple[str, ...], valid: bool) -> bool:
    roles = _roles(tokens)
    if not tokens:
        return True
    last, role = tokens[-1], roles[-1]
    if any(r == "keyword" and t in ("not", "propertyNames") for t, r in zip(tokens, roles,
                                                                         strict=True)):
        return False
    if role == "keyword" and last in ("if", "contains") and not valid:
        return False
    parent = tokens[-2] if len(tokens) > 1 else ""
    return not (role == "index" and parent in ("anyOf", "oneOf") and not valid)


@lru_cache(maxsize=65536)
def _roles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """For each token of an evaluation path: keyword, index, name or other."""
    roles: list[str] = []
    expect = "keyword"
    for token in tokens:
        roles.append(expect)
        _, expect = next_position(expect, token, through_refs=True)
    return tuple(roles)


@lru_cache(maxsize=65536)
def _last_keyword(tokens: tuple[str, ...]) -> str | None:
    roles = _roles(tokens)
    return tokens[-1] if tokens and roles[-1] == "keyword" else None


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON means it: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _contains(values: list[Any], value: Any) -> bool:
    return any(json_equal(v, value) for v in values)
