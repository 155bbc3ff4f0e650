from __future__ import annotations

import pytest

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
