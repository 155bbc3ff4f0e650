"""State rules: what must hold across successive responses (polls) of one endpoint.

A state rule selects nodes with `at` (the same selectors as other rules) and follows each
node across responses by its `key` member. It asserts exactly one thing:

- `persist: true`: a key seen once is in every later response;
- `final` (with `field`): once `field` takes one of the `final` values, it keeps that value;
- `final` + `frozen: true`: once `field` is final, the whole node never changes again.

Single-exchange checks skip these rules; `StateTracker` applies them to a sequence. Each
broken promise is reported once, at the response where it broke.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from validator.check import rules as rulebook
from validator.model.contract import Endpoint, Rule, StateSpec
from validator.model.exchange import Exchange
from validator.model.findings import Finding, Severity
from validator.model.pointer import escape_token, make_pointer


@dataclass
class _Seen:
    """What one rule remembers about one key."""

    first: int  # exchange where the key was first seen
    final: Any = None  # the final value reached, if any
    final_at: int | None = None
    snapshot: Any = None  # the node as it was when it became final
    broken: bool = False  # reported already


@dataclass
class _RuleState:
    rule: Rule
    seen: dict[str, _Seen] = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    """How far a polled resource has come: nodes whose followed field is final."""

    done: int
    total: int
    pending: tuple[str, ...]  # keys of nodes not final yet

    @property
    def finished(self) -> bool:
        """Whether every followed node is final."""
        return self.done == self.total


def state_rules(endpoint: Endpoint) -> list[Rule]:
    """The endpoint's rules that span a sequence of responses."""
    return [rule for rule in endpoint.rules if rule.kind == "state"]


def kind_of(rule: Rule) -> str:
    """persist, frozen or final: what a state rule asserts across polls."""
    return _spec(rule).kind


def _spec(rule: Rule) -> StateSpec:
    assert rule.state is not None  # only state rules reach the tracker
    return rule.state


def _key(node: Any, name: str) -> str | None:
    if not isinstance(node, dict) or name not in node:
        return None
    return json.dumps(node[name], sort_keys=True)


def _nodes(rule: Rule, body: Any) -> Iterator[tuple[str, str, Any]]:
    """(key, pointer, node) for every selected node that carries the rule's key."""
    name = _spec(rule).key
    for path, node in rulebook.select(body, rule.at):
        key = _key(node, name)
        if key is not None:
            yield key, make_pointer(path), node


class StateTracker:
    """Follows one endpoint's responses and reports broken state rules."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.states = [_RuleState(rule) for rule in state_rules(endpoint)]

    @property
    def can_poll(self) -> bool:
        """Whether some rule says when the polled resource is finished (`final`)."""
        return any(_spec(s.rule).final is not None for s in self.states)

    def observe(self, exchange: Exchange, body: Any, path_params: dict[str, str],
                index: int) -> list[Finding]:
        """Findings for this response, given every response observed before it."""
        findings: list[Finding] = []
        for state in self.states:
            if not rulebook.applies(state.rule, exchange, path_params):
                continue
            for pointer, message in self._check(state, body, index):
                findings.append(Finding(
                    Severity.WARNING if state.rule.severity == "warning" else Severity.ERROR,
                    state.rule.id, _message(state.rule, message), exchange.source,
                    exchange.index, self.endpoint.full_name, pointer, docs=state.rule.docs))
        return findings

    def progress(self, exchange: Exchange, body: Any, path_params: dict[str, str]
                 ) -> Progress | None:
        """None when this response says nothing about the polled state (a 204, an error)."""
        finals: dict[str, bool] = {}
        keys: dict[str, str] = {}
        applied = False
        for state in self.states:
            spec = _spec(state.rule)
            if spec.final is None or not rulebook.applies(state.rule, exchange, path_params):
                continue
            applied = True
            for key, pointer, node in _nodes(state.rule, body):
                finals[pointer] = finals.get(pointer, True) and \
                    node.get(spec.field) in spec.final
                keys[pointer] = key
        if not applied:
            return None
        pending = tuple(json.loads(keys[p]) for p, done in finals.items() if not done)
        return Progress(len(finals) - len(pending), len(finals),
                        tuple(str(k) for k in pending))

    def _check(self, state: _RuleState, body: Any, index: int) -> Iterator[tuple[str, str]]:
        kind = kind_of(state.rule)
        spec = _spec(state.rule)
        present: set[str] = set()
        for key, pointer, node in _nodes(state.rule, body):
            present.add(key)
            seen = state.seen.setdefault(key, _Seen(index))
            if kind != "persist":
                yield from _follow(seen, key, pointer, node, spec, kind, index)
        if kind == "persist":
            parent = make_pointer(list(state.rule.at[:-1])) if state.rule.at else ""
            for key, seen in state.seen.items():
                if key not in present and not seen.broken:
                    seen.broken = True
                    yield parent, (f"{spec.key} {key} (seen since exchange {seen.first}) "
                                   f"is missing from exchange {index}")


def _follow(seen: _Seen, key: str, pointer: str, node: Any, spec: StateSpec, kind: str,
            index: int) -> Iterator[tuple[str, str]]:
    name, value = spec.field or "", node.get(spec.field)
    if seen.final_at is None:
        if value in (spec.final or ()):
            seen.final, seen.final_at, seen.snapshot = value, index, copy.deepcopy(node)
        return
    if seen.broken:
        return
    what = f"{spec.key} {key}"
    if kind == "final" and value != seen.final:
        seen.broken = True
        yield f"{pointer}/{escape_token(name)}", (
            f"{what}: {name} was {seen.final!r} in exchange {seen.final_at}, found {value!r}")
    elif kind == "frozen" and node != seen.snapshot:
        seen.broken = True
        # point at what changed besides the followed field (leaving final is another rule's)
        rest_before = {k: v for k, v in seen.snapshot.items() if k != name}
        rest_after = {k: v for k, v in node.items() if k != name}
        where, before, after = first_difference(rest_before, rest_after) \
            if rest_before != rest_after else first_difference(seen.snapshot, node)
        yield pointer + where, (
            f"{what} changed after {name} became {seen.final!r} in exchange {seen.final_at}: "
            f"{where or '/'} was {_shown(before)}, found {_shown(after)}")


_MISSING: Any = object()


def first_difference(before: Any, after: Any, path: str = "") -> tuple[str, Any, Any]:
    """(relative pointer, old, new) of the first place two JSON values differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            old, new = before.get(key, _MISSING), after.get(key, _MISSING)
            if old != new or (old is _MISSING) != (new is _MISSING):
                if old is _MISSING or new is _MISSING:
                    return f"{path}/{escape_token(key)}", old, new
                return first_difference(old, new, f"{path}/{escape_token(key)}")
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new:
                return first_difference(old, new, f"{path}/{i}")
    return path, before, after


def _shown(value: Any) -> str:
    if value is _MISSING:
        return "absent"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(rule: Rule, detail: str) -> str:
    summary = rule.summary
    return f"{summary}: {detail}" if summary else detail


__all__ = ["Progress", "StateTracker", "first_difference", "kind_of", "state_rules"]
