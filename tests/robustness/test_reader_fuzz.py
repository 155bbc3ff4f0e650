"""Hypothesis mutates valid HAR, cassette and exchange files, byte by byte and node by node.

Whatever comes out, `validator.sources.read` must only return findings (never raise, never
fall back on its internal-error net), and `Checker.check` must digest every exchange it
returns. Every message must stay on one line.
"""

from __future__ import annotations

import base64
import gzip
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.api import load_contracts
from validator.check.checker import Checker
from validator.sources import read

URL = "https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite?job_id=5020928000002387017"
ENDPOINT = "zoho-crm/portal-invite:get_bulk_invite_status"
BODY = {"portal_invite": [{"data": [{"details": {"id": "5020928000001843001"},
                                     "code": "SUCCESS", "status": "success",
                                     "message": "An Invite has been sent to the personality."}],
                           "job_id": "5020928000002387017", "status": "completed"}]}
HEADERS = {"Content-Type": "application/json;charset=UTF-8"}


def _exchange(**response: Any) -> dict[str, Any]:
    return {"request": {"method": "GET", "url": URL, "headers": {"Authorization": "x"}},
            "response": {"status": 200, "headers": HEADERS, **response}}


def _har() -> dict[str, Any]:
    entry = {"request": {"method": "GET", "url": URL, "headers": [{"name": "A", "value": "b"}]},
             "response": {"status": 200, "headers": [{"name": "Content-Type",
                                                       "value": "application/json"}],
                          "content": {"mimeType": "application/json", "size": 1,
                                      "text": json.dumps(BODY)}}}
    encoded = json.loads(json.dumps(entry))
    encoded["response"]["content"].update(
        text=base64.b64encode(json.dumps(BODY).encode()).decode(), encoding="base64")
    return {"log": {"version": "1.2", "entries": [entry, encoded]}}


def _cassette(body: Any, encoding: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": ["application/json"]}
    if encoding:
        headers["Content-Encoding"] = [encoding]
    return {"version": 1, "interactions": [{
        "request": {"method": "GET", "uri": URL, "body": None, "headers": {"Accept": ["*/*"]}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": headers,
                     "body": {"string": body}}}]}


# (file suffix, document): each serialised as JSON or YAML according to its suffix
SEEDS: list[tuple[str, Any]] = [
    (".exchange.json", _exchange(body=BODY)),
    (".exchange.json", _exchange(body_text=json.dumps(BODY))),
    (".exchange.json", _exchange(body_base64=base64.b64encode(json.dumps(BODY).encode())
                                 .decode())),
    (".exchange.yaml", _exchange(body=BODY)),
    (".har", _har()),
    (".cassette.yaml", _cassette(json.dumps(BODY))),
    (".cassette.yaml", _cassette(gzip.compress(json.dumps(BODY).encode(), mtime=0), "gzip")),
    (".cassette.json", _cassette(json.dumps(BODY))),
]


def serialise(suffix: str, document: Any) -> bytes:
    if suffix.endswith(".yaml"):
        return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    text = json.dumps(document, indent=1, default=lambda b: b.decode("latin-1"))
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_contracts())


def exercise(checker: Checker, suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        for endpoint in (None, ENDPOINT):
            loaded = read(path, endpoint)
            for problem in loaded.problems:
                assert problem.rule != "internal-error", problem.message
                assert_one_line(problem.message)
            for exchange in loaded.exchanges:
                result = checker.check(exchange, endpoint)
                for finding in result.findings:
                    assert finding.rule != "internal-error", finding.message
                    assert_one_line(finding.message)


def assert_one_line(message: str) -> None:
    assert "\n" not in message and "\r" not in message and len(message) < 2000, message


# --- byte mutations --------------------------------------------------------------------

@st.composite
def mutated_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix, document = draw(st.sampled_from(SEEDS))
    data = bytearray(serialise(suffix, document))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]))
        if action == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8)
                               | st.sampled_from([b"{", b"]", b"\"", b"\\u", b"NaN", b"&a",
                                                  b"*a", b"!!", b"\xef\xbb\xbf", b"\xff",
                                                  b"\n- ", b": ", b"1e999", b"---\n"]))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at:at + draw(st.integers(1, 64))]
    return suffix, bytes(data)


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated_bytes())
def test_readers_survive_byte_mutations(checker: Checker, case: tuple[str, bytes]) -> None:
    exercise(checker, *case)


# --- structure mutations ---------------------------------------------------------------

ODD_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["", "0", "200", "gzip", "base64", "application/json", "\ud800",
                     "1" * 5000, "https://x/crm/v7/Contacts/actions/portal_invite",
                     "http://[::1/x", "https://x:99999/?job_id=%ff", "GET\nPOST"]),
)
ODD_VALUES = st.recursive(
    ODD_SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(["status", "body", "text"]),
                      inner, max_size=4),
    max_leaves=12,
)


def children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


def walk(node: Any, path: list[Any]) -> Iterator[Any]:
    for key in path:
        node = node[key]
        yield node


