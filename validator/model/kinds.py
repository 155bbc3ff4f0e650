"""The kinds of generated examples: one list for the generator, sample, fuzz, mock, the fixture.

- valid: valid under the schema as written, biased to documented edges;
- edge: valid, and at a documented edge (limits, empty, longest, rarest branch);
- drift: valid, plus undocumented members or values (only `undocumented` warnings);
- invalid: breaks the contract, each example carrying the finding it must produce.
"""

from __future__ import annotations

from collections.abc import Iterable

from validator.errors import UsageError

KINDS = ("valid", "edge", "drift", "invalid")


def check_kind(kind: str) -> None:
    """Raise a UsageError naming the known kinds unless `kind` is one of them."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")


def check_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds, each once and in order; a UsageError for an unknown one or for none."""
    chosen = list(dict.fromkeys(kinds))
    if not chosen:
        raise UsageError(f"no kind given (known: {', '.join(KINDS)})")
    for kind in chosen:
        check_kind(kind)
    return chosen
