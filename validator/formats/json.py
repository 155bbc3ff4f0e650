"""Strict JSON decoding and JSON-pointer locations inside JSON text.

The standard library parser accepts duplicate keys (last one wins), NaN and
Infinity. A contract tester must not: each of those is a finding. Positions are
only computed when something is wrong, so the happy path stays a single
``json.loads``.
"""

from __future__ import annotations

import bisect
import gc
import json
import math
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from validator.errors import RespcontractError
from validator.model.pointer import escape_token, make_pointer
from validator.model.record import record

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")
BOM = b"\xef\xbb\xbf"
# possessive, so that a 10 MB string is matched in constant memory (the plain alternation
# `"(?:[^"\\]|\\.)*"` kept backtracking state for every character: 1.2 GB for 10 MB)
_STRING_LITERAL = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_NUMBER = re.compile(r"-?\d+")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@record(frozen=True)
class JsonProblem:
    """Why a body is not strict JSON; ``pos`` is a character offset, ``pointer`` where known."""

    rule: str
    message: str
    pos: int | None = None
    pointer: str = ""


class _DuplicateKey(RespcontractError):
    pass


class _NonFinite(RespcontractError):
    pass


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _reject_constant(name: str) -> Any:
    raise _NonFinite(name)


def _finite_float(literal: str) -> float:
    # 1e999 is valid JSON grammar but reads as infinity, which no JSON value can be
    value = float(literal)
    if math.isinf(value):
        raise _NonFinite(literal)
    return value


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large tree of containers.

    Parsed JSON and YAML hold no reference cycles, yet every few thousand new dicts and
    lists trigger a collection that walks all of them again: on a 100 MB body that
    roughly doubles the parse time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decode_text(data: bytes) -> tuple[str | None, JsonProblem | None]:
    """Bytes to text: UTF-8 only, no byte order mark."""
    if data.startswith(BOM):
        return None, JsonProblem(
            "body-encoding", "expected UTF-8 JSON without a byte order mark, found a BOM", 0
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, JsonProblem(
            "body-encoding", f"expected UTF-8, found invalid byte 0x{data[exc.start]:02x} "
            f"at byte {exc.start}", None
        )


_NOT_PROVEN: Any = object()
GC_PAUSE_FROM = 1 << 16  # bytes or characters
CHUNKED_FROM = 1 << 22  # from 4 MiB, the proof re-encodes the document piece by piece
# From 16 MiB msgspec parses instead of orjson: orjson first builds a tree of its own
# (about another copy of the document), then the Python objects, so a 114 MB HAR peaked
# at 376 MB in the parse against 258 MB with msgspec (benchmarks/bench_memory.py). Below
# this size orjson is used: msgspec costs about 10 ms more to import.
LEAN_FROM = 1 << 24


def _fast(data: str | bytes) -> Any:
    """The value, parsed natively by orjson or msgspec, when that provably equals the
    strict parse.

    Both refuse NaN, infinities, trailing data, lone surrogates, invalid UTF-8 and deep
    nesting; both silently keep the last of duplicate keys, and orjson reads integers
    beyond 64 bits as floats. So the value is used only when (1) the value re-encoded
    holds as many colons as the text (each member writes one, a dropped duplicate none)
    and the text has no `\\u003a`-style escape (an escaped colon would not be counted),
    and (2) the re-encoding has no `e+` (every float that an integer literal turned into
    is >= 2**63, which orjson writes with a positive exponent; msgspec keeps such integers
    exact). Anything else, or any error, is _NOT_PROVEN, and the exact strict decoder runs
    and says what is wrong.
    """
    native = _native(len(data))
    if native is None:  # pragma: no cover - both are dependencies; stay correct without
        return _NOT_PROVEN
    loads, dumps, errors = native
    if _has_escaped_colon(data):
        return _NOT_PROVEN
    try:
        if len(data) < GC_PAUSE_FROM:  # a small document: pausing costs more than it saves
            value = loads(data)
        else:
            with gc_paused():
                value = loads(data)
        written = _reencoded_colons(value, dumps, 0 if len(data) < CHUNKED_FROM else 3)
    except errors:
        return _NOT_PROVEN
    colons = data.count(b":") if isinstance(data, bytes) else data.count(":")
    if written is None or written != colons:
        return _NOT_PROVEN
    return value


def _native(size: int) -> tuple[Any, Any, tuple[type[BaseException], ...]] | None:
    """(loads, dumps, the errors they raise) of the native parser for a document's size."""
    if size >= LEAN_FROM:
        try:
            import msgspec
        except ImportError:  # pragma: no cover - a dependency; orjson then
            pass
        else:
            return (msgspec.json.decode, msgspec.json.encode,
                    (msgspec.MsgspecError, RecursionError, TypeError, ValueError))
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency
        return None
    return orjson.loads, orjson.dumps, (orjson.JSONDecodeError, orjson.JSONEncodeError,
                                        TypeError)


def _reencoded_colons(value: Any, dumps: Any, depth: int) -> int | None:
    """The colons of `value` re-encoded, or None if that holds an `e+` (a big integer).

    With `depth` > 0 the outer containers are taken apart and each child is encoded on its
    own, so a large document never has a second full-size copy: a member writes one colon
    of its own, plus those of its key (neither encoder escapes a colon) and of its value.
    """
    if depth and isinstance(value, dict):
        total = len(value)
        for key, child in value.items():
            inner = _reencoded_colons(child, dumps, depth - 1)
            if inner is None:
                return None
            total += key.count(":") + inner
        return total
    if depth and isinstance(value, list):
        total = 0
        for child in value:
            inner = _reencoded_colons(child, dumps, depth - 1)
            if inner is None:
                return None
            total += inner
        return total
    encoded: bytes = dumps(value)
    if b"+" in encoded and b"e+" in encoded:
        return None
    return encoded.count(b":")


def _has_escaped_colon(data: str | bytes) -> bool:
    """Whether the text may hold a `\\u003a` escape (the backslash scan is the fast one)."""
    if isinstance(data, bytes):
        return b"\\" in data and b"\\u003" in data
    return "\\" in data and "\\u003" in data


def loads_strict(text: str) -> tuple[Any, JsonProblem | None]:
    """Parse JSON text, returning (value, None) or (None, the first problem)."""
    value = _fast(text)
    if value is not _NOT_PROVEN:
        return value, None
    return _loads_exact(text)


def _loads_exact(text: str) -> tuple[Any, JsonProblem | None]:
    """The strict decoder itself: every problem found and placed."""
    if not text.strip():
        return None, JsonProblem("body-empty", "expected a JSON document, found an empty body", 0)
    try:
        with gc_paused():
            value = json.loads(
                text, object_pairs_hook=_pairs_without_duplicates,
                parse_constant=_reject_constant, parse_float=_finite_float,
            )
    except _DuplicateKey:
        return None, _first_duplicate(text)
    except _NonFinite as exc:
        return None, _non_finite(text, str(exc))
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return None, JsonProblem(
                "body-trailing-data", "expected the JSON document to end, found trailing data",
                exc.pos,
            )
        return None, JsonProblem("body-json", f"expected valid JSON: {exc.msg}", exc.pos)
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        return None, _long_integer(text)
    except RecursionError:
        return None, JsonProblem("body-json", "expected JSON nested to a sane depth, found "
                                 "nesting too deep to parse", None)
    if _SURROGATE_ESCAPE.search(text):  # rare: only then walk the strings
        problem = _lone_surrogate(value)
        if problem is not None:
            return None, problem
    return value, None


def loads_bytes_strict(data: bytes) -> tuple[Any, JsonProblem | None]:
    """Parse JSON bytes (UTF-8, no BOM), returning (value, None) or (None, the problem)."""
    if not data.startswith(BOM):
        value = _fast(data)
        if value is not _NOT_PROVEN:
            return value, None
    text, problem = decode_text(data)
    if text is None:
        return None, problem
    return _loads_exact(text)


def _non_finite(text: str, literal: str) -> JsonProblem:
    if literal in ("NaN", "Infinity", "-Infinity"):
        found = f"{literal} (not valid JSON)"
    else:
        found = f"{_clip(literal)} (too large for a double: it reads as infinity)"
    return JsonProblem("body-nonfinite", f"expected a finite number, found {found}",
                       _find_constant(text, literal))


def _long_integer(text: str) -> JsonProblem:
    limit = sys.get_int_max_str_digits()
    found = _outside_strings(text, rf"-?\d{{{limit + 1},}}")
    if found is None:
        return JsonProblem("body-limit", f"expected integers of at most {limit:,} digits")
    digits = len(_NUMBER.match(text, found).group().lstrip("-"))  # type: ignore[union-attr]
    return JsonProblem("body-limit", f"expected an integer of at most {limit:,} digits, "
                       f"found one of {digits:,} digits", found)


def _lone_surrogate(value: Any) -> JsonProblem | None:
    """A string (or key) holding half a UTF-16 pair, like "\\ud800": not valid Unicode."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if not _is_unicode(key):
                    return _surrogate_problem(path, "an object key")
                stack.append((item, [*path, key]))
        elif isinstance(node, list):
            stack.extend((item, [*path, i]) for i, item in enumerate(node))
        elif isinstance(node, str) and not _is_unicode(node):
            return _surrogate_problem(path, "a string")
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _surrogate_problem(path: list[str | int], where: str) -> JsonProblem:
    return JsonProblem("body-encoding", f"expected valid Unicode text, found {where} with an "
                       "unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF)", None,
                       make_pointer(path))


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def short_repr(value: object, limit: int = 60) -> str:
    """repr() for a one-line message, clipped: a hostile file may put megabytes anywhere."""
    return _clip(repr(value), limit)


def _find_constant(text: str, name: str) -> int | None:
    return _outside_strings(text, re.escape(name))


def _outside_strings(text: str, pattern: str) -> int | None:
    """Offset of the first match of `pattern` that is not inside a string literal.

    String literals are consumed whole by the same scan, so this stays linear even when
    the pattern also occurs inside many strings. Only used on the error path.
    """
    for match in re.finditer(rf"{_STRING_LITERAL}|(?P<hit>{pattern})", text):
        if match.group("hit") is not None:
            return match.start()
    return None


def _first_duplicate(text: str) -> JsonProblem:
    for pointer, key, pos, seen in iter_keys(text):
        if seen:
            return JsonProblem(
                "body-duplicate-key",
                f"expected unique object keys, found {short_repr(key)} twice",
                pos,
                f"{pointer}/{escape_token(key)}",
            )
    return JsonProblem("body-duplicate-key", "expected unique object keys, found a duplicate")


def json_type(value: Any) -> str:
    """The narrowest JSON Schema type of a decoded value; 1.0 is an integer, as in 2020-12."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def iter_keys(text: str) -> Iterator[tuple[str, str, int, bool]]:
    """Yield (object pointer, key, offset, already seen) for every object key, in order.

    An explicit stack instead of recursion, so deep nesting cannot overflow.
    """
    stack: list[tuple[str, set[str] | None, list[int]]] = []
    path: list[str] = []
    i = _WS.match(text, 0).end()  # type: ignore[union-attr]
    expect_key = False
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "{":
            stack.append(("{", set(), [0]))
            expect_key = True
            i += 1
        elif ch == "[":
            stack.append(("[", None, [0]))
            path.append("0")
            expect_key = False
            i += 1
        elif ch in "}]":
            kind, _, _ = stack.pop()
            if kind == "[" or (path and len(path) > len(stack)):
                path.pop()
            i += 1
        elif ch == ",":
            kind, _, counter = stack[-1]
            if kind == "[":
                counter[0] += 1
                path[-1] = str(counter[0])
            else:
                path.pop()
                expect_key = True
            i += 1
        elif ch == '"':
            string, end = scanstring(text, i + 1)
            if expect_key and stack and stack[-1][0] == "{":
                seen_keys = stack[-1][1]
                assert seen_keys is not None
                pointer = make_pointer(list(path))
                yield pointer, string, i, string in seen_keys
                seen_keys.add(string)
                path.append(string)
                expect_key = False
                end = text.index(":", end) + 1
            i = end
        else:
            match = _SCALAR.match(text, i)
            i = match.end() if match else i + 1
        i = _WS.match(text, i).end()  # type: ignore[union-attr]


def locate(text: str, tokens: list[str], start: int = 0) -> int | None:
    """Offset of the value at ``tokens`` inside JSON ``text`` (None if not there)."""
    decoder = json.JSONDecoder()
    i = _WS.match(text, start).end()  # type: ignore[union-attr]
    try:
        for token in tokens:
            if text[i] == "{":
                i = _find_member(text, i, token, decoder)
            elif text[i] == "[":
                i = _find_element(text, i, token, decoder)
            else:
                return None
            if i < 0:
                return None
    except (IndexError, ValueError, RecursionError):
        return None
    return i


def _skip_value(text: str, i: int, decoder: json.JSONDecoder) -> int:
    _, end = decoder.raw_decode(text, i)
    return _WS.match(text, end).end()  # type: ignore[union-attr]


_STRUCTURE = re.compile(rf"{_STRING_LITERAL}|[\[\]{{}}]")


def _skip_container(text: str, i: int) -> int:
    """End of the object or array at `i`, found by matching brackets outside strings
    (no values are built: ten times faster than decoding what is skipped)."""
    depth = 0
    for match in _STRUCTURE.finditer(text, i):
        ch = text[match.start()]
        if ch == '"':
            continue
        depth += 1 if ch in "[{" else -1
        if depth == 0:
            return match.end()
    raise ValueError("unterminated JSON container")


def _skip_any(text: str, i: int, decoder: json.JSONDecoder) -> int:
    """Past the value at `i` and the white space after it; scalars without the decoder."""
    ch = text[i]
    if ch == '"':
        end = scanstring(text, i + 1)[1]
    elif ch in "{[":
        end = _skip_container(text, i)
    else:
        match = _SCALAR.match(text, i)
        if match is None:
            raise ValueError("not a JSON value")
        end = match.end()
    return _WS.match(text, end).end()  # type: ignore[union-attr]


def _find_member(text: str, i: int, token: str, decoder: json.JSONDecoder) -> int:
    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    while text[i] != "}":
        key, i = scanstring(text, i + 1)
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]  # past ':'
        if key == token:
            return i
        i = _skip_value(text, i, decoder)
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    return -1


