"""Contract files: discovery, loading, meta-schema validation and the in-memory model."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from validator.errors import ContractError, SourceError, UsageError
from validator.load.routes import IndexedContract, Route, RouteIndex, folder_index, routes_of
from validator.load.schemas import SchemaStore, schema_root_for
from validator.model.contract import (
    Auth,
    Contract,
    Endpoint,
    HeaderSpec,
    LiveTexts,
    MediaSpec,
    Parameter,
    ResponseSpec,
    Rule,
    SensitiveEntry,
    StateSpec,
)
from validator.model.pointer import escape_token, make_pointer, pointer_tokens

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the validator package
CONTRACT_SUFFIXES = (".yaml", ".yml")


def bundled_root() -> Path:
    """Folder holding the bundled contracts/ and schemas/ (inside the wheel, or the checkout)."""
    inside = PACKAGE_DIR / "_bundled"
    return inside if (inside / "contracts").is_dir() else PACKAGE_DIR.parent


META_SCHEMA_FILE = Path(__file__).with_name("contract.schema.json")


@cache
def _meta_validator() -> Any:
    import jsonschema_rs

    meta = json.loads(META_SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(meta, validate_formats=True)


def load_contract(path: Path) -> Contract:
    """Read, validate and model one contract file; any problem raises ContractError."""
    from validator.load import cache

    raw, validated = cache.lookup(path)
    fresh = raw is None
    if fresh:
        raw = _parse(path)
    if not isinstance(raw, dict):
        raise ContractError(str(path), "a contract file must be a YAML mapping")
    stamp = _meta_stamp()
    if fresh or validated != stamp:  # a cache hit already passed this very meta-schema
        _validate_meta(path, raw)
    store = SchemaStore(schema_root_for(path, raw.get("schemas")))
    contract = Contract(raw["contract"], path, raw, store, formats=raw.get("formats", "annotate"),
                        **_contract_fields(path, raw))
    for name, spec in raw["endpoints"].items():
        contract.endpoints[name] = _endpoint(contract, name, spec)
    store.check_compiles(contract.schema_roots)
    _check_routes(contract)
    _links_and_lifecycles(contract)
    if fresh or validated != stamp:
        cache.put(path, raw, validated=stamp)
    return contract


@cache
def _meta_stamp() -> str:
    """Names the contract meta-schema's version: a cached contract validated against an
    older one is validated again."""
    stat = META_SCHEMA_FILE.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _links_and_lifecycles(contract: Contract) -> None:
    """Links and lifecycles (validator/load/links.py), refused when they point at nothing."""
    if "lifecycles" not in contract.raw and not any(
            "links" in spec for spec in contract.raw["endpoints"].values()):
        return
    from validator.load import links

    for name, spec in contract.raw["endpoints"].items():
        contract.endpoints[name].links = links.parse_links(contract, name, spec.get("links"))
    contract.lifecycles = links.parse_lifecycles(contract)
    links.check_contract(contract)


def _parse(path: Path) -> Any:
    """The contract file's YAML as plain JSON data (mapping keys become strings)."""
    from validator.formats import yaml as yamltext

    try:
        raw, _ = yamltext.load(_read(path), version="1.2")  # as OpenAPI: `off` is text
    except OSError as exc:
        raise ContractError(str(path), f"cannot read contract: {exc.strerror or exc}") from None
    except SourceError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise ContractError(str(path), f"{exc.message}{where}") from None
    try:
        return json.loads(json.dumps(raw))
    except (TypeError, ValueError) as exc:
        raise ContractError(str(path), f"a contract must hold JSON-compatible data: {exc}"
                            ) from None


def _read(path: Path) -> bytes:
    """The file's bytes, refusing devices, pipes without data and oversized files."""
    from validator.sources.files import NotAFile, TooLarge, read_limited

    try:
        return read_limited(path)
    except (NotAFile, TooLarge):
        raise ContractError(str(path), "cannot read contract: not a regular file of a sane "
                            "size") from None


def _yaml_nodes(path: Path) -> Any:
    from validator.formats import yaml as yamltext

    try:
        return yamltext.load(_read(path), version="1.2")[1]
    except (OSError, SourceError, ContractError):
        return None


def pointer_line(path: Path, tokens: list[str]) -> int | None:
    """The line of the node `tokens` reach in a contract file, if found."""
    from validator.formats import yaml as yamltext

    found = yamltext.locate(_yaml_nodes(path), tokens)
    return yamltext.position(found)[0] if found is not None else None


def _validate_meta(path: Path, raw: dict[str, Any]) -> None:
    errors = sorted(_meta_validator().iter_errors(raw),
                    key=lambda e: list(map(str, e.instance_path)))
    if not errors:
        return
    first = errors[0]
    pointer = make_pointer(first.instance_path)
    line_number = pointer_line(path, [str(t) for t in first.instance_path])
    line = f" (line {line_number})" if line_number else ""
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    raise ContractError(str(path), f"{first.message}{line}{more}", pointer)


