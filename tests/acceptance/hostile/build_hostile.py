"""The hostile-input corpus: broken, malicious and odd inputs that must never crash a run.

Small cases are committed: recordings under recordings/, broken contract sets under
contracts/, and manifest.json saying what each must produce. Regenerate them with

    python tests/acceptance/hostile/build_hostile.py

Cases that cannot live in git (a FIFO, an unreadable file, symlink loops, odd file names) or
must not (a 100 MB body, 10^5-deep nesting, a gzip bomb) are built at test time by
`dynamic_cases(folder)`, which the tests and benchmarks/bench_hostile.py share.

Every recording case must give one-line findings for its own file (with one of the listed
rules) while the files around it in the same run are still checked; every contract case
must stop the run with exit 2 and a one-line error naming the broken file.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
import os
import shutil
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
URL = "https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite"
JOB = "5020928000002387017"
ENDPOINT = "zoho-crm/portal-invite:get_bulk_invite_status"
MIB = 1024 * 1024

Entry = dict[str, Any]
STATIC: list[Entry] = []
_WRITERS: list[tuple[Entry, Callable[[Path], None]]] = []


# --- building blocks -------------------------------------------------------------------

def item(code: str = "SUCCESS", status: str = "success") -> dict[str, Any]:
    return {"details": {"id": "5020928000001843001"}, "code": code,
            "message": "An Invite has been sent to the personality.", "status": status}


def valid_body(items: int = 1) -> dict[str, Any]:
    return {"portal_invite": [{"data": [item() for _ in range(items)], "job_id": JOB,
                               "status": "completed"}]}


def exchange(**response: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"status": 200,
                              "headers": {"Content-Type": "application/json;charset=UTF-8"}}
    answer.update(response)
    if not {"body", "body_text", "body_base64"} & answer.keys():
        answer["body"] = valid_body()
    return {"request": {"method": "GET", "url": f"{URL}?job_id={JOB}"}, "response": answer}


def with_text(text: str) -> str:
    return dumps(exchange(body_text=text))


def with_bytes(data: bytes) -> str:
    return dumps(exchange(body_base64=base64.b64encode(data).decode()))


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


def har(*entries: Any) -> str:
    return dumps({"log": {"version": "1.2", "creator": {"name": "hostile", "version": "1"},
                          "entries": list(entries)}})


def har_entry(text: str | None = None, mime: str = "application/json", encoding: str = "",
              headers: bool = True) -> dict[str, Any]:
    content: dict[str, Any] = {"size": 0, "mimeType": mime,
                               "text": json.dumps(valid_body()) if text is None else text}
    if encoding:
        content["encoding"] = encoding
    response_headers = [{"name": "Content-Type", "value": mime}] if headers else []
    return {"request": {"method": "GET", "url": f"{URL}?job_id={JOB}", "headers": []},
            "response": {"status": 200, "statusText": "OK", "headers": response_headers,
                         "content": content}}


def cassette(body_yaml: str, version: str = "1", encoding: str | None = None) -> str:
    headers = "Content-Type: [application/json]"
    if encoding:
        headers += f", Content-Encoding: [{encoding}]"
    return (f"version: {version}\ninteractions:\n"
            f"- request:\n    method: GET\n    uri: {URL}?job_id={JOB}\n    body: null\n"
            f"    headers: {{}}\n"
            f"  response:\n    status: {{code: 200, message: OK}}\n    headers: {{{headers}}}\n"
            f"    body: {body_yaml}\n")


def binary(data: bytes) -> str:
    return "{string: !!binary " + base64.b64encode(data).decode() + "}"


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + f"\nresponse: {{status: 200, body: *a{levels}}}\n"


# --- registration ----------------------------------------------------------------------

def recording(name: str, rules: tuple[str, ...], about: str, args: tuple[str, ...] = ()
              ) -> Callable[[Callable[[], str | bytes]], Callable[[], str | bytes]]:
    """A committed bad recording: the function returns the file's content."""
    def register(build: Callable[[], str | bytes]) -> Callable[[], str | bytes]:
        entry = {"kind": "recording", "name": name, "paths": [f"recordings/{name}"],
                 "rules": list(rules), "args": list(args), "about": about}

        def write(root: Path) -> None:
            content = build()
            data = content.encode("utf-8") if isinstance(content, str) else content
            (root / "recordings" / name).write_bytes(data)

        STATIC.append(entry)
        _WRITERS.append((entry, write))
        return build
    return register


