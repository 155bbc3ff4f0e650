from __future__ import annotations

import pytest

from validator.errors import SourceError
from validator.formats import yaml as yamltext


def test_loads_safe_yaml_and_keeps_dates_as_text() -> None:
    value, root = yamltext.load("a: 1\nwhen: 2026-11-20\nlist: [x, {b: null}]\n")
    assert value == {"a": 1, "when": "2026-11-20", "list": ["x", {"b": None}]}
    node = yamltext.locate(root, ["list", "1", "b"])
    assert node is not None and yamltext.position(node) == (3, 15)


@pytest.mark.parametrize(("text", "words", "line"), [
    ("a: 1\na: 2\n", "duplicate key 'a'", 2),
    ("a: !!python/object/apply:os.system [ls]\n", "not allowed", 1),
    ("a: 1\n---\nb: 2\n", "several", 2),
    ("a: [1\n", "invalid YAML", 2),
])
def test_unsafe_or_ambiguous_yaml_is_refused_with_a_line(text: str, words: str,
                                                          line: int) -> None:
    with pytest.raises(SourceError) as caught:
        yamltext.load(text)
    assert words in caught.value.message
    assert caught.value.line == line


def test_alias_bomb_is_refused_before_expansion() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(SourceError, match="alias bomb"):
        yamltext.load("\n".join(lines) + "\n")


def test_shared_aliases_within_limits_load() -> None:
    value, _ = yamltext.load("base: &h {Accept: json}\none: *h\ntwo: *h\n")
    assert value["one"] == value["two"] == {"Accept": "json"}
