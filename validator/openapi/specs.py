"""Reading OpenAPI documents and resolving `$ref`s between them, without any network.

The mapping rule for references (documented in docs/guides/openapi.md):

1. `#/pointer` resolves in the referring document.
2. `other.json#/pointer` (a relative reference) resolves against the referring file's folder.
3. `https://host/any/path/other.json#/pointer` (a published copy of a sibling file) resolves
   to the local file with the same file name: first among the SPEC files given, then in the
   referring file's folder. It is never fetched; a name found nowhere is an import error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from validator.errors import UsageError
from validator.load.resolver import MISSING, follow


class ImportProblem(UsageError):
    """A spec cannot be imported: one line naming the file and what is wrong."""


def read_document(path: Path) -> Any:
    """One OpenAPI file, JSON or YAML (read as YAML 1.2, as OpenAPI asks)."""
    from validator.errors import SourceError
    from validator.formats import yaml as yamltext

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    if path.suffix == ".json" or data.lstrip()[:1] == b"{":
        try:
            return json.loads(data)
        except ValueError as exc:
            raise ImportProblem(f"{path}: not valid JSON: {exc}") from None
    try:
        return yamltext.load(data, version="1.2")[0]
    except SourceError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise ImportProblem(f"{path}: {exc.message}{where}") from None


@dataclass
class SpecSet:
    """The given spec files plus every sibling file their references reach."""

    primary: list[Path]
    documents: dict[Path, Any] = field(default_factory=dict)
    dangling: list[str] = field(default_factory=list)  # broken refs skipped, as notes

    def skip(self, problem: ImportProblem) -> None:
        """Note a broken reference the import goes on without."""
        if str(problem) not in self.dangling:
            self.dangling.append(str(problem))

    @classmethod
    def load(cls, paths: list[Path]) -> SpecSet:
        """Read the given specs; anything but OpenAPI 3.x is an ImportProblem."""
        resolved = [p.resolve() for p in paths]
        specs = cls(resolved)
        for path in resolved:
            document = specs.document(path)
            if not isinstance(document, dict) or not str(document.get("openapi", "")
                                                         ).startswith("3."):
                raise ImportProblem(f"{path}: not an OpenAPI 3.0 or 3.1 document "
                                    "(no `openapi: 3.x` key)")
        return specs

    def document(self, path: Path) -> Any:
        """The parsed document at path (read once)."""
        if path not in self.documents:
            self.documents[path] = read_document(path)
        return self.documents[path]

    def version(self, path: Path) -> str:
        """"3.0" or "3.1" for the document at path (a sibling without `openapi`: its user's)."""
        raw = self.document(path)
        found = str(raw.get("openapi", "")) if isinstance(raw, dict) else ""
        if found:
            return found[:3]
        return str(self.document(self.primary[0]).get("openapi", "3.0"))[:3]

    def target_file(self, ref: str, base: Path) -> Path:
        """The local file a reference's document part names (rule in the module doc)."""
        document, _ = urldefrag(ref)
        if not document:
            return base
        parts = urlsplit(document)
        if parts.scheme in ("http", "https"):
            name = Path(unquote(parts.path)).name
            for candidate in [*self.primary, base.parent / name]:
                if candidate.name == name and candidate.is_file():
                    return candidate.resolve()
            raise ImportProblem(f"{base}: $ref {ref!r}: no local file named {name!r} next to "
                                "the specs (published URLs are mapped by file name, never "
                                "fetched)")
        if parts.scheme:
            raise ImportProblem(f"{base}: $ref {ref!r}: only relative files and published "
                                "http(s) copies of sibling files are supported")
        target = (base.parent / unquote(parts.path)).resolve()
        if not target.is_file():
            raise ImportProblem(f"{base}: $ref {ref!r}: no such file {target.name}")
        return target

    def resolve(self, ref: str, base: Path) -> tuple[Path, str, Any]:
        """(file, pointer, node) a reference points at; a dangling one is an ImportProblem."""
        file = self.target_file(ref, base)
        pointer = unquote(urldefrag(ref)[1])
        node = follow(self.document(file), pointer)
        if node is MISSING:
            raise ImportProblem(f"{base}: $ref {ref!r} points at nothing")
        return file, pointer, node

    def deref(self, node: Any, base: Path, depth: int = 0) -> tuple[Any, Path]:
        """Follow a chain of `$ref`s (parameters, responses, examples) to the real object."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 50:
            base, _, node = self.resolve(node["$ref"], base)
            depth += 1
        return node, base

    def data(self, node: Any, base: Path, seen: frozenset[str] = frozenset()) -> Any:
        """A literal value (an example) with every `$ref` inside it replaced by its target."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and len(node) == 1:
                key = f"{base}#{ref}"
                if key in seen:
                    return {}
                file, _, target = self.resolve(ref, base)
                return self.data(target, file, seen | {key})
            return {k: self.data(v, base, seen) for k, v in node.items()}
        if isinstance(node, list):
            return [self.data(v, base, seen) for v in node]
        return node
