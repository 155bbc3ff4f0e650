"""Hypothesis strategies for schemas (refs, ids, anchors, applicators) and bodies."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

# property names that need escaping in pointers (~ /), in URIs (% # ? space " é)
NAMES = ["a", "b", "a b", "50%", "#x", "t~1", "s/l", 'q"', "w?", "é", "ü~/"]
PATTERNS = ["^a", "b$", "%", "^é", "~"]
ROOT_ID = "https://example.com/s/root.json"

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([1.5, 2.0]),
                    st.sampled_from(["", "a", "é", "50%"]))


def bodies() -> st.SearchStrategy[Any]:
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(NAMES), inner, max_size=4)), max_leaves=10)


def pointer_ref(name: str) -> str:
    """`#/$defs/<name>` written as a URI fragment: pointer-escaped, then percent-encoded."""
    token = name.replace("~", "~0").replace("/", "~1")
    return "#/$defs/" + quote(token, safe="~!$&'()*+,;=:@")


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """One schema document with $defs that reference earlier ones (never a loop)."""
    rooted = draw(st.booleans())
    count = draw(st.integers(0, 3))
    defs: dict[str, Any] = {}
    refs: list[tuple[str, str]] = []  # (ref from the root resource, ref from an embedded one)
    for i in range(count):
        name = draw(st.sampled_from(NAMES)) + str(i)
        embedded = rooted and draw(st.booleans())
        body = draw(schemas([inside for _, inside in refs] if embedded else
                            [outside for outside, _ in refs]))
        if not isinstance(body, dict):
            body = {"allOf": [body]}
        body = dict(body)
        if embedded:
            relative = draw(st.booleans())
            body["$id"] = f"sub/d{i}.json" if relative else f"https://example.com/s/sub/d{i}.json"
            refs.append((f"sub/d{i}.json", f"d{i}.json"))
        elif draw(st.booleans()):
            body["$anchor"] = f"anchor{i}"
            absolute = f"{ROOT_ID}#anchor{i}"
            refs.append((f"#anchor{i}" if not rooted or draw(st.booleans()) else absolute,
                         absolute if rooted else f"#anchor{i}"))
        else:
            outside = pointer_ref(name)
            refs.append((outside, f"{ROOT_ID}{outside}" if rooted else outside))
        defs[name] = body
    root = draw(schemas([outside for outside, _ in refs]))
    if not isinstance(root, dict):
        root = {"allOf": [root]}
    root = dict(root)
    if defs:
        root["$defs"] = defs
    if rooted:
        root["$id"] = ROOT_ID
    return root


def schemas(refs: list[str]) -> st.SearchStrategy[Any]:
    leaves: list[st.SearchStrategy[Any]] = [
        st.just({}), st.just(True),
        st.builds(lambda t: {"type": t}, st.sampled_from(
            ["object", "array", "string", "integer", "number", "null", "boolean"])),
        st.builds(lambda v: {"const": v}, scalars),
        st.builds(lambda v: {"enum": v}, st.lists(scalars, min_size=1, max_size=3)),
        st.builds(lambda v: {"x-documented": v}, st.lists(scalars, min_size=1, max_size=3)),
        st.builds(lambda n: {"minimum": n}, st.integers(-2, 2)),
        st.builds(lambda n: {"required": n}, st.lists(st.sampled_from(NAMES), max_size=2,
                                                      unique=True)),
    ]
    if refs:
        leaves.append(st.builds(lambda r: {"$ref": r}, st.sampled_from(refs)))
    leaf = st.one_of(leaves)
    return st.recursive(leaf, _extend, max_leaves=6)


def _extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    maps = st.dictionaries(st.sampled_from(NAMES), inner, min_size=1, max_size=3)
    group = st.one_of(
        st.builds(lambda m: {"properties": m}, maps),
        st.builds(lambda s: {"additionalProperties": s}, inner | st.just(False)),
        st.builds(lambda s: {"unevaluatedProperties": s}, inner | st.just(False)),
        st.builds(lambda m: {"patternProperties": m},
                  st.dictionaries(st.sampled_from(PATTERNS), inner, min_size=1, max_size=2)),
        st.builds(lambda m: {"dependentSchemas": m}, maps),
        st.builds(lambda xs: {"allOf": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"anyOf": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"oneOf": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, inner, inner, inner),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda s: {"contains": s}, inner),
    )
    return st.lists(group, min_size=1, max_size=3).map(_merge)


def _merge(groups: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for group in groups:
        for key, value in group.items():
            merged.setdefault(key, value)
    return merged
