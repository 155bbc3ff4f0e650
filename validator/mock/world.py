"""What the mock remembers between requests, as the contract's links and lifecycles say.

A link's values (a job id Bulk Invite Users returns) become known values of the target's
parameter. A lifecycle turns each such value into a resource that moves through the
lifecycle's states, `steps` polls per state: the n-th poll of a resource (counted from
0) reports `states[min(n // steps, last)]`. Once a final state is reached and the
lifecycle is `frozen`, the node first served in that state is served unchanged forever.
Nothing here knows an API: everything comes from the contract model.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

from validator.check.rules import select
from validator.generate.repair import Draw, set_at
from validator.load.contracts import ContractSet
from validator.load.links import target_of
from validator.model.contract import Endpoint, Lifecycle, Link, LinkParameter
from validator.model.exchange import Request


@dataclass
class Resource:
    """One resource of a lifecycle (a job): its key, its polls, its node in each state."""

    key: str
    created: int  # index of the request that created it
    polls: int = 0
    nodes: dict[str, Any] = field(default_factory=dict)  # state -> node as first served


@dataclass
class Tracked:
    """A lifecycle with the endpoints and link it joins."""

    lifecycle: Lifecycle
    source: Endpoint
    link: Link
    parameter: LinkParameter
    target: Endpoint
    resources: dict[str, Resource] = field(default_factory=dict)

    def state(self, resource: Resource, steps: int) -> str:
        states = self.lifecycle.states
        return states[min(resource.polls // max(steps, 1), len(states) - 1)]

    def is_final(self, state: str) -> bool:
        return state in self.lifecycle.final

    def requested_key(self, request: Request, path_params: dict[str, str]) -> str | None:
        values = request.query if self.parameter.part == "query" else path_params
        return values.get(self.parameter.name)


@dataclass
class Plan:
    """What a lifecycle answer will serve: the resources and the state of each."""

    tracked: Tracked
    resources: list[Resource]
    states: list[str]


class World:
    """Links and lifecycles of the loaded contracts, and every resource created so far."""

    def __init__(self, contracts: ContractSet, steps: int) -> None:
        self.steps = steps
        self.tracked: list[Tracked] = []
        for contract in contracts.contracts:
            for lifecycle in contract.lifecycles.values():
                found = self._join(contracts, lifecycle, contract.endpoints)
                if found is not None:
                    self.tracked.append(found)

    def _join(self, contracts: ContractSet, lifecycle: Lifecycle,
              endpoints: dict[str, Endpoint]) -> Tracked | None:
        source = endpoints.get(lifecycle.source)
        link = next((k for k in source.links if k.id == lifecycle.link), None) if source else None
        if source is None or link is None or not link.parameters:
            return None
        target = target_of(link, source.contract, contracts.find)
        if target is None:
            return None
        return Tracked(lifecycle, source, link, link.parameters[0], target)

    def created_by(self, endpoint: Endpoint) -> list[Tracked]:
        return [t for t in self.tracked if t.source is endpoint]

    def reported_by(self, endpoint: Endpoint) -> list[Tracked]:
        return [t for t in self.tracked if t.target is endpoint]

    def keys_in(self, tracked: Tracked, status: int, body: Any) -> list[str]:
        """The keys a response of the source endpoint hands out through the link."""
        if not tracked.link.applies_to_status(status):
            return []
        return [_as_key(value) for _, value in select(body, tracked.parameter.pointer)
                if value is not None and not isinstance(value, dict | list)]

    def freshen(self, tracked: Tracked, body: Any, strategy: SearchStrategy[Any], draw: Draw
                ) -> Any:
        """Redraw link values that repeat a key already handed out (the node's own strategy,
        so the body stays valid)."""
        taken = set(tracked.resources)
        for path, value in list(select(body, tracked.parameter.pointer)):
            if value is None or isinstance(value, dict | list):
                continue
            if _as_key(value) in taken:
                value = draw(strategy.filter(
                    lambda v: not isinstance(v, dict | list) and _as_key(v) not in taken))
                body = set_at(body, path, value)
            taken.add(_as_key(value))
        return body

    def create(self, tracked: Tracked, keys: list[str], index: int) -> None:
        for key in keys:
            tracked.resources.setdefault(key, Resource(key, index))

    def plan(self, tracked: Tracked, request: Request, path_params: dict[str, str]
             ) -> Plan | None:
        """None: the key names no resource (the lifecycle's `unknown` answer applies)."""
        key = tracked.requested_key(request, path_params)
        if key is not None:
            resource = tracked.resources.get(key)
            if resource is None:
                return None
            chosen = [resource]
        elif tracked.lifecycle.list_all:
            chosen = list(tracked.resources.values())
        else:
            chosen = []
        return Plan(tracked, chosen, [tracked.state(r, self.steps) for r in chosen])

    def cached(self, plan: Plan, resource: Resource, state: str) -> Any:
        """The node to serve again: a frozen final one always; another while its state
        lasts (a resource's node changes when its state does, not on every poll)."""
        if plan.tracked.is_final(state) and not plan.tracked.lifecycle.frozen:
            return None
        return resource.nodes.get(state)

    def served(self, plan: Plan, nodes: list[Any]) -> None:
        """Count the poll of each resource; keep the node it was served with in its state."""
        for resource, state, node in zip(plan.resources, plan.states, nodes, strict=False):
            resource.polls += 1
            if state not in resource.nodes:
                resource.nodes[state] = copy.deepcopy(node)

    def every_resource(self) -> Iterator[tuple[Tracked, Resource]]:
        for tracked in self.tracked:
            for resource in tracked.resources.values():
                yield tracked, resource


def _as_key(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


__all__ = ["Plan", "Resource", "Tracked", "World"]
