"""Links and lifecycles: parsing them from a contract file, and checking where they point.

A link says that a value one endpoint returns becomes a parameter of another
(`$response.body#/portal_invite/*/details/job_id` -> `query.job_id` of the status
endpoint). A lifecycle says that the values a link hands out key resources which move
through `states`, reported at `at` in the link target's answers. Loading refuses a link
to an endpoint of the same contract that does not exist, a parameter the target does not
declare, or a pointer that no response schema of the source can reach; `lint` checks
links to other contracts (`CONTRACT:ENDPOINT`) once every contract is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin

from validator.errors import ContractError
from validator.model.contract import Contract, Endpoint, Lifecycle, Link, LinkParameter
from validator.model.pointer import pointer_tokens

BODY_PREFIX = "$response.body#"
# keywords whose subschemas describe the same value as their parent
_SAME_VALUE = ("allOf", "anyOf", "oneOf")
_SAME_VALUE_SINGLE = ("then", "else")


def parse_links(contract: Contract, endpoint: str, raw: list[dict[str, Any]] | None
                ) -> list[Link]:
    """The `links` of one endpoint as typed model objects (no reference checks yet)."""
    links: list[Link] = []
    seen: set[str] = set()
    for index, spec in enumerate(raw or []):
        where = f"/endpoints/{endpoint}/links/{index}"
        if spec["id"] in seen:
            raise ContractError(str(contract.path), f"link id {spec['id']!r} used twice",
                                where)
        seen.add(spec["id"])
        parameters = []
        for target, expression in spec["parameters"].items():
            part, name = target.split(".", 1)
            parameters.append(LinkParameter(part, name,
                                            tuple(pointer_tokens(expression[len(BODY_PREFIX):]))))
        statuses = tuple(spec["status"]) if "status" in spec else None
        links.append(Link(spec["id"], endpoint, spec["to"], tuple(parameters), statuses,
                          spec.get("docs") or contract.docs))
    return links


def parse_lifecycles(contract: Contract) -> dict[str, Lifecycle]:
    """The contract's `lifecycles` section as typed Lifecycle objects."""
    found: dict[str, Lifecycle] = {}
    for name, spec in (contract.raw.get("lifecycles") or {}).items():
        source, link = spec["created_by"].split(".", 1)
        states = tuple(spec["states"])
        unknown = spec.get("unknown")
        found[name] = Lifecycle(
            name, source, link, tuple(pointer_tokens(spec["at"])), spec["key"], spec["field"],
            states, tuple(spec.get("final") or states[-1:]), bool(spec.get("frozen", True)),
            int(unknown) if unknown is not None else None, bool(spec.get("list_all", True)),
            spec.get("docs") or contract.docs)
    return found


def check_contract(contract: Contract) -> None:
    """Refuse links and lifecycles that point at nothing inside this contract."""
    for problem, pointer in problems(contract, lambda name: _local(contract, name)):
        raise ContractError(str(contract.path), problem, pointer)


def cross_contract_problems(contract: Contract, find: Any) -> Iterator[tuple[str, str]]:
    """(message, pointer) for links whose CONTRACT:ENDPOINT target `find` cannot resolve."""
    for endpoint in contract.endpoints.values():
        for index, link in enumerate(endpoint.links):
            if ":" in link.target and find(link.target) is None:
                yield (f"link {link.id!r} of {endpoint.name}: no endpoint {link.target!r} in "
                       "the loaded contracts", f"/endpoints/{endpoint.name}/links/{index}/to")


def target_of(link: Link, contract: Contract, find: Any = None) -> Endpoint | None:
    """The endpoint a link fills parameters of (None when it is not loaded)."""
    if ":" not in link.target:
        return contract.endpoints.get(link.target)
    return find(link.target) if find is not None else None


def _local(contract: Contract, name: str) -> Endpoint | bool | None:
    if ":" in name:
        return True  # another contract: lint checks it with every contract loaded
    return contract.endpoints.get(name)


def problems(contract: Contract, find: Any) -> Iterator[tuple[str, str]]:
    """(pointer, message) for every link or lifecycle that points at nothing."""
    for endpoint in contract.endpoints.values():
        for index, link in enumerate(endpoint.links):
            yield from _link_problems(contract, endpoint, index, link, find)
    for name, lifecycle in contract.lifecycles.items():
        yield from _lifecycle_problems(contract, name, lifecycle)


def _link_problems(contract: Contract, endpoint: Endpoint, index: int, link: Link, find: Any
                   ) -> Iterator[tuple[str, str]]:
    where = f"/endpoints/{endpoint.name}/links/{index}"
    target = find(link.target)
    if target is None:
        yield f"link {link.id!r}: no endpoint {link.target!r} in {contract.name}", f"{where}/to"
        return
    for parameter in link.parameters:
        if isinstance(target, Endpoint) and not _declares(target, parameter):
            yield (f"link {link.id!r}: {target.name} has no {parameter.part} parameter "
                   f"{parameter.name!r}", f"{where}/parameters")
        shown = "".join("/" + t for t in parameter.pointer)
        if not any(reaches(contract, spec.schema, parameter.pointer)
                   for spec in endpoint.responses
                   if spec.schema and _status_overlaps(link, spec.status)):
            yield (f"link {link.id!r}: pointer {shown or '(whole body)'} reaches nothing in the "
                   f"response schemas of {endpoint.name}", f"{where}/parameters")


