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


# the settings profile of tests/conftest.py, for the run in a subprocess: a slow machine must
# not fail a test here through HealthCheck.too_slow or a deadline
INNER_CONFTEST = '''
from hypothesis import HealthCheck, settings

settings.register_profile("loaded-machine", suppress_health_check=[HealthCheck.too_slow],
                          deadline=None)
settings.load_profile("loaded-machine")
'''


def test_strategies_and_the_helper_work_in_plain_pytest(pytester: pytest.Pytester) -> None:
    for name in ("naive.py", "careful.py"):
        shutil.copy(CONSUMERS / name, pytester.path / name)
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:respcontract", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines([
        "*test_naive_survives_edges*",
        "*Hypothesis found 2 distinct failures*",  # the KeyError and the TypeError
    ])
    result.stdout.fnmatch_lines(["*FuzzFailed*", "*KeyError: 'id'*"])


def test_inner_runs_do_not_fail_on_a_slow_machine(pytester: pytest.Pytester) -> None:
    """The profile reaches the tests that pytester runs, in process and in a subprocess."""
    pytester.makepyfile(test_profile='''
from hypothesis import HealthCheck, given, settings, strategies as st

@settings(max_examples=1)
@given(st.none())
def test_profile(value):
    assert HealthCheck.too_slow in settings().suppress_health_check
    assert settings().deadline is None
''')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    pytester.makeconftest(INNER_CONFTEST)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
