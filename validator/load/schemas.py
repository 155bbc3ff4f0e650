"""The local schema registry: loading, `$ref` confinement, compiled-validator registry.

Every contract resolves its schemas inside one folder (its schema root). Every document
is indexed by the one resolver (validator.load.resolver) under its file URI, its `$id`
and the `$id`s and anchors of its embedded resources. A `$ref` that names no loaded
resource and no file inside the folder is a contract error (remote, escaping, or
pointing at nothing): loading never touches the network.

The public API every consumer uses:
- `load(ref, referrer) -> uri`: load the schema file `ref` (relative to the root) and
  everything it references, checking every `$ref` on the way.
- `resolve(base, ref) -> Target`: the schema a `$ref` names (`Target.node`, `.base`,
  `.doc`, `.pointer`, `.key`); raises ContractError with one line when it names nothing.
- `node_at(doc_uri, fragment)`, `document_at(uri)`: nodes by file URI and fragment.
- `registry()`: a jsonschema-rs Registry with every loaded document as written.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from validator.errors import ContractError
from validator.load.resolver import (
    LIST,
    MAP,
    MISSING,
    ONE,
    Keywords,
    RefSite,
    ResourceIndex,
    Target,
    UnresolvableRef,
    follow,
    step,
    subschemas,
    walk_schemas,
)
from validator.model.pointer import escape_token, make_pointer, pointer_tokens
from validator.model.record import field, record

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ROOT_MARKER = "SCHEMA-ROOT"  # a folder that is the schema root of its own contracts
DOCUMENTED_VALUES = "x-documented"
DOCS = "x-docs"

# Where drift applies (recorded for the generator): subschemas that stand for an instance
# location of their own. allOf/then/else apply to the same instance as their parent: they
# are not a location of their own, but their children are.
_INSTANCE_KEYWORDS: Keywords = (
    ("properties", MAP), ("patternProperties", MAP), ("$defs", MAP), ("definitions", MAP),
    ("additionalProperties", ONE), ("items", ONE), ("unevaluatedItems", ONE),
    ("unevaluatedProperties", ONE), ("prefixItems", LIST))
_SAME_INSTANCE_THROUGH: Keywords = (("allOf", LIST), ("then", ONE), ("else", ONE))
# Subschemas applied to the same value as their parent (a `$ref` loop through them only
# never ends).
_SAME_VALUE_KEYWORDS: Keywords = (
    ("allOf", LIST), ("anyOf", LIST), ("oneOf", LIST),
    ("not", ONE), ("if", ONE), ("then", ONE), ("else", ONE), ("dependentSchemas", MAP))


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"refusing to fetch {uri}: schemas resolve only inside the schema folder")


@record
class SchemaStore:
    """All schema documents under one folder, loaded on demand, resolved by one index."""

    root: Path
    documents: dict[str, Any] = field(default_factory=dict)  # file uri -> document
    injected: set[str] = field(default_factory=set)  # "uri#pointer/kw" where drift applies
    cache: dict[str, Any] = field(default_factory=dict)  # derived data, reset on load
    _acyclic: set[str] = field(default_factory=set)  # "uri#pointer" proven free of $ref loops
    _registry: Any = None
    _index: ResourceIndex | None = None
    _checked: set[str] = field(default_factory=set)  # documents whose $refs were checked
    _sites: dict[str, list[RefSite]] = field(default_factory=dict)  # doc uri -> its refs
    _folder_indexed: bool = False

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the jsonschema-rs registry (a cache, rebuilt on first use)."""
        return {**self.__dict__, "_registry": None}

    @property
    def base_uri(self) -> str:
        """The folder's file URI, ending in `/` (computed once: it resolves symlinks)."""
        if "base_uri" not in self.cache:
            self.cache["base_uri"] = self.root.resolve().as_uri() + "/"
        return str(self.cache["base_uri"])

    @property
    def index(self) -> ResourceIndex:
        """The resolver holding every loaded document (see validator.load.resolver)."""
        if self._index is None:
            self._index = ResourceIndex(load=self._on_miss)
        return self._index

    def uri_for(self, ref: str) -> str:
        return urljoin(self.base_uri, ref)

    def relative(self, uri: str) -> str:
        doc, frag = urldefrag(uri)
        rel = doc[len(self.base_uri):] if doc.startswith(self.base_uri) else doc
        return rel + (f"#{frag}" if frag else "")

    def load(self, ref: str, referrer: str) -> str:
        """Load the schema at `ref` (relative to the root) and everything it references."""
        uri = self.uri_for(ref)
        self.resolve(self.base_uri, ref, referrer)
        self._check_ref_cycles()
        return uri

    def resolve(self, base: str, ref: str, referrer: str | None = None) -> Target:
        """The schema `ref` names when written in a schema whose base URI is `base`.

        Raises ContractError (one line naming the `$ref`) for a remote, escaping or
        missing target. Every document reached has its own `$ref`s checked too.
        """
        try:
            target = self.index.resolve(base, ref)
        except UnresolvableRef as exc:
            where = referrer or self.relative(base) or str(self.root)
            raise ContractError(where, self._refusal(ref, exc)) from None
        self._check_refs_of(target.doc)
        return target

    def _refusal(self, written: str, exc: UnresolvableRef) -> str:
        resource = urldefrag(exc.uri)[0]
        if resource.startswith(self.base_uri) and resource in self.index.resources:
            return f"$ref {written!r} points at nothing ({exc.reason})"
        if resource.startswith(self.base_uri):
            return (f"$ref {written!r}: no schema file {self.relative(resource)} in "
                    f"{self.root.name}/ and no schema there declares that $id")
        if resource.startswith("file:"):
            return (f"$ref {written!r} is escaping the schema folder; refs must stay inside "
                    f"{self.root.name}/")
        return (f"$ref {written!r} is remote ({resource}) and no schema in {self.root.name}/ "
                "declares that $id; refs must stay inside the schema folder")

    def _on_miss(self, resource_uri: str) -> bool:
        """Load the file a URI names, or index the whole folder to find a declared `$id`.

        The JSON Schema meta-schemas (shipped with python-jsonschema, never fetched)
        resolve too, so `{"$ref": "https://json-schema.org/draft/2020-12/schema"}` works.
        """
        meta = _meta_schema(resource_uri)
        if meta is not None:
            self.add_document(resource_uri, meta)
            return True
        if resource_uri.startswith(self.base_uri):
            path = self.root / unquote(resource_uri[len(self.base_uri):])
            if path.is_file() or path.is_symlink():
                self._parse_file(path, resource_uri, self.relative(resource_uri))
                return True
        if not self._folder_indexed:
            self._folder_indexed = True
            for file in self.files():
                uri = file.resolve().as_uri()
                if uri not in self.documents and uri.startswith(self.base_uri):
                    try:
                        self._parse_file(file, uri, self.relative(uri))
                    except ContractError:
                        continue  # an unrelated broken file: an error only if referenced
        return resource_uri in self.index.resources

    def _check_refs_of(self, doc_uri: str) -> None:
        if doc_uri in self._checked:
            return
        self._checked.add(doc_uri)
        referrer = shown(Path(_path_of(doc_uri)))
        for site in self._sites.get(doc_uri, []):
            self.resolve(site.base, site.ref, referrer)

    def _read(self, path: Path, referrer: str, written: str) -> str:
        from validator.sources.files import NotAFile, TooLarge, read_limited

        if not path.resolve().is_relative_to(self.root.resolve()):
            raise ContractError(referrer, f"$ref {written!r} leaves {self.root.name}/ through a "
                                "symbolic link; refs must stay inside the schema folder")
        try:
            return read_limited(path).decode("utf-8")
        except FileNotFoundError:
            raise ContractError(referrer, f"$ref {written!r}: no schema file "
                                f"{self.relative(path.as_uri())} in {self.root.name}/") from None
        except OSError as exc:
            raise ContractError(shown(path), f"cannot read schema: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ContractError(shown(path), "cannot read schema: it is not UTF-8 text") from None
        except (NotAFile, TooLarge):
            raise ContractError(shown(path), "cannot read schema: not a regular file of a sane "
                                "size") from None

    def _parse_file(self, path: Path, doc_uri: str, written: str) -> None:
        from validator.formats.json import line_column, loads_strict

        text = self._read(path, shown(path), written)
        document, problem = loads_strict(text)
        if problem is not None:
            where = ""
            if problem.pos is not None:
                line, col = line_column(text, problem.pos)
                where = f" (line {line}, column {col})"
            raise ContractError(shown(path), f"schema is not valid JSON: {problem.message}{where}")
        if not isinstance(document, dict | bool):
            raise ContractError(shown(path), "a schema must be a JSON object or boolean")
        _check_document(path, document)
        self.add_document(doc_uri, document)

    def add_document(self, doc_uri: str, document: Any) -> None:
        """Index one parsed document (its `$ref`s are checked when something reaches it)."""
        self.documents[doc_uri] = document
        self._registry = None
        for derived in [key for key in self.cache if key != "base_uri"]:
            del self.cache[derived]
        self._sites[doc_uri] = self.index.add_document(doc_uri, document)
        try:
            self._record_drift_sites(document, doc_uri)
        except RecursionError:
            raise ContractError(shown(Path(_path_of(doc_uri))), "schema nested too deep to "
                                "load") from None

    def check_compiles(self, roots: list[tuple[str, str]]) -> None:
        """Compile the (uri, referrer) schemas now, so one the engine rejects stops the load.

        One validator for all of them (a compile costs about as much as five); only when
        it fails is each compiled alone, to name the one at fault.
        """
        if not roots or self._compile_problem({"anyOf": [{"$ref": u} for u, _ in roots]}) \
                is None:
            return
        for uri, referrer in roots:
            detail = self._compile_problem({"$ref": uri})
            if detail is not None:
                raise ContractError(referrer, f"schema {self.relative(uri)} does not compile: "
                                    f"{detail}")
        raise ContractError(str(self.root), "the schemas do not compile together")

    def _compile_problem(self, schema: Any) -> str | None:
        import jsonschema_rs

        try:
            jsonschema_rs.validator_for(schema, registry=self.registry())
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError
                ) as exc:
            return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None

    def _check_ref_cycles(self) -> None:
        """Refuse a `$ref` loop that never steps into the instance (it could never end).

        `{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}` is such a
        loop: every step applies to the same value. Recursion through `properties` or
        `items` is fine: each step moves one level down a finite document.
        """
        for site in self.index.ref_sites:
            start = f"{site.doc}#{site.pointer}"
            if start in self._acyclic or site.doc not in self._checked:
                continue
            cycle = _find_cycle(start, self._same_instance_targets, self._acyclic)
            if cycle:
                doc_uri, fragment = urldefrag(cycle[0])
                chain = " -> ".join(self.relative(key) for key in cycle)
                raise ContractError(shown(Path(_path_of(doc_uri))), f"circular $ref: {chain} "
                                    "applies to the same value forever (no properties/items "
                                    "step in between)", fragment)

    def _same_instance_targets(self, key: str) -> list[str]:
        """Schema locations applied to the same value as the schema at `key`."""
        doc_uri, pointer = key.split("#", 1)
        node = self.node_at(doc_uri, pointer)
        if not isinstance(node, dict):
            return []
        targets = []
        for site in self._sites.get(doc_uri, []):
            if site.pointer == pointer and site.keyword == "$ref":
                with contextlib.suppress(UnresolvableRef):
                    targets.append(self.index.resolve(site.base, site.ref).key)
        targets += [f"{doc_uri}#{at}" for _, at in subschemas(node, pointer,
                                                              _SAME_VALUE_KEYWORDS)]
        return targets

    def node_at(self, doc_uri: str, fragment: str) -> Any:
        """The node at a fragment (JSON pointer, percent-encoded or not, or anchor), or None."""
        found = _walk(self.documents.get(doc_uri), fragment) if fragment.startswith("/") or \
            not fragment else None
        if found is not None or doc_uri not in self.documents:
            return found
        try:
            return self.index.resolve(doc_uri, f"#{fragment}").node
        except UnresolvableRef:
            return None

    def _record_drift_sites(self, document: Any, uri: str) -> None:
        """Record where drift applies: objects declaring `properties` without
        `additionalProperties`/`unevaluatedProperties` ("uri#ptr/unevaluatedProperties"),
        and values under `x-documented` ("uri#ptr/enum"). The generator reads these."""
        for _, pointer, keyword in drift_sites(document):
            self.injected.add(f"{uri}#{pointer}/{keyword}")

    def registry(self) -> Any:
        """A jsonschema-rs Registry of every loaded document as written (no retrieval)."""
        import jsonschema_rs

        if self._registry is None:
            resources = [(uri, _annotating(doc)) for uri, doc in self.documents.items()]
            self._registry = jsonschema_rs.Registry(resources, retriever=_refuse_retrieval)
        return self._registry

    def is_injected(self, keyword_location: str) -> bool:
        return keyword_location in self.injected

    def docs_for(self, keyword_location: str) -> str | None:
        """The nearest `x-docs` URL above a `file-uri#pointer` location, for a docs link."""
        doc_uri, fragment = urldefrag(keyword_location)
        node: Any = self.documents.get(doc_uri)
        found = node.get(DOCS) if isinstance(node, dict) else None
        for token in pointer_tokens(unquote(fragment)):
            node = step(node, token)
            if node is MISSING:
                break
            if isinstance(node, dict) and isinstance(node.get(DOCS), str):
                found = node[DOCS]
        return found if isinstance(found, str) else None

    def files(self) -> Iterator[Path]:
        """The schema files of this root; a subfolder that is a schema root of its own (it
        holds a SCHEMA_ROOT_MARKER file, as imported APIs do) belongs to its contracts."""
        nested = [p.parent for p in self.root.rglob(SCHEMA_ROOT_MARKER) if p.parent != self.root]
        yield from sorted(p for p in self.root.rglob("*.json")
                          if not any(p.is_relative_to(folder) for folder in nested))

    def document_at(self, uri: str) -> Any:
        """The node a URI names (file or `$id` URI, pointer or anchor); KeyError if none."""
        try:
            return self.index.resolve(self.base_uri, uri).node
        except UnresolvableRef:
            raise KeyError(uri) from None


