"""The local schema registry: loading, `$ref` confinement, drift variants, compiled validators.

Every contract resolves its schemas inside one folder (its schema root). A `$ref` that
leaves that folder, or names a remote URL, is a contract error: loading never touches
the network. Each schema document is registered in a *closed* variant: objects that
declare `properties` also get `unevaluatedProperties: false`, and values listed under
`x-documented` get an `enum`. Errors from those injected keywords are drift (warnings);
every other error is a real violation. One validator therefore answers both questions in
a single pass, and the happy path is one `is_valid` call in Rust.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

from .errors import ContractError
from .jsontext import escape_token, pointer_tokens

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DOCUMENTED_VALUES = "x-documented"
DOCS = "x-docs"

# Subschemas that apply to the same instance as their parent: their own level is not
# closed (that would reject what their siblings declare), but their children are.
_SAME_INSTANCE_LISTS = ("allOf",)
_SAME_INSTANCE_SINGLE = ("then", "else")
# Subschemas that describe a child instance (object members, array items).
_CHILD_MAPS = ("properties", "patternProperties", "$defs", "definitions")
_CHILD_SINGLE = ("additionalProperties", "items", "unevaluatedItems", "unevaluatedProperties")
_CHILD_LISTS = ("prefixItems",)
# Conditions (if, not, anyOf, oneOf, contains, ...) are never closed: closing them would
# change which branch matches, turning drift into errors.


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"refusing to fetch {uri}: schemas resolve only inside the schema folder")


@dataclass
class SchemaStore:
    """All schema documents under one folder, loaded on demand."""

    root: Path
    documents: dict[str, Any] = field(default_factory=dict)  # uri -> original document
    closed: dict[str, Any] = field(default_factory=dict)  # uri -> closed variant
    injected: set[str] = field(default_factory=set)  # "uri#pointer" of injected keywords
    _registry: Any = None

    @property
    def base_uri(self) -> str:
        return self.root.resolve().as_uri() + "/"

    def uri_for(self, ref: str) -> str:
        return urljoin(self.base_uri, ref)

    def relative(self, uri: str) -> str:
        doc, frag = urldefrag(uri)
        rel = doc[len(self.base_uri):] if doc.startswith(self.base_uri) else doc
        return rel + (f"#{frag}" if frag else "")

    def load(self, ref: str, referrer: str) -> str:
        """Load the schema at `ref` (relative to the root) and everything it references."""
        uri = self.uri_for(ref)
        self._load_document(urldefrag(uri)[0], referrer, ref)
        self._check_fragment(uri, referrer)
        return uri

    def _load_document(self, doc_uri: str, referrer: str, written: str) -> None:
        if doc_uri in self.documents:
            return
        if not doc_uri.startswith(self.base_uri):
            kind = "remote" if "://" in written and not written.startswith("file:") else \
                "escaping the schema folder"
            raise ContractError(referrer, f"$ref {written!r} is {kind}; refs must stay inside "
                                f"{self.root.name}/")
        path = self.root / doc_uri[len(self.base_uri):]
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ContractError(referrer, f"$ref {written!r}: no schema file "
                                f"{self.relative(doc_uri)} in {self.root.name}/") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ContractError(self.relative(doc_uri), f"cannot read schema: {exc}") from None
        from .jsontext import line_column, loads_strict

        document, problem = loads_strict(text)
        if problem is not None:
            where = ""
            if problem.pos is not None:
                line, col = line_column(text, problem.pos)
                where = f" (line {line}, column {col})"
            raise ContractError(str(path), f"schema is not valid JSON: {problem.message}{where}")
        if not isinstance(document, dict | bool):
            raise ContractError(str(path), "a schema must be a JSON object or boolean")
        self.documents[doc_uri] = document
        self._registry = None
        self.closed[doc_uri] = self._close(document, doc_uri)
        for ref in _refs(document):
            target = urljoin(doc_uri, ref)
            self._load_document(urldefrag(target)[0], str(path), ref)
            self._check_fragment(target, str(path))

    def _check_fragment(self, uri: str, referrer: str) -> None:
        doc_uri, fragment = urldefrag(uri)
        if not fragment or not fragment.startswith("/"):
            return
        node: Any = self.documents[doc_uri]
        for token in pointer_tokens(fragment):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise ContractError(referrer, f"$ref {self.relative(uri)!r} points at nothing")

    def _close(self, document: Any, uri: str) -> Any:
        closed = copy.deepcopy(document)
        for node, pointer in _instance_schemas(closed, ""):
            if "properties" in node and not (
                {"additionalProperties", "unevaluatedProperties"} & node.keys()
            ):
                node["unevaluatedProperties"] = False
                self.injected.add(f"{uri}#{pointer}/unevaluatedProperties")
            documented = node.get(DOCUMENTED_VALUES)
            if isinstance(documented, list) and "enum" not in node and "const" not in node:
                node["enum"] = documented
                self.injected.add(f"{uri}#{pointer}/enum")
        return closed

    def registry(self) -> Any:
        import jsonschema_rs

        if self._registry is None:
            resources = [(uri, doc) for uri, doc in self.closed.items()]
            self._registry = jsonschema_rs.Registry(resources, retriever=_refuse_retrieval)
        return self._registry

    def is_injected(self, keyword_location: str) -> bool:
        return keyword_location in self.injected

    def docs_for(self, keyword_location: str) -> str | None:
        """The nearest `x-docs` URL above a keyword location, for a finding's docs link."""
        doc_uri, fragment = urldefrag(keyword_location)
        node: Any = self.documents.get(doc_uri)
        found = node.get(DOCS) if isinstance(node, dict) else None
        for token in pointer_tokens(fragment):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                break
            if isinstance(node, dict) and isinstance(node.get(DOCS), str):
                found = node[DOCS]
        return found if isinstance(found, str) else None

    def files(self) -> Iterator[Path]:
        yield from sorted(self.root.rglob("*.json"))

    def document_at(self, uri: str) -> Any:
        doc_uri, fragment = urldefrag(uri)
        node = self.documents[doc_uri]
        for token in pointer_tokens(fragment):
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    yield value
                elif key not in ("const", "enum", "examples", "default", DOCUMENTED_VALUES):
                    stack.append(value)
        elif isinstance(current, list):
            stack.extend(current)


