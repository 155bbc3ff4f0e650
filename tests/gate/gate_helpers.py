"""Shared helpers for the CI gate tests: a small made-up contract set written to disk."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ORDER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "status", "items", "code"],
    "properties": {
        "id": {"$ref": "common.schema.json#/$defs/id", "description": "Order id."},
        "status": {"type": "string", "enum": ["open", "shipped"]},
        "code": {"type": "string", "x-documented": ["OK", "DELAYED"]},
        "note": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^<>]*$",
                 "description": "Free text from the buyer."},
        "placed": {"type": "string", "format": "date-time"},
        "total": {"type": "number", "minimum": 0, "maximum": 100000},
        "items": {"type": "array", "minItems": 1, "maxItems": 50, "uniqueItems": True,
                  "items": {"$ref": "#/$defs/item"}},
        "payment": {"oneOf": [{"$ref": "#/$defs/card"}, {"$ref": "#/$defs/transfer"}]},
        "tracking": {"type": "string"},
    },
    "if": {"required": ["status"], "properties": {"status": {"const": "shipped"}}},
    "then": {"required": ["tracking"]},
    "$defs": {
        "item": {"type": "object", "required": ["sku", "qty"], "additionalProperties": False,
                 "properties": {"sku": {"type": "string"},
                                "qty": {"type": "integer", "minimum": 1}}},
        "card": {"type": "object", "required": ["kind", "last4"],
                 "properties": {"kind": {"const": "card"},
                                "last4": {"type": "string", "pattern": "^[0-9]{4}$"}}},
        "transfer": {"type": "object", "required": ["kind", "iban"],
                     "properties": {"kind": {"const": "transfer"},
                                    "iban": {"type": "string"}}},
    },
}
COMMON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {"id": {"type": "string", "pattern": "^[0-9]{1,19}$"}},
}
ERROR_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string", "x-documented": ["NOT_FOUND"]},
                   "message": {"type": "string"}},
}
LIST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"count": {"type": "integer"}},
}
CONTRACT: dict[str, Any] = {
    "contract": "shop/orders",
    "title": "Orders",
    "docs": "https://example.com/docs/orders",
    "servers": {"live": "https://api.example.com"},
    "endpoints": {
        "get_order": {
            "method": "GET",
            "path": "/orders/{order_id}",
            "params": {"order_id": {"pattern": "^[0-9]+$"}},
            "query": {"expand": {"required": False, "enum": ["items", "payment"]}},
            "responses": {
                "200": {"content_type": "application/json",
                        "schema": "shop/order.schema.json"},
                "404": {"schema": "shop/error.schema.json"},
            },
            "rules": [
                {"id": "has-items", "description": "an order lists at least one item",
                 "at": "/items", "assert": {"minItems": 1}},
                {"id": "shipped-has-tracking", "status": ["200"],
                 "if": {"required": ["status"], "properties": {"status": {"const": "shipped"}}},
                 "then": {"required": ["tracking"]}},
            ],
        },
        "list_orders": {
            "method": "GET",
            "path": "/orders",
            "responses": {
                "200": {"schema": "shop/list.schema.json"},
                "204": {"body": "empty", "description": "No orders yet."},
            },
        },
    },
}


class ContractTree:
    """One version of the made-up contract set, as data to edit and then write."""

    def __init__(self) -> None:
        self.contract = copy.deepcopy(CONTRACT)
        self.schemas = {"order": copy.deepcopy(ORDER_SCHEMA),
                        "common": copy.deepcopy(COMMON_SCHEMA),
                        "error": copy.deepcopy(ERROR_SCHEMA),
                        "list": copy.deepcopy(LIST_SCHEMA)}
        self.extra_contracts: dict[str, dict[str, Any]] = {}

    @property
    def order(self) -> dict[str, Any]:
        return self.schemas["order"]

    @property
    def get_order(self) -> dict[str, Any]:
        endpoint: dict[str, Any] = self.contract["endpoints"]["get_order"]
        return endpoint

    def write(self, root: Path) -> Path:
        (root / "contracts").mkdir(parents=True)
        (root / "schemas" / "shop").mkdir(parents=True)
        (root / "contracts" / "orders.yaml").write_text(yaml.safe_dump(self.contract,
                                                                       sort_keys=False))
        for name, extra in self.extra_contracts.items():
            (root / "contracts" / f"{name}.yaml").write_text(yaml.safe_dump(extra))
        for name, schema in self.schemas.items():
            (root / "schemas" / "shop" / f"{name}.schema.json").write_text(
                json.dumps(schema, indent=2))
        return root / "contracts"


def write_pair(tmp_path: Path, old: ContractTree, new: ContractTree) -> tuple[Path, Path]:
    return old.write(tmp_path / "old"), new.write(tmp_path / "new")


def run_cli(*args: str, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_WORKSPACE"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd,
                          capture_output=True, text=True, env=full_env, check=False)


def git_env(tmp_path: Path) -> dict[str, str]:
    """An environment for git and pre-commit that ignores the user's own configuration."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT", "GITHUB_"))}
    env.update({
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
        "NO_COLOR": "1",
    })
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout




def block_with(language: str, marker: str) -> str:
    """The one fenced block of the CI gate and diff guides in `language` with `marker`."""
    text = docs_page("guides/ci-gate.md") + docs_page("guides/diff.md")
    found = [b for b in re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.S | re.M)
             if marker in b]
    assert len(found) == 1, f"one ```{language} block with {marker!r} expected"
    return found[0]


def docs_page(name: str) -> str:
    """A page of the documentation site, as users read it."""
    return (Path(__file__).resolve().parents[2] / "docs" / name).read_text(encoding="utf-8")


# -- one-response contract pairs for the keyword tests (diff) --------------------------------

def response_contract(response: dict[str, Any], endpoint: dict[str, Any] | None = None,
                      more: dict[str, Any] | None = None) -> dict[str, Any]:
    """A contract with one endpoint whose `200` (plus `more` statuses) is `response`."""
    spec: dict[str, Any] = {"method": "GET", "path": "/things", "responses": {"200": response}}
    spec["responses"].update(more or {})
    spec.update(endpoint or {})
    return {"contract": "t/things", "endpoints": {"get_things": spec}}


def write_side(root: Path, contract: dict[str, Any], schemas: dict[str, Any]) -> Path:
    """contracts/things.yaml and schemas/<name>.schema.json under `root`."""
    (root / "contracts").mkdir(parents=True)
    (root / "schemas").mkdir()
    for name, schema in schemas.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema} \
            if isinstance(schema, dict) else schema
        (root / "schemas" / f"{name}.schema.json").write_text(json.dumps(document, indent=2))
    (root / "contracts" / "things.yaml").write_text(yaml.safe_dump(contract, sort_keys=False))
    return root / "contracts"


def diff_pair(tmp_path: Path, old: tuple[dict[str, Any], dict[str, Any]],
              new: tuple[dict[str, Any], dict[str, Any]]) -> Any:
    """Diff two (contract, schemas) sides written under tmp_path; returns the DiffResult."""
    from validator.diff.contracts import diff

    old_dir = write_side(tmp_path / "old", *old)
    new_dir = write_side(tmp_path / "new", *new)
    return diff(str(old_dir), str(new_dir))
