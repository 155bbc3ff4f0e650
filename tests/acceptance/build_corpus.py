"""Regenerate the acceptance corpus (tests/acceptance/positive and negative).

Each negative case is one documented response broken in one way, written in one of the
input formats `respcontract check` reads, and pinned in negative.manifest.json to the exact
(rule, pointer) findings it must produce. Run: python tests/acceptance/build_corpus.py
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
HOST = "https://www.zohoapis.com"
STATUS_PATH = "/crm/v7/Contacts/actions/portal_invite"
JOB = "5020928000002387017"
GET = "zoho-crm/portal-invite:get_bulk_invite_status"


def item(record: str | None = "5020928000001843001", code: str = "SUCCESS",
         status: str = "success") -> dict[str, Any]:
    return {"details": {"id": record} if record else {}, "code": code,
            "message": "An Invite has been sent to the personality.", "status": status}


def one_job() -> dict[str, Any]:
    return {"portal_invite": [{"data": [item()], "job_id": JOB, "status": "completed"}]}


def two_jobs() -> dict[str, Any]:
    return {"portal_invite": [
        {"data": [item(), item(None, "CANNOT_PROCESS", "error")], "job_id": JOB,
         "status": "completed"},
        {"data": None, "job_id": "5020928000002387021", "status": "in_progress"},
    ]}


def envelope(code: str = "INVALID_TOKEN") -> dict[str, Any]:
    return {"code": code, "details": {}, "message": "invalid oauth token", "status": "error"}


def mutate(body: dict[str, Any], path: list[Any], value: Any = None, delete: bool = False
           ) -> dict[str, Any]:
    body = copy.deepcopy(body)
    node = body
    for token in path[:-1]:
        node = node[token]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return body


def text(body: Any) -> str:
    return json.dumps(body, indent=2)


# name, request query, status, content type, body (object or raw text), expected findings
NEGATIVE: list[tuple[str, str, int, str, Any, list[tuple[str, str]]]] = [
    ("job-id-number", f"job_id={JOB}", 200, "application/json",
     mutate(one_job(), ["portal_invite", 0, "job_id"], int(JOB)),
     [("schema", "/portal_invite/0/job_id")]),
    ("record-id-number", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 0, "data", 0, "details", "id"], 5020928000001843001),
     [("schema", "/portal_invite/0/data/0/details/id")]),
    ("details-missing", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 0, "data", 1, "details"], delete=True),
     [("schema", "/portal_invite/0/data/1")]),
    ("success-with-error-status", f"job_id={JOB}", 200, "application/json",
     mutate(one_job(), ["portal_invite", 0, "data", 0, "status"], "error"),
     [("item-status-follows-code", "/portal_invite/0/data/0/status")]),
    ("cannot-process-with-success-status", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 0, "data", 1, "status"], "success"),
     [("item-error-follows-code", "/portal_invite/0/data/1/status"),
      ("success-item-has-record-id", "/portal_invite/0/data/1/details")]),
    ("success-without-record-id", f"job_id={JOB}", 200, "application/json",
     mutate(one_job(), ["portal_invite", 0, "data", 0, "details"], {}),
     [("success-item-has-record-id", "/portal_invite/0/data/0/details")]),
    ("completed-data-null", f"job_id={JOB}", 200, "application/json",
     mutate(one_job(), ["portal_invite", 0, "data"], None),
     [("completed-job-has-data", "/portal_invite/0/data")]),
    ("running-with-data", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 1, "data"], [item()]),
     [("running-job-has-no-data", "/portal_invite/1/data")]),
    ("two-jobs-for-one-job-id", f"job_id={JOB}", 200, "application/json", two_jobs(),
     [("one-job-per-job-id", "/portal_invite"),
      ("job-id-echoes-request", "/portal_invite/1/job_id")]),
    ("job-id-not-echoed", "job_id=5020928000002387099", 200, "application/json", one_job(),
     [("job-id-echoes-request", "/portal_invite/0/job_id")]),
    ("job-listed-twice", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 1, "job_id"], JOB),
     [("job-ids-unique", "/portal_invite/1/job_id")]),
    ("portal-invite-missing", "", 200, "application/json", {"jobs": []},
     [("schema", "")]),
    ("portal-invite-object", "", 200, "application/json", {"portal_invite": {"job_id": JOB}},
     [("schema", "/portal_invite")]),
    ("job-status-bad-pattern", f"job_id={JOB}", 200, "application/json",
     mutate(one_job(), ["portal_invite", 0, "status"], "Completed!"),
     [("schema", "/portal_invite/0/status")]),
    ("item-code-lowercase", f"job_id={JOB}", 200, "application/json",
     mutate(one_job(), ["portal_invite", 0, "data", 0, "code"], "success"),
     [("schema", "/portal_invite/0/data/0/code")]),
    ("message-number", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 0, "data", 0, "message"], 42),
     [("schema", "/portal_invite/0/data/0/message")]),
    ("record-id-20-digits", f"job_id={JOB}", 200, "application/json",
     mutate(one_job(), ["portal_invite", 0, "data", 0, "details", "id"], "1" * 20),
     [("schema", "/portal_invite/0/data/0/details/id")]),
    ("job-id-empty", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 1, "job_id"], ""),
     [("schema", "/portal_invite/1/job_id")]),
    ("data-string", "", 200, "application/json",
     mutate(two_jobs(), ["portal_invite", 0, "data"], "none"),
     [("schema", "/portal_invite/0/data")]),
    ("no-content-with-body", "job_id=5020928000009999999", 204, "application/json",
     one_job(), [("body-not-empty", "")]),
    ("undocumented-status", f"job_id={JOB}", 302, "application/json", one_job(),
     [("status", "")]),
    ("html-content-type", f"job_id={JOB}", 200, "text/html", one_job(),
     [("content-type", "")]),
    ("empty-200", f"job_id={JOB}", 200, "application/json", "", [("body-empty", "")]),
    ("duplicate-key", f"job_id={JOB}", 200, "application/json",
     '{"portal_invite": [{"data": [], "job_id": "1", "job_id": "2", "status": "completed"}]}',
     [("body-duplicate-key", "/portal_invite/0/job_id")]),
    ("nan", "", 200, "application/json",
     '{"portal_invite": [{"data": null, "job_id": "1", "status": "in_progress", "x": NaN}]}',
     [("body-nonfinite", "")]),
    ("trailing-data", f"job_id={JOB}", 200, "application/json",
     text(one_job()) + "\n{}", [("body-trailing-data", "")]),
    ("truncated", f"job_id={JOB}", 200, "application/json", text(one_job())[:60],
     [("body-json", "")]),
    ("envelope-status-failure", f"job_id={JOB}", 401, "application/json",
     mutate(envelope(), ["status"], "failure"), [("schema", "/status")]),
    ("envelope-message-missing", f"job_id={JOB}", 401, "application/json",
     mutate(envelope(), ["message"], delete=True), [("schema", "")]),
    ("envelope-code-lowercase", "", 500, "application/json",
     envelope("internal_error"), [("schema", "/code")]),
    ("envelope-details-list", "", 400, "application/json",
     mutate(envelope("INVALID_MODULE"), ["details"], []), [("schema", "/details")]),
    ("html-error-page", "", 503, "text/html", "<html><body>Service Unavailable</body></html>",
     [("content-type", ""), ("body-json", "")]),
]

FORMATS = ["exchange.json", "exchange.yaml", "har", "cassette.yaml", "cassette.json",
           "bare.json"]


def request_url(query: str) -> str:
    return f"{HOST}{STATUS_PATH}" + (f"?{query}" if query else "")


def body_text(body: Any) -> str:
    return body if isinstance(body, str) else text(body)


def exchange_doc(query: str, status: int, ctype: str, body: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"status": status, "headers": {"Content-Type": ctype}}
    if isinstance(body, str):
        response["body_text"] = body
    else:
        response["body"] = body
    return {"request": {"method": "GET", "url": request_url(query),
                        "headers": {"Accept": "application/json"}}, "response": response}


def har_doc(query: str, status: int, ctype: str, body: Any) -> dict[str, Any]:
    entry = {
        "startedDateTime": "2026-11-20T10:00:00.000Z", "time": 120,
        "request": {"method": "GET", "url": request_url(query), "httpVersion": "HTTP/1.1",
                    "headers": [{"name": "Accept", "value": "application/json"}],
                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": "Content-Type", "value": ctype}], "cookies": [],
                     "content": {"size": len(body_text(body)), "mimeType": ctype,
                                 "text": body_text(body)},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 1, "wait": 100, "receive": 19},
    }
    return {"log": {"version": "1.2", "creator": {"name": "acceptance", "version": "1"},
                    "entries": [entry]}}


def cassette_doc(query: str, status: int, ctype: str, body: Any, gzipped: bool
                 ) -> dict[str, Any]:
    headers = {"Content-Type": [ctype]}
    payload: Any = body_text(body)
    if gzipped:
        headers["Content-Encoding"] = ["gzip"]
        payload = gzip.compress(payload.encode("utf-8"), mtime=0)
    return {"version": 1, "interactions": [{
        "request": {"method": "GET", "uri": request_url(query), "body": None,
                    "headers": {"Accept": ["application/json"]}},
        "response": {"status": {"code": status, "message": "OK"}, "headers": headers,
                     "body": {"string": payload}},
    }]}


def write(name: str, fmt: str, case: tuple[Any, ...], folder: Path) -> dict[str, Any]:
    _, query, status, ctype, body, _ = case
    entry: dict[str, Any] = {"file": f"{name}.{fmt}"}
    target = folder / entry["file"]
    if fmt == "exchange.json":
        target.write_text(json.dumps(exchange_doc(query, status, ctype, body), indent=2) + "\n")
    elif fmt == "exchange.yaml":
        doc = exchange_doc(query, status, ctype, body)
        target.write_text(yaml.safe_dump(doc, sort_keys=False, width=100))
    elif fmt == "har":
        target.write_text(json.dumps(har_doc(query, status, ctype, body), indent=2) + "\n")
    elif fmt == "cassette.yaml":
        doc = cassette_doc(query, status, ctype, body, gzipped=status == 200)
        target.write_text(yaml.safe_dump(doc, sort_keys=False, width=100))
    elif fmt == "cassette.json":
        doc = cassette_doc(query, status, ctype, body, gzipped=False)
        target.write_text(json.dumps(doc, indent=2) + "\n")
    else:
        target.write_bytes(body_text(body).encode("utf-8"))
        entry.update(endpoint=GET, status=status)
    return entry


def bare_allowed(case: tuple[Any, ...]) -> bool:
    # a bare body has no request and no headers: only body-level cases fit
    _, query, _, ctype, _, findings = case
    rules = {rule for rule, _ in findings}
    return not query and ctype == "application/json" and not rules & {"content-type"}


def build_negative() -> None:
    folder = HERE / "negative"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    manifest = []
    position = 0
    for case in NEGATIVE:
        name, *_, findings = case
        fmt = FORMATS[position % len(FORMATS)]
        if fmt == "bare.json" and not bare_allowed(case):
            position += 1
            fmt = FORMATS[position % len(FORMATS)]
        position += 1
        entry = write(f"{len(manifest) + 1:02d}-{name}", fmt, case, folder)
        entry["findings"] = [{"rule": r, "pointer": p} for r, p in findings]
        manifest.append(entry)
    (HERE / "negative.manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def build_positive() -> None:
    folder = HERE / "positive"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    cases = [
        ("one-job", f"job_id={JOB}", 200, "application/json; charset=UTF-8", one_job(), []),
        ("mixed-jobs", "", 200, "application/json", two_jobs(), []),
        ("v2-1-eu-empty-list", "", 200, "application/json", {"portal_invite": []}, []),
        ("unknown-job", "job_id=5020928000009999999", 204, "application/json", "", []),
        ("rate-limited", "", 429, "application/json", envelope("INVALID_REQUEST_METHOD"), []),
    ]
    manifest = []
    for index, case in enumerate(cases):
        fmt = FORMATS[index % 5]
        entry = write(f"{case[0]}", fmt, case, folder)
        manifest.append(entry | {"warnings": []})
    drift = [
        ("drift-extra-field", f"job_id={JOB}", 200, "application/json",
         mutate(one_job(), ["portal_invite", 0, "created_time"], "2026-11-20T10:00:00Z"),
         [("undocumented", "/portal_invite/0/created_time")]),
        ("drift-unknown-code", f"job_id={JOB}", 200, "application/json",
         mutate(one_job(), ["portal_invite", 0, "data", 0, "code"], "ALREADY_INVITED"),
         [("undocumented", "/portal_invite/0/data/0/code")]),
        ("drift-new-job-status", "", 200, "application/json",
         mutate(two_jobs(), ["portal_invite", 1, "status"], "queued"),
         [("undocumented", "/portal_invite/1/status")]),
        ("drift-unknown-error-code", "", 400, "application/json", envelope("LIMIT_REACHED"),
         [("undocumented", "/code")]),
    ]
    for index, case in enumerate(drift):
        entry = write(case[0], FORMATS[(index + 2) % 5], case, folder)
        manifest.append(entry | {"warnings": [{"rule": r, "pointer": p} for r, p in case[5]]})
    # the v2.1 EU domain: matching accepts any Zoho domain and version
    eu = folder / manifest[2]["file"]
    eu.write_text(eu.read_text().replace(HOST, "https://www.zohoapis.eu").replace(
        "/crm/v7/", "/crm/v2.1/"))
    (HERE / "positive.manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    build_negative()
    build_positive()
    print("corpus written")