def _lifecycle_problems(contract: Contract, name: str, lifecycle: Lifecycle
                        ) -> Iterator[tuple[str, str]]:
    where = f"/lifecycles/{name}"
    source = contract.endpoints.get(lifecycle.source)
    link = next((k for k in source.links if k.id == lifecycle.link), None) if source else None
    if link is None:
        yield (f"lifecycle {name!r}: created_by names no link {lifecycle.link!r} of an "
               f"endpoint {lifecycle.source!r}", f"{where}/created_by")
        return
    unknown = [s for s in lifecycle.final if s not in lifecycle.states]
    if unknown:
        yield f"lifecycle {name!r}: final states {unknown} are not in states", f"{where}/final"
    if not lifecycle.at or lifecycle.at[-1] != "*" or "*" in lifecycle.at[:-1]:
        yield (f"lifecycle {name!r}: at must select the items of one array (end in /*, with "
               "no other *)", f"{where}/at")
        return
    target = target_of(link, contract)
    if target is None:
        return  # another contract's endpoint: its responses are not known here
    schemas = [s.schema for s in target.responses if s.schema and s.status.startswith("2")]
    for member in (lifecycle.key, lifecycle.field):
        if not any(reaches(contract, schema, (*lifecycle.at, member)) for schema in schemas):
            yield (f"lifecycle {name!r}: {member!r} at {'/'.join(('', *lifecycle.at))} "
                   f"reaches nothing in the 2XX schemas of {target.name}", f"{where}/at")
    if lifecycle.unknown is not None and target.response_for(lifecycle.unknown) is None:
        yield (f"lifecycle {name!r}: {target.name} documents no status {lifecycle.unknown}",
               f"{where}/unknown")


def _declares(target: Endpoint, parameter: LinkParameter) -> bool:
    if parameter.part == "query":
        return parameter.name in target.query
    return parameter.name in re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", target.path)


def _status_overlaps(link: Link, status: str) -> bool:
    if link.statuses is None:
        return status.startswith("2") or status == "default"
    return any(_overlap(s, status) for s in link.statuses)


def _overlap(a: str, b: str) -> bool:
    if a == b or "default" in (a, b):
        return True
    return a[0] == b[0] and (a.endswith("XX") or b.endswith("XX"))


def reaches(contract: Contract, schema_ref: str, tokens: tuple[str, ...]) -> bool:
    """Whether a body pointer (with * tokens) can reach a node the schema describes."""
    store = contract.store
    uri = store.uri_for(schema_ref)
    doc, fragment = urldefrag(uri)
    return _reaches(store, doc, store.node_at(doc, fragment), list(tokens), 0)


def _reaches(store: Any, doc: str, node: Any, tokens: list[str], depth: int) -> bool:
    if depth > 64 or node is None:
        return False
    if node is True or not isinstance(node, dict):
        return node is True
    for candidate_doc, candidate in _same_value(store, doc, node, depth):
        if not tokens:
            return True
        token, rest = tokens[0], tokens[1:]
        for child in _children(candidate, token):
            if _reaches(store, candidate_doc, child, rest, depth + 1):
                return True
    return False


def _same_value(store: Any, doc: str, node: dict[str, Any], depth: int
                ) -> Iterator[tuple[str, dict[str, Any]]]:
    """The node and every subschema that describes the same value ($ref, allOf, ...)."""
    stack = [(doc, node, 0)]
    while stack:
        current_doc, current, hops = stack.pop()
        if not isinstance(current, dict) or hops > 32:
            continue
        yield current_doc, current
        ref = current.get("$ref")
        if isinstance(ref, str):
            target_doc, fragment = urldefrag(urljoin(current_doc, ref))
            stack.append((target_doc, store.node_at(target_doc, fragment), hops + 1))
        for keyword in _SAME_VALUE:
            stack.extend((current_doc, sub, hops + 1) for sub in current.get(keyword) or [])
        for keyword in _SAME_VALUE_SINGLE:
            if keyword in current:
                stack.append((current_doc, current[keyword], hops + 1))


def _children(node: dict[str, Any], token: str) -> list[Any]:
    found: list[Any] = []
    properties = node.get("properties") or {}
    if token == "*" or token.isdigit():
        if "items" in node:
            found.append(node["items"])
        found += list(node.get("prefixItems") or [])
    if token == "*":
        found += list(properties.values())
    elif token in properties:
        found.append(properties[token])
    if isinstance(node.get("additionalProperties"), dict):
        found.append(node["additionalProperties"])
    return found


__all__ = ["BODY_PREFIX", "check_contract", "cross_contract_problems", "parse_lifecycles",
           "parse_links", "reaches", "target_of"]