def contract_case(name: str, message: str, about: str, args: tuple[str, ...] = ()
                  ) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    """A committed broken contract set under contracts/NAME (contracts/ and schemas/)."""
    def register(build: Callable[[Path], None]) -> Callable[[Path], None]:
        folder = f"contracts/{name}"
        entry = {"kind": "contract", "name": name, "contracts": f"{folder}/contracts",
                 "message": message, "args": list(args), "about": about}

        def write(root: Path) -> None:
            target = root / folder
            (target / "contracts").mkdir(parents=True)
            (target / "schemas").mkdir()
            build(target)

        STATIC.append(entry)
        _WRITERS.append((entry, write))
        return build
    return register


# --- JSON ------------------------------------------------------------------------------

@recording("json-truncated.exchange.json", ("body-json",), "the file ends mid-object")
def _json_truncated() -> str:
    return dumps(exchange())[:180]


@recording("json-truncated-body.exchange.json", ("body-json",), "the body ends mid-object")
def _json_truncated_body() -> str:
    return with_text(json.dumps(valid_body())[:40])


@recording("json-bom.exchange.json", ("body-encoding",), "a UTF-8 byte order mark")
def _json_bom() -> bytes:
    return b"\xef\xbb\xbf" + dumps(exchange()).encode()


@recording("json-bom-body.exchange.json", ("body-encoding",), "the body starts with a BOM")
def _json_bom_body() -> str:
    return with_bytes(b"\xef\xbb\xbf" + json.dumps(valid_body()).encode())


@recording("json-invalid-utf8.exchange.json", ("body-encoding",), "a stray 0xFF byte")
def _json_invalid_utf8() -> bytes:
    return dumps(exchange()).encode().replace(b"completed", b"compl\xffted")


@recording("json-invalid-utf8-body.exchange.json", ("body-encoding",),
           "a Latin-1 body where UTF-8 is required")
def _json_invalid_utf8_body() -> str:
    return with_bytes(json.dumps(valid_body()).replace("Invite", "Inv\u00eete").encode("latin-1"))


@recording("json-nan.exchange.json", ("body-nonfinite",), "NaN in the body")
def _json_nan() -> str:
    return with_text('{"portal_invite": [{"job_id": "1", "status": "completed", "data": NaN}]}')


@recording("json-infinity.exchange.json", ("body-nonfinite",), "-Infinity in the file")
def _json_infinity() -> str:
    return dumps(exchange()).replace('"completed"', "-Infinity")


@recording("json-overflow.exchange.json", ("body-nonfinite",),
           "1e999: valid grammar, but it reads as infinity")
def _json_overflow() -> str:
    return with_text('{"portal_invite": [], "n": 1e999}')


@recording("json-duplicate-keys.exchange.json", ("body-duplicate-key",),
           "the same key twice in the body")
def _json_duplicate_keys() -> str:
    return with_text('{"portal_invite": [], "portal_invite": []}')


@recording("json-duplicate-keys-file.exchange.json", ("body-duplicate-key",),
           "the same key twice in the exchange file itself")
def _json_duplicate_keys_file() -> str:
    return dumps(exchange()).replace('"status": 200,', '"status": 200, "status": 201,')


@recording("json-trailing-garbage.exchange.json", ("body-trailing-data",),
           "a second document after the body")
def _json_trailing() -> str:
    return with_text(json.dumps(valid_body()) + " {}")


@recording("json-trailing-garbage-file.exchange.json", ("body-trailing-data",),
           "garbage after the exchange file")
def _json_trailing_file() -> str:
    return dumps(exchange()) + "garbage\n"


@recording("json-lone-surrogate.exchange.json", ("body-encoding",),
           "an unpaired UTF-16 surrogate escape in a key")
def _json_surrogate() -> str:
    return with_text('{"portal_invite": [], "\\ud800": 1}')


@recording("json-not-an-object.json", ("source",), "valid JSON, but a list of numbers")
def _json_list() -> str:
    return "[1, 2, 3]\n"


@recording("json-scalar-file.json", ("body-json",), "a file that is just a number")
def _json_scalar_file() -> str:
    return "42\n"


# --- the body itself -------------------------------------------------------------------

@recording("body-empty.exchange.json", ("body-empty",), "status 200, body empty")
def _body_empty() -> str:
    return with_text("")


@recording("body-whitespace.exchange.json", ("body-empty",), "a body of blanks")
def _body_blank() -> str:
    return with_text(" \n\t ")


