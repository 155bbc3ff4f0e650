"""Put a schema in a contract folder, check bodies through the public API, ask the oracle.

The oracle is python-jsonschema's Draft202012Validator with a `referencing` registry of
the same files (under their file URIs; `referencing` indexes embedded `$id`s itself).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import referencing
import referencing.jsonschema
from jsonschema import Draft202012Validator

import validator
from validator.model.exchange import Exchange, Response
from validator.model.findings import Severity

ENDPOINT = "truth/t:get_x"


class Folder:
    """A contract folder holding schema files and one endpoint whose 200 uses `entry`."""

    def __init__(self, root: Path, documents: dict[str, Any], entry: str = "s.json",
                 formats: str | None = None) -> None:
        self.root = root
        schemas = root / "schemas"
        for name, document in documents.items():
            path = schemas / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(document), encoding="utf-8")
        (root / "contracts").mkdir(parents=True, exist_ok=True)
        self.contract = root / "contracts" / "t.yaml"
        switch = f"formats: {formats}\n" if formats else ""
        self.contract.write_text(
            "contract: truth/t\nschemas: ../schemas\n" + switch +
            "endpoints:\n  get_x:\n    method: GET\n    path: /x\n    responses:\n"
            f"      \"200\": {{schema: {json.dumps(entry)}}}\n", encoding="utf-8")
        self.documents = documents
        self.entry = entry
        self.checker = validator.Checker(validator.load_contracts([self.contract],
                                                                  bundled=False))

    def findings(self, body: Any) -> list[Any]:
        exchange = Exchange(response=Response(200, None, None, body), source="<body>")
        return list(self.checker.check(exchange, ENDPOINT).findings)

    def verdict(self, body: Any) -> bool:
        """True when respcontract finds no error in the body."""
        return not [f for f in self.findings(body) if f.severity is Severity.ERROR]

    def drift(self, body: Any) -> set[str]:
        """Pointers of undocumented members (`property`) and values (`value`) as kind:ptr."""
        return {f"{f.message.split()[1]}:{f.pointer}" for f in self.findings(body)
                if f.rule == "undocumented"}

    def uri(self, name: str) -> str:
        return (self.root / "schemas" / name).resolve().as_uri()

    def oracle(self, extra: dict[str, Any] | None = None, formats: bool = False
               ) -> Draft202012Validator:
        """python-jsonschema on the schema as written (optionally wrapped by `extra`)."""
        resources = [(self.uri(name), referencing.Resource.from_contents(
            document, default_specification=referencing.jsonschema.DRAFT202012))
            for name, document in self.documents.items()]
        registry: referencing.Registry[Any] = referencing.Registry().with_resources(
            resources).crawl()
        schema = {"$ref": self.entry_uri(), **(extra or {})}
        checker = Draft202012Validator.FORMAT_CHECKER if formats else None
        return Draft202012Validator(schema, registry=registry, format_checker=checker)

    def entry_uri(self) -> str:
        """The entry schema's canonical URI: its `$id` when it declares one.

        python-jsonschema keeps the looked-up URI as the base of a document reached by
        its file URI, so the oracle enters by `$id`, as a user of that library would.
        """
        declared = self.documents[self.entry].get("$id") if isinstance(
            self.documents[self.entry], dict) else None
        return urljoin(self.uri(self.entry), declared) if isinstance(declared, str) else \
            self.uri(self.entry)

    def oracle_valid(self, body: Any) -> bool:
        return bool(self.oracle().is_valid(body))

    def evaluated_at_root(self, body: dict[str, Any], name: str) -> bool:
        """Whether some succeeding subschema evaluates root member `name` (oracle's view)."""
        others = {key: True for key in body if key != name}
        wrapped = {"allOf": [{"$ref": self.entry_uri()}], "properties": others,
                   "unevaluatedProperties": False}
        return bool(Draft202012Validator(wrapped, registry=self.oracle()._registry
                                         ).is_valid(body))

    def cli(self, body: Any, *args: str) -> subprocess.CompletedProcess[str]:
        path = self.root / "body.json"
        path.write_text(json.dumps(body), encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "validator", "check", "--no-bundled",
                               "--contracts", str(self.contract), "--endpoint", ENDPOINT,
                               "--format", "json", *args, str(path)],
                              capture_output=True, text=True, check=False)
