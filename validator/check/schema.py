"""The schema part of a body check: verdict on the schema as written, drift from annotations.

`BodySchema` compiles, for one response shape, the response schema and the contract's
schema rules into one validator (`allOf: [schema, rule, ...]`), plus the drift witness
(see validator.check.drift). Format assertion follows the contract's `formats` switch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from validator.check.describe import describe, docs_along, follow
from validator.check.drift import Drift, closed_root, drift_in, witness_registry
from validator.load.schemas import DRAFT, SchemaStore
from validator.model.pointer import make_pointer

RESPONSE_SCHEMA = ("allOf", "0")
CLOSING = ("additionalProperties", "unevaluatedProperties")
# Drift needs the full evaluation output, which holds several nodes per body value: bodies
# with more values than this that the witness does not clear get their verdict only.
DRIFT_NODE_LIMIT = 200_000


class BodySchema:
    """Compiled checks for one response shape: verdict, drift witness, error wording."""

    def __init__(self, store: SchemaStore, main: Any, rules: list[Any], formats: bool) -> None:
        import jsonschema_rs

        self.store = store
        self.combined = {"$schema": DRAFT, "allOf": [main, *rules]}
        self.verdict = jsonschema_rs.validator_for(self.combined, registry=store.registry(),
                                                   validate_formats=formats)
        self.has_schema = main is not True
        self._docs: dict[tuple[str, ...], str | None] = {}
        self._properties: dict[tuple[str, ...], Any] = {}
        self.witness: Any = None
        witnesses = witness_registry(store)
        if witnesses is not None and self.has_schema:
            closed_main = closed_root(store, main)
            try:
                self.witness = jsonschema_rs.validator_for(
                    {"$schema": DRAFT, "allOf": [closed_main, *rules]}, registry=witnesses,
                    validate_formats=formats)
            except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError):
                self.witness = None  # the annotation path gives the same findings

    def passes_without_drift(self, body: Any) -> bool:
        """One compiled call: True proves the body valid and free of drift."""
        if not self.has_schema:
            return bool(self.verdict.is_valid(body))
        return self.witness is not None and bool(self.witness.is_valid(body))

    def inspect(self, body: Any) -> tuple[list[Any], list[Drift] | None]:
        """The validation errors (schema as written) and the drift of one body (None: not
        looked for, the body being too large for the evaluation output drift reads)."""
        errors = [] if self.verdict.is_valid(body) else list(self.verdict.iter_errors(body))
        if not self.has_schema:
            return errors, []
        if _larger_than(body, DRIFT_NODE_LIMIT):
            return errors, None
        mine = [e for e in errors if tuple(map(str, e.evaluation_path[:2])) == RESPONSE_SCHEMA]
        failed = {make_pointer(list(e.instance_path)) for e in mine}
        closed = frozenset(make_pointer(list(e.instance_path)) for e in mine
                           if str(e.evaluation_path[-1]) in CLOSING)
        output: Any = self.verdict.evaluate(body).list()
        return errors, drift_in(output, body, failed, RESPONSE_SCHEMA, closed, self._declared)

    def _declared(self, tokens: tuple[str, ...]) -> Any:
        """The `properties` object an evaluation path ends at (followed in the schema)."""
        if tokens not in self._properties:
            nodes = follow(self.store, self.combined, list(tokens))
            self._properties[tokens] = nodes[-1] if len(nodes) == len(tokens) + 1 and \
                isinstance(nodes[-1], dict) else None
        return self._properties[tokens]

    def explain(self, error: Any) -> tuple[str, str | None]:
        """An error as 'expected ..., found ...' and the nearest docs link in the schema."""
        tokens = [str(t) for t in error.evaluation_path]
        nodes = follow(self.store, self.combined, tokens)
        complete = len(nodes) == len(tokens) + 1
        value = nodes[-1] if complete else None
        keyword = tokens[-1] if complete and tokens and isinstance(nodes[-2], dict) else None
        if complete and nodes[-1] is False:
            keyword = None
        return describe(keyword, value, error.instance, str(error.message)), docs_along(nodes)

    def docs_of(self, evaluation_path: Sequence[str]) -> str | None:
        """The nearest `x-docs` link along an evaluation path."""
        key = tuple(evaluation_path)
        if key not in self._docs:
            self._docs[key] = docs_along(follow(self.store, self.combined, list(key)))
        return self._docs[key]


def _larger_than(body: Any, limit: int) -> bool:
    """Whether the body holds more than `limit` JSON values (counting stops there)."""
    stack, count = [body], 0
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