def _parameters(specs: dict[str, Any] | None) -> dict[str, Parameter]:
    params = {}
    for name, spec in (specs or {}).items():
        enum = spec.get("enum")
        params[name] = Parameter(name, bool(spec.get("required", False)), spec.get("pattern"),
                                 tuple(enum) if enum else None, spec.get("example"),
                                 spec.get("description"), spec.get("docs"))
    return params


def _endpoint(contract: Contract, name: str, spec: dict[str, Any]) -> Endpoint:
    where = f"/endpoints/{name}"
    responses = [_response(contract, f"{where}/responses/{status}", str(status), rspec)
                 for status, rspec in spec["responses"].items()]
    rules = [_rule(contract, where, i, r) for i, r in enumerate(spec.get("rules") or [])]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ContractError(str(contract.path), f"rule id {rule.id!r} used twice",
                                f"{where}/rules")
        seen.add(rule.id)
    examples = [(contract.path.parent / e) for e in spec.get("examples") or []]
    for i, example in enumerate(examples):
        if not example.is_file():
            raise ContractError(str(contract.path), f"example {spec['examples'][i]!r} "
                                "does not exist", f"{where}/examples/{i}")
    params = _parameters(spec.get("params"))
    _check_patterns(contract, where, spec)
    for param in re.findall(r"\{([^}]*)\}", spec["path"]):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", param):
            raise ContractError(str(contract.path), f"bad path parameter {{{param}}}",
                                f"{where}/path")
    return Endpoint(contract, name, spec["method"], spec["path"], responses,
                    params, _parameters(spec.get("query")), rules, examples,
                    spec.get("docs") or contract.docs, bool(spec.get("writes", False)),
                    spec.get("summary", ""), bool(spec.get("deprecated", False)),
                    spec.get("sunset"), spec.get("stability", "stable"), _annotations(spec))


def _annotations(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items()
            if k in ("title", "description", "summary", "docs") or k.startswith("x-")}


def _response(contract: Contract, where: str, status: str, rspec: dict[str, Any]
              ) -> ResponseSpec:
    """One response: `content:` (several media types) or the one-entry shorthand."""
    media = []
    if "content" in rspec:
        for media_type, entry in rspec["content"].items():
            schema = entry.get("schema")
            media.append(MediaSpec(media_type, schema,
                                   entry.get("body", "json" if schema else "any")))
            if schema:
                _register_schema(contract, f"{where}/content/{escape_token(media_type)}"
                                 "/schema", schema)
    else:
        schema = rspec.get("schema")
        body = rspec.get("body", "json" if schema else "any")
        content_type = rspec.get("content_type", "application/json" if schema else None)
        if schema:
            _register_schema(contract, f"{where}/schema", schema)
        if content_type or body != "empty":
            media.append(MediaSpec(content_type or "", schema, body))  # "": not named
    headers = tuple(HeaderSpec(name, bool(h.get("required", False)), h.get("schema"),
                               h.get("docs"), h.get("description"))
                    for name, h in (rspec.get("headers") or {}).items())
    for header in headers:
        if header.schema is not None:
            _check_rule_schema(contract, f"{where}/headers/{escape_token(header.name)}/schema",
                               header.schema)
    first = next((m for m in media if m.schema), media[0] if media else None)
    if "content" in rspec:
        body = first.body if first else "empty"
        content_type = first.media_type if first else None
    else:
        content_type = rspec.get("content_type",
                                 "application/json" if rspec.get("schema") else None)
        body = rspec.get("body", "json" if rspec.get("schema") else "any")
    return ResponseSpec(status, content_type, first.schema if first else None, body,
                        rspec.get("docs"), tuple(media), headers, _annotations(rspec))


def _register_schema(contract: Contract, pointer: str, schema: str) -> None:
    referrer = f"{contract.path}#{pointer}"
    contract.schema_roots.append((contract.store.load(schema, referrer), referrer))


def _check_patterns(contract: Contract, where: str, spec: dict[str, Any]) -> None:
    """Parameter patterns run on Python's `re`: one it cannot compile is a contract error."""
    for part in ("params", "query"):
        for name, param in (spec.get(part) or {}).items():
            pattern = param.get("pattern")
            if not isinstance(pattern, str):
                continue
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ContractError(str(contract.path), f"invalid regex {pattern!r} for "
                                    f"{part} {name!r}: {exc}",
                                    f"{where}/{part}/{escape_token(name)}/pattern") from None