@st.composite
def mutated_structure(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix, seed = draw(st.sampled_from(SEEDS))
    document = _copy(seed)
    for _ in range(draw(st.integers(1, 3))):
        path: list[Any] = []
        node = document
        while children(node) and draw(st.booleans()):
            key = draw(st.sampled_from(children(node)))
            path.append(key)
            node = node[key]
        if not path:
            document = draw(ODD_VALUES)
            continue
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "wrap", "duplicate"]))
        last = path[-1]
        if action == "replace":
            parent[last] = draw(ODD_VALUES)
        elif action == "delete":
            del parent[last]
        elif action == "wrap":
            parent[last] = [parent[last]]
        elif isinstance(parent, list):
            parent.append(parent[last])
        else:
            parent[f"{last}-again"] = parent[last]
    target = suffix
    if suffix != ".har" and draw(st.booleans()):  # the same content in the other syntax
        target = suffix.rsplit(".", 1)[0] + (".json" if suffix.endswith(".yaml") else ".yaml")
    try:
        data = serialise(target, document)
    except (ValueError, TypeError, yaml.YAMLError):  # not serialisable: keep the seed
        data = serialise(suffix, seed)
        target = suffix
    return target, data


def _copy(value: Any) -> Any:
    """A deep copy that keeps bytes as bytes (YAML writes them as !!binary)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated_structure())
def test_readers_survive_structure_mutations(checker: Checker, case: tuple[str, bytes]) -> None:
    exercise(checker, *case)


def test_the_seeds_themselves_are_valid(checker: Checker) -> None:
    """The mutations start from files that pass: a failure here is the seed's, not a bug."""
    with tempfile.TemporaryDirectory() as folder:
        for number, (suffix, document) in enumerate(SEEDS):
            path = Path(folder) / f"seed{number}{suffix}"
            path.write_bytes(serialise(suffix, document))
            loaded = read(path)
            assert loaded.problems == [] and loaded.exchanges, (suffix, loaded.problems)
            for exchange in loaded.exchanges:
                assert checker.check(exchange).findings == [], suffix


# --- mutations that keep the file valid: these must be read, exactly as the seed ----------

def _shuffled(value: Any, draw: st.DrawFn) -> Any:
    """The same document with every mapping's members in another order."""
    if isinstance(value, dict):
        keys = draw(st.permutations(list(value)))
        return {k: _shuffled(value[k], draw) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, draw) for v in value]
    return value


def _with_extras(value: Any, draw: st.DrawFn) -> Any:
    """Custom members added to every mapping (HAR allows `_name` fields; readers ignore them)."""
    if isinstance(value, dict):
        out = {k: _with_extras(v, draw) for k, v in value.items()}
        if "request" in value or "log" in value or "interactions" in value:
            out["_" + draw(st.text("abcxyz", min_size=1, max_size=6))] = draw(
                st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=10))
        return out
    if isinstance(value, list):
        return [_with_extras(v, draw) for v in value]
    return value


@st.composite
def valid_mutation(draw: st.DrawFn) -> tuple[int, str, bytes]:
    number = draw(st.integers(0, len(SEEDS) - 1))
    suffix, seed = SEEDS[number]
    document = _copy(seed)
    if draw(st.booleans()):
        document = _shuffled(document, draw)
    if draw(st.booleans()):
        document = _with_extras(document, draw)
    if suffix.endswith(".yaml") or not draw(st.booleans()):
        data = serialise(suffix, document)
    else:  # other white space: another indent, or none
        indent = draw(st.sampled_from([None, 0, 2, 4, "\t"]))
        data = json.dumps(document, indent=indent,
                          default=lambda b: b.decode("latin-1")).encode("utf-8",
                                                                        "surrogatepass")
    if (suffix == ".har" or suffix.endswith(".yaml")) and draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data  # a byte order mark, which these formats' readers skip
    return number, suffix, data


def _read_exchanges(folder: str, name: str, data: bytes) -> list[tuple[int, Any]]:
    """(status, body bytes or the parsed body) of every exchange; no error allowed."""
    from validator.model.exchange import NOT_PARSED

    path = Path(folder) / name
    path.write_bytes(data)
    loaded = read(path)
    assert [p for p in loaded.problems if p.severity.value == "error"] == [], loaded.problems
    return [(e.response.status, e.response.body if e.response.parsed is NOT_PARSED
             else e.response.parsed) for e in loaded.exchanges]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=valid_mutation())
def test_valid_mutations_are_read_exactly_as_the_seed(checker: Checker,
                                                      case: tuple[int, str, bytes]) -> None:
    number, suffix, data = case
    with tempfile.TemporaryDirectory() as folder:
        expected = _read_exchanges(folder, f"seed{suffix}", serialise(*SEEDS[number]))
        got = _read_exchanges(folder, f"mutated{suffix}", data)
        assert expected and got == expected
        for exchange in read(Path(folder) / f"mutated{suffix}").exchanges:
            assert checker.check(exchange).findings == [], suffix
