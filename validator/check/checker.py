"""Check one exchange against its contract endpoint and return every finding.

Order: endpoint -> documented status -> empty body -> content type -> strict JSON ->
schema and schema rules (one validator call) -> request-correlated rules.
"""

from __future__ import annotations

from typing import Any

from validator.check import rules as rulebook
from validator.errors import UsageError
from validator.formats.json import JsonProblem, json_type, loads_bytes_strict
from validator.load.contracts import ContractSet
from validator.load.schemas import DRAFT
from validator.model.contract import Endpoint, ResponseSpec, Rule
from validator.model.exchange import NOT_PARSED, Exchange
from validator.model.findings import ExchangeResult, Finding, Severity
from validator.model.pointer import make_pointer, pointer_tokens
from validator.report.caps import Budget

UNDOCUMENTED = "undocumented"


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
        self._check_response(exchange, target, spec, path_params, findings)
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
        body, problem = loads_bytes_strict(response.body or b"")
        if problem is not None:
            findings.add_problem(problem, docs)
            return NOT_PARSED
        return body

    def validator(self, target: Endpoint, spec: ResponseSpec, active: list[Rule]) -> Any:
        schema_rules = tuple(r.id for r in active if r.kind in ("then", "assert"))
        key = (target.full_name, spec.status, schema_rules)
        if key not in self._validators:
            import jsonschema_rs

            store = target.contract.store
            parts: list[Any] = [{"$ref": store.uri_for(spec.schema)} if spec.schema else True]
            parts += [rulebook.schema_of(r) for r in active if r.id in schema_rules]
            self._validators[key] = jsonschema_rs.validator_for(
                {"$schema": DRAFT, "allOf": parts}, registry=store.registry())
        return self._validators[key]

    def _validate(self, target: Endpoint, spec: ResponseSpec, body: Any, active: list[Rule],
                  findings: _Findings) -> None:
        validator = self.validator(target, spec, active)
        if validator.is_valid(body):
            return
        schema_rules = [r for r in active if rulebook.is_schema_rule(r)]
        store = target.contract.store
        try:
            errors = list(validator.iter_errors(body))
        except ValueError as exc:  # jsonschema-rs stops describing errors past ~250 levels
            findings.add(Severity.ERROR, "body-limit", "", "expected a body that matches the "
                         f"schema; this one does not, and is nested too deep to say where ({exc})",
                         spec.docs or target.docs)
            return
        # a rule that fails where the schema already failed adds nothing: report it once
        schema_failed = {tuple(e.instance_path) for e in errors if _branch(e) == 0
                         and not store.is_injected(e.absolute_keyword_location or "")}
        for error in errors:
            pointer = make_pointer(list(error.instance_path))
            branch = _branch(error)
            location = error.absolute_keyword_location or ""
            if branch == 0 and store.is_injected(location):
                if location.endswith("/enum") and tuple(error.instance_path) in schema_failed:
                    continue  # a value that is already wrong is not also "undocumented"
                _add_drift(error, pointer, findings, store.docs_for(location))
            elif branch == 0:
                findings.add(Severity.ERROR, "schema", pointer, describe(error),
                             store.docs_for(location) or spec.docs or target.docs)
            elif tuple(error.instance_path) not in schema_failed:
                rule = schema_rules[branch - 1]
                findings.add(_severity(rule), rule.id, pointer,
                             _rule_message(rule, describe(error)), rule.docs)


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
    media = (found or "").split(";")[0].strip().lower()
    if media != spec.content_type:
        shown = repr(found) if found else "no Content-Type header"
        findings.add(Severity.ERROR, "content-type", "",
                     f"expected Content-Type {spec.content_type}, found {shown}", docs)


def _severity(rule: Rule) -> Severity:
    return Severity.WARNING if rule.severity == "warning" else Severity.ERROR


def _rule_message(rule: Rule, detail: str) -> str:
    summary = rule.raw.get("message") or rule.raw.get("description")
    return f"{summary}: {detail}" if summary else detail


def _add_drift(error: Any, pointer: str, findings: _Findings, docs: str | None) -> None:
    unexpected = getattr(error.kind, "unexpected", None)
    if unexpected:  # only those within --max-findings are made; the rest are counted
        for name in findings.budget.admit_many("warning", UNDOCUMENTED, pointer, unexpected):
            findings.add(Severity.WARNING, UNDOCUMENTED, f"{pointer}/{_escape(name)}",
                         f"undocumented property {name!r}: the contract does not declare it",
                         docs)
        return
    options = getattr(error.kind, "options", None)
    documented = f" (documented: {', '.join(map(str, options))})" if options else ""
    findings.add(Severity.WARNING, UNDOCUMENTED, pointer,
                 f"undocumented value {error.instance!r}{documented}", docs)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict | list) else json_type(value)
    return text if len(text) <= 80 else text[:77] + "..."


_LIMITS = {
    "MaxItems": ("at most {} item(s)", len),
    "MinItems": ("at least {} item(s)", len),
    "MaxLength": ("at most {} character(s)", len),
    "MinLength": ("at least {} character(s)", len),
    "MaxProperties": ("at most {} propert(ies)", len),
    "MinProperties": ("at least {} propert(ies)", len),
    "Maximum": ("a number <= {}", None),
    "Minimum": ("a number >= {}", None),
    "ExclusiveMaximum": ("a number < {}", None),
    "ExclusiveMinimum": ("a number > {}", None),
}


def describe(error: Any) -> str:
    """A validation error as 'expected ..., found ...'."""
    kind = type(error.kind).__name__
    found = error.instance
    detail = error.kind.as_dict() if hasattr(error.kind, "as_dict") else {}
    if kind == "Required":
        return f"missing required property {detail.get('property', '')!r}"
    if kind == "Type":
        types = detail.get("types") or []
        wanted = " or ".join(sorted(map(str, types))) if isinstance(types, list) else str(types)
        scalar = found is not None and not isinstance(found, dict | list)
        return f"expected {wanted}, found {json_type(found)}" + (
            f" {_shown(found)}" if scalar else "")
    if kind == "Constant":
        return f"expected {detail.get('expected_value')!r}, found {_shown(found)}"
    if kind == "Enum":
        return f"expected one of {detail.get('options')}, found {_shown(found)}"
    if kind == "Pattern":
        return f"expected a string matching {detail.get('pattern')}, found {_shown(found)}"
    if kind in _LIMITS:
        template, measure = _LIMITS[kind]
        shown = f"{measure(found)}" if measure and isinstance(found, list | str | dict) \
            else _shown(found)
        return f"expected {template.format(detail.get('limit'))}, found {shown}"
    if kind == "FalseSchema":
        return f"expected nothing here, found {_shown(found)}"
    message = " ".join(str(error.message).split())  # one line, even for odd instances
    return message if len(message) <= 300 else message[:297] + "..."


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


def check_exchanges(checker: Checker, exchanges: list[Exchange],
                    endpoint: str | None = None) -> list[ExchangeResult]:
    return [checker.check(e, endpoint) for e in exchanges]
