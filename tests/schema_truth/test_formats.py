"""`formats: assert`: every asserted format agrees with python-jsonschema's FormatChecker.

The oracle is Draft202012Validator with its format checker (the `format-nongpl` extra
supplies date-time, duration, hostname, uri, ... checkers). Where the two differ, the
row below names the case and why respcontract's answer is the standard's (RFC 3339 leap
seconds and durations, RFC 5321 mailboxes, ECMA 262 regexes); the oracle is used for
every other sample.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from truth_harness import Folder

ASSERTED = [
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
]

SAMPLES: dict[str, list[str]] = {
    "date-time": [
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05.123+01:00",
        "2024-01-02 03:04:05Z",
        "2024-13-02T03:04:05Z",
        "2024-01-02T03:04:60Z",
        "2016-12-31T23:59:60Z",
        "2024-01-02t03:04:05z",
        "2024-01-02T03:04:05",
        "",
    ],
    "date": ["2024-01-02", "2024-02-30", "2024-1-2", "2020-02-29", "2021-02-29", "20240102", ""],
    "time": ["03:04:05Z", "03:04:05+01:00", "03:04:05", "24:00:00Z", "23:59:60Z", "03:04:05.5Z"],
    "duration": ["P1D", "PT1H", "P1Y2M", "P", "PT", "P1W", "P1DT", "1D", "P1.5D"],
    "email": ["a@b.c", "a@b", "a.@b.c", '"a b"@c.d', "a@[127.0.0.1]", "@b.c", "a b@c.d", "é@b.c"],
    "idn-email": ["é@b.c", "a@b.c", "a@", "실례@실례.테스트"],
    "hostname": [
        "example.com",
        "-bad.com",
        "a" * 64 + ".com",
        "a_b.com",
        "example.com.",
        "xn--bcher-kva.example",
        "",
    ],
    "idn-hostname": ["bücher.example", "example.com", "-x.com", "실례.테스트", ""],
    "ipv4": ["127.0.0.1", "256.0.0.1", "1.2.3", "01.2.3.4", "1.2.3.4 "],
    "ipv6": ["::1", "1::2::3", "fe80::1%eth0", "::ffff:1.2.3.4", "12345::", ":::"],
    "uri": [
        "https://example.com/a?b#c",
        "example.com",
        "http://[::1]/",
        "urn:isbn:123",
        "http://a b",
        "\\\\x",
    ],
    "uri-reference": ["/a/b", "#f", "a b", "http://x/%zz", ""],
    "iri": ["https://例え.テスト/パス", "/relative", "http://x"],
    "iri-reference": ["/パス", "#f", "a b"],
    "uuid": [
        "123e4567-e89b-12d3-a456-426614174000",
        "123e4567e89b12d3a456426614174000",
        "123E4567-E89B-12D3-A456-426614174000",
        "g23e4567-e89b-12d3-a456-426614174000",
    ],
    "uri-template": ["http://x/{id}", "http://x/{id", "{+path}/x", "{a,b}"],
    "json-pointer": ["", "/a", "a", "/a~2", "/~0~1"],
    "relative-json-pointer": ["0", "1/a", "0#", "-1", "01", "/a"],
    "regex": ["^a$", "[a-", "\\p{L}+", "(?<n>a)", "a{2,1}"],
}

# (format, sample) -> the standard's verdict, where python-jsonschema's checker differs
STANDARD = {
    ("date-time", "2016-12-31T23:59:60Z"): True,  # RFC 3339 5.6 allows a leap second
    ("time", "23:59:60Z"): True,
    ("duration", "P1.5D"): False,  # RFC 3339 appendix A: whole numbers only
    ("email", "a.@b.c"): False,  # RFC 5321 dot-string: no trailing dot
    ("email", "@b.c"): False,  # the oracle only looks for an "@"
    ("email", "a b@c.d"): False,
    ("email", "é@b.c"): False,  # non-ASCII needs idn-email (RFC 6531)
    ("idn-email", "a@"): False,
    ("hostname", "example.com."): False,  # RFC 1123 names, no root label
    ("regex", "\\p{L}+"): True,  # ECMA 262 with the u flag; Python's re lacks \p
    ("regex", "(?<n>a)"): True,  # ECMA 262 named group; Python spells it (?P<n>a)
}


@pytest.fixture(scope="module")
def tmp() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as path:
        yield Path(path)


def test_every_documented_format_has_an_oracle_and_samples() -> None:
    assert set(ASSERTED) <= set(Draft202012Validator.FORMAT_CHECKER.checkers)
    assert set(SAMPLES) == set(ASSERTED)


@pytest.mark.parametrize("fmt", ASSERTED)
def test_asserted_format_agrees_with_the_oracle(tmp: Path, fmt: str) -> None:
    folder = Folder(tmp / fmt, {"s.json": {"format": fmt}}, formats="assert")
    oracle = Draft202012Validator(
        {"format": fmt}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    for sample in SAMPLES[fmt]:
        expected = STANDARD.get((fmt, sample), oracle.is_valid(sample))
        assert folder.verdict(sample) is expected, (fmt, sample)
    assert folder.verdict(12) is True  # formats apply to strings only


@pytest.mark.parametrize("fmt", ASSERTED)
def test_annotate_never_checks_a_format(tmp: Path, fmt: str) -> None:
    folder = Folder(tmp / f"annotate-{fmt}", {"s.json": {"format": fmt}})
    assert all(folder.verdict(sample) for sample in SAMPLES[fmt])


def test_unknown_formats_are_ignored_even_when_asserting(tmp: Path) -> None:
    folder = Folder(tmp / "unknown", {"s.json": {"format": "x-vendor-id"}}, formats="assert")
    assert folder.verdict("anything")


def test_format_error_says_which_format(tmp: Path) -> None:
    folder = Folder(
        tmp / "message",
        {"s.json": {"properties": {"at": {"format": "date-time"}}}},
        formats="assert",
    )
    [finding] = folder.findings({"at": "yesterday"})
    assert (finding.rule, finding.pointer) == ("schema", "/at")
    assert finding.message == "expected a valid date-time string, found 'yesterday'"


def test_bundled_contract_asserts_formats() -> None:
    import validator

    [contract] = [
        c for c in validator.load_contracts().contracts if c.name == "zoho-crm/portal-invite"
    ]
    assert contract.formats == "assert"
