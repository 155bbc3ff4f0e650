"""Judging the vendor's own examples against the translated schemas, before anything is written.

The oracle is python-jsonschema (Draft 2020-12) on the translated schema: an error there is a
contradiction. The same example is then judged against the drift variant the checker uses
(objects that declare `properties` closed, `x-documented` lists as enums): a member or value
the schema does not document would be an `undocumented` warning, which `lint` (strict)
counts as a failure, so it is reported as a contradiction too.
"""

from __future__ import annotations

import copy
from typing import Any

from validator.model.pointer import make_pointer
from validator.openapi.policy import Policy


class ExampleJudge:
    """Validates example bodies; validators are compiled once per schema file."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._validators: dict[str, tuple[Any, Any]] = {}

    def problems(self, key: str, document: Any, body: Any) -> list[tuple[str, str]]:
        """(instance pointer, message) for each way the body contradicts the schema."""
        from jsonschema import Draft202012Validator

        if key not in self._validators:
            self._validators[key] = (Draft202012Validator(document),
                                     Draft202012Validator(closed_variant(document)))
        plain, closed = self._validators[key]
        errors = sorted(plain.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
        found = [(make_pointer(e.absolute_path), f"schema: {_short(e.message)}") for e in errors]
        if not found:
            drift = sorted(closed.iter_errors(body), key=lambda e: list(map(str, e.path)))
            found = [(make_pointer(e.absolute_path), f"undocumented: {_short(e.message)}")
                     for e in drift]
        return found


def closed_variant(document: Any) -> Any:
    """The schema as the checker's drift pass sees it (same walk as the schema store)."""
    from validator.load.schemas import DOCUMENTED_VALUES, drift_sites

    closed = copy.deepcopy(document)
    for node, _, keyword in drift_sites(closed):
        node[keyword] = False if keyword == "unevaluatedProperties" else node[DOCUMENTED_VALUES]
    return closed


def _short(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= 160 else text[:157] + "..."