def _rule(contract: Contract, where: str, index: int, raw: dict[str, Any]) -> Rule:
    at = tuple(pointer_tokens(raw.get("at", "")))
    statuses = tuple(raw["status"]) if "status" in raw else None
    for key in ("if", "then", "assert"):
        if key in raw:
            _check_rule_schema(contract, f"{where}/rules/{index}/{key}", raw[key])
    return Rule(raw["id"], raw, raw.get("docs") or contract.docs, raw.get("severity", "error"),
                at, statuses, raw.get("when") or {},
                **_rule_fields(raw))


# ---------------------------------------------------------------- typed contract settings

def _contract_fields(path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    """The typed model's contract-level fields (the meta-schema has checked their shapes)."""
    auth = raw.get("auth") or {}
    live = raw.get("live") or {}
    docs = raw.get("docs")
    return {
        "docs": docs if isinstance(docs, str) else None,
        "servers": {str(k): str(v) for k, v in (raw.get("servers") or {}).items()},
        "defaults": {str(k): str(v) for k, v in (raw.get("defaults") or {}).items()},
        "auth": Auth(auth.get("header", "Authorization"), auth.get("scheme"),
                     auth.get("token_env"), declared="auth" in raw),
        "sensitive": tuple(_sensitive(path, i, entry)
                           for i, entry in enumerate(raw.get("sensitive") or [])),
        "live": LiveTexts(live.get("item_name", "item"), live.get("writes_warning"),
                          live.get("error_code")),
    }


def _sensitive(path: Path, index: int, entry: Any) -> SensitiveEntry:
    """One `sensitive` entry; a pattern Python's `re` cannot compile is a contract error
    (recording applies it with `re`, so it must fail here, not halfway through a run)."""
    if isinstance(entry, str):
        return SensitiveEntry(field=entry)
    if "field" in entry:
        return SensitiveEntry(field=entry["field"], replace=entry.get("replace"))
    pattern = entry["pattern"]
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ContractError(str(path), f"invalid regex {pattern!r} in sensitive: {exc}",
                            f"/sensitive/{index}/pattern") from None
    return SensitiveEntry(pattern=pattern, replace=entry.get("replace"))


def _rule_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The typed model's kind-specific rule fields."""
    state = raw.get("state")
    return {
        "state": None if state is None else StateSpec(
            state["key"], state.get("field"),
            tuple(state["final"]) if "final" in state else None,
            bool(state.get("frozen", False)), bool(state.get("persist", False))),
        "equals": raw.get("equals"),
        "unique": bool(raw.get("unique", False)),
        "condition": raw.get("if"),
        "then": raw.get("then"),
        "assertion": raw.get("assert"),
        "message": raw.get("message"),
        "description": raw.get("description"),
    }


def _check_rule_schema(contract: Contract, pointer: str, schema: Any) -> None:
    import jsonschema_rs

    try:
        jsonschema_rs.validator_for(schema, registry=contract.store.registry())
    except (jsonschema_rs.ValidationError, ValueError) as exc:
        message = str(exc).splitlines()[0]
        raise ContractError(str(contract.path), f"invalid schema in rule: {message}",
                            pointer) from None


def _check_routes(contract: Contract) -> None:
    seen: dict[tuple[str, str], str] = {}
    for endpoint in contract.endpoints.values():
        key = (endpoint.method, re.sub(r"\{[^}]*\}", "{}", endpoint.path.rstrip("/")))
        if key in seen:
            raise ContractError(str(contract.path), f"endpoints {seen[key]!r} and "
                                f"{endpoint.name!r} have the same route {endpoint.method} "
                                f"{endpoint.path}", f"/endpoints/{endpoint.name}/path")
        seen[key] = endpoint.name


def contract_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Contract YAML files in the given files and folders (examples/ folders excluded)."""
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                rel = candidate.relative_to(path)
                if candidate.suffix in CONTRACT_SUFFIXES and "examples" not in rel.parts \
                        and candidate.is_file():
                    yield candidate
        elif path.exists():
            yield path
        else:
            raise UsageError(f"{path}: no such contract file or folder")


class ContractSet:
    """Loaded contracts, plus bundled ones known by their routes until a request needs them.

    Matching uses one route index (validator/load/routes.py): explicit contracts win over
    bundled ones of the same route, a literal segment beats a parameter."""

    def __init__(self, contracts: Iterable[Contract] = (),
                 indexed: Iterable[IndexedContract] = ()) -> None:
        self._loaded: dict[str, Contract] = {}
        for contract in contracts:
            self._loaded[contract.name] = contract
        self._indexed = {c.name: c for c in indexed if c.name not in self._loaded}
        self._order = [*self._indexed, *(n for n in self._loaded if n not in self._indexed)]
        self._routes: RouteIndex | None = None
        # (method, path) -> the matched route's names and parameters: recordings repeat URLs
        self._matched: dict[tuple[str, str], tuple[str, str, dict[str, str]] | None] = {}

    @classmethod
    def load(cls, paths: Iterable[Path], bundled: bool = True) -> ContractSet:
        explicit: dict[str, Path] = {}
        loaded: list[Contract] = []
        for file in contract_files(paths):
            contract = load_contract(file)
            if contract.name in explicit and explicit[contract.name] != file.resolve():
                raise ContractError(str(file), f"contract {contract.name!r} is also defined in "
                                    f"{explicit[contract.name]}")
            explicit[contract.name] = file.resolve()
            loaded.append(contract)
        indexed = []
        if bundled:
            folder = bundled_root() / "contracts"
            if folder.is_dir():
                indexed = [c for c in folder_index(folder, _parse_for_index)
                           if c.name not in explicit]
        return cls(loaded, indexed)

    @property
    def contracts(self) -> list[Contract]:
        """Every contract, loading the bundled ones not loaded yet (in load order)."""
        return [self.contract(name) for name in self._order]

    def contract(self, name: str) -> Contract:
        if name not in self._loaded:
            self._loaded[name] = load_contract(self._indexed[name].path)
        return self._loaded[name]

    def names(self) -> list[str]:
        return list(self._order)

    def endpoints(self) -> Iterator[Endpoint]:
        """Every endpoint of every contract."""
        for contract in self.contracts:
            yield from contract.endpoints.values()

    def _endpoint_names(self) -> Iterator[tuple[str, str]]:
        for name in self._order:
            if name in self._loaded:
                yield from ((name, e) for e in self._loaded[name].endpoints)
            else:
                yield from ((name, r.endpoint) for r in self._indexed[name].routes)

    def find(self, name: str) -> Endpoint | None:
        """`endpoint(name)`, or None where that would be a usage error."""
        try:
            return self.endpoint(name)
        except UsageError:
            return None

    def endpoint(self, name: str) -> Endpoint:
        """Find `CONTRACT:ENDPOINT` (or a bare endpoint name when it is unique)."""
        contract_name, _, endpoint_name = name.rpartition(":")
        found = [(c, e) for c, e in self._endpoint_names()
                 if (c, e) == (contract_name, endpoint_name) or (not contract_name and e == name)]
        if len(found) == 1:
            return self.contract(found[0][0]).endpoints[found[0][1]]
        if not found:
            raise UsageError(f"unknown endpoint {name!r}{self._suggestions(name)}")
        raise UsageError(f"endpoint {name!r} is ambiguous: "
                         f"{', '.join(f'{c}:{e}' for c, e in found)}")

    def _suggestions(self, name: str) -> str:
        return suggestions(name, [f"{c}:{e}" for c, e in self._endpoint_names()], ":")

    def _route_index(self) -> RouteIndex:
        if self._routes is None:
            routes: list[Route] = []
            for name, contract in self._loaded.items():  # explicit (and loaded) ones first
                routes += routes_of(name, contract.raw)
            for name in self._order:
                if name not in self._loaded:
                    routes += self._indexed[name].routes
            self._routes = RouteIndex(routes)
        return self._routes

    def match(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
        """The endpoint whose method and path template fit a request (literal beats param)."""
        key = (method, path)
        if key in self._matched:
            known = self._matched[key]
        else:
            found = self._route_index().match(method, path)
            known = None if found is None else (found[0].contract, found[0].endpoint, found[1])
            if len(self._matched) >= _MATCH_CACHE_SIZE:
                self._matched.clear()
            self._matched[key] = known
        if known is None:
            return None
        contract, endpoint, params = known
        return self.contract(contract).endpoints[endpoint], dict(params)


_MATCH_CACHE_SIZE = 4096


def _parse_for_index(path: Path) -> Any:
    """A contract file's data for the route index (from the parse-cache when fresh)."""
    from validator.load import cache

    raw = cache.get(path)
    if raw is None:
        try:
            raw = _parse(path)
        except ContractError:
            return None
        cache.put(path, raw)
    return raw


def suggestions(name: str, names: list[str], separator: str, limit: int = 5) -> str:
    """A short hint for an unknown name: its closest names (or its siblings under the same
    `separator`-prefix), never the whole list of a 409-endpoint bundle."""
    if not names:
        return " (no contracts are loaded)"
    close = difflib.get_close_matches(name, names, n=limit, cutoff=0.85)
    prefix = name.rpartition(separator)[0]
    siblings = [n for n in names if n.startswith(prefix + separator)] if prefix else []
    if not close and len(siblings) <= limit:  # a few siblings are worth naming, many are not
        close = siblings
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"{hint} (`respcontract list` shows all {len(names)})"