@recording("body-scalar.exchange.json", ("schema",), "valid JSON, but a scalar body")
def _body_scalar() -> str:
    return with_text("42")


@recording("body-null.exchange.json", ("schema",), "the body is JSON null")
def _body_null() -> str:
    return with_text("null")


@recording("body-scalar.bare.json", ("schema",), "a bare body that is a string",
           args=("--endpoint", ENDPOINT))
def _body_scalar_bare() -> str:
    return '"portal_invite"\n'


@recording("body-long-string.exchange.json", ("schema", "job-id-echoes-request"),
           "a 64 KB string where an id goes")
def _body_long_string() -> str:
    body = valid_body()
    body["portal_invite"][0]["job_id"] = "7" * 65_536
    return with_text(json.dumps(body))


@recording("body-huge-integer.exchange.json", ("body-limit",),
           "a 20,000-digit integer (Python refuses to convert it)")
def _body_huge_integer() -> str:
    return with_text('{"portal_invite": [], "n": ' + "9" * 20_000 + "}")


@recording("body-long-float.exchange.json", ("schema", "job-id-echoes-request"),
           "a 5,000-digit float where a string goes")
def _body_long_float() -> str:
    return with_text('{"portal_invite": [{"job_id": 1.' + "3" * 5000
                     + ', "status": "completed", "data": []}]}')


@recording("body-deep-500.exchange.json", ("body-limit", "schema"),
           "nesting 500 deep: parses, but is too deep to describe errors in")
def _body_deep_500() -> str:
    return with_text('{"portal_invite": [' + "[" * 500 + "]" * 500 + "]}")


# --- YAML ------------------------------------------------------------------------------

@recording("yaml-python-object.exchange.yaml", ("source",), "a !!python/object tag")
def _yaml_python_object() -> str:
    return "response: !!python/object:os.PathLike {status: 200}\n"


@recording("yaml-python-apply.exchange.yaml", ("source",),
           "!!python/object/apply on a list: would run a command under yaml.unsafe_load")
def _yaml_python_apply() -> str:
    return 'response:\n  status: 200\n  body: !!python/object/apply:os.system ["echo pwned"]\n'


@recording("yaml-custom-tag.exchange.yaml", ("source",), "an application-specific tag")
def _yaml_custom_tag() -> str:
    return "response: !Response {status: 200}\n"


@recording("yaml-alias-bomb.exchange.yaml", ("source",), "billion laughs: 9^9 values")
def _yaml_bomb() -> str:
    return billion_laughs()


@recording("yaml-recursive-alias.exchange.yaml", ("source",), "an alias inside its anchor")
def _yaml_recursive() -> str:
    return "response: &r\n  status: 200\n  body: {again: *r}\n"


@recording("yaml-list.exchange.yaml", ("source",), "a list instead of a mapping")
def _yaml_list() -> str:
    return "- request: {}\n- response: {}\n"


@recording("yaml-scalar.exchange.yaml", ("source",), "a document that is one string")
def _yaml_scalar() -> str:
    return "just some text\n"


@recording("yaml-empty.exchange.yaml", ("source",), "an empty YAML file")
def _yaml_empty() -> str:
    return ""


@recording("yaml-multiple-documents.exchange.yaml", ("source",), "two documents in one file")
def _yaml_multi() -> str:
    return "response: {status: 200}\n---\nresponse: {status: 204}\n"


@recording("yaml-duplicate-key.exchange.yaml", ("source",), "response given twice")
def _yaml_duplicate() -> str:
    return "response: {status: 200}\nresponse: {status: 204}\n"


@recording("yaml-binary-body.exchange.yaml", ("source",), "!!binary bytes inside a JSON body")
def _yaml_binary_body() -> str:
    return (f"request: {{method: GET, url: '{URL}'}}\nresponse:\n  status: 200\n"
            "  headers: {Content-Type: application/json}\n"
            "  body: {portal_invite: !!binary AAECAw==}\n")


@recording("yaml-nan.exchange.yaml", ("source",), ".nan in a body")
def _yaml_nan() -> str:
    return (f"request: {{method: GET, url: '{URL}'}}\nresponse:\n  status: 200\n"
            "  headers: {Content-Type: application/json}\n  body: {portal_invite: .nan}\n")


@recording("yaml-huge-integer.exchange.yaml", ("source",), "a 100,000-digit status")
def _yaml_huge_int() -> str:
    return "response: {status: " + "9" * 100_000 + "}\n"


