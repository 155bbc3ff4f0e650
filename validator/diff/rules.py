"""Rules of an endpoint, old against new: removed, added, changed, relaxed, tightened."""

from __future__ import annotations

from validator.diff.model import Level
from validator.diff.recorder import Recorder
from validator.diff.schema import Sub, canonical, show
from validator.model.contract import Contract, Endpoint, Rule
from validator.model.pointer import escape_token

BREAKING, RISKY, SAFE = Level.BREAKING, Level.RISKY, Level.SAFE


class RuleDiffer(Recorder):
    """Compares the rules of two versions of an endpoint; their schemas by the walk."""

    def rules(self, old: Endpoint, new: Endpoint) -> None:
        olds = {rule.id: (i, rule) for i, rule in enumerate(old.rules)}
        news = {rule.id: (i, rule) for i, rule in enumerate(new.rules)}
        name = new.full_name
        for rule_id in sorted(olds.keys() | news.keys()):
            old_index, old_rule = olds.get(rule_id, (None, None))
            new_index, new_rule = news.get(rule_id, (None, None))
            places = {
                "old": (old.contract, f"{_at(old)}/rules/{old_index}"),
                "new": (new.contract, f"{_at(new)}/rules"
                        + (f"/{new_index}" if new_index is not None else "")),
            }
            if new_rule is None:
                assert old_rule is not None
                promise = old_rule.part("description") or old_rule.kind
                level = BREAKING if old_rule.severity == "error" else RISKY
                self.add(level, "rule-removed", name, _statuses(old_rule), old_rule.selector,
                         f"rule {rule_id!r} removed: responses no longer promise "
                         f"{promise}", **places)
            elif old_rule is None:
                self.add(SAFE, "rule-added", name, _statuses(new_rule), new_rule.selector,
                         f"new rule {rule_id!r}", **places)
            else:
                self.rule(old, new, old_rule, new_rule, places)

    def rule(self, old: Endpoint, new: Endpoint, old_rule: Rule, new_rule: Rule,
             places: dict[str, tuple[Contract, str]]) -> None:
        name, status = new.full_name, _statuses(new_rule)
        label = f"rule {new_rule.id!r}"
        for key in ("at", "status", "when", "if", "equals", "unique", "state"):
            old_value, new_value = old_rule.part(key), new_rule.part(key)
            if canonical(old_value) != canonical(new_value):
                self.add(RISKY, "rule-changed", name, status, new_rule.selector,
                         f"{label}: {key} changed from {show(old_value)} to "
                         f"{show(new_value)}", **places)
        if old_rule.severity != new_rule.severity:
            relaxed = new_rule.severity == "warning"
            self.add(RISKY if relaxed else SAFE, "rule-relaxed" if relaxed else
                     "rule-tightened", name, status, new_rule.selector,
                     f"{label}: severity changed from {old_rule.severity} to "
                     f"{new_rule.severity}", **places)
        for key in ("description", "docs", "message"):
            if canonical(old_rule.part(key)) != canonical(new_rule.part(key)):
                self.add(SAFE, "docs-changed", name, status, new_rule.selector,
                         f"{label}: {key} edited", **places)
        for key in ("then", "assert"):
            if old_rule.part(key) is not None or new_rule.part(key) is not None:
                old_subs = [_rule_sub(old, places["old"][1], key, old_rule)] \
                    if old_rule.part(key) is not None else []
                new_subs = [_rule_sub(new, places["new"][1], key, new_rule)] \
                    if new_rule.part(key) is not None else []
                self.walker(old, new, status).compare(
                    old_subs, new_subs, new_rule.selector, f"{label}: ", partial=True)



def _at(endpoint: Endpoint) -> str:
    return f"/endpoints/{escape_token(endpoint.name)}"


def _statuses(rule: Rule) -> str:
    return ",".join(rule.statuses) if rule.statuses else ""


def _rule_sub(endpoint: Endpoint, at: str, key: str, rule: Rule) -> Sub:
    # rule schemas live in the contract file; `$ref`s in them resolve from the schema root
    return Sub(rule.part(key), endpoint.contract.store.base_uri, f"{at}/{key}")
