"""NDJSON streams of exchange files: one JSON object per line (`respcontract check -`).

Each line is read, checked and dropped before the next, so a stream of any length runs in
constant memory; a bad line is a finding for that line and the stream goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from validator.formats import exchange_file as codec
from validator.formats import json as jsontext
from validator.sources.document import Loaded, url_problem
from validator.sources.files import DEFAULT_MAX_BYTES


def read_lines(stream: IO[bytes], source: str = "<stdin>", endpoint: str | None = None,
               max_line: int = DEFAULT_MAX_BYTES) -> Iterator[Loaded]:
    """One Loaded per non-blank line; exchange `index` is the 0-based line number."""
    for number, raw in enumerate(iter(lambda: stream.readline(max_line + 1), b"")):
        if not raw.strip():
            continue
        loaded = Loaded(source, kind="exchange")
        line = number + 1
        if len(raw) > max_line:
            loaded.problem(f"line {line} is longer than {max_line // 2**20} MiB; skipped",
                           number, line, rule="source-too-large")
            _skip_rest_of_line(stream, raw, max_line)
            yield loaded
            continue
        value, problem = jsontext.loads_bytes_strict(raw.rstrip(b"\r\n"))
        if problem is not None:
            loaded.problem(f"line {line}: invalid JSON: {problem.message}", number, line,
                           rule=problem.rule)
        else:
            _decode(loaded, value, number, line, endpoint)
        yield loaded


def _decode(loaded: Loaded, value: object, number: int, line: int,
            endpoint: str | None) -> None:
    if not isinstance(value, dict) or "response" not in value:
        loaded.problem(f"line {line}: expected an exchange object with a response", number,
                       line)
        return
    try:
        exchange = codec.decode(value, loaded.source, endpoint, from_json=True)
    except codec.ExchangeFileError as exc:
        loaded.problem(f"line {line}: {exc.message}", number, line)
        return
    bad_url = url_problem(exchange.request.url) if exchange.request else None
    if bad_url:
        loaded.problem(f"line {line}: {bad_url}", number, line)
        return
    exchange.index = number
    exchange.locate_exchange = (line, 1)
    exchange.locate_body = lambda _tokens: (line, 1)
    loaded.exchanges.append(exchange)


def _skip_rest_of_line(stream: IO[bytes], raw: bytes, max_line: int) -> None:
    while raw and not raw.endswith(b"\n"):
        raw = stream.readline(max_line)
