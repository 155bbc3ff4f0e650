"""Response bodies for the mock, drawn from the generation strategies with a fixed seed.

`seeded(build, seed)` runs `build(draw)` inside one hypothesis run with a fixed seed and
no database, so the same seed gives the same value. Hypothesis always tries the simplest
input first; the mock keeps the second (seeded, random) one, which is why `build` must
not change anything outside itself. `BodyMaker` draws a body of one kind for one
documented response and lets the lifecycle code put its resources in before the
contract's rules are applied (`Repairer`) and the kind's finishing step (drift added,
one violation for `invalid`) is taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st

from validator.generate import model_for
from validator.generate.model import MODE_OF, EndpointModel, ResponseModel, add_undeclared_member
from validator.generate.mutate import Expected, Mutator
from validator.generate.repair import (
    Context,
    Draw,
    Repairer,
    copy_json,
    has_drift,
    static_select,
)
from validator.generate.shapes import GenerationError, Node
from validator.model.contract import Endpoint

T = TypeVar("T")
Assemble = Callable[[Any, Callable[[Node | None], Any]], Any]


def seeded(build: Callable[[Draw], T], seed: int) -> T:
    """The value `build` makes from the second input of a hypothesis run seeded with `seed`."""
    results: list[T] = []

    @fixed_seed(seed)
    @settings(max_examples=2, database=None, deadline=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data: st.DataObject) -> None:
        results.append(build(data.draw))

    run()
    if not results:
        raise GenerationError("the strategies produced no body for this response")
    return results[-1]


@dataclass
class Drawn:
    """A generated body, with the finding it must produce when the kind is invalid."""

    body: Any
    expected: Expected | None = None


class BodyMaker:
    """Bodies of one kind for the documented responses of one endpoint."""

    def __init__(self, endpoint: Endpoint, kind: str) -> None:
        self.endpoint = endpoint
        self.kind = kind
        self.model: EndpointModel = model_for(endpoint)

    def response(self, status: int) -> ResponseModel | None:
        """The documented response with a JSON schema for this status, if any."""
        spec = self.endpoint.response_for(status)
        return next((r for r in self.model.responses if r.spec is spec and r.node is not None),
                    None)

    def node_at(self, response: ResponseModel, selector: tuple[str, ...]) -> Node | None:
        assert response.node is not None
        found = static_select(response.node, selector)
        return found[0] if found else None

    def draw(self, response: ResponseModel, ctx: Context, draw: Draw,
             assemble: Assemble | None = None, restore: Callable[[Any], Any] | None = None
             ) -> Drawn:
        """A body for `response`: drawn, assembled, repaired to the rules, finished."""
        model, node = self.model, response.node
        assert node is not None
        values = model.values(MODE_OF[self.kind], response)
        # a body whose resources the lifecycle puts in: draw the rest with few items
        body = copy_json(draw((values.few if assemble is not None else values).of(node)))
        if assemble is not None:
            body = assemble(body, lambda n: copy_json(draw(values.of(n))))
        body = Repairer(model.book, model.compiler, values, node, ctx, draw).run(body)
        if self.kind == "drift" and response.can_drift and not has_drift(node, body):
            body = add_undeclared_member(node, body, draw)
        if restore is not None:
            body = restore(body)
        if self.kind != "invalid":
            return Drawn(body)
        assert response.base_valid is not None
        mutator = Mutator(model.book, model.compiler, values, model.values("drift", response),
                          node, response.base_valid, ctx, draw)
        mutated, expected = mutator.mutate(body)
        return Drawn(mutated, expected)

    def valid(self, response: ResponseModel, body: Any) -> bool:
        """Whether a body still meets the response schema (after the mock changed it)."""
        return response.base_valid is None or response.base_valid(body)


__all__ = ["BodyMaker", "Drawn", "add_undeclared_member", "seeded"]