@recording("yaml-bad-syntax.exchange.yaml", ("source",), "a tab where YAML wants spaces")
def _yaml_syntax() -> str:
    return "response:\n\tstatus: 200\n"


@recording("yaml-deep.exchange.yaml", ("source",), "flow lists 20,000 deep")
def _yaml_deep() -> str:
    return "response: " + "[" * 20_000 + "]" * 20_000 + "\n"


# --- HAR -------------------------------------------------------------------------------

@recording("har-missing-request.har", ("source",), "an entry without its request")
def _har_no_request() -> str:
    entry = har_entry()
    del entry["request"]
    return har(har_entry(), entry)


@recording("har-missing-response.har", ("source",), "an entry without its response")
def _har_no_response() -> str:
    entry = har_entry()
    del entry["response"]
    return har(entry)


@recording("har-bad-base64.har", ("body-encoding",), "content marked base64 that is not")
def _har_bad_base64() -> str:
    return har(har_entry("%%% not base64 %%%", encoding="base64"))


@recording("har-base64-garbage.har", ("body-encoding", "body-json"),
           "valid base64 of bytes that are not JSON")
def _har_base64_garbage() -> str:
    return har(har_entry(base64.b64encode(b"\x89PNG\r\n\x1a\n\x00").decode(), encoding="base64"))


@recording("har-wrong-mimetype.har", ("content-type",), "a JSON answer labelled image/png")
def _har_mime() -> str:
    return har(har_entry(mime="image/png", headers=False))


@recording("har-entries-not-list.har", ("source",), "log.entries is an object")
def _har_entries_object() -> str:
    return dumps({"log": {"version": "1.2", "entries": {"0": har_entry()}}})


@recording("har-status-text.har", ("source",), "the status is a string")
def _har_status_text() -> str:
    entry = har_entry()
    entry["response"]["status"] = "200 OK"
    return har(entry)


@recording("har-entry-is-number.har", ("source",), "an entry that is a number")
def _har_entry_number() -> str:
    return har(7)


@recording("har-url-invalid.har", ("source",), "a request URL urlsplit refuses")
def _har_url_invalid() -> str:
    entry = har_entry()
    entry["request"]["url"] = "https://[zoho/crm"
    return har(entry)


@recording("har-content-not-object.har", ("source",), "response.content is a list")
def _har_content_list() -> str:
    entry = har_entry()
    entry["response"]["content"] = ["text"]
    return har(entry)


# --- cassettes -------------------------------------------------------------------------

@recording("cassette-corrupt-gzip.cassette.yaml", ("body-encoding",),
           "Content-Encoding gzip over bytes that are not gzip")
def _cassette_corrupt_gzip() -> str:
    return cassette(binary(b"\x1f\x8b\x08\x00 definitely not deflate"), encoding="gzip")


@recording("cassette-truncated-gzip.cassette.yaml", ("body-encoding",),
           "a gzip stream cut short")
