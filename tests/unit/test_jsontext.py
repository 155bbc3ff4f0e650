from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from validator.formats import json as jsontext
from validator.formats.json import (
    decode_text,
    iter_keys,
    line_column,
    loads_bytes_strict,
    loads_strict,
    locate,
)
from validator.model.pointer import pointer_tokens


@pytest.mark.parametrize(("raw", "rule"), [
    (b"", "body-empty"),
    (b"  \n", "body-empty"),
    (b'{"a": NaN}', "body-nonfinite"),
    (b'{"a": -Infinity}', "body-nonfinite"),
    (b'{"a": 1} {"b": 2}', "body-trailing-data"),
    (b'{"a": 1', "body-json"),
    (b"\xef\xbb\xbf{}", "body-encoding"),
    (b'{"a": "\xff"}', "body-encoding"),
    (b'{"a": 1, "a": 2}', "body-duplicate-key"),
    (b"[" * 100_000 + b"]" * 100_000, "body-json"),
])
def test_strict_decoding_turns_each_leniency_into_a_problem(raw: bytes, rule: str) -> None:
    value, problem = loads_bytes_strict(raw)
    assert value is None
    assert problem is not None and problem.rule == rule


def test_valid_json_decodes_without_problem() -> None:
    assert loads_strict('{"a": [1, "x", null, {"b": true}]}') == (
        {"a": [1, "x", None, {"b": True}]}, None)


def test_duplicate_key_is_located_by_pointer_and_offset() -> None:
    text = '{"jobs": [{"id": "1"}, {"id": "2", "id": "3"}]}'
    _, problem = loads_strict(text)
    assert problem is not None
    assert problem.pointer == "/jobs/1/id"
    assert text[problem.pos:problem.pos + 4] == '"id"'
    assert problem.pos > text.index('"2"')


def test_nan_inside_a_string_is_not_reported_there() -> None:
    text = '{"note": "NaN here", "x": NaN}'
    _, problem = loads_strict(text)
    assert problem is not None and problem.pos == text.rindex("NaN")


def test_invalid_utf8_names_the_byte() -> None:
    _, problem = decode_text(b'{"a": "\xc3\x28"}')
    assert problem is not None and "0xc3" in problem.message and "byte 7" in problem.message


def test_locate_finds_nested_values_and_misses_absent_ones() -> None:
    text = '{\n  "a": [1, {"b/c": 2, "d~e": [true, "s"]}],\n  "z": {}\n}'
    assert line_column(text, locate(text, pointer_tokens("/a/1/b~1c"))) == (2, 20)
    assert text[locate(text, pointer_tokens("/a/1/d~0e/1")):].startswith('"s"')
    assert locate(text, pointer_tokens("/z")) == text.index("{}")
    assert locate(text, pointer_tokens("/a/5")) is None
    assert locate(text, pointer_tokens("/missing")) is None
    assert locate(text, []) == 0


def test_iter_keys_reports_every_key_with_its_object_pointer() -> None:
    keys = [(p, k, seen) for p, k, _, seen in iter_keys('{"a": {"b": [{"c": 1}]}, "a": 2}')]
    assert keys == [("", "a", False), ("/a", "b", False), ("/a/b/0", "c", False),
                    ("", "a", True)]


# --- the native fast path agrees with the strict decoder on every document -------------


_KEYS = st.sampled_from(["a", "b", "a:b", "a\\u003ab", "\\u0061", "id", ""])
_SCALARS = st.sampled_from([
    "0", "-0", "1", "-1", "1.0", "-0.0", "1e2", "1E400", "1e999", "-1e999", "NaN",
    "Infinity", "9223372036854775807", "9223372036854775808", "123456789012345678901234",
    "-18446744073709551617", "0.1", "2.5e-324", "true", "false", "null", '"x"', '"a:b"',
    '"\\ud800"', '"\\ud83d\\ude00"', '"\\u003a"', '"5020928000002387017"', "01", "1.",
])


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["scalar", "array", "object"] if depth < 4 else ["scalar"]))
    if kind == "scalar":
        return draw(_SCALARS)
    if kind == "array":
        return "[" + ",".join(draw(st.lists(documents(depth + 1), max_size=3))) + "]"
    members = draw(st.lists(st.tuples(_KEYS, documents(depth + 1)), max_size=4))
    return "{" + ",".join(f'"{k}":{v}' for k, v in members) + "}"