def _instance_schemas(node: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield every subschema that stands for an instance location of its own.

    allOf/then/else branches are not yielded themselves, but their children are.
    """
    stack: list[tuple[Any, str, bool]] = [(node, pointer, True)]
    while stack:
        current, at, own = stack.pop()
        if not isinstance(current, dict):
            continue
        if own:
            yield current, at
        for key in _CHILD_MAPS:
            members = current.get(key)
            if isinstance(members, dict):
                for name, sub in members.items():
                    stack.append((sub, f"{at}/{key}/{escape_token(name)}", True))
        for key in _CHILD_SINGLE:
            if key in current:
                stack.append((current[key], f"{at}/{key}", True))
        for key in _CHILD_LISTS:
            for i, sub in enumerate(current.get(key) or []):
                stack.append((sub, f"{at}/{key}/{i}", True))
        for key in _SAME_INSTANCE_LISTS:
            for i, sub in enumerate(current.get(key) or []):
                stack.append((sub, f"{at}/{key}/{i}", False))
        for key in _SAME_INSTANCE_SINGLE:
            if key in current:
                stack.append((current[key], f"{at}/{key}", False))


def schema_root_for(contract_file: Path, declared: str | None) -> Path:
    """Where a contract's schemas live: declared relative to the file, or the nearest schemas/."""
    if declared:
        return (contract_file.parent / declared).resolve()
    for parent in contract_file.resolve().parents:
        candidate = parent / "schemas"
        if candidate.is_dir():
            return candidate
    return contract_file.parent.resolve()


def dump(document: Any) -> str:
    return json.dumps(document, indent=2)
