"""Servers and parameters: base URLs, path prefixes, `params`/`query` with patterns and enums."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from validator.openapi.specs import ImportProblem, SpecSet

_TYPE_PATTERNS = {"integer": "^-?[0-9]+$",
                  "number": "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"}
_CANDIDATES = ("1", "example", "a", "A", "x1", "2024-01-01", "true", "v1")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def safe_param(name: str) -> str:
    """A path parameter name as the contract syntax allows it (other characters become _)."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return cleaned if _NAME.fullmatch(cleaned) else f"p_{cleaned}"


def _split_origin(url: str) -> tuple[str, str]:
    """`{scheme}://{dc}.example.com/v1` -> (`{scheme}://{dc}.example.com`, `/v1`).

    Split by hand: urlsplit takes a `{scheme}` variable for no scheme at all. A relative
    server URL (`/v1`) has no origin."""
    if "://" not in url:
        return "", url
    slash = url.find("/", url.index("://") + 3)
    return (url, "") if slash < 0 else (url[:slash], url[slash:])


def servers(raw: list[Any]) -> tuple[dict[str, str], str, dict[str, Any], dict[str, str]]:
    """(named base URLs, path prefix, prefix params, defaults) from the spec's `servers`.

    Host variables expand into one server per value combination, named by the values
    (`dc: [com, eu]` gives `com` and `eu`); variables in the URL's path become path
    parameters whose allowed values are the variable's enum, or else just its default, so
    a `/crm/{version}` server with default v8 claims v8 requests only (versions explicit).
    """
    named: dict[str, str] = {}
    prefix = ""
    params: dict[str, Any] = {}
    defaults: dict[str, str] = {}
    for index, server in enumerate(s for s in raw if isinstance(s, dict)):
        # a path is appended to a server URL, so a query or fragment in it cannot survive
        # (and a credential in one would be copied into every example): drop them
        url = re.split(r"[?#]", str(server.get("url", "")), maxsplit=1)[0]
        variables = server.get("variables") or {}
        origin, path = _split_origin(url)
        if index == 0:
            prefix = path.rstrip("/")
        host_vars = [v for v in re.findall(r"\{([^}]+)\}", origin) if v in variables]
        choices: list[list[str]] = [
            [str(x) for x in variables[v].get("enum") or [variables[v].get("default")]]
            for v in host_vars]
        for combo in itertools.product(*choices):
            base = origin
            for variable, value in zip(host_vars, combo, strict=True):
                base = base.replace(f"{{{variable}}}", value)
            if not base.startswith(("http://", "https://")) or "{" in base:
                continue
            name = "-".join(combo) if combo else ("default" if not named else f"server{index}")
            named.setdefault(name, base)
        if index == 0:
            for variable in re.findall(r"\{([^}]+)\}", prefix):
                spec = variables.get(variable) or {}
                values = [str(v) for v in spec.get("enum") or [] if v is not None]
                if len(values) <= 1 and spec.get("default") is not None:
                    # one value: a literal segment, so the route is as specific as it is
                    prefix = prefix.replace(f"{{{variable}}}", values[0] if values else
                                            str(spec["default"]))
                    continue
                safe = safe_param(variable)
                prefix = prefix.replace(f"{{{variable}}}", f"{{{safe}}}")
                params[safe] = {"enum": values} if values else {}
                if spec.get("description"):
                    params[safe]["description"] = str(spec["description"])
                if spec.get("default") is not None:
                    defaults[safe] = str(spec["default"])
                    params[safe]["example"] = str(spec["default"])
    return named, prefix, params, defaults


def operation_parameters(specs: SpecSet, item_file: Path, base: Path,
                         path_item: dict[str, Any], operation: dict[str, Any]
                         ) -> list[dict[str, Any]]:
    """The operation's parameters (path-level ones first, overridden by name and place)."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    listed = [(raw, item_file) for raw in path_item.get("parameters") or []]
    listed += [(raw, base) for raw in operation.get("parameters") or []]
    for raw, base in listed:
        try:
            param, file = specs.deref(raw, base)
        except ImportProblem as problem:
            specs.skip(problem)
            continue
        if isinstance(param, dict) and "name" in param and "in" in param:
            schema, _ = specs.deref(param.get("schema") or {}, file)
            chosen[(str(param["in"]), str(param["name"]))] = {**param, "schema": schema}
    return list(chosen.values())


def contract_parameter(param: dict[str, Any], is_path: bool) -> dict[str, Any]:
    """A contract `params`/`query` entry for one OpenAPI parameter."""
    schema: dict[str, Any] = param["schema"] if isinstance(param.get("schema"), dict) else {}
    out: dict[str, Any] = {}
    if not is_path:
        out["required"] = bool(param.get("required", False))
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    pattern = schema.get("pattern") if isinstance(schema.get("pattern"), str) else None
    if pattern is not None and not _compiles(pattern):
        pattern = None
    pattern = pattern or _TYPE_PATTERNS.get(str(kind))
    if pattern:
        out["pattern"] = pattern
    enum = schema.get("enum")
    if kind == "boolean" and not enum:
        enum = [True, False]
    if isinstance(enum, list) and enum and all(v is not None for v in enum):
        out["enum"] = [_text(v) for v in enum]
    if isinstance(param.get("description"), str) and param["description"].strip():
        out["description"] = param["description"].strip()
    example = example_value(param, out)
    if example is not None:
        out["example"] = example
    return out


def example_value(param: dict[str, Any], spec: dict[str, Any]) -> str | None:
    """A value for the parameter that its pattern and enum accept, or None."""
    schema: dict[str, Any] = param["schema"] if isinstance(param.get("schema"), dict) else {}
    offered = [param.get("example"), schema.get("example"), schema.get("default"),
               *(schema.get("examples") or [] if isinstance(schema.get("examples"), list)
                 else [])]
    candidates = [_text(v) for v in offered if v is not None and not isinstance(v, dict | list)]
    candidates += list(spec.get("enum") or []) + list(_CANDIDATES)
    for value in candidates:
        if spec.get("enum") and value not in spec["enum"]:
            continue
        if spec.get("pattern") and not re.search(spec["pattern"], value):
            continue
        return value
    return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