_LEFTOVER_KEYWORDS = ("additionalProperties", "unevaluatedProperties")


def _annotating(document: Any) -> Any:
    """The document with `additionalProperties: true` (and `unevaluatedProperties`) as `{}`.

    The two mean the same, but jsonschema-rs drops a `true` subschema from its evaluation
    output, and drift reads that output: the members such a keyword evaluates would be
    reported as undocumented. Documents without one are returned as they are.
    """
    if not any(node.get(k) is True for node, _, _ in walk_schemas(document, "")
               for k in _LEFTOVER_KEYWORDS):
        return document
    copied = copy.deepcopy(document)
    for node, _, _ in walk_schemas(copied, ""):
        for keyword in _LEFTOVER_KEYWORDS:
            if node.get(keyword) is True:
                node[keyword] = {}
    return copied


def _meta_schema(uri: str) -> Any:
    """A JSON Schema meta-schema by its URI, from the installed specifications, or None."""
    if not uri.startswith(("https://json-schema.org/", "http://json-schema.org/")):
        return None  # every schema file passes here: importing the registry costs ~45 ms
    from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped,unused-ignore]

    try:
        return REGISTRY.contents(uri.rstrip("#"))
    except LookupError:
        return None


def _walk(node: Any, fragment: str) -> Any:
    found = follow(node, fragment)
    return None if found is MISSING else found


