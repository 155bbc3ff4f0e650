"""A user's own pytest file, with no plugin: @given with our strategies, and the helper."""

from __future__ import annotations

import shutil

import pytest
from genhelpers import CONSUMERS

USER_TESTS = '''
from hypothesis import given, settings
from validator.generate import bodies, examples
from validator.fuzz import fuzz_consumer

import careful
import naive

GET = "zoho-crm/portal-invite:get_bulk_invite_status"


@settings(max_examples=40)
@given(bodies(GET, kind="edge"))
def test_careful_survives_edges(body):
    careful.summarize(body)


@settings(max_examples=40)
@given(bodies(GET, kind="edge"))
def test_naive_survives_edges(body):
    naive.summarize(body)


@settings(max_examples=20)
@given(examples(GET, kind="invalid"))
def test_invalid_examples_say_what_they_break(example):
    assert example.expected_rule and example.expected_pointer is not None


def test_careful_through_every_kind():
    fuzz_consumer(careful.summarize, GET, allow=[careful.PayloadError], max_examples=20)


def test_naive_through_every_kind():
    fuzz_consumer(naive.summarize, GET, kinds=["valid"], max_examples=20)
'''


def test_strategies_and_the_helper_work_in_plain_pytest(pytester: pytest.Pytester) -> None:
    for name in ("naive.py", "careful.py"):
        shutil.copy(CONSUMERS / name, pytester.path / name)
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:respcontract", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines([
        "*test_naive_survives_edges*",
        "*Hypothesis found 2 distinct failures*",  # the KeyError and the TypeError
    ])
    result.stdout.fnmatch_lines(["*FuzzFailed*", "*KeyError: 'id'*"])
