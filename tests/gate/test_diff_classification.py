"""One pair of contract versions per row of the diff classification table.

Each case edits a copy of a small made-up contract set and asserts the exact set of
changes `diff` reports: the level, the kind (the table row), the status and the body
pointer. An exact set means a case also fails when the diff reports noise.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
from gate_helpers import ContractTree, write_pair

from validator.diff.contracts import diff

Edit = Callable[[ContractTree, ContractTree], None]
Expected = set[tuple[str, str, str, str, str]]  # level, kind, endpoint, status, pointer

GET, LIST = "shop/orders:get_order", "shop/orders:list_orders"


def prop(tree: ContractTree, name: str) -> dict:
    return tree.order["properties"][name]


def drop_rule(tree: ContractTree, rule_id: str) -> None:
    rules = tree.get_order["rules"]
    rules[:] = [r for r in rules if r["id"] != rule_id]


def rule(tree: ContractTree, rule_id: str) -> dict:
    return next(r for r in tree.get_order["rules"] if r["id"] == rule_id)


def add_wallet(new: ContractTree) -> None:
    new.order["$defs"]["wallet"] = {"type": "object", "required": ["kind", "wallet_id"],
                                    "properties": {"kind": {"const": "wallet"},
                                                   "wallet_id": {"type": "string"}}}
    prop(new, "payment")["oneOf"].append({"$ref": "#/$defs/wallet"})


def into_all_of(tree: ContractTree) -> None:
    """Same meaning, new layout: properties move into a shared definition used via allOf."""
    order = tree.order
    order["$defs"]["base"] = {"type": "object",
                              "properties": {k: order["properties"].pop(k)
                                             for k in ("status", "note", "total")}}
    order["allOf"] = [{"$ref": "#/$defs/base"}]


def second_contract(tree: ContractTree) -> None:
    tree.extra_contracts["refunds"] = {
        "contract": "shop/refunds",
        "schemas": "../schemas",
        "endpoints": {"get_refund": {"method": "GET", "path": "/refunds/{id}",
                                     "responses": {"200": {"schema": "shop/list.schema.json"}}}},
    }


def null_branch(new: ContractTree) -> None:
    new.order["properties"]["tracking"] = {"oneOf": [{"type": "string"}, {"type": "null"}]}


def status_to_range(new: ContractTree) -> None:
    responses = new.get_order["responses"]
    responses["4XX"] = responses.pop("404")


CASES: list[tuple[str, Edit, Expected]] = [
    # ---- breaking: a consumer can now meet a response it does not handle ----
    ("property removed",
     lambda o, n: n.order["properties"].pop("note"),
     {("breaking", "property-removed", GET, "200", "")}),
    ("required becomes optional",
     lambda o, n: n.order["required"].remove("items"),
     {("breaking", "property-optional", GET, "200", "")}),
    ("type changed",
     lambda o, n: prop(n, "total").update(type="string"),
     {("breaking", "type-changed", GET, "200", "/total")}),
    ("type widened: integer to number, inside a $ref",
     lambda o, n: n.order["$defs"]["item"]["properties"]["qty"].update(type="number"),
     {("breaking", "type-changed", GET, "200", "/items/*/qty")}),
    ("type constraint dropped",
     lambda o, n: prop(n, "tracking").pop("type"),
     {("breaking", "type-changed", GET, "200", "/tracking")}),
    ("null newly allowed (type list)",
     lambda o, n: prop(n, "note").update(type=["string", "null"]),
     {("breaking", "null-allowed", GET, "200", "/note")}),
    ("null newly allowed (oneOf with a null branch)",
     lambda o, n: null_branch(n),
     {("breaking", "null-allowed", GET, "200", "/tracking")}),
    ("null newly allowed (enum)",
     lambda o, n: prop(n, "status")["enum"].append(None),
     {("breaking", "null-allowed", GET, "200", "/status")}),
    ("new enum value",
     lambda o, n: prop(n, "status")["enum"].append("cancelled"),
     {("breaking", "enum-value-added", GET, "200", "/status")}),
    ("new code (x-documented value)",
     lambda o, n: prop(n, "code")["x-documented"].append("LOST"),
     {("breaking", "code-added", GET, "200", "/code")}),
    ("new code in an error response",
     lambda o, n: n.schemas["error"]["properties"]["code"]["x-documented"].append("GONE"),
     {("breaking", "code-added", GET, "404", "/code")}),
    ("enum dropped: any value now",
     lambda o, n: prop(n, "status").pop("enum"),
     {("breaking", "values-unrestricted", GET, "200", "/status")}),
    ("documented success status removed",
     lambda o, n: (n.get_order["responses"].update({"201": n.get_order["responses"]["200"]}),
                   n.get_order["responses"].pop("200")),
     {("breaking", "status-removed", GET, "200", ""),
      ("breaking", "status-added", GET, "201", "")}),
    ("documented non-success status removed",
     lambda o, n: n.get_order["responses"].pop("404"),
     {("risky", "status-removed", GET, "404", "")}),
    ("new status can be returned",
     lambda o, n: n.get_order["responses"].update({"409": {"schema": "shop/error.schema.json"}}),
     {("breaking", "status-added", GET, "409", "")}),
    ("exact status folded into a new range",
     lambda o, n: status_to_range(n),
     {("safe", "status-merged", GET, "404", ""), ("breaking", "status-added", GET, "4XX", "")}),
    ("change inside a oneOf alternative",
     lambda o, n: n.order["$defs"]["card"]["properties"]["last4"].update(type="integer"),
     {("breaking", "type-changed", GET, "200", "/payment/last4")}),
    ("new oneOf alternative",
     lambda o, n: add_wallet(n),
     {("breaking", "branch-added", GET, "200", "/payment")}),
    ("change inside if/then: a conditional requirement dropped",
     lambda o, n: n.order["then"].update(required=[]),
     {("breaking", "property-optional", GET, "200", "")}),
    ("property removed inside an allOf branch",
     lambda o, n: (into_all_of(o), into_all_of(n),
                   n.order["$defs"]["base"]["properties"].pop("total")),
     {("breaking", "property-removed", GET, "200", "")}),
    ("content type changed",
     lambda o, n: n.get_order["responses"]["200"].update(content_type="application/xml"),
     {("breaking", "content-type-changed", GET, "200", "")}),
    ("body becomes empty",
     lambda o, n: n.get_order["responses"].update({"404": {"body": "empty"}}),
     {("breaking", "body-changed", GET, "404", "")}),
    ("schema dropped",
     lambda o, n: n.get_order["responses"].update({"404": {"body": "json"}}),
     {("breaking", "schema-dropped", GET, "404", "")}),
    ("array items no longer described",
     lambda o, n: prop(n, "items").pop("items"),
     {("breaking", "schema-dropped", GET, "200", "/items")}),
    ("endpoint removed",
     lambda o, n: n.contract["endpoints"].pop("list_orders"),
     {("breaking", "endpoint-removed", LIST, "", "")}),
    ("contract removed",
     lambda o, n: second_contract(o),
     {("breaking", "contract-removed", "shop/refunds", "", "")}),
    ("endpoint moved to another route",
     lambda o, n: n.get_order.update(path="/v2/orders/{order_id}"),
     {("breaking", "endpoint-moved", GET, "", "")}),
    ("rule removed",
     lambda o, n: drop_rule(n, "has-items"),
     {("breaking", "rule-removed", GET, "", "/items")}),
    ("request: query parameter becomes required",
     lambda o, n: n.get_order["query"]["expand"].update(required=True),
     {("breaking", "parameter-required", GET, "", "")}),
    ("request: accepted value removed",
     lambda o, n: n.get_order["query"]["expand"].update(enum=["items"]),
     {("breaking", "parameter-value-removed", GET, "", "")}),
    # ---- risky: most consumers cope, some do not ----
    ("looser pattern",
     lambda o, n: prop(n, "note").update(pattern="^.*$"),
     {("breaking", "pattern-loosened", GET, "200", "/note")}),
    ("looser pattern inside a $ref'd definition (longer ids)",
     lambda o, n: n.schemas["common"]["$defs"]["id"].update(pattern="^[0-9]{1,25}$"),
     {("breaking", "pattern-loosened", GET, "200", "/id")}),
    ("looser pattern: an alternative added",
     lambda o, n: (prop(o, "tracking").update(pattern="^x$"),
                   prop(n, "tracking").update(pattern="^(x|y)$")),
     {("breaking", "pattern-loosened", GET, "200", "/tracking")}),
    ("pattern removed",
     lambda o, n: prop(n, "note").pop("pattern"),
     {("breaking", "pattern-loosened", GET, "200", "/note")}),
    ("pattern Python cannot read",
     lambda o, n: prop(n, "note").update(pattern="^\\p{L}+$"),
     {("risky", "pattern-changed", GET, "200", "/note")}),
    ("raised maxLength",
     lambda o, n: prop(n, "note").update(maxLength=1000),
     {("breaking", "limit-loosened", GET, "200", "/note")}),
    ("maxLength removed",
     lambda o, n: prop(n, "note").pop("maxLength"),
     {("breaking", "limit-loosened", GET, "200", "/note")}),
    ("lowered minLength",
     lambda o, n: prop(n, "note").update(minLength=0),
     {("breaking", "limit-loosened", GET, "200", "/note")}),
    ("raised maximum",
     lambda o, n: prop(n, "total").update(maximum=10**9),
     {("breaking", "limit-loosened", GET, "200", "/total")}),
    ("lowered minItems",
     lambda o, n: prop(n, "items").update(minItems=0),
     {("breaking", "limit-loosened", GET, "200", "/items")}),
    ("format changed",
     lambda o, n: prop(n, "placed").update(format="date"),
     {("breaking", "format-changed", GET, "200", "/placed")}),
    ("items may repeat",
     lambda o, n: prop(n, "items").pop("uniqueItems"),
     {("breaking", "unique-dropped", GET, "200", "/items")}),
    ("additionalProperties false dropped",
     lambda o, n: n.order["$defs"]["item"].pop("additionalProperties"),
     {("breaking", "members-opened", GET, "200", "/items/*")}),
    ("closed enum becomes a documented list",
     lambda o, n: prop(n, "status").update({"x-documented": prop(n, "status").pop("enum")}),
     {("risky", "values-opened", GET, "200", "/status")}),
    ("if condition changed",
     lambda o, n: n.order["if"]["properties"]["status"].update(const="open"),
     {("risky", "condition-changed", GET, "200", "")}),
    ("now deprecated",
     lambda o, n: prop(n, "tracking").update(deprecated=True),
     {("risky", "deprecated", GET, "200", "/tracking")}),
    ("not added",
     lambda o, n: prop(n, "tracking").update({"not": {"const": ""}}),
     {("safe", "constraint-added", GET, "200", "/tracking")}),
    ("keyword respcontract does not judge (a vendor keyword)",
     lambda o, n: prop(n, "tracking").update({"maxDecimals": 2}),
     {("risky", "keyword-changed", GET, "200", "/tracking")}),
    ("rule selector changed",
     lambda o, n: rule(n, "has-items").update(at="/items/*"),
     {("risky", "rule-changed", GET, "", "/items/*")}),
    ("rule relaxed to a warning",
     lambda o, n: rule(n, "has-items").update(severity="warning"),
     {("risky", "rule-relaxed", GET, "", "/items")}),
    ("body where there was none",
     lambda o, n: n.contract["endpoints"]["list_orders"]["responses"].update(
         {"204": {"body": "json", "description": "No orders yet."}}),
     {("risky", "body-changed", LIST, "204", "")}),
    ("endpoint renamed (same route)",
     lambda o, n: n.contract["endpoints"].update(
         {"list_all_orders": n.contract["endpoints"].pop("list_orders")}),
     {("risky", "endpoint-renamed", "shop/orders:list_all_orders", "", "")}),
    ("request: query parameter removed",
     lambda o, n: n.get_order.pop("query"),
     {("risky", "parameter-removed", GET, "", "")}),
    ("request: path parameter pattern changed",
     lambda o, n: n.get_order["params"]["order_id"].update(pattern="^[0-9]{1,8}$"),
     {("risky", "parameter-pattern", GET, "", "")}),
    ("servers changed",
     lambda o, n: n.contract["servers"].update(live="https://api2.example.com"),
     {("risky", "settings-changed", "shop/orders", "", "")}),
    # ---- safe: nothing a consumer relied on changed ----
    ("new optional property",
     lambda o, n: n.order["properties"].update(gift={"type": "boolean"}),
     {("safe", "property-added", GET, "200", "")}),
    ("new always-present property",
     lambda o, n: (n.order["properties"].update(currency={"type": "string"}),
                   n.order["required"].append("currency")),
     {("safe", "property-added", GET, "200", "")}),
    ("optional becomes required",
     lambda o, n: n.order["required"].append("note"),
     {("safe", "property-required", GET, "200", "")}),
    ("description edited",
     lambda o, n: prop(n, "note").update(description="What the buyer wrote."),
     {("safe", "docs-changed", GET, "200", "/note")}),
    ("description edited inside a $ref target",
     lambda o, n: n.schemas["common"]["$defs"]["id"].update(description="An id."),
     {("safe", "docs-changed", GET, "200", "/id")}),
    ("enum value removed",
     lambda o, n: prop(n, "status")["enum"].remove("open"),
     {("safe", "value-removed", GET, "200", "/status")}),
    ("lowered maxLength",
     lambda o, n: prop(n, "note").update(maxLength=100),
     {("safe", "limit-tightened", GET, "200", "/note")}),
    ("pattern added",
     lambda o, n: prop(n, "tracking").update(pattern="^[A-Z0-9]+$"),
     {("safe", "pattern-tightened", GET, "200", "/tracking")}),
    ("tighter pattern (shorter ids)",
     lambda o, n: n.schemas["common"]["$defs"]["id"].update(pattern="^[0-9]{1,10}$"),
     {("safe", "pattern-tightened", GET, "200", "/id")}),
    ("tighter pattern: anchored",
     lambda o, n: prop(n, "note").update(pattern="^[^<>]{1,50}$"),
     {("safe", "pattern-tightened", GET, "200", "/note")}),
    ("pattern rewritten, same meaning",
     lambda o, n: n.schemas["common"]["$defs"]["id"].update(pattern="^\\d{1,19}$"),
     {("safe", "pattern-rewritten", GET, "200", "/id")}),
    ("request: path parameter pattern loosened",
     lambda o, n: n.get_order["params"]["order_id"].update(pattern="^[0-9A-Z]+$"),
     {("safe", "parameter-loosened", GET, "", "")}),
    ("type narrowed",
     lambda o, n: prop(n, "total").update(type="integer"),
     {("safe", "type-narrowed", GET, "200", "/total")}),
    ("null no longer returned",
     lambda o, n: (prop(o, "note").update(type=["string", "null"])),
     {("safe", "type-narrowed", GET, "200", "/note")}),
    ("oneOf alternative removed",
     lambda o, n: add_wallet(o),
     {("safe", "branch-removed", GET, "200", "/payment")}),
    ("refactor into allOf changes nothing",
     lambda o, n: into_all_of(n),
     set()),
    ("new endpoint",
     lambda o, n: n.contract["endpoints"].update(
         {"cancel_order": {"method": "POST", "path": "/orders/{order_id}/cancel",
                           "writes": True,
                           "responses": {"200": {"schema": "shop/list.schema.json"}}}}),
     {("safe", "endpoint-added", "shop/orders:cancel_order", "", "")}),
    ("new contract",
     lambda o, n: second_contract(n),
     {("safe", "contract-added", "shop/refunds", "", "")}),
    ("new rule",
     lambda o, n: n.get_order["rules"].append(
         {"id": "total-not-negative", "at": "/total", "assert": {"minimum": 0}}),
     {("safe", "rule-added", GET, "", "/total")}),
    ("rule description edited",
     lambda o, n: rule(n, "has-items").update(description="at least one line"),
     {("safe", "docs-changed", GET, "", "/items")}),
    ("rule made stricter",
     lambda o, n: rule(n, "has-items")["assert"].update(maxItems=50),
     {("safe", "limit-tightened", GET, "", "/items")}),
    ("rule loosened",
     lambda o, n: rule(n, "has-items")["assert"].pop("minItems"),
     {("breaking", "limit-loosened", GET, "", "/items")}),
    ("request: new optional query parameter",
     lambda o, n: n.get_order["query"].update(lang={"required": False}),
     {("safe", "parameter-added", GET, "", "")}),
    ("contract title edited",
     lambda o, n: n.contract.update(title="Shop orders"),
     {("safe", "docs-changed", "shop/orders", "", "")}),
    ("response description added",
     lambda o, n: n.get_order["responses"]["404"].update(description="No such order."),
     {("safe", "docs-changed", GET, "404", "")}),
    ("path placeholder renamed: the same route",
     lambda o, n: n.get_order.update(path="/orders/{id}",
                                     params={"id": n.get_order["params"]["order_id"]}),
     set()),
    ("nothing changed",
     lambda o, n: None,
     set()),
]


@pytest.mark.parametrize(("edit", "expected"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_classification(tmp_path: Path, edit: Edit, expected: Expected) -> None:
    old, new = ContractTree(), ContractTree()
    edit(old, new)
    old_dir, new_dir = write_pair(tmp_path, old, new)
    result = diff(str(old_dir), str(new_dir))
    found = {(c.level.value, c.kind, c.endpoint, c.status, c.pointer) for c in result.changes}
    assert found == expected, "\n".join(f"{c.level.value} {c.kind} {c.endpoint} {c.status} "
                                        f"{c.pointer}: {c.message}" for c in result.changes)


def test_every_change_has_a_sentence_and_a_source(tmp_path: Path) -> None:
    old, new = ContractTree(), ContractTree()
    prop(new, "status")["enum"].append("cancelled")
    new.get_order["responses"].pop("404")
    old_dir, new_dir = write_pair(tmp_path, old, new)
    changes = diff(str(old_dir), str(new_dir)).changes
    assert len(changes) == 2
    for change in changes:
        assert change.message and change.source.endswith((".json", ".yaml"))
        assert change.line is not None and change.in_worktree


def test_recursive_schema_terminates(tmp_path: Path) -> None:
    old, new = ContractTree(), ContractTree()
    tree = {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 10},
        "children": {"type": "array", "items": {"$ref": "#"}}}}
    old.schemas["list"] = copy.deepcopy(tree)
    new.schemas["list"] = copy.deepcopy(tree)
    new.schemas["list"]["properties"]["name"]["maxLength"] = 20
    old_dir, new_dir = write_pair(tmp_path, old, new)
    found = {(c.kind, c.pointer) for c in diff(str(old_dir), str(new_dir)).changes}
    assert found == {("limit-loosened", "/name")}


def test_change_in_then_branch_names_the_condition(tmp_path: Path) -> None:
    old, new = ContractTree(), ContractTree()
    new.order["then"]["properties"] = {"tracking": {"minLength": 5}}
    old_dir, new_dir = write_pair(tmp_path, old, new)
    changes = diff(str(old_dir), str(new_dir)).changes
    assert [(c.level.value, c.kind, c.pointer) for c in changes] == \
        [("safe", "limit-tightened", "/tracking")]
    assert changes[0].message == 'when status is "shipped": minLength 5 added'
