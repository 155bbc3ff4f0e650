"""The `respcontract` fixture and marker, against responses from a real server on 127.0.0.1."""

from __future__ import annotations

import shutil

import pytest
from plugin_support import DATA, outcomes

GET = "zoho-crm/portal-invite:get_bulk_invite_status"


def user_tests(pytester: pytest.Pytester, base: str, body: str) -> None:
    pytester.makepyfile(test_api=f"import httpx\nimport pytest\n\nBASE = {base!r}\n\n{body}")


def test_assert_conforms_passes_and_fails_on_real_http_responses(
        pytester: pytest.Pytester, portal_server: str) -> None:
    user_tests(pytester, portal_server, """
JOBS = BASE + "/crm/v7/Contacts/actions/portal_invite"

def test_good(respcontract):
    report = respcontract.assert_conforms(httpx.get(JOBS, params={"job_id": "1"}))
    assert report.results[0].endpoint == "zoho-crm/portal-invite:get_bulk_invite_status"

def test_job_id_is_a_number(respcontract):
    respcontract.assert_conforms(httpx.get(JOBS, params={"job_id": "2"}))
""")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.re_match_lines([
        r">\s+respcontract\.assert_conforms\(httpx\.get\(JOBS, params=\{\"job_id\": \"2\"\}\)\)$",
        r"E\s+validator\.pytest_plugin\.ContractViolation: response does not conform: "
        r"1 error against zoho-crm/portal-invite:get_bulk_invite_status for "
        r"GET /crm/v7/Contacts/actions/portal_invite -> 200$",
        r"E\s+error \[schema\] /portal_invite/0/job_id: expected string, found integer 2$",
        r"E\s+docs: https://www\.zoho\.com/crm/developer/docs/api/v7/"
        r"get-portal-invite-users-job-status\.html$",
        r"$",
        r"test_api\.py:14: ContractViolation$",
    ])
    assert "def assert_conforms" not in result.stdout.str(), "the plugin's frames stay hidden"


def test_check_returns_a_report_and_never_raises(pytester: pytest.Pytester,
                                                 portal_server: str) -> None:
    user_tests(pytester, portal_server, """
def test_report(respcontract):
    report = respcontract.check(httpx.get(BASE + "/crm/v7/Contacts/actions/portal_invite",
                                          params={"job_id": "2"}))
    assert report.failed and report.exit_code == 1
    first = report.findings[0]
    assert (first.rule, first.pointer) == ("schema", "/portal_invite/0/job_id")
    assert report.summary()["exchanges"] == 1
""")
    pytester.runpytest().assert_outcomes(passed=1)


def test_drift_warns_unless_strict(pytester: pytest.Pytester, portal_server: str) -> None:
    user_tests(pytester, portal_server, """
DRIFT = BASE + "/crm/v7/Contacts/actions/portal_invite?job_id=3"

def test_lenient(respcontract):
    respcontract.assert_conforms(httpx.get(DRIFT))

def test_strict_argument(respcontract):
    respcontract.assert_conforms(httpx.get(DRIFT), strict=True)

@pytest.mark.respcontract(strict=True)
def test_strict_marker(respcontract):
    respcontract.assert_conforms(httpx.get(DRIFT))

@pytest.mark.respcontract(strict=True)
def test_argument_beats_marker(respcontract):
    respcontract.assert_conforms(httpx.get(DRIFT), strict=False)
""")
    reprec = pytester.inline_run()
    assert outcomes(reprec) == {
        "test_api.py::test_lenient": "passed", "test_api.py::test_strict_argument": "failed",
        "test_api.py::test_strict_marker": "failed",
        "test_api.py::test_argument_beats_marker": "passed"}
    result = pytester.runpytest("-k", "lenient or strict_argument")
    result.stdout.re_match_lines([
        r"E\s+warning \(strict\) \[undocumented\] /portal_invite/0/created_time: ",
        r"test_api\.py::test_lenient$",
        r"\s+\S*test_api\.py:10: RespcontractWarning: \[undocumented\] "
        r"/portal_invite/0/created_time: undocumented property 'created_time': the contract "
        r"does not declare it",
    ], consecutive=False)