_LITERAL_KEYWORDS = ("const", "enum", "examples", "default", DOCUMENTED_VALUES)


def drift_sites(document: Any) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(node, pointer, keyword) for every place drift applies in a schema document:
    `unevaluatedProperties` of an object that declares `properties` and neither
    `additionalProperties` nor `unevaluatedProperties`, and `enum` of a node whose
    `x-documented` list stands alone (no `enum`, no `const`). The node may be changed
    between items (the walk reads its children after)."""
    for node, _, pointer in walk_schemas(document, "", _INSTANCE_KEYWORDS,
                                         _SAME_INSTANCE_THROUGH):
        if "properties" in node and not (
            {"additionalProperties", "unevaluatedProperties"} & node.keys()
        ):
            yield node, pointer, "unevaluatedProperties"
        documented = node.get(DOCUMENTED_VALUES)
        if isinstance(documented, list) and "enum" not in node and "const" not in node:
            yield node, pointer, "enum"


def shown(path: Path) -> str:
    """A schema file as errors name it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _path_of(doc_uri: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(doc_uri).path)


def _all_subschemas(document: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """Every object in a schema document with its pointer, skipping literal values."""
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            yield node, pointer
            stack.extend((value, f"{pointer}/{escape_token(key)}") for key, value in node.items()
                         if key not in _LITERAL_KEYWORDS)
        elif isinstance(node, list):
            stack.extend((value, f"{pointer}/{i}") for i, value in enumerate(node))


def _find_cycle(start: str, successors: Callable[[str], list[str]], done: set[str]
                ) -> list[str] | None:
    """A path start -> ... -> X -> X's first visit, if the graph has a cycle from start.

    Depth-first without recursion; nodes proven cycle-free are added to `done`.
    """
    path: list[str] = [start]
    on_path = {start}
    pending: list[list[str]] = [successors(start)]
    while pending:
        if not pending[-1]:
            finished = path.pop()
            on_path.discard(finished)
            done.add(finished)
            pending.pop()
            continue
        following = pending[-1].pop()
        if following in on_path:
            return path[path.index(following):] + [following]
        if following in done:
            continue
        path.append(following)
        on_path.add(following)
        pending.append(successors(following))
    return None


def _check_document(path: Path, document: Any) -> None:
    """Meta-validate one schema file and compile its regexes, naming file and pointer."""
    import jsonschema_rs

    try:
        jsonschema_rs.meta.validate(document)
    except jsonschema_rs.ValidationError as exc:
        pointer = make_pointer(exc.instance_path)
        raise ContractError(shown(path), f"invalid schema: {exc.message}", pointer) from None
    except (jsonschema_rs.ReferencingError, ValueError):
        pass  # an unknown $schema dialect: the compile step reports it
    for node, pointer in _all_subschemas(document):
        patterns = [("pattern", node["pattern"])] if isinstance(node.get("pattern"), str) else []
        if isinstance(node.get("patternProperties"), dict):
            patterns += [(f"patternProperties/{escape_token(p)}", p)
                         for p in node["patternProperties"]]
        for where, pattern in patterns:
            try:
                jsonschema_rs.validator_for({"pattern": pattern})
            except (jsonschema_rs.ValidationError, ValueError):
                raise ContractError(shown(path), f"invalid regex {pattern!r}: not a valid "
                                    "ECMA 262 regular expression", f"{pointer}/{where}"
                                    ) from None


def schema_root_for(contract_file: Path, declared: str | None) -> Path:
    """Where a contract's schemas live: declared relative to the file, or the nearest schemas/."""
    if declared:
        return (contract_file.parent / declared).resolve()
    for parent in contract_file.resolve().parents:
        candidate = parent / "schemas"
        if candidate.is_dir():
            return candidate
    return contract_file.parent.resolve()

