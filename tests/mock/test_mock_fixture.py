"""The `respcontract_mock` fixture, through pytester, and the docs' pytest example."""

from __future__ import annotations

import re

import pytest
from mock_helpers import REPO

DOCS = REPO / "docs" / "guides" / "mock.md"


def _docs_example() -> str:
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    [example] = [b for b in blocks if "def test_" in b]
    return example


def test_the_docs_example_is_about_ten_lines_and_passes(pytester: pytest.Pytester) -> None:
    example = _docs_example()
    body = [line for line in example.splitlines() if line.strip()]
    assert len(body) <= 14  # ten lines of test, plus imports and the marker
    pytester.makepyfile(test_consumer=example)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_marker_sets_kind_seed_steps_and_faults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_marked="""
import httpx
import pytest

JOBS = "/crm/v7/Contacts/actions/portal_invite"
AUTH = {"Authorization": "Zoho-oauthtoken t"}

@pytest.mark.respcontract_mock(kind="drift", seed=5, steps=1, faults="503:1.0",
                               retry_after=0)
def test_marked(respcontract_mock):
    answer = httpx.get(respcontract_mock.base_url + JOBS, headers=AUTH, timeout=60)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "0"
    assert answer.headers["x-respcontract-kind"] == "drift"
    assert respcontract_mock.exchanges[0].extras["fault"] == "503"

def test_unmarked_defaults(respcontract_mock, respcontract):
    answer = httpx.get(respcontract_mock.base_url + JOBS, headers=AUTH, timeout=60)
    assert answer.status_code == 200 and answer.headers["x-respcontract-kind"] == "valid"
    assert respcontract_mock.base_url.startswith("http://127.0.0.1:")
    [served] = respcontract_mock.exchanges
    assert not respcontract.check(served).failed

@pytest.mark.respcontract_mock(colour="red")
def test_bad_marker(respcontract_mock):
    pass
""")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*respcontract_mock: unknown argument(s) colour*"])
