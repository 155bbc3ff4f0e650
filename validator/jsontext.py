"""Strict JSON decoding and JSON-pointer locations inside JSON text.

The standard library parser accepts duplicate keys (last one wins), NaN and
Infinity. A contract tester must not: each of those is a finding. Positions are
only computed when something is wrong, so the happy path stays a single
``json.loads``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class JsonProblem:
    """Why a body is not strict JSON; ``pos`` is a character offset, ``pointer`` where known."""

    rule: str
    message: str
    pos: int | None = None
    pointer: str = ""


class _DuplicateKey(Exception):
    pass


class _NonFinite(Exception):
    pass


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _reject_constant(name: str) -> Any:
    raise _NonFinite(name)


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


def loads_strict(text: str) -> tuple[Any, JsonProblem | None]:
    """Parse JSON text, returning (value, None) or (None, the first problem)."""
    if not text.strip():
        return None, JsonProblem("body-empty", "expected a JSON document, found an empty body", 0)
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs_without_duplicates, parse_constant=_reject_constant
        )
    except _DuplicateKey:
        return None, _first_duplicate(text)
    except _NonFinite as exc:
        pos = _find_constant(text, str(exc))
        return None, JsonProblem(
            "body-nonfinite", f"expected a finite number, found {exc} (not valid JSON)", pos
        )
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return None, JsonProblem(
                "body-trailing-data", "expected the JSON document to end, found trailing data",
                exc.pos,
            )
        return None, JsonProblem("body-json", f"expected valid JSON: {exc.msg}", exc.pos)
    except RecursionError:
        return None, JsonProblem("body-json", "expected JSON nested to a sane depth, found "
                                 "nesting too deep to parse", None)
    return value, None


def loads_bytes_strict(data: bytes) -> tuple[Any, JsonProblem | None]:
    text, problem = decode_text(data)
    if text is None:
        return None, problem
    return loads_strict(text)


def _find_constant(text: str, name: str) -> int | None:
    for match in re.finditer(re.escape(name), text):
        if not _inside_string(text, match.start()):
            return match.start()
    return None


def _inside_string(text: str, pos: int) -> bool:
    # Count unescaped quotes before pos; only used on the error path.
    quotes = len(re.findall(r'(?<!\\)(?:\\\\)*"', text[:pos]))
    return quotes % 2 == 1


def _first_duplicate(text: str) -> JsonProblem:
    for pointer, key, pos, seen in iter_keys(text):
        if seen:
            return JsonProblem(
                "body-duplicate-key",
                f"expected unique object keys, found {key!r} twice",
                pos,
                f"{pointer}/{escape_token(key)}",
            )
    return JsonProblem("body-duplicate-key", "expected unique object keys, found a duplicate")


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [unescape_token(t) for t in pointer.split("/")[1:]]


def make_pointer(tokens: list[str | int]) -> str:
    return "".join("/" + escape_token(str(t)) for t in tokens)


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
