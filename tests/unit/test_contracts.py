from __future__ import annotations

from pathlib import Path

import pytest

from validator.api import load_contracts
from validator.errors import ContractError, UsageError
from validator.load.contracts import ContractSet, load_contract

GET = "zoho-crm/portal-invite:get_bulk_invite_status"


@pytest.fixture(scope="module")
def contracts() -> ContractSet:
    return load_contracts()


@pytest.mark.parametrize("url_path", [
    "/crm/v7/Contacts/actions/portal_invite",
    "/crm/v7/Leads/actions/portal_invite/",
])
def test_the_v7_job_status_route_matches(contracts: ContractSet, url_path: str) -> None:
    matched = contracts.match("get", url_path)
    assert matched is not None and matched[0].full_name == GET


@pytest.mark.parametrize("url_path", ["/crm/v8/Contacts/actions/portal_invite",
                                      "/crm/v8/Contacts/actions/portal_invite/"])
def test_versions_are_explicit(contracts: ContractSet, url_path: str) -> None:
    """The hand-written contract covers v2 to v7: v8 requests belong to the v8 import."""
    matched = contracts.match("get", url_path)
    assert matched is None or not matched[0].full_name.startswith("zoho-crm/")


def test_record_route_and_method_pick_the_right_endpoint(contracts: ContractSet) -> None:
    invite = contracts.match("POST", "/crm/v7/Contacts/5020928000001843001/actions/portal_invite")
    bulk = contracts.match("POST", "/crm/v7/Contacts/actions/portal_invite")
    assert invite is not None and invite[0].name == "invite_user"
    assert invite[1]["record_id"] == "5020928000001843001"
    assert bulk is not None and bulk[0].name == "bulk_invite_users"


@pytest.mark.parametrize("url_path", ["/crm/vX/Contacts/actions/portal_invite",
                                      "/crm/v7/Contacts/actions/other",
                                      "/crm/v7/Contacts/abc/actions/portal_invite"])
def test_paths_outside_the_templates_do_not_match(contracts: ContractSet,
                                                  url_path: str) -> None:
    assert contracts.match("GET", url_path) is None
    assert contracts.match("POST", url_path) is None


def test_endpoint_lookup_by_full_or_bare_name(contracts: ContractSet) -> None:
    assert contracts.endpoint("invite_user").full_name == "zoho-crm/portal-invite:invite_user"
    assert contracts.endpoint(GET).name == "get_bulk_invite_status"
    with pytest.raises(UsageError, match="unknown endpoint 'nope'"):
        contracts.endpoint("nope")


def test_response_lookup_prefers_exact_then_range(contracts: ContractSet) -> None:
    endpoint = contracts.endpoint(GET)
    assert endpoint.response_for(204).body == "empty"  # type: ignore[union-attr]
    assert endpoint.response_for(401).status == "4XX"  # type: ignore[union-attr]
    assert endpoint.response_for(503).status == "5XX"  # type: ignore[union-attr]
    assert endpoint.response_for(302) is None


def write_contract(tmp_path: Path, body: str) -> Path:
    (tmp_path / "schemas").mkdir(exist_ok=True)
    (tmp_path / "schemas" / "s.json").write_text('{"type": "object"}')
    path = tmp_path / "contracts" / "api.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(body)
    return path


def test_meta_schema_errors_name_file_pointer_and_line(tmp_path: Path) -> None:
    path = write_contract(tmp_path, "contract: demo\nendpoints:\n  get_x:\n    method: FETCH\n"
                          "    path: /x\n    responses: {'200': {schema: s.json}}\n")
    with pytest.raises(ContractError) as caught:
        load_contract(path)
    assert caught.value.pointer == "/endpoints/get_x/method"
    assert "line 4" in str(caught.value) and str(path) in str(caught.value)


def test_two_endpoints_on_one_route_are_refused(tmp_path: Path) -> None:
    ok = "responses: {'200': {schema: s.json}}"
    path = write_contract(tmp_path, "contract: demo\nendpoints:\n"
                          f"  a: {{method: GET, path: '/x/{{id}}', {ok}}}\n"
                          f"  b: {{method: GET, path: '/x/{{key}}', {ok}}}\n")
    with pytest.raises(ContractError, match="same route"):
        load_contract(path)


