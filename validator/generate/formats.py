"""Strings of every JSON Schema 2020-12 format, each valid under any format checker.

The generated strings stay inside the conservative core of each format's RFC (ASCII
hostnames, plain URIs, RFC 3339 timestamps in UTC), so validators that check formats
strictly and those that only annotate them agree that every one is valid.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

from validator.model.pointer import escape_token

_LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10).map(
    lambda s: "x" + s if s[0].isdigit() else s)
_HOST = st.lists(_LABEL, min_size=1, max_size=3).map(lambda labels: ".".join([*labels, "com"]))
_SEGMENT = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=8)
_PATH = st.lists(_SEGMENT, max_size=3).map(lambda parts: "/" + "/".join(parts))
_URI = st.tuples(st.sampled_from(["https", "http", "urn"]), _HOST, _PATH).map(
    lambda t: f"urn:example:{t[1]}" if t[0] == "urn" else f"{t[0]}://{t[1]}{t[2]}")
_POINTER_TOKEN = st.text("abcdefghijklmnopqrstuvwxyz0123456789~/", max_size=6).map(
    escape_token)
_POINTER = st.lists(_POINTER_TOKEN, max_size=4).map(lambda ts: "".join("/" + t for t in ts))
_UTC = datetime.UTC


def _date_time(value: datetime.datetime) -> str:
    return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _duration(parts: tuple[int, int, int, int]) -> str:
    days, hours, minutes, seconds = parts
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return "P" + (f"{days}D" if days or not time else "") + (f"T{time}" if time else "")


FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date-time": st.datetimes(min_value=datetime.datetime(1900, 1, 1),
                              max_value=datetime.datetime(2999, 12, 31)).map(_date_time),
    "date": st.dates(min_value=datetime.date(1900, 1, 1)).map(lambda d: d.isoformat()),
    "time": st.times().map(lambda t: t.replace(microsecond=0).isoformat() + "Z"),
    "duration": st.tuples(*[st.integers(0, 30)] * 4).map(_duration),
    "email": st.tuples(_LABEL, _HOST).map(lambda t: f"{t[0]}@{t[1]}"),
    "idn-email": st.tuples(_LABEL, _HOST).map(lambda t: f"{t[0]}@{t[1]}"),
    "hostname": _HOST,
    "idn-hostname": _HOST,
    "ipv4": st.ip_addresses(v=4).map(str),
    "ipv6": st.ip_addresses(v=6).map(str),
    "uri": _URI,
    "iri": _URI,
    "uri-reference": st.one_of(_URI, _PATH),
    "iri-reference": st.one_of(_URI, _PATH),
    "uri-template": st.tuples(_HOST, _LABEL).map(lambda t: f"https://{t[0]}/{{{t[1]}}}"),
    "uuid": st.uuids().map(str),
    "json-pointer": _POINTER,
    "relative-json-pointer": st.tuples(st.integers(0, 9), _POINTER).map(
        lambda t: f"{t[0]}{t[1]}"),
    "regex": st.sampled_from(["^[a-z]+$", "[0-9]{2,4}", "a|b", ".*", "^x?y+$"]),
}


def format_strings(name: str) -> st.SearchStrategy[Any] | None:
    """Strings of a known format, or None for a format outside 2020-12 (an annotation)."""
    return FORMATS.get(name)