def _cassette_truncated_gzip() -> str:
    data = gzip.compress(json.dumps(valid_body()).encode(), mtime=0)
    return cassette(binary(data[: len(data) // 2]), encoding="gzip")


@recording("cassette-binary-body.cassette.yaml", ("body-encoding", "body-json"),
           "a PNG where JSON should be")
def _cassette_binary() -> str:
    return cassette(binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"))


@recording("cassette-unknown-version.cassette.yaml", ("source",), "version: 99")
def _cassette_version() -> str:
    return cassette("{string: '{}'}", version="99")


@recording("cassette-unknown-encoding.cassette.json", ("body-encoding",),
           "Content-Encoding br (not supported)")
def _cassette_br() -> str:
    return dumps({"version": 1, "interactions": [{
        "request": {"method": "GET", "uri": f"{URL}?job_id={JOB}", "body": None, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"},
                     "headers": {"Content-Type": ["application/json"],
                                 "Content-Encoding": ["br"]},
                     "body": {"string": "\u001b\u0000"}}}]})


@recording("cassette-interactions-not-list.cassette.yaml", ("source",),
           "interactions is a mapping")
def _cassette_interactions() -> str:
    return "version: 1\ninteractions: {first: {}}\n"


@recording("cassette-missing-response.cassette.yaml", ("source",), "an interaction without one")
def _cassette_no_response() -> str:
    return f"version: 1\ninteractions:\n- request: {{method: GET, uri: '{URL}'}}\n"


@recording("cassette-status-text.cassette.yaml", ("source",), "status code 'OK'")
def _cassette_status() -> str:
    return cassette("{string: '{}'}").replace("code: 200", "code: OK")


# --- exchange files --------------------------------------------------------------------

@recording("exchange-missing-status.exchange.json", ("source",), "a response without status")
def _exchange_no_status() -> str:
    value = exchange()
    del value["response"]["status"]
    return dumps(value)


@recording("exchange-status-out-of-range.exchange.json", ("source",), "status 999")
def _exchange_status_999() -> str:
    return dumps(exchange(status=999))


@recording("exchange-status-string.exchange.yaml", ("source",), "status '200' (a string)")
def _exchange_status_string() -> str:
    return f"request: {{method: GET, url: '{URL}'}}\nresponse: {{status: '200', body: {{}}}}\n"


@recording("exchange-status-bool.exchange.json", ("source",), "status true")
def _exchange_status_bool() -> str:
    return dumps(exchange(status=True))


@recording("exchange-response-list.exchange.json", ("source",), "response is a list")
def _exchange_response_list() -> str:
    return dumps({"request": {"method": "GET", "url": URL}, "response": [200]})


@recording("exchange-two-bodies.exchange.json", ("source",), "both body and body_text")
def _exchange_two_bodies() -> str:
    return dumps(exchange(body=valid_body(), body_text="{}"))


@recording("exchange-bad-base64.exchange.json", ("source",), "body_base64 that is not base64")
def _exchange_bad_base64() -> str:
    return dumps(exchange(body_base64="@@@@"))


@recording("exchange-url-number.exchange.json", ("source",), "request.url is a number")
def _exchange_url_number() -> str:
    value = exchange()
    value["request"]["url"] = 12
    return dumps(value)


@recording("exchange-url-invalid.exchange.json", ("source",),
           "an unclosed IPv6 host in the request URL")
def _exchange_url_invalid() -> str:
    value = exchange()
    value["request"]["url"] = "http://[::1/crm/v7/Contacts/actions/portal_invite"
    return dumps(value)


@recording("exchange-headers-list.exchange.json", ("source",), "response.headers is a string")
def _exchange_headers_string() -> str:
    return dumps(exchange(headers="Content-Type: application/json"))


@recording("exchange-pinned-unknown-endpoint.exchange.json", ("endpoint",),
           "endpoint: pinned to one no contract has")
def _exchange_unknown_endpoint() -> str:
    return dumps({"endpoint": "zoho-crm/portal-invite:no_such_endpoint", **exchange()})


@recording("exchange-no-request.exchange.json", ("endpoint",),
           "no request and no endpoint: nothing to match it to")
def _exchange_no_request() -> str:
    return dumps({"response": exchange()["response"]})


# --- contracts and schemas -------------------------------------------------------------

BASE_CONTRACT = """contract: hostile/api
endpoints:
  get_thing:
    method: GET
    path: /things/{id}
    params:
      id: {pattern: "^[0-9]+$"}
    responses:
      "200": {schema: thing.schema.json}
"""
THING = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "required": ["id"], "properties": {"id": {"type": "string"}}}


def write_set(folder: Path, contract: str = BASE_CONTRACT,
              schemas: dict[str, Any] | None = None) -> None:
    (folder / "contracts" / "api.yaml").write_text(contract)
    for name, schema in (schemas if schemas is not None else {"thing.schema.json": THING}).items():
        path = folder / "schemas" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema if isinstance(schema, str) else dumps(schema))


def thing(**changes: Any) -> dict[str, Any]:
    schema = copy.deepcopy(THING)
    schema.update(changes)
    return schema


@contract_case("meta-unknown-method", "is not one of", "method: FETCH")
def _meta_method(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT.replace("method: GET", "method: FETCH"))


@contract_case("meta-no-endpoints", "endpoints", "a contract without endpoints")
def _meta_no_endpoints(folder: Path) -> None:
    write_set(folder, "contract: hostile/api\n")


@contract_case("meta-endpoints-list", "endpoints", "endpoints is a list")
def _meta_endpoints_list(folder: Path) -> None:
    write_set(folder, "contract: hostile/api\nendpoints: [get_thing]\n")


@contract_case("contract-not-mapping", "YAML mapping", "the contract file is a list")
def _contract_list(folder: Path) -> None:
    write_set(folder, "- get_thing\n- put_thing\n")


@contract_case("contract-empty", "YAML mapping", "an empty contract file")
def _contract_empty(folder: Path) -> None:
    write_set(folder, "")


@contract_case("contract-python-tag", "not allowed", "a !!python/object/apply tag")
def _contract_python(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT.replace("contract: hostile/api",
                                            "contract: !!python/object/apply:os.getcwd []"))


@contract_case("contract-alias-bomb", "alias bomb", "billion laughs in a contract")
def _contract_bomb(folder: Path) -> None:
    write_set(folder, billion_laughs())


@contract_case("contract-two-documents", "several", "two YAML documents")
def _contract_two_docs(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT + "---\n" + BASE_CONTRACT)


@contract_case("contract-duplicate-key", "duplicate key", "endpoints given twice")
def _contract_duplicate(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT + "endpoints: {}\n")


@contract_case("ref-remote", "remote", "a $ref to an https URL")
def _ref_remote(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        properties={"id": {"$ref": "https://example.com/id.schema.json"}})})


