"""Strings for a pattern, built from the parsed regex: fast, and with edges.

`general` draws each repetition count anywhere in its range; `edge` puts every count
at its smallest or largest, so `^[0-9]{1,19}$` yields one-digit and nineteen-digit
strings (the IDs that overflow a float). A repeated character class becomes a single
`st.text` draw, far cheaper than generating character by character. Patterns using
constructs this walker does not know (lookarounds, backreferences, negated classes)
return None, and the caller falls back to hypothesis's `from_regex`.
"""

from __future__ import annotations

import importlib
import re
import string
from typing import Any

from hypothesis import strategies as st

from validator.errors import RespcontractError

# the regex parser behind `re` (public as sre_parse before Python 3.11, which now warns)
sre_parse: Any = importlib.import_module("re._parser")

UNBOUNDED_EXTRA = 12  # how far past its minimum an unbounded repeat (`*`, `+`) goes
_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_SPACE": " \t",
}
_ANY_CHARS = string.ascii_letters + string.digits + " _-.é"


class _Unknown(RespcontractError):
    pass


def pattern_strings(pattern: str, edge: bool) -> st.SearchStrategy[str] | None:
    """Strings matching `pattern` (JSON Schema semantics), or None if unsupported."""
    try:
        parsed = sre_parse.parse(pattern, re.ASCII)
        built = _Builder(edge).sequence(list(parsed))
    except (_Unknown, re.error, RecursionError, OverflowError):
        return None
    compiled = re.compile(pattern, re.ASCII)
    return built.filter(lambda s: "\n" not in s and compiled.search(s) is not None)


class _Builder:
    def __init__(self, edge: bool) -> None:
        self.edge = edge

    def sequence(self, items: list[tuple[Any, Any]]) -> st.SearchStrategy[str]:
        parts = [self.item(op, arg) for op, arg in items]
        if not parts:
            return st.just("")
        if len(parts) == 1:
            return parts[0]
        return st.tuples(*parts).map("".join)

    def item(self, op: Any, arg: Any) -> st.SearchStrategy[str]:
        name = str(op)
        if name == "AT":
            return st.just("")
        chars = _chars(op, arg)
        if chars is not None:
            return st.sampled_from(chars) if len(chars) > 1 else st.just(chars)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            return self.repeat(*arg)
        if name == "SUBPATTERN":
            return self.sequence(list(arg[-1]))
        if name == "BRANCH":
            return st.one_of([self.sequence(list(alt)) for alt in arg[1]])
        raise _Unknown(name)

    def repeat(self, low: int, high: Any, sub: Any) -> st.SearchStrategy[str]:
        largest = low + UNBOUNDED_EXTRA if high == sre_parse.MAXREPEAT else int(high)
        items = list(sub)
        single = _chars(*items[0]) if len(items) == 1 else None
        if single is not None:  # one class repeated: a single text draw
            if not self.edge:
                return st.text(single, min_size=low, max_size=largest)
            return st.sampled_from(sorted({low, largest})).flatmap(
                lambda n: st.text(single, min_size=n, max_size=n))
        body = self.sequence(items)
        if not self.edge:
            return st.lists(body, min_size=low, max_size=largest).map("".join)
        return st.sampled_from(sorted({low, largest})).flatmap(
            lambda n: st.lists(body, min_size=n, max_size=n).map("".join))


def _chars(op: Any, arg: Any) -> str | None:
    """The characters one regex item can match, or None when it is not a single char."""
    name = str(op)
    if name == "LITERAL":
        return str(chr(arg))
    if name == "ANY":
        return _ANY_CHARS
    if name == "CATEGORY":
        return _category(arg)
    if name != "IN":
        return None
    chars: list[str] = []
    for item_op, item_arg in arg:
        kind = str(item_op)
        if kind == "LITERAL":
            chars.append(chr(item_arg))
        elif kind == "RANGE":
            low, high = item_arg
            if high - low > 400:
                raise _Unknown("wide range")
            chars += [chr(c) for c in range(low, high + 1)]
        elif kind == "CATEGORY":
            chars += list(_category(item_arg))
        else:
            raise _Unknown(kind)
    if not chars:
        raise _Unknown("empty class")
    return "".join(dict.fromkeys(chars))


def _category(arg: Any) -> str:
    found = _CATEGORY_CHARS.get(str(arg))
    if found is None:
        raise _Unknown(str(arg))
    return found
