"""`--record DIR`: every exchange the mock served, as exchange files `check` reads back.

The files are written by the live mode's recorder (validator/live/record.py): credentials
and the contract's `sensitive` fields are redacted, existing files are never replaced.
The credential a request sent (its auth header's last word) is scrubbed wherever else it
appears too (a URL path, an echoed message), as live mode does with its own token.
`provenance` says the mock made them (kind, seed, request number, fault); an invalid
answer also carries `expected`, the finding `check` must report for it.
"""

from __future__ import annotations

from typing import Any

from validator.live.record import Recorder, Redactor, Secret, Sensitive, exchange_document
from validator.mock.answer import Answer, Options
from validator.model.exchange import Exchange


def record(recorder: Recorder, exchange: Exchange, answer: Answer, options: Options,
           index: int) -> None:
    """Write one served exchange as a redacted exchange file."""
    request = exchange.request
    assert request is not None
    endpoint = answer.endpoint
    sensitive = Sensitive.from_contract(endpoint.contract) if endpoint else Sensitive({}, ())
    header = endpoint.contract.auth.header if endpoint else "authorization"
    provenance: dict[str, Any] = {"recorded_by": "respcontract mock", "kind": options.kind,
                                  "seed": options.seed, "request": index}
    if answer.fault is not None:
        provenance["fault"] = answer.fault.name
    document = exchange_document(
        request.method, request.url, request.headers, request.body, answer.status,
        answer.headers, answer.body, endpoint.full_name if endpoint else "", provenance,
        Redactor(sensitive, _sent_credential(request.headers, header), header))
    if not document["endpoint"]:
        del document["endpoint"]
    if answer.expected is not None:
        document["expected"] = answer.expected.to_dict()
    name = endpoint.name if endpoint else "unmatched"
    recorder.write(document, f"{index:05d}-{name}-{answer.status}")


def _sent_credential(headers: dict[str, str] | None, header: str) -> Secret | None:
    value = next((v for k, v in (headers or {}).items() if k.lower() == header.lower()), "")
    words = value.split()
    return Secret(words[-1]) if words and len(words[-1]) >= 8 else None


__all__ = ["record"]
