"""One import: OpenAPI specs (after overlays) to a contract, its schema files and examples."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.openapi import naming, params
from validator.openapi.examples import ExampleJudge
from validator.openapi.policy import EXPORT_MARK, Policy
from validator.openapi.responses import ResponseBuilder
from validator.openapi.specs import ImportProblem, SpecSet
from validator.openapi.translate import Translator

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
WRITING = {"POST", "PUT", "PATCH", "DELETE"}
RULES_MARK = "x-respcontract-rules"
CHOICES_MARK = "x-respcontract-choices"


@dataclass
class Imported:
    """What an import produces, before anything is written."""

    name: str
    contract: dict[str, Any]
    schemas: dict[str, Any] = field(default_factory=dict)  # path under schemas/ -> document
    examples: dict[str, Any] = field(default_factory=dict)  # path beside the contract -> file
    contradictions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_specs(specs: SpecSet, name: str, policy: Policy) -> Imported:
    """Build the contract `name` from every operation of the primary specs."""
    first = specs.document(specs.primary[0])
    if isinstance(first.get(EXPORT_MARK), dict):
        policy = Policy(policy.enums, policy.closed_enums, faithful=True)
    translator = Translator(specs, policy)
    contract: dict[str, Any] = {"contract": name}
    info = first.get("info") or {}
    if isinstance(info.get("title"), str):
        contract["title"] = info["title"]
    if isinstance(info.get("description"), str) and info["description"].strip():
        contract["description"] = info["description"].strip()
    docs = _docs(first)
    if docs:
        contract["docs"] = docs
    servers, prefix, prefix_params, defaults = params.servers(first.get("servers") or [])
    if servers:
        contract["servers"] = servers
    if defaults:
        contract["defaults"] = defaults
    leaf = name.rsplit("/", 1)[-1]
    result = Imported(name, contract)
    judge = ExampleJudge()
    responses = ResponseBuilder(specs, translator, name, leaf, result, judge)
    choices: list[str] = []
    endpoints: dict[str, Any] = {}
    routes: set[tuple[str, str]] = set()
    for spec_path in specs.primary:
        document = specs.document(spec_path)
        translator.owner = spec_path
        choices += [str(c) for c in document.get(CHOICES_MARK) or []]
        operations = list(_operations(specs, spec_path, document))
        names = naming.unique_names([(m, p, op) for m, p, op, _, _ in operations])
        for endpoint_name, (method, path, op, item, files) in zip(names, operations,
                                                                  strict=True):
            route = (method, _route_key(prefix + path))
            segments = [s for s in (prefix + path).split("/") if s]
            if segments and all("{" in s for s in segments):
                result.notes.append(f"{spec_path.name}: {method} {path} skipped: a path of "
                                    "parameters only would claim every request of its length")
                continue
            if route in routes or endpoint_name in endpoints:
                result.notes.append(f"{spec_path.name}: {method} {path} skipped: its route or "
                                    f"name {endpoint_name!r} is already taken")
                continue
            routes.add(route)
            endpoints[endpoint_name] = _endpoint(specs, files, endpoint_name, method,
                                                 prefix, prefix_params, path, op, item,
                                                 responses, servers)
    if not endpoints:
        raise ImportProblem(f"{specs.primary[0]}: no operations to import")
    result.notes += [f"broken reference skipped: {line}" for line in specs.dangling]
    if choices or result.contradictions:
        contract["x-choices"] = choices + result.contradictions
    contract["x-openapi"] = {"source": [p.name for p in specs.primary],
                             "openapi": str(first.get("openapi")),
                             "version": str(info.get("version", ""))}
    contract["endpoints"] = endpoints
    _own_schema_root(result)
    return result


def _own_schema_root(result: Imported) -> None:
    """Make `schemas/<api>/` the contract's own schema root (refs relative to it), so an
    imported API's schema files never mix into a hand-written contract's root."""
    api = result.name.split("/", 1)[0]
    depth = result.name.count("/")
    result.contract = {**{k: v for k, v in result.contract.items() if k != "endpoints"},
                       "schemas": "/".join([*([".."] * (depth + 1)), "schemas", api]),
                       "endpoints": result.contract["endpoints"]}
    for endpoint in result.contract["endpoints"].values():
        for response in endpoint["responses"].values():
            for entry in [response, *(response.get("content") or {}).values()]:
                if isinstance(entry.get("schema"), str):
                    entry["schema"] = entry["schema"][len(api) + 1:]


def _operations(specs: SpecSet, base: Path, document: dict[str, Any]) -> Any:
    for path, raw_item in (document.get("paths") or {}).items():
        item, item_file = specs.deref(raw_item, base)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            try:  # an operation written as a $ref to a file is not OpenAPI, but seen
                op, op_file = specs.deref(item.get(method), item_file)
            except ImportProblem as problem:
                specs.skip(problem)
                continue
            if isinstance(op, dict):
                yield method.upper(), str(path), op, item, (item_file, op_file)


def _route_key(path: str) -> str:
    import re

    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/"))


def _docs(node: dict[str, Any]) -> str | None:
    docs = node.get("externalDocs")
    url = docs.get("url") if isinstance(docs, dict) else None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def _endpoint(specs: SpecSet, files: tuple[Path, Path], name: str, method: str, prefix: str,
              prefix_params: dict[str, Any], path: str, op: dict[str, Any],
              item: dict[str, Any], responses: ResponseBuilder,
              servers: dict[str, str]) -> dict[str, Any]:
    endpoint: dict[str, Any] = {}
    summary = op.get("summary") or op.get("operationId")
    if isinstance(summary, str) and summary.strip():
        endpoint["summary"] = " ".join(summary.split())
    docs = _docs(op)
    if docs:
        endpoint["docs"] = docs
    endpoint["method"] = method
    path_params: dict[str, Any] = dict(prefix_params)
    query: dict[str, Any] = {}
    full_path = prefix + path
    item_file, base = files
    for param in params.operation_parameters(specs, item_file, base, item, op):
        place, original = param["in"], str(param["name"])
        if place == "path":
            safe = params.safe_param(original)
            full_path = full_path.replace(f"{{{original}}}", f"{{{safe}}}")
            path_params[safe] = params.contract_parameter(param, True)
        elif place == "query":
            query[original] = params.contract_parameter(param, False)
    endpoint["path"] = full_path or "/"
    if method in WRITING:
        endpoint["writes"] = True
    if path_params:
        endpoint["params"] = path_params
    if query:
        endpoint["query"] = query
    url = responses.example_url(servers, full_path, path_params, query)
    endpoint["responses"], examples = responses.build(base, name, method, op, url)
    rules = op.get(RULES_MARK)
    if isinstance(rules, list) and rules:
        endpoint["rules"] = rules
    if examples:
        endpoint["examples"] = examples
    return endpoint