def test_drift_made_an_error_by_filterwarnings_fails_with_the_findings(
        pytester: pytest.Pytester, portal_server: str) -> None:
    user_tests(pytester, portal_server, """
@pytest.mark.filterwarnings("error::validator.pytest_plugin.RespcontractWarning")
def test_drift(respcontract):
    drift = httpx.get(BASE + "/crm/v7/Contacts/actions/portal_invite?job_id=3")
    respcontract.assert_conforms(drift)
""")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines([r"E\s+validator\.pytest_plugin\.ContractViolation: response does "
                                  r"not conform: 1 warning against ",
                                  r"E\s+warning \(strict\) \[undocumented\] "])


def test_run_wide_strict_applies_to_the_fixture(pytester: pytest.Pytester,
                                                portal_server: str) -> None:
    user_tests(pytester, portal_server, """
def test_drift(respcontract):
    assert respcontract.strict
    drift = httpx.get(BASE + "/crm/v7/Contacts/actions/portal_invite?job_id=3")
    respcontract.assert_conforms(drift)
""")
    pytester.runpytest("--respcontract-strict").assert_outcomes(failed=1)


def test_a_response_no_contract_covers_fails_the_assertion(pytester: pytest.Pytester,
                                                           portal_server: str) -> None:
    user_tests(pytester, portal_server, """
def test_unknown_path(respcontract):
    respcontract.assert_conforms(httpx.get(BASE + "/health"))
""")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines([
        r"E\s+.*ContractViolation: response does not conform: 1 error for GET /health -> 404$",
        r"E\s+error \[unmatched\]: no contract endpoint matches GET /health \(pin one with "
        r"endpoint= or @pytest\.mark\.respcontract\(endpoint=\.\.\.\)\)$"])


def test_marker_pins_the_endpoint_and_works_with_strict_markers(pytester: pytest.Pytester,
                                                                portal_server: str) -> None:
    user_tests(pytester, portal_server, f"""
@pytest.mark.respcontract(endpoint="{GET}")
def test_pinned(respcontract):
    assert respcontract.endpoint == "{GET}"
    # no route matches /elsewhere; the marker's endpoint judges its 404 all the same
    report = respcontract.check(httpx.get(BASE + "/elsewhere"))
    assert report.results[0].endpoint == "{GET}"
    assert "missing required property 'code'" in [f.message for f in report.findings]

@pytest.mark.respcontract("{GET}")
def test_positional(respcontract):
    assert respcontract.endpoint == "{GET}" and not respcontract.strict

def test_unmarked(respcontract):
    assert respcontract.endpoint is None

@pytest.mark.respcontract(strict=True)
class TestMarkedClass:
    def test_inherits_the_marker(self, respcontract):
        assert respcontract.strict and respcontract.endpoint is None
        assert "zoho-crm/portal-invite" in [c.name for c in respcontract.contracts.contracts]
""")
    result = pytester.runpytest("--strict-markers")
    result.assert_outcomes(passed=4)
    pytester.makepyfile(test_typo="""
import pytest

@pytest.mark.respcontrakt(strict=True)
def test_typo():
    pass
""")
    result = pytester.runpytest("--strict-markers", "test_typo.py")
    result.stdout.fnmatch_lines(["*'respcontrakt' not found in `markers` configuration option*"])
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.respcontract(endpoint=None, strict=None): *"])


def test_marker_mistakes_are_setup_errors_with_one_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_api="""
import pytest

@pytest.mark.respcontract(endpont="x")
def test_misspelt():
    pass

@pytest.mark.respcontract(endpoint="zoho-crm/portal-invite:nope")
def test_unknown_endpoint(respcontract):
    pass
""")
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines([
        "*@pytest.mark.respcontract: unexpected 'endpont' (it takes endpoint= and strict=)",
        "*@pytest.mark.respcontract: unknown endpoint 'zoho-crm/portal-invite:nope'; "
        "did you mean *(`respcontract list` shows all *)",
    ], consecutive=False)
    assert "Traceback" not in result.stdout.str()