@contract_case("ref-escaping", "escaping", "a $ref climbing out of schemas/")
def _ref_escaping(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        properties={"id": {"$ref": "../../../../etc/passwd"}})})


@contract_case("ref-file-uri", "escaping", "a $ref to file:///etc/passwd")
def _ref_file_uri(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        properties={"id": {"$ref": "file:///etc/passwd"}})})


@contract_case("contract-schema-escaping", "escaping", "the contract's schema: ../../x.json")
def _contract_schema_escaping(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT.replace("thing.schema.json", "../../outside.schema.json"))


@contract_case("ref-circular", "circular $ref", "$defs a -> b -> a, no instance step")
def _ref_circular(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        **{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}},
        properties={"id": {"$ref": "#/$defs/a"}})})


@contract_case("ref-circular-self", "circular $ref", 'a schema that is {"$ref": "#"}')
def _ref_self(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": {"$ref": "#"}})


@contract_case("ref-circular-files", "circular $ref", "two files that $ref each other")
def _ref_files(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": {"$ref": "other.schema.json"},
                               "other.schema.json": {"allOf": [{"$ref": "thing.schema.json"}]}})


@contract_case("ref-circular-anchor", "circular $ref", "an $anchor that refers to itself")
def _ref_anchor(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        **{"$defs": {"a": {"$anchor": "loop", "$ref": "#loop"}}},
        properties={"id": {"$ref": "#loop"}})})


@contract_case("ref-dangling-pointer", "points at nothing", "#/$defs/missing")
def _ref_dangling(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        properties={"id": {"$ref": "#/$defs/missing"}})})


@contract_case("schema-missing-file", "no schema file", "the contract names a missing schema")
def _schema_missing(folder: Path) -> None:
    write_set(folder, schemas={})


@contract_case("schema-not-json", "not valid JSON", "a schema file with a syntax error")
def _schema_not_json(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": '{"type": "object",}'})


@contract_case("schema-wrong-type", "invalid schema", '"type": "objekt"')
def _schema_wrong_type(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(type="objekt")})


@contract_case("schema-is-list", "JSON object or boolean", "a schema file holding a list")
def _schema_list(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": [THING]})


@contract_case("schema-unknown-dialect", "does not compile", "an unknown $schema URI")
def _schema_dialect(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        **{"$schema": "https://example.com/my-own-dialect"})})


@contract_case("regex-schema-pattern", "invalid regex", "pattern: ([a-z")
def _regex_schema(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(
        properties={"id": {"type": "string", "pattern": "([a-z"}})})


@contract_case("regex-pattern-properties", "invalid regex", "patternProperties key *x")
def _regex_pattern_properties(folder: Path) -> None:
    write_set(folder, schemas={"thing.schema.json": thing(patternProperties={"*x": {}})})


@contract_case("regex-param-pattern", "regex", "a path parameter pattern ([0-9")
def _regex_param(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT.replace('"^[0-9]+$"', '"([0-9"'))


@contract_case("regex-param-python", "invalid regex", r"\p{L}: valid ECMA 262, not Python re")
def _regex_param_python(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT.replace('"^[0-9]+$"', r'"^\\p{L}+$"'))


@contract_case("regex-rule", "regex", "a rule asserting pattern: ([a")
def _regex_rule(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT + "    rules:\n      - id: bad-regex\n        at: /id\n"
              "        assert: {pattern: '([a'}\n")


@contract_case("same-route-twice", "same route", "two endpoints for GET /things/{...}")
def _same_route(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT + "  also_thing:\n    method: GET\n    path: /things/{key}\n"
              "    responses:\n      '200': {schema: thing.schema.json}\n")


