"""Response-level changes: statuses, media types and their parameters, headers, and an
endpoint's deprecation, sunset and stability (after oasdiff's response-status-*,
response-media-type-*, response-header-*, api-deprecation, api-sunset and api-stability
checks; the cases are our own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gate_helpers import diff_pair, response_contract

BODY = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
ERROR = {"type": "object", "properties": {"code": {"type": "string"}}}
SCHEMAS = {"body": BODY, "error": ERROR}
J = {"schema": "body.schema.json"}
RETRY = {"required": True, "schema": {"type": "integer", "minimum": 0}}


def content(**media: Any) -> dict[str, Any]:
    """`application__json=...` stands for the media type application/json."""
    return {"content": {k.replace("__", "/"): v for k, v in media.items()}}


def with_headers(headers: dict[str, Any], base: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    return {**(base or J), "headers": headers}


# (id, old response, new response, old endpoint extras, new endpoint extras, old other
# statuses, new other statuses, verdict, kind, reason)
CASES: list[tuple[str, Any, Any, Any, Any, Any, Any, str, str, str]] = [
    ("success status removed (another success left)", J, J, {}, {}, {"201": J}, {},
     "breaking", "status-removed", "success status 201"),
    ("non-success status removed", J, J, {}, {}, {"404": {"schema": "error.schema.json"}},
     {}, "risky", "status-removed", "harmless in theory"),
    ("success status added", J, J, {}, {}, {}, {"201": J}, "breaking", "status-added",
     "201"),
    ("non-success status added", J, J, {}, {}, {}, {"429": {"body": "empty"}}, "breaking",
     "status-added", "429"),
    ("status folded into a range (the range admits other statuses too)", J, J, {}, {},
     {"404": {"schema": "error.schema.json"}},
     {"4XX": {"schema": "error.schema.json"}}, "breaking", "status-merged",
     "4XX covers it"),
    # media types
    ("media type added", J, content(application__json=J, application__xml={"body": "any"}),
     {}, {}, {}, {}, "breaking", "media-type-added", "application/xml"),
    ("media type removed", content(application__json=J, text__csv={"body": "any"}),
     content(application__json=J), {}, {}, {}, {}, "breaking", "media-type-removed",
     "text/csv"),
    ("content type changed", J, {"content_type": "application/xml", "body": "any"}, {}, {},
     {}, {}, "breaking", "content-type-changed", "application/xml"),
    ("media type generalized", J, {"content": {"application/*": J}}, {}, {}, {}, {},
     "breaking",
     "media-type-widened", "application/*"),
    ("media type specialized", {"content": {"application/*": {"schema": "body.schema.json"}}},
     J, {}, {}, {}, {}, "safe", "media-type-narrowed", "application/json"),
    ("charset parameter added", J, {"content_type": "application/json; charset=utf-8",
                                    **J}, {}, {}, {}, {}, "safe", "media-type-parameter",
     "charset=utf-8"),
    ("charset parameter removed", {"content_type": "application/json; charset=utf-8", **J},
     J, {}, {}, {}, {}, "breaking", "media-type-parameter", "no longer promised"),
    ("media type parameter changed", {"content_type": "application/json; version=1", **J},
     {"content_type": "application/json; version=2", **J}, {}, {}, {}, {}, "breaking",
     "media-type-parameter", "from 1 to 2"),
    ("media type case changed only", {"content_type": "application/json", **J},
     {"content_type": "Application/JSON", **J}, {}, {}, {}, {}, "none", "", ""),
    ("shorthand becomes a one-entry content", {"content_type": "application/json", **J},
     content(application__json=J), {}, {}, {}, {}, "none", "", ""),
    ("problem+json schema widened next to json",
     {"content": {"application/json": J,
                  "application/problem+json": {"schema": "error.schema.json"}}},
     {"content": {"application/json": J, "application/problem+json": {"body": "json"}}},
     {}, {}, {},
     {}, "breaking", "schema-dropped", "application/problem+json"),
    ("body became empty", J, {"body": "empty"}, {}, {}, {}, {}, "breaking", "body-changed",
     "empty"),
    # headers
    ("required header removed", with_headers({"Retry-After": RETRY}), J, {}, {}, {}, {},
     "breaking", "header-removed", "required response header Retry-After"),
    ("optional header removed", with_headers({"X-Trace": {"schema": {"type": "string"}}}),
     J, {}, {}, {}, {}, "breaking", "header-removed", "optional"),
    ("header became optional", with_headers({"Location": {"required": True}}),
     with_headers({"Location": {"required": False}}), {}, {}, {}, {}, "breaking",
     "header-optional", "may be missing"),
    ("header became required", with_headers({"Location": {}}),
     with_headers({"Location": {"required": True}}), {}, {}, {}, {}, "safe",
     "header-required", "always sent"),
    ("header added", J, with_headers({"X-Rate-Limit": {"schema": {"type": "integer"}}}), {},
     {}, {}, {}, "safe", "header-added", "X-Rate-Limit"),
    ("header retyped", with_headers({"Retry-After": RETRY}),
     with_headers({"Retry-After": {"required": True, "schema": {"type": "string"}}}), {}, {},
     {}, {}, "breaking", "type-changed", "Retry-After"),
    ("header type generalized", with_headers({"X-N": {"schema": {"type": "integer"}}}),
     with_headers({"X-N": {"schema": {"type": "number"}}}), {}, {}, {}, {}, "breaking",
     "type-changed", "integer to number"),
    ("header type specialized", with_headers({"X-N": {"schema": {"type": "number"}}}),
     with_headers({"X-N": {"schema": {"type": "integer"}}}), {}, {}, {}, {}, "safe",
     "type-narrowed", "X-N"),
    ("header minimum removed", with_headers({"Retry-After": RETRY}),
     with_headers({"Retry-After": {"required": True, "schema": {"type": "integer"}}}), {},
     {}, {}, {}, "breaking", "limit-loosened", "minimum 0 removed"),
    ("header enum value added", with_headers({"X-Mode": {"schema": {"enum": ["a"]}}}),
     with_headers({"X-Mode": {"schema": {"enum": ["a", "b"]}}}), {}, {}, {}, {}, "breaking",
     "enum-value-added", '"b"'),
    ("header name case changed only", with_headers({"Retry-After": RETRY}),
     with_headers({"retry-after": RETRY}), {}, {}, {}, {}, "none", "", ""),
    ("header schema dropped", with_headers({"Retry-After": RETRY}),
     with_headers({"Retry-After": {"required": True}}), {}, {}, {}, {}, "breaking",
     "schema-dropped", "no longer described"),
    # lifecycle
    ("endpoint deprecated", J, J, {}, {"deprecated": True}, {}, {}, "risky", "deprecated",
     "no sunset date"),
    ("endpoint deprecated with a sunset", J, J, {}, {"deprecated": True,
                                                     "sunset": "2027-01-01"}, {}, {},
     "risky", "deprecated", "sunset 2027-01-01"),
    ("endpoint reactivated", J, J, {"deprecated": True}, {}, {}, {}, "safe", "deprecated",
     "no longer deprecated"),
    ("sunset moved earlier", J, J, {"deprecated": True, "sunset": "2027-06-01"},
     {"deprecated": True, "sunset": "2027-01-01"}, {}, {}, "risky", "sunset-changed",
     "earlier"),
    ("sunset moved later", J, J, {"deprecated": True, "sunset": "2027-01-01"},
     {"deprecated": True, "sunset": "2027-06-01"}, {}, {}, "safe", "sunset-changed",
     "later"),
    ("stability lowered", J, J, {}, {"stability": "beta"}, {}, {}, "breaking",
     "stability-changed", "stable to beta"),
    ("stability raised", J, J, {"stability": "beta"}, {}, {}, {}, "safe",
     "stability-changed", "beta to stable"),
    ("breaking change on a beta endpoint", with_headers({"Retry-After": RETRY}), J,
     {"stability": "beta"}, {"stability": "beta"}, {}, {}, "risky", "header-removed",
     "beta endpoint"),
    ("breaking change on an alpha endpoint", with_headers({"Retry-After": RETRY}), J,
     {"stability": "alpha"}, {"stability": "alpha"}, {}, {}, "safe", "header-removed",
     "alpha endpoint"),
]


def level_of(result: Any) -> str:
    if not result.changes:
        return "none"
    return max(result.changes, key=lambda c: c.level.rank).level.value


@pytest.mark.parametrize(("old", "new", "old_ep", "new_ep", "old_more", "new_more",
                          "verdict", "kind", "reason"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_response_change(tmp_path: Path, old: Any, new: Any, old_ep: Any, new_ep: Any,
                         old_more: Any, new_more: Any, verdict: str, kind: str,
                         reason: str) -> None:
    result = diff_pair(tmp_path, (response_contract(old, old_ep, old_more), SCHEMAS),
                       (response_contract(new, new_ep, new_more), SCHEMAS))
    shown = "\n".join(f"{c.level.value} {c.kind} {c.status} {c.pointer}: {c.message}"
                      for c in result.changes)
    assert level_of(result) == verdict, shown
    if kind:
        assert any(c.kind == kind and reason.lower() in c.message.lower()
                   for c in result.changes), shown


def test_alpha_endpoint_removed_is_safe(tmp_path: Path) -> None:
    old = response_contract(J, {"stability": "alpha"})
    old["endpoints"]["other"] = {"method": "GET", "path": "/other", "responses": {"200": J}}
    new = response_contract(J, {"stability": "alpha"})
    new["endpoints"]["other"] = old["endpoints"]["other"]
    del new["endpoints"]["get_things"]
    result = diff_pair(tmp_path, (old, SCHEMAS), (new, SCHEMAS))
    assert [(c.level.value, c.kind) for c in result.changes] == [("safe", "endpoint-removed")]


@pytest.mark.parametrize(("extras", "verdict", "reason"), [
    ({}, "breaking", "removed"),
    ({"deprecated": True}, "breaking", "no sunset date"),
    ({"deprecated": True, "sunset": "2999-01-01"}, "breaking", "before its sunset"),
    ({"deprecated": True, "sunset": "2020-01-01"}, "risky", "as announced"),
])
def test_endpoint_removed_around_its_sunset(tmp_path: Path, extras: dict[str, Any],
                                           verdict: str, reason: str) -> None:
    old = response_contract(J)
    old["endpoints"]["other"] = {"method": "GET", "path": "/other", "responses": {"200": J},
                                 **extras}
    new = response_contract(J)
    result = diff_pair(tmp_path, (old, SCHEMAS), (new, SCHEMAS))
    (change,) = result.changes
    assert (change.level.value, change.kind) == (verdict, "endpoint-removed")
    assert reason in change.message