def test_violation_carries_the_findings_and_is_an_assertion_error(pytester: pytest.Pytester
                                                                  ) -> None:
    pytester.makepyfile(test_api=f"""
import pytest
from validator import Exchange, Request, Response
from validator.pytest_plugin import ContractViolation

def test_dict_body(respcontract):
    with pytest.raises(AssertionError) as caught:
        respcontract.assert_conforms({{"portal_invite": "no"}}, endpoint="{GET}")
    assert isinstance(caught.value, ContractViolation)
    assert [(f.rule, f.pointer) for f in caught.value.findings] == [("schema", "/portal_invite")]

def test_bare_body_without_endpoint(respcontract):
    with pytest.raises(ContractViolation, match="a bare body has no request to match an "
                       "endpoint by: pin one with endpoint= or @pytest[.]mark[.]respcontract"):
        respcontract.assert_conforms({{"portal_invite": []}})

def test_exchange_object(respcontract):
    exchange = Exchange(Response(204, {{}}, b""), Request(
        "GET", "https://www.zohoapis.com/crm/v7/Contacts/actions/portal_invite?job_id=9"))
    respcontract.assert_conforms(exchange)

def test_exchange_file_shape(respcontract):
    respcontract.assert_conforms({{
        "request": {{"method": "GET", "url": "https://x/crm/v7/Contacts/actions/portal_invite"}},
        "response": {{"status": 401, "headers": {{"Content-Type": "application/json"}},
                      "body": {{"code": "INVALID_TOKEN", "details": {{}},
                               "message": "invalid oauth token", "status": "error"}}}}}})
""")
    pytester.runpytest().assert_outcomes(passed=4)


def test_requests_responses_are_accepted(pytester: pytest.Pytester, portal_server: str) -> None:
    import requests  # noqa: F401  (in the test extra: this test runs, it does not skip)

    pytester.makepyfile(test_api=f"""
import requests

def test_requests(respcontract):
    url = {portal_server!r} + "/crm/v7/Contacts/actions/portal_invite"
    respcontract.assert_conforms(requests.get(url, params={{"job_id": "1"}}))
    assert respcontract.check(requests.get(url, params={{"job_id": "2"}})).failed
""")
    pytester.runpytest().assert_outcomes(passed=1)


def test_hypothesis_given_accepts_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_api=f"""
from hypothesis import given, settings, strategies as st

@settings(max_examples=25, database=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=19))
def test_generated_job_ids(respcontract, job_id):
    body = {{"portal_invite": [{{"job_id": job_id, "status": "in_progress", "data": None}}]}}
    respcontract.assert_conforms(body, endpoint="{GET}")
""")
    pytester.runpytest().assert_outcomes(passed=1)


def test_strategies_work_in_user_tests_without_setup(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_api=f"""
from hypothesis import given, settings
from validator.generate import bodies

@settings(max_examples=20, database=None)
@given(bodies("{GET}", kind="edge"))
def test_edges_conform(respcontract, body):
    respcontract.assert_conforms(body, endpoint="{GET}")
""")
    pytester.runpytest().assert_outcomes(passed=1)


def test_fixture_strategies_use_the_runs_contracts_and_the_marker(pytester: pytest.Pytester
                                                                  ) -> None:
    shutil.copytree(DATA / "acme", pytester.path, dirs_exist_ok=True)
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        respcontract_contracts = ["contracts"]
    """)
    pytester.makepyfile(test_api="""
import pytest
from hypothesis import given, settings, strategies as st

@pytest.mark.respcontract(endpoint="acme/widgets:get_widget")
@settings(max_examples=20, database=None)
@given(data=st.data())
def test_widgets(respcontract, data):
    body = data.draw(respcontract.bodies(kind="valid"))
    assert isinstance(body["id"], int)
    respcontract.assert_conforms(body)
    exchange = data.draw(respcontract.exchanges(kind="drift"))
    assert not respcontract.check(exchange).failed

def test_no_endpoint(respcontract):
    with pytest.raises(Exception, match="which endpoint"):
        respcontract.bodies()
""")
    pytester.runpytest("-p", "no:warnings").assert_outcomes(passed=2)