@contract_case("rule-id-twice", "used twice", "two rules with one id")
def _rule_twice(folder: Path) -> None:
    rule = "      - id: same\n        at: /id\n        assert: {type: string}\n"
    write_set(folder, BASE_CONTRACT + "    rules:\n" + rule + rule)


@contract_case("example-missing", "does not exist", "examples: [nowhere.json]")
def _example_missing(folder: Path) -> None:
    write_set(folder, BASE_CONTRACT + "    examples: [nowhere.json]\n")


@contract_case("unknown-endpoint-option", "unknown endpoint",
               "--endpoint names an endpoint no contract has",
               args=("--endpoint", "hostile/api:no_such_endpoint"))
def _unknown_endpoint(folder: Path) -> None:
    write_set(folder)


# --- cases built at test time ----------------------------------------------------------

def dynamic_cases(root: Path, big: bool = True) -> list[Entry]:
    """File-system tricks and big inputs, built under `root` (absolute paths)."""
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Entry] = []

    def add(name: str, paths: list[Path], rules: tuple[str, ...], about: str,
            args: tuple[str, ...] = (), **extra: Any) -> None:
        cases.append({"kind": "recording", "name": name, "paths": [str(p) for p in paths],
                      "rules": list(rules), "args": list(args), "about": about, **extra})

    folder = root / "fs"
    folder.mkdir(exist_ok=True)
    locked = folder / "unreadable.exchange.json"
    locked.write_text(dumps(exchange()))
    locked.chmod(0)
    add("fs-unreadable", [locked], ("source",), "a file without read permission",
        runner="no-dac")
    shelf = root / "locked-shelf"
    (shelf / "locked").mkdir(parents=True, exist_ok=True)
    (shelf / "locked" / "inside.exchange.json").write_text(dumps(exchange()))
    (shelf / "locked").chmod(0)
    add("fs-unreadable-folder", [shelf], ("source",), "a folder without read permission",
        runner="no-dac")
    loop = folder / "loop-a.exchange.json"
    _symlink(folder / "loop-b.exchange.json", loop)
    _symlink(loop, folder / "loop-b.exchange.json")
    add("fs-symlink-loop", [loop], ("source",), "a.json -> b.json -> a.json")
    dangling = folder / "dangling.exchange.json"
    _symlink(folder / "nowhere.json", dangling)
    add("fs-dangling-symlink", [dangling], ("source",), "a link to nothing")
    tree = root / "dir-loop"
    (tree / "inner").mkdir(parents=True, exist_ok=True)
    (tree / "inner" / "broken.exchange.json").write_text("{")
    _symlink(tree, tree / "inner" / "back-to-top")
    _symlink(tree / "inner", tree / "inner" / "self")
    add("fs-directory-loop", [tree], ("body-json",), "folders whose links loop back up",
        once=True)
    if hasattr(os, "mkfifo"):
        fifo = folder / "pipe.exchange.json"
        os.mkfifo(fifo)
        add("fs-fifo", [fifo], ("source",), "a named pipe nobody writes to")
    if Path("/dev/zero").exists():
        add("fs-device", [Path("/dev/zero")], ("source",), "an endless character device")
    add("fs-missing", [folder / "missing.exchange.json"], ("source",), "a path that is not there")
    empty = folder / "empty.exchange.json"
    empty.write_bytes(b"")
    add("fs-empty-file", [empty], ("source",), "zero bytes")
    odd = _odd_name(folder, b"bad-\xff-name.exchange.json")
    if odd is not None:
        add("fs-undecodable-name", [odd], ("body-json",), "a file name that is not UTF-8")
    newline = _odd_name(folder, b"two\nlines.exchange.json")
    if newline is not None:
        add("fs-newline-name", [newline], ("body-json",), "a newline in the file name")
    small_limit = folder / "over-limit.exchange.json"
    small_limit.write_text(dumps(exchange(body=valid_body(200))))
    add("fs-over-max-size", [small_limit], ("source-too-large",), "a file over --max-size",
        args=("--max-size", "16K"))
    if big:
        cases += _big_cases(root / "big")
    return cases


