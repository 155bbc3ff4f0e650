"""Faults the mock injects: `--faults 429:0.2,503:0.1,slow:0.05,reset:0.02`.

Each item is `STATUS_OR_KIND:PROBABILITY`. A status (100-599) answers that status in the
contract's envelope for it (a 429 carries `Retry-After`); `slow` waits `slow_seconds`
before answering (past a client's usual read timeout); `reset` closes the connection
without an answer. At most one fault hits a request, drawn from the mock's seeded random
stream, so the same seed and the same requests give the same faults. A request header
`X-Respcontract-Fault: 429` (or `slow`, `reset`) forces one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from validator.errors import UsageError

FAULT_HEADER = "x-respcontract-fault"
KINDS = ("slow", "reset")


@dataclass(frozen=True)
class Fault:
    """One kind of fault: a status code, `slow` or `reset`."""

    kind: str  # "status", "slow" or "reset"
    status: int | None = None

    @property
    def name(self) -> str:
        return str(self.status) if self.kind == "status" else self.kind


def parse_fault(text: str) -> Fault:
    """`429`, `503`, `slow` or `reset` as a Fault; anything else is a usage error."""
    name = text.strip().lower()
    if name in KINDS:
        return Fault(name)
    if name.isdigit() and 100 <= int(name) <= 599:
        return Fault("status", int(name))
    raise UsageError(f"unknown fault {text.strip()!r}: use an HTTP status (100-599), slow or "
                     "reset")


def parse_faults(spec: str | None) -> tuple[tuple[Fault, float], ...]:
    """`429:0.2,slow:0.05` as ((Fault, probability), ...); the sum may not exceed 1."""
    if not spec or not spec.strip():
        return ()
    found: list[tuple[Fault, float]] = []
    for item in spec.split(","):
        name, colon, probability = item.partition(":")
        if not colon:
            raise UsageError(f"--faults item {item.strip()!r} needs STATUS_OR_KIND:PROBABILITY")
        try:
            chance = float(probability)
        except ValueError:
            raise UsageError(f"--faults item {item.strip()!r}: {probability!r} is not a "
                             "probability") from None
        if not 0.0 <= chance <= 1.0:
            raise UsageError(f"--faults item {item.strip()!r}: the probability must be from 0 "
                             "to 1")
        found.append((parse_fault(name), chance))
    if sum(p for _, p in found) > 1.0 + 1e-9:
        raise UsageError(f"--faults {spec!r}: the probabilities add up to more than 1")
    return tuple(found)


def choose(faults: tuple[tuple[Fault, float], ...], rng: random.Random) -> Fault | None:
    """At most one fault for this request (one draw from the seeded stream, always made)."""
    roll = rng.random()
    for fault, chance in faults:
        if roll < chance:
            return fault
        roll -= chance
    return None


__all__ = ["FAULT_HEADER", "Fault", "choose", "parse_fault", "parse_faults"]