def _find_element(text: str, i: int, token: str, decoder: json.JSONDecoder) -> int:
    if not token.isdigit():
        return -1
    wanted = int(token)
    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    index = 0
    while text[i] != "]":
        if index == wanted:
            return i
        i = _skip_value(text, i, decoder)
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
        index += 1
    return -1


def line_column(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


class JsonIndex:
    """Repeated pointer look-ups in one large JSON text (a HAR with thousands of entries).

    Offsets of visited prefixes, of every element of a visited array and of every member of
    a visited object are remembered, and lines come from a newline table, so locating N
    findings costs about one pass over the text, not N.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._offsets: dict[tuple[str, ...], int] = {
            (): _WS.match(text, 0).end()}  # type: ignore[union-attr]
        self._elements: dict[int, tuple[list[int], int | None]] = {}
        self._ends: dict[int, int] = {}
        self._members: dict[int, tuple[dict[str, int], int | None]] = {}
        self._newlines: list[int] | None = None

    def offset(self, tokens: list[str]) -> int | None:
        """Offset of the value at ``tokens`` (None if not there)."""
        wanted = tuple(tokens)
        cut = len(wanted)
        while wanted[:cut] not in self._offsets:
            cut -= 1
        pos = self._offsets[wanted[:cut]]
        decoder = json.JSONDecoder()
        try:
            for depth in range(cut, len(wanted)):
                token = wanted[depth]
                if self.text[pos] == "[":
                    element = self._element(pos, int(token), decoder) \
                        if token.isdigit() else None
                    if element is None:
                        return None
                    pos = element
                elif self.text[pos] == "{":
                    found = self._member(pos, token, decoder)
                    if found is None:
                        return None
                    pos = found
                else:
                    return None
                self._offsets[wanted[:depth + 1]] = pos
        except (IndexError, ValueError, RecursionError):
            return None
        return pos

    def _member(self, pos: int, token: str, decoder: json.JSONDecoder) -> int | None:
        """Offset of member `token` of the object at `pos` (the first of duplicates).

        Members are indexed as the scan passes them and the scan resumes where it stopped,
        so looking up every member (in any order) costs one pass over the object, and
        looking up the first few of a million costs only those few.
        """
        members, resume = self._members.setdefault(pos, ({}, -1))
        if token in members or resume is None:
            return members.get(token)
        text = self.text
        # `resume` is the value of the member found last: step past it
        i = (_WS.match(text, pos + 1).end() if resume < 0  # type: ignore[union-attr]
             else self._after_value(resume, decoder))
        while text[i] != "}":
            key, i = scanstring(text, i + 1)
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]  # past ':'
            members.setdefault(key, i)
            if key == token:
                self._members[pos] = (members, i)
                return members[key]
            i = self._after_value(i, decoder)
        self._members[pos] = (members, None)
        return None

    def _after_value(self, i: int, decoder: json.JSONDecoder) -> int:
        i = self._skip(i, decoder)
        if self.text[i] == ",":
            i = _WS.match(self.text, i + 1).end()  # type: ignore[union-attr]
        return i

    def _skip(self, i: int, decoder: json.JSONDecoder) -> int:
        """Past the value at `i`; the ends of big containers are remembered."""
        end = self._ends.get(i)
        if end is None:
            end = _skip_any(self.text, i, decoder)
            if end - i > 4096:
                self._ends[i] = end
        return end

    def _element(self, pos: int, wanted: int, decoder: json.JSONDecoder) -> int | None:
        """Offset of element `wanted` of the array at `pos`, scanning no further than it."""
        elements, resume = self._elements.setdefault(pos, ([], -1))
        if wanted < len(elements) or resume is None:
            return elements[wanted] if wanted < len(elements) else None
        text = self.text
        # `resume` is the element found last: step past it
        i = (_WS.match(text, pos + 1).end() if resume < 0  # type: ignore[union-attr]
             else self._after_value(resume, decoder))
        while text[i] != "]":
            elements.append(i)
            if len(elements) > wanted:
                self._elements[pos] = (elements, i)
                return i
            i = self._after_value(i, decoder)
        self._elements[pos] = (elements, None)
        return None

    def line_column(self, pos: int) -> tuple[int, int]:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, pos)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, pos - start + 1