def _big_cases(folder: Path) -> list[Entry]:
    folder.mkdir(parents=True, exist_ok=True)
    deep = folder / "deep-100000.bare.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    deep_body = folder / "deep-100000.exchange.json"
    deep_body.write_text(with_text('{"a":' * 100_000 + "1" + "}" * 100_000))
    long_string = folder / "string-10mb.exchange.json"
    body = valid_body()
    body["portal_invite"][0]["data"][0]["message"] = "x" * (10 * MIB)
    body["portal_invite"][0]["job_id"] = "9" * (10 * MIB)
    long_string.write_text(with_text(json.dumps(body)))
    huge = folder / "body-100mb.exchange.json"
    write_100mb_body(huge)
    bomb = folder / "gzip-bomb.cassette.yaml"
    bomb.write_text(cassette(binary(gzip_bomb(300 * MIB)), encoding="gzip"))
    return [
        {"kind": "recording", "name": "big-deep-nesting-bare", "paths": [str(deep)],
         "rules": ["body-json"], "args": ["--endpoint", ENDPOINT], "big": True,
         "about": "10^5 nested arrays as a bare body"},
        {"kind": "recording", "name": "big-deep-nesting-body", "paths": [str(deep_body)],
         "rules": ["body-json"], "args": [], "big": True,
         "about": "10^5 nested objects inside an exchange body"},
        {"kind": "recording", "name": "big-10mb-strings", "paths": [str(long_string)],
         "rules": ["schema", "job-id-echoes-request"], "args": [], "big": True,
         "about": "two 10 MB strings, one where a 19-digit id goes"},
        {"kind": "recording", "name": "big-100mb-body", "paths": [str(huge)],
         "rules": ["schema", "drift-limit"], "args": [], "big": True,
         "about": "a 100 MB body, valid except its very last item"},
        {"kind": "recording", "name": "big-gzip-bomb", "paths": [str(bomb)],
         "rules": ["body-encoding"], "args": [], "big": True,
         "about": "300 KB of gzip that inflates to 300 MB"},
    ]


def write_100mb_body(path: Path, size: int = 100 * MIB) -> None:
    """An exchange file whose body is ~`size` bytes: many valid items, the last one broken."""
    one = json.dumps(item()) + ", "
    count = size // len(one)
    head = json.dumps(exchange(body={"portal_invite": []}))
    before, after = head.split('"portal_invite": []', 1)
    with path.open("w", encoding="utf-8") as out:
        out.write(before + '"portal_invite": [{"job_id": "' + JOB + '", "status": "completed", '
                  '"data": [')
        chunk = one * 10_000
        for _ in range(count // 10_000):
            out.write(chunk)
        out.write(json.dumps(item(code="success")) + "]}]" + after)  # lower-case code: schema


def gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * MIB
    return b"".join(packer.compress(zeros) for _ in range(size // MIB)) + packer.flush()


def drop_read_override() -> None:
    """For a child process run as root: give up CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
    for good (the bounding set, so they stay gone after exec), making file permissions
    apply; that is how the unreadable-file case is tested as root. Linux only."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, dac_override, dac_read_search = 24, 1, 2
    for capability in (dac_override, dac_read_search):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def _symlink(target: Path, link: Path) -> None:
    if not link.is_symlink():
        link.symlink_to(target)


def _odd_name(folder: Path, name: bytes) -> Path | None:
    """A file with a name some file systems refuse (macOS: not UTF-8); None if refused."""
    path = os.path.join(os.fsencode(folder), name)
    try:
        with open(path, "wb") as out:
            out.write(b"{")
    except OSError:
        return None
    return Path(os.fsdecode(path))


# --- writing the committed part --------------------------------------------------------

def known_bad() -> dict[str, Any]:
    """The control that must keep failing: job_id as a number (one schema finding)."""
    value = exchange()
    value["response"]["body"]["portal_invite"][0]["job_id"] = int(JOB)
    value["request"]["url"] = URL
    return value


def build(root: Path = HERE) -> list[Entry]:
    for sub in ("recordings", "contracts", "controls"):
        shutil.rmtree(root / sub, ignore_errors=True)
    for sub in ("recordings", "controls"):
        (root / sub).mkdir(parents=True)
    (root / "controls" / "a-good.exchange.json").write_text(dumps(exchange()))
    (root / "controls" / "z-known-bad.exchange.json").write_text(dumps(known_bad()))
    for _, write in _WRITERS:
        write(root)
    (root / "manifest.json").write_text(json.dumps(STATIC, indent=2) + "\n")
    return STATIC


if __name__ == "__main__":
    built = build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    kinds = {k: sum(1 for e in built if e["kind"] == k) for k in ("recording", "contract")}
    print(f"{len(built)} committed cases: {kinds['recording']} recordings, "
          f"{kinds['contract']} contract sets (file-system and big cases: built at test time)")