def _same(a: tuple[object, object], b: tuple[object, object]) -> bool:
    return repr(a) == repr(b)  # -0.0 vs 0.0 and 1 vs 1.0 must match exactly too


@contextmanager
def native(parser: str) -> Iterator[None]:
    """Every document parsed by `parser` (msgspec takes over from LEAN_FROM bytes)."""
    original = jsontext.LEAN_FROM
    jsontext.LEAN_FROM = 0 if parser == "msgspec" else original
    try:
        yield
    finally:
        jsontext.LEAN_FROM = original


PARSERS = pytest.mark.parametrize("parser", ["orjson", "msgspec"])


@PARSERS
@settings(max_examples=600, deadline=None)
@given(text=documents(), padding=st.sampled_from(["", " ", "\n", " x", "\ufeff"]))
@example(text='{"a":1,"a":2}', padding="")
@example(text='{"a\\u003ab":1,"a:b":2}', padding="")
@example(text="[123456789012345678901234]", padding="")
@example(text="[" * 1100 + "]" * 1100, padding="")
def test_the_fast_path_and_the_strict_decoder_agree(parser: str, text: str,
                                                   padding: str) -> None:
    whole = text + padding if padding != "\ufeff" else padding + text
    exact = jsontext._loads_exact(whole)
    data = whole.encode("utf-8", "surrogatepass")
    exact_bytes = jsontext.decode_text(data)
    expected = (None, exact_bytes[1]) if exact_bytes[0] is None else exact
    with native(parser):
        assert _same(jsontext.loads_strict(whole), exact)
        assert _same(jsontext.loads_bytes_strict(data), expected)


# --- one index locates every value, in any order ----------------------------------------

_JSON = st.recursive(st.none() | st.integers() | st.text(max_size=4),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=3), inner, max_size=4), max_leaves=20)


def _paths(value: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, str(index)))
    return found


@settings(max_examples=300, deadline=None)
@given(value=_JSON, indent=st.sampled_from([None, 1, 2]), data=st.data())
def test_the_index_finds_every_value_in_any_order(value: object, indent: int | None,
                                                   data: st.DataObject) -> None:
    text = json.dumps(value, indent=indent)
    index = jsontext.JsonIndex(text)
    paths = data.draw(st.permutations(_paths(value)))
    for path in paths:
        node = value
        for token in path:
            node = node[int(token)] if isinstance(node, list) else node[token]  # type: ignore[index]
        offset = index.offset(list(path))
        assert offset is not None
        assert json.JSONDecoder().raw_decode(text, offset)[0] == node


@PARSERS
@settings(max_examples=400, deadline=None)
@given(text=documents())
@example(text='{"a":{"b":[{"c":1,"c":2}]}}')
@example(text='{"a:b":{"c\\u003ad":1,"c:d":2}}')
@example(text='{"a":[[123456789012345678901234]]}')
@example(text='{"x:y":[{"k:":"v:"}],"z":[1e5, -2]}')
def test_the_piecewise_proof_of_large_documents_agrees_with_the_strict_decoder(
        parser: str, text: str) -> None:
    # large documents are re-encoded child by child (no second full-size copy); forced on
    # here for every document, the verdicts must still be the strict decoder's
    original = jsontext.CHUNKED_FROM
    jsontext.CHUNKED_FROM = 0
    try:
        with native(parser):
            assert _same(jsontext.loads_strict(text), jsontext._loads_exact(text))
            assert _same(jsontext.loads_bytes_strict(text.encode("utf-8", "surrogatepass")),
                         jsontext._loads_exact(text))
    finally:
        jsontext.CHUNKED_FROM = original

