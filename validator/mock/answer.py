"""One answer of the mock: route the request, check it, pick a fault, draw the body.

Order: fault (forced by `X-Respcontract-Fault` or drawn) -> route (as `check` matches;
none: 404) -> `Authorization` when the contract declares `auth` (missing: 401) -> path
and query parameters (broken: the documented 4XX) -> the documented success, with the
lifecycle's resources in it. Error answers use the endpoint's documented envelope for
that status, with the problem in its `message` when the schema allows, and always in
the `X-Respcontract-Finding` header.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from validator.errors import UsageError
from validator.generate.model import MODE_OF
from validator.generate.mutate import Expected
from validator.generate.repair import Context, Draw, copy_json
from validator.load.contracts import ContractSet
from validator.mock.bodies import BodyMaker, Drawn, seeded
from validator.mock.faults import FAULT_HEADER, Fault, choose, parse_fault
from validator.mock.resources import resource_nodes, stamp
from validator.mock.routing import (
    get_at,
    missing_auth,
    put_at,
    query_problem,
    route,
    success_status,
)
from validator.mock.world import Plan, Tracked, World
from validator.model.contract import Endpoint
from validator.model.exchange import Request

FINDING_HEADER = "X-Respcontract-Finding"
EXPECTED_HEADER = "X-Respcontract-Expected"
KIND_HEADER = "X-Respcontract-Kind"


@dataclass
class Answer:
    """What the server sends (or, for a reset, does not send) for one request."""

    status: int
    headers: dict[str, str]
    body: bytes
    endpoint: Endpoint | None = None
    expected: Expected | None = None
    fault: Fault | None = None
    delay: float = 0.0
    effects: list[Callable[[], None]] = field(default_factory=list)

    @property
    def reset(self) -> bool:
        return self.fault is not None and self.fault.kind == "reset"


@dataclass(frozen=True)
class Options:
    """How the mock answers: kind, seed, faults and their timings."""
    kind: str = "valid"
    seed: int = 0
    faults: tuple[tuple[Fault, float], ...] = ()
    slow_seconds: float = 10.0
    retry_after: int = 1


class Responder:
    """Answers requests from the contracts, the world's state and the options."""

    def __init__(self, contracts: ContractSet, world: World, options: Options) -> None:
        self.contracts = contracts
        self.world = world
        self.options = options
        self._makers: dict[int, BodyMaker] = {}

    def maker(self, endpoint: Endpoint) -> BodyMaker:
        if id(endpoint) not in self._makers:
            self._makers[id(endpoint)] = BodyMaker(endpoint, self.options.kind)
        return self._makers[id(endpoint)]

    def answer(self, request: Request, index: int) -> Answer:
        rng = random.Random(f"{self.options.seed}:{index}")
        fault = self._fault((request.headers or {}).get(FAULT_HEADER), rng)
        seed = rng.getrandbits(32)
        routed = route(self.contracts, request.method, request.path)
        if fault is not None and fault.kind == "reset":
            return Answer(0, {}, b"", routed[0] if routed else None, fault=fault)
        if fault is not None and fault.kind == "status":
            assert fault.status is not None
            answer = self._fault_answer(routed[0] if routed else None, fault.status, request,
                                        seed)
        else:
            answer = self._answer(request, routed, index, seed)
        if fault is not None and fault.kind == "slow":
            answer.delay = self.options.slow_seconds
        answer.fault = fault
        return answer

    def _fault(self, forced: str | None, rng: random.Random) -> Fault | None:
        drawn = choose(self.options.faults, rng)
        if forced is None:
            return drawn
        try:
            return parse_fault(forced)
        except UsageError:
            return None

    def _fault_answer(self, endpoint: Endpoint | None, status: int, request: Request,
                      seed: int) -> Answer:
        target = endpoint or self.fallback(request.path)
        answer = self.error(target, status, f"fault injected: status {status}", request, seed)
        if status == 429 or status == 503:
            answer.headers["Retry-After"] = str(self.options.retry_after)
        answer.effects = []
        return answer

    def _answer(self, request: Request, routed: tuple[Endpoint, dict[str, str], str | None]
                | None, index: int, seed: int) -> Answer:
        if routed is None:
            message = f"no contract endpoint matches {request.method.upper()} {request.path}"
            return self.error(self.fallback(request.path), 404, message, request, seed)
        endpoint, params, path_problem = routed
        problem = missing_auth(endpoint, request)
        if problem is not None:
            return self.error(endpoint, 401, problem, request, seed)
        problem = path_problem or query_problem(endpoint, request)
        if problem is not None:
            return self.error(endpoint, 400, problem, request, seed)
        return self.success(endpoint, request, params, index, seed)

    def fallback(self, path: str) -> Endpoint | None:
        """An endpoint whose contract answers an unknown route (the one nearest the path)."""
        best: tuple[int, Endpoint] | None = None
        first = [s for s in path.split("/") if s][:1]
        for endpoint in self.contracts.endpoints():
            shared = int(first == [s for s in endpoint.path.split("/") if s][:1])
            documented = endpoint.response_for(404) is not None
            score = 2 * shared + int(documented)
            if best is None or score > best[0]:
                best = (score, endpoint)
        return best[1] if best else None

    # ------------------------------------------------------------ bodies

    def error(self, endpoint: Endpoint | None, status: int, message: str, request: Request,
              seed: int) -> Answer:
        headers = {FINDING_HEADER: _header_safe(message)}
        maker = self.maker(endpoint) if endpoint is not None else None
        response = maker.response(status) if maker is not None else None
        if maker is None or response is None:  # no documented envelope: a plain message
            return Answer(status, {**headers, "Content-Type": "application/json"},
                          json.dumps({"message": message}).encode("utf-8"), endpoint)

        def restore(body: Any) -> Any:
            if isinstance(body, dict) and isinstance(body.get("message"), str):
                candidate = {**body, "message": message}
                if maker.valid(response, candidate):
                    return candidate
            return body

        ctx = Context(status, request, {})
        drawn = seeded(lambda draw: maker.draw(response, ctx, draw, restore=restore), seed)
        assert endpoint is not None
        return self._finish(endpoint, status, drawn, headers)

    def success(self, endpoint: Endpoint, request: Request, params: dict[str, str],
                index: int, seed: int) -> Answer:
        status = success_status(endpoint)
        for tracked in self.world.reported_by(endpoint):
            plan = self.world.plan(tracked, request, params)
            if plan is None and tracked.lifecycle.unknown is not None:
                return self.plain(endpoint, tracked.lifecycle.unknown, request, seed)
            if plan is not None:
                return self._lifecycle(endpoint, status, request, params, plan, seed)
        return self._created(endpoint, status, request, params, index, seed)

    def plain(self, endpoint: Endpoint, status: int, request: Request, seed: int) -> Answer:
        response = self.maker(endpoint).response(status)
        if response is None:
            return Answer(status, {}, b"", endpoint)
        ctx = Context(status, request, {})
        drawn = seeded(lambda draw: self.maker(endpoint).draw(response, ctx, draw), seed)
        return self._finish(endpoint, status, drawn, {})

    def _created(self, endpoint: Endpoint, status: int, request: Request,
                 params: dict[str, str], index: int, seed: int) -> Answer:
        maker = self.maker(endpoint)
        response = maker.response(status)
        if response is None:
            return Answer(status, {}, b"", endpoint)
        creating = self.world.created_by(endpoint)
        ctx = Context(status, request, params)

        values = maker.model.values(MODE_OF[self.options.kind], response)

        def build(draw: Draw) -> tuple[Drawn, list[tuple[Tracked, list[str]]]]:
            kept: list[Any] = []

            def restore(body: Any) -> Any:
                for tracked in creating:
                    node = maker.node_at(response, tracked.parameter.pointer)
                    body = self.world.freshen(tracked, body, values.of(node), draw)
                kept.append(copy_json(body))
                return body

            drawn = maker.draw(response, ctx, draw, restore=restore)
            return drawn, [(t, self.world.keys_in(t, status, kept[0])) for t in creating]

        drawn, keys = seeded(build, seed)
        answer = self._finish(endpoint, status, drawn, {})
        answer.effects = [self._creator(t, k, index) for t, k in keys]
        return answer

    def _creator(self, tracked: Tracked, keys: list[str], index: int) -> Callable[[], None]:
        return lambda: self.world.create(tracked, keys, index)

    def _lifecycle(self, endpoint: Endpoint, status: int, request: Request,
                   params: dict[str, str], plan: Plan, seed: int) -> Answer:
        maker = self.maker(endpoint)
        response = maker.response(status)
        lifecycle = plan.tracked.lifecycle
        if response is None:
            return Answer(status, {}, b"", endpoint)
        parent = list(lifecycle.at[:-1])
        ctx = Context(status, request, params)
        nodes = resource_nodes(maker, response, self.world, plan, ctx, seed)

        def place(body: Any) -> Any:
            return put_at(body, parent, [stamp(copy_json(n), plan, r, s) for n, r, s in
                                         zip(nodes, plan.resources, plan.states, strict=True)])

        def build(draw: Draw) -> tuple[Drawn, list[Any]]:
            served: list[Any] = []

            def restore(body: Any) -> Any:
                body = place(body)
                served.extend(copy_json(get_at(body, parent)))
                return body

            return maker.draw(response, ctx, draw, lambda body, _: place(body), restore), served

        drawn, served = seeded(build, seed)
        answer = self._finish(endpoint, status, drawn, {})
        answer.effects = [lambda: self.world.served(plan, served)]
        return answer

    def _finish(self, endpoint: Endpoint, status: int, drawn: Drawn, headers: dict[str, str]
                ) -> Answer:
        spec = endpoint.response_for(status)
        media = (spec.content_type if spec else None) or "application/json"
        headers = {"Content-Type": media, KIND_HEADER: self.options.kind, **headers}
        if drawn.expected is not None:
            headers[EXPECTED_HEADER] = f"{drawn.expected.rule} {drawn.expected.pointer}"
        body = json.dumps(drawn.body, ensure_ascii=False).encode("utf-8")
        return Answer(status, headers, body, endpoint, drawn.expected)


def _keep(kept: list[Any]) -> Callable[[Any], Any]:
    def restore(body: Any) -> Any:
        kept.append(copy_json(body))
        return body
    return restore


def _header_safe(text: str) -> str:
    return "".join(c if 32 <= ord(c) < 127 else "?" for c in text)[:300]


__all__ = ["EXPECTED_HEADER", "FINDING_HEADER", "KIND_HEADER", "Answer", "Options",
           "Responder"]
