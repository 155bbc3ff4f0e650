"""`record` behaves as @dataclass does (the standard library is the oracle): the same
__init__ defaults and errors, repr, equality, hashing, frozen assignment, `replace`,
pickling and __post_init__, on the same class definitions."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.model import record as records


def _define(decorate: Any, make_field: Any, frozen: bool) -> tuple[type, type]:
    @decorate(frozen=frozen)
    class Base:
        name: str
        count: int = 0
        tags: list[str] = make_field(default_factory=list)
        note: Any = make_field(default=None, compare=False, repr=False)

    @decorate(frozen=frozen)
    class Child(Base):
        extra: tuple[int, ...] = ()
        hidden: dict[str, int] = make_field(default_factory=dict, init=False)

    for cls in (Base, Child):  # importable by name, as pickle needs
        cls.__name__ = cls.__qualname__ = f"{cls.__name__}_{decorate.__name__}_{frozen}"
        globals()[cls.__name__] = cls
    return Base, Child


def _hash(obj: Any) -> int | str:
    try:
        return hash(obj)
    except TypeError as exc:  # a list field: unhashable, frozen or not
        return str(exc)


CLASSES = {(kind, frozen): _define(decorate, make_field, frozen)
           for kind, decorate, make_field in (("dataclass", dataclasses.dataclass,
                                                dataclasses.field),
                                               ("record", records.record, records.field))
           for frozen in (False, True)}

values = st.fixed_dictionaries({"name": st.text(max_size=3)}, optional={
    "count": st.integers(-2, 2), "tags": st.lists(st.sampled_from("ab"), max_size=2),
    "note": st.none() | st.integers(0, 1), "extra": st.tuples(st.integers(0, 1))})


def _pair(frozen: bool, child: bool) -> tuple[type, type]:
    index = 1 if child else 0
    return CLASSES["dataclass", frozen][index], CLASSES["record", frozen][index]


def _fields(obj: Any) -> dict[str, Any]:
    return dict(vars(obj))


@given(values, values, st.booleans(), st.booleans())
def test_record_matches_dataclass(first: dict[str, Any], second: dict[str, Any],
                                  frozen: bool, child: bool) -> None:
    if not child:
        first.pop("extra", None)
        second.pop("extra", None)
    oracle, mine = _pair(frozen, child)
    a, b = oracle(**first), oracle(**second)
    x, y = mine(**first), mine(**second)
    assert _fields(x) == _fields(a)
    assert repr(x).split("(", 1)[1] == repr(a).split("(", 1)[1]
    assert (x == y) == (a == b)
    assert x != a and (x == a) is False  # another class: never equal
    if frozen:
        assert (_hash(x) == _hash(y)) == (_hash(a) == _hash(b))
        assert isinstance(_hash(x), str) == isinstance(_hash(a), str)
        with pytest.raises(AttributeError):
            x.name = "changed"  # type: ignore[misc]
    else:
        assert oracle.__hash__ is None and mine.__hash__ is None
    changed = records.replace(x, count=7)
    assert _fields(changed) == _fields(dataclasses.replace(a, count=7))
    assert _fields(pickle.loads(pickle.dumps(x))) == _fields(x)


@pytest.mark.parametrize("frozen", [False, True])
def test_init_refuses_what_dataclass_refuses(frozen: bool) -> None:
    for cls in _pair(frozen, child=True):
        with pytest.raises(TypeError):
            cls()  # the field without a default
        with pytest.raises(TypeError):
            cls("n", unknown=1)
        with pytest.raises(TypeError):
            cls("n", hidden={})  # init=False


def test_post_init_runs_after_the_fields_are_set() -> None:
    seen: list[Any] = []

    @records.record
    class Traced:
        value: int
        derived: int = records.field(init=False)

        def __post_init__(self) -> None:
            self.derived = self.value * 2
            seen.append(self.value)

    assert Traced(3).derived == 6 and seen == [3]


def test_a_cycle_shows_as_dots_in_repr() -> None:
    @records.record
    class Node:
        other: Any = None

    node = Node()
    node.other = node
    assert repr(node).endswith("Node(other=...)")


@given(st.integers(0, 3), st.integers(0, 3), st.integers(0, 1), st.integers(0, 1))
def test_frozen_hash_follows_the_compared_fields(x: int, y: int, note: int,
                                                 other_note: int) -> None:
    def define(decorate: Any, make_field: Any) -> type:
        @decorate(frozen=True)
        class Point:
            x: int
            y: int = 0
            note: int = make_field(default=0, hash=False, compare=False)

        return Point

    for cls in (define(dataclasses.dataclass, dataclasses.field),
                define(records.record, records.field)):
        assert (hash(cls(x, y, note)) == hash(cls(x, y, other_note)))
        assert (cls(x, y, note) == cls(y, x, note)) == (x == y)
    mine, oracle = define(records.record, records.field), define(dataclasses.dataclass,
                                                                 dataclasses.field)
    assert hash(mine(x, y)) == hash(oracle(x, y))  # both hash the tuple of compared fields