def test_invalid_rule_schema_is_a_contract_error(tmp_path: Path) -> None:
    path = write_contract(tmp_path, "contract: demo\nendpoints:\n"
                          "  a:\n    method: GET\n    path: /x\n"
                          "    responses: {'200': {schema: s.json}}\n"
                          "    rules: [{id: r, at: /x, assert: {pattern: '(unclosed'}}]\n")
    with pytest.raises(ContractError, match="invalid schema in rule"):
        load_contract(path)


def test_schema_root_is_the_nearest_schemas_folder(tmp_path: Path) -> None:
    path = write_contract(tmp_path, "contract: demo\nendpoints:\n"
                          "  a: {method: GET, path: /x, responses: {'200': {schema: s.json}}}\n")
    contract = load_contract(path)
    assert contract.store.root == (tmp_path / "schemas").resolve()


PLAIN = ("endpoints:\n  a: {method: GET, path: '/x/{id}', "
         "responses: {'200': {schema: s.json}}}\n")


@pytest.mark.parametrize("pattern", [r"\\p{L}+@example", "(?<user>[a-z]+)@"])
def test_a_sensitive_pattern_python_cannot_compile_is_a_contract_error(
        tmp_path: Path, pattern: str) -> None:
    path = write_contract(tmp_path, f'contract: demo\nsensitive:\n  - email\n'
                          f'  - {{pattern: "{pattern}"}}\n{PLAIN}')
    with pytest.raises(ContractError, match=r"invalid regex .* in sensitive") as caught:
        load_contract(path)
    assert caught.value.pointer == "/sensitive/1/pattern"


def test_contract_settings_are_typed_fields(tmp_path: Path) -> None:
    path = write_contract(tmp_path, "contract: demo\ndocs: https://example.com/docs\n"
                          "servers: {eu: 'https://eu.example.com/'}\ndefaults: {id: '7'}\n"
                          "auth: {header: X-Key, token_env: DEMO_TOKEN}\n"
                          "sensitive: [email, {field: name, replace: N}, "
                          "{pattern: 'a+b', replace: X}]\n"
                          "live: {item_name: export, writes_warning: it bills you, "
                          "error_code: /error/code}\n" + PLAIN)
    contract = load_contract(path)
    assert contract.docs == "https://example.com/docs"
    assert contract.servers == {"eu": "https://eu.example.com/"}
    assert contract.defaults == {"id": "7"}
    assert (contract.auth.header, contract.auth.scheme, contract.auth.token_env) == \
        ("X-Key", None, "DEMO_TOKEN")
    assert [(s.field, s.pattern, s.replace) for s in contract.sensitive] == \
        [("email", None, None), ("name", None, "N"), (None, "a+b", "X")]
    assert (contract.live.item_name, contract.live.writes_warning,
            contract.live.error_code) == ("export", "it bills you", "/error/code")


def test_contract_settings_default_when_absent(tmp_path: Path) -> None:
    contract = load_contract(write_contract(tmp_path, "contract: demo\n" + PLAIN))
    assert contract.servers == {} and contract.defaults == {} and contract.sensitive == ()
    assert (contract.auth.header, contract.auth.token_env) == ("Authorization", None)
    assert (contract.live.item_name, contract.live.error_code) == ("item", None)


@pytest.mark.parametrize(("live", "pointer"), [
    ("{error_code: code}", "/live/error_code"),
    ("{item_name: ''}", "/live/item_name"),
    ("{unknown: 1}", "/live"),
])
def test_the_live_key_is_checked_by_the_meta_schema(tmp_path: Path, live: str,
                                                    pointer: str) -> None:
    path = write_contract(tmp_path, f"contract: demo\nlive: {live}\n{PLAIN}")
    with pytest.raises(ContractError) as caught:
        load_contract(path)
    assert caught.value.pointer == pointer


def test_rules_carry_their_kind_specific_fields(contracts: ContractSet) -> None:
    endpoint = contracts.endpoint(GET)
    by_kind = {rule.kind: rule for rule in endpoint.rules}
    state = by_kind["state"].state
    assert state is not None and state.key
    for rule in endpoint.rules:
        assert (rule.state is not None) == (rule.kind == "state")
        assert (rule.then is not None) == (rule.condition is not None)
        if rule.kind == "assert":
            assert rule.assertion is not None
