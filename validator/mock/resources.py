"""The nodes of a lifecycle's resources, each drawn in its own seeded run.

A resource's node is drawn once per state (seeded by the mock's seed, its key and the
state, so it does not depend on what else is listed) and then served again while that
state lasts; a frozen final node is served for ever. Drawing each node on its own keeps
every hypothesis run small however many resources a listing holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from validator.generate.model import MODE_OF, ResponseModel
from validator.generate.repair import Context, Draw, Repairer, copy_json
from validator.mock.bodies import BodyMaker, seeded
from validator.mock.routing import get_at, put_at
from validator.mock.world import Plan, Resource, World


def node_seed(seed: int, key: str, state: str) -> int:
    """A stable seed for one resource in one state (same seed, same bytes)."""
    digest = hashlib.sha256(f"{seed}:{key}:{state}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def resource_nodes(maker: BodyMaker, response: ResponseModel, world: World, plan: Plan,
                   ctx: Context, seed: int) -> list[Any]:
    """One node per planned resource: the one it has in this state, or a new one."""
    nodes = []
    for resource, state in zip(plan.resources, plan.states, strict=True):
        cached = world.cached(plan, resource, state)
        if cached is not None:
            nodes.append(copy_json(cached))
        else:
            nodes.append(seeded(_node_builder(maker, response, plan, resource, state, ctx),
                                node_seed(seed, resource.key, state)))
    return nodes


def _node_builder(maker: BodyMaker, response: ResponseModel, plan: Plan, resource: Resource,
                  state: str, ctx: Context) -> Callable[[Draw], Any]:
    return lambda draw: _draw_node(maker, response, plan, resource, state, ctx, draw)


def _draw_node(maker: BodyMaker, response: ResponseModel, plan: Plan, resource: Resource,
               state: str, ctx: Context, draw: Draw) -> Any:
    lifecycle = plan.tracked.lifecycle
    model = maker.model
    values = model.values(MODE_OF[maker.kind], response)
    shape = maker.node_at(response, lifecycle.at)
    node = copy_json(draw(values.of(shape)))
    node = stamp(node if isinstance(node, dict) else {}, plan, resource, state)
    parent = list(lifecycle.at[:-1])
    # the rules that bind a node (data null while running, ...) are met in a body of one
    alone = Repairer(model.book, model.compiler, values, response.node, ctx, draw).run(
        put_at({}, parent, [node]))
    found = get_at(alone, parent)
    return stamp(found[0] if isinstance(found, list) and found else node, plan, resource, state)


def stamp(node: dict[str, Any], plan: Plan, resource: Resource, state: str) -> dict[str, Any]:
    """The node with the resource's key and state in their members."""
    lifecycle = plan.tracked.lifecycle
    node[lifecycle.key] = resource.key
    node[lifecycle.field] = state
    return node


__all__ = ["node_seed", "resource_nodes", "stamp"]
