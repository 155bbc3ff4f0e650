"""Check one exchange against its contract endpoint and return every finding.

Order: endpoint -> documented status -> empty body -> content type -> strict JSON ->
schema and schema rules (one validator call) -> request-correlated rules.
"""

from __future__ import annotations

from typing import Any

from validator.check import rules as rulebook
from validator.check.headers import check_headers, choose_media, media_problem
from validator.check.schema import DRIFT_NODE_LIMIT, BodySchema
from validator.errors import UsageError
from validator.formats.json import (
    GC_PAUSE_FROM,
    JsonProblem,
    gc_paused,
    json_type,
    loads_bytes_strict,
    loads_strict,
)
from validator.load.contracts import ContractSet
from validator.model.contract import Endpoint, ResponseSpec, Rule
from validator.model.exchange import NOT_PARSED, Exchange, TextResponse
from validator.model.findings import ExchangeResult, Finding, Severity
from validator.model.pointer import make_pointer, pointer_tokens
from validator.report.caps import Budget

UNDOCUMENTED = "undocumented"
DRIFT_LIMIT = "drift-limit"


class Checker:
    """Checks exchanges against a contract set; compiled validators are cached per shape."""

    def __init__(self, contracts: ContractSet, max_findings: int | None = None) -> None:
        self.contracts = contracts
        self.max_findings = max_findings  # per kind and place; the rest is counted
        self._validators: dict[tuple[str, str, tuple[str, ...]], Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without compiled validators (worker processes compile their own)."""
        return {**self.__dict__, "_validators": {}}

    def check(self, exchange: Exchange, endpoint: str | None = None) -> ExchangeResult:
        """Check one exchange (against `endpoint`, else the one its request matches)."""
        result = ExchangeResult(exchange.source, exchange.index, None)
        resolved = self._resolve(exchange, endpoint or exchange.endpoint, result)
        if resolved is None:
            return result
        target, path_params = resolved
        result.endpoint = target.full_name
        findings = _Findings(exchange, target, result, self.max_findings)
        if 200 <= exchange.response.status < 300:
            self._check_request(exchange, target, findings)
        spec = target.response_for(exchange.response.status)
        if spec is None:
            documented = ", ".join(r.status for r in target.responses)
            findings.add(Severity.ERROR, "status", "", f"expected a documented status "
                         f"({documented}), found {exchange.response.status}", target.docs)
            return result
        if exchange.response.parsed is NOT_PARSED and exchange.response.size() >= GC_PAUSE_FROM:
            # a large body's tree lives until this check ends: with the collector paused
            # that long, no collection ever walks it (each would, once it is built)
            with gc_paused():
                self._check_response(exchange, target, spec, path_params, findings)
        else:
            self._check_response(exchange, target, spec, path_params, findings)
        if not result.findings and not findings.budget.counted:
            return result  # nothing found: no summary to add, nothing to sort
        findings.add_overflow()
        result.findings.sort(key=lambda f: (f.line or 0, f.column or 0))
        return result

    def _resolve(self, exchange: Exchange, pinned: str | None, result: ExchangeResult
                 ) -> tuple[Endpoint, dict[str, str]] | None:
        if pinned:
            try:
                target = self.contracts.endpoint(pinned)
            except UsageError as exc:
                result.findings.append(_exchange_finding(exchange, Severity.ERROR, "endpoint",
                                                         str(exc)))
                return None
            request = exchange.request
            params = target.match_path(request.path) if request is not None else None
            return target, params or {}
        if exchange.request is None:
            result.findings.append(_exchange_finding(
                exchange, Severity.ERROR, "endpoint", "no request recorded: pin the endpoint "
                "(--endpoint CONTRACT:ENDPOINT or `endpoint:` in the file)"))
            return None
        matched = self.contracts.match(exchange.request.method, exchange.request.path)
        if matched is None:
            result.findings.append(_exchange_finding(
                exchange, Severity.WARNING, "unmatched", f"no contract endpoint matches "
                f"{exchange.request.method.upper()} {exchange.request.path}; not checked"))
            return None
        return matched

    def _check_request(self, exchange: Exchange, target: Endpoint, findings: _Findings) -> None:
        if exchange.request is None:
            return
        query = exchange.request.query
        for name, param in target.query.items():
            if name in query:
                problem = param.problem(query[name])
                if problem:
                    findings.add(Severity.WARNING, "request", "",
                                 f"request query {problem}", target.docs)
            elif param.required:
                findings.add(Severity.WARNING, "request", "",
                             f"request query parameter {name!r} is required but absent",
                             target.docs)

    def _check_response(self, exchange: Exchange, target: Endpoint, spec: ResponseSpec,
                        path_params: dict[str, str], findings: _Findings) -> None:
        response = exchange.response
        docs = spec.docs or target.docs
        if response.headers is not None:
            spec = choose_media(spec, response.content_type)
            check_headers(spec, response.headers, findings.add, docs)
        if spec.body == "empty":
            shown = body_found(response)
            if shown:
                findings.add(Severity.ERROR, "body-not-empty", "", f"expected an empty body "
                             f"for status {response.status}, found {shown}", docs)
            return
        if spec.content_type and response.headers is not None:
            _check_content_type(spec, response.content_type, findings, docs)
        if spec.body == "any":
            return
        if not response.recorded:
            findings.add(Severity.WARNING, "body-not-recorded", "", "the recording kept no "
                         "response body; the body was not checked", docs)
            return
        body = self._body(exchange, findings, docs)
        if body is NOT_PARSED:
            return
        active = [r for r in target.rules_for(response.status)
                  if not r.when or rulebook.applies(r, exchange, path_params)]
        self._validate(target, spec, body, active, findings)
        for rule in active:
            if rule.kind in ("equals", "unique"):
                for pointer, message in rulebook.python_violations(rule, exchange, body,
                                                                   path_params):
                    findings.add(_severity(rule), rule.id, pointer, _rule_message(rule, message),
                                 rule.docs)

    def _body(self, exchange: Exchange, findings: _Findings, docs: str | None) -> Any:
        response = exchange.response
        if response.parsed is not NOT_PARSED:
            return response.parsed
        text = response.ascii_text() if isinstance(response, TextResponse) else None
        body, problem = loads_strict(text) if text is not None else \
            loads_bytes_strict(response.body or b"")
        if problem is not None:
            findings.add_problem(problem, docs)
            return NOT_PARSED
        return body

    def validator(self, target: Endpoint, spec: ResponseSpec, active: list[Rule]) -> Any:
        """The compiled schema checks (verdict and drift witness) for one response shape."""
        schema_rules = tuple(r.id for r in active if r.kind in ("then", "assert"))
        key = (target.full_name, f"{spec.status} {spec.schema}", schema_rules)
        if key not in self._validators:
            store = target.contract.store
            main: Any = {"$ref": store.uri_for(spec.schema)} if spec.schema else True
            rules = [rulebook.schema_of(r) for r in active if r.id in schema_rules]
            self._validators[key] = BodySchema(store, main, rules,
                                               target.contract.formats == "assert")
        return self._validators[key]

    def _validate(self, target: Endpoint, spec: ResponseSpec, body: Any, active: list[Rule],
                  findings: _Findings) -> None:
        schema = self.validator(target, spec, active)
        if schema.passes_without_drift(body):
            return
        schema_rules = [r for r in active if rulebook.is_schema_rule(r)]
        try:
            errors, drift = schema.inspect(body)
        except ValueError as exc:  # jsonschema-rs stops describing errors past ~250 levels
            findings.add(Severity.ERROR, "body-limit", "", "expected a body that matches the "
                         f"schema; this one does not, and is nested too deep to say where ({exc})",
                         spec.docs or target.docs)
            return
        # a rule that fails where the schema already failed adds nothing: report it once
        schema_failed = {tuple(e.instance_path) for e in errors if _branch(e) == 0}
        for error in errors:
            pointer = make_pointer(list(error.instance_path))
            branch = _branch(error)
            message, docs = schema.explain(error)
            if branch == 0:
                findings.add(Severity.ERROR, "schema", pointer, message,
                             docs or spec.docs or target.docs)
            elif tuple(error.instance_path) not in schema_failed:
                rule = schema_rules[branch - 1]
                findings.add(_severity(rule), rule.id, pointer, _rule_message(rule, message),
                             rule.docs)
        if drift is None:  # say so: silence would read as "nothing undocumented"
            findings.add(Severity.WARNING, DRIFT_LIMIT, "", "undocumented members and values "
                         f"were not looked for: the body holds more than {DRIFT_NODE_LIMIT:,} "
                         "values (the verdict above is complete)", spec.docs or target.docs)
            return
        for found in drift:
            findings.add(Severity.WARNING, UNDOCUMENTED, found.pointer, found.message,
                         schema.docs_of(found.evaluation_path) or spec.docs or target.docs)


def body_found(response: Any) -> str | None:
    """What body a bodiless response carries, in any recorded form (None: no body)."""
    if response.parsed is not NOT_PARSED:
        return f"a JSON {json_type(response.parsed)} body"
    size = len(response.body or b"")
    if size and (response.body or b"").strip() != b"":
        return f"{size} bytes"
    return None


def _branch(error: Any) -> int:
    """Which part of the combined schema failed: 0 the response schema, n the n-th rule."""
    path = error.evaluation_path
    return int(path[1]) if len(path) > 1 and path[0] == "allOf" else 0


def _exchange_finding(exchange: Exchange, severity: Severity, rule: str, message: str
                      ) -> Finding:
    line, column = exchange.exchange_position() or (None, None)
    return Finding(severity, rule, message, exchange.source, exchange.index, line=line,
                   column=column)


def _check_content_type(spec: ResponseSpec, found: str | None, findings: _Findings,
                        docs: str | None) -> None:
    problem = media_problem(spec, found)
    if problem is not None:
        findings.add(Severity.ERROR, "content-type", "", problem, docs)


def _severity(rule: Rule) -> Severity:
    return Severity.WARNING if rule.severity == "warning" else Severity.ERROR


def _rule_message(rule: Rule, detail: str) -> str:
    summary = rule.summary
    return f"{summary}: {detail}" if summary else detail


class _Findings:
    """Collects findings for one exchange, locating pointers and dropping repeats."""

    def __init__(self, exchange: Exchange, endpoint: Endpoint, result: ExchangeResult,
                 max_findings: int | None = None) -> None:
        self.exchange = exchange
        self.endpoint = endpoint
        self.result = result
        self._seen: set[tuple[str, str, str]] = set()
        self.budget = Budget(max_findings)

    def add_overflow(self) -> None:
        """One summary finding per group cut by --max-findings, at the group's parent."""
        for severity, rule, parent, message in self.budget.overflow():
            self.budget.limit = 0  # the summaries themselves are never cut
            self.add(Severity(severity), rule, parent, message, None)

    def add(self, severity: Severity, rule: str, pointer: str, message: str,
            docs: str | None) -> None:
        if not self.budget.admit(severity.value, rule, pointer):
            return  # over --max-findings: counted, never located
        key = (rule, pointer, message)
        if key in self._seen:
            return
        self._seen.add(key)
        if pointer or rule in rulebook_body_rules:
            where = self.exchange.body_position(pointer_tokens(pointer))
        else:
            where = self.exchange.exchange_position()
        line, column = where if where else (None, None)
        self.result.findings.append(Finding(
            severity, rule, message, self.exchange.source, self.exchange.index,
            self.endpoint.full_name, pointer, line, column, docs))

    def add_problem(self, problem: JsonProblem, docs: str | None) -> None:
        where = None
        if problem.pos is not None and self.exchange.locate_offset is not None:
            where = self.exchange.locate_offset(problem.pos)
        if where is None:
            where = self.exchange.body_position(pointer_tokens(problem.pointer))
        line, column = where if where else (None, None)
        self.result.findings.append(Finding(
            Severity.ERROR, problem.rule, problem.message, self.exchange.source,
            self.exchange.index, self.endpoint.full_name, problem.pointer, line, column, docs))


rulebook_body_rules = frozenset({"schema", UNDOCUMENTED})

