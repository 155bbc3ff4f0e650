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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

from validator.errors import ContractError
from validator.model.pointer import escape_token, pointer_tokens

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ROOT_MARKER = "SCHEMA-ROOT"  # a folder that is the schema root of its own contracts
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
    _acyclic: set[str] = field(default_factory=set)  # "uri#pointer" proven free of $ref loops
    _cycle_checked: set[str] = field(default_factory=set)  # documents already scanned
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
        self._check_ref_cycles()
        return uri

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
        for start in self._ref_holders():
            if start in self._acyclic:
                continue
            cycle = _find_cycle(start, self._same_instance_targets, self._acyclic)
            if cycle:
                doc_uri, fragment = urldefrag(cycle[0])
                chain = " -> ".join(self.relative(key) for key in cycle)
                raise ContractError(shown(Path(_path_of(doc_uri))), f"circular $ref: {chain} "
                                    "applies to the same value forever (no properties/items "
                                    "step in between)", fragment)

    def _ref_holders(self) -> Iterator[str]:
        # only documents loaded since the last check: a new loop must pass through one of
        # them (an older document's refs all reach documents that were loaded with it)
        fresh = [(uri, doc) for uri, doc in self.documents.items()
                 if uri not in self._cycle_checked]
        self._cycle_checked.update(uri for uri, _ in fresh)
        for doc_uri, document in fresh:
            for node, pointer in _all_subschemas(document):
                if isinstance(node.get("$ref"), str):
                    yield f"{doc_uri}#{pointer}"

    def _same_instance_targets(self, key: str) -> list[str]:
        """Schema locations applied to the same value as the schema at `key`."""
        doc_uri, pointer = urldefrag(key)
        node = self.node_at(doc_uri, pointer)
        if not isinstance(node, dict):
            return []
        targets = []
        ref = node.get("$ref")
        if isinstance(ref, str):
            target_doc, written = urldefrag(urljoin(doc_uri, ref))
            fragment = written if not written or written.startswith("/") else \
                self._anchor(target_doc, written)
            if target_doc in self.documents and fragment is not None:
                targets.append(f"{target_doc}#{fragment}")
        for keyword in ("allOf", "anyOf", "oneOf"):
            items = node.get(keyword)
            if isinstance(items, list):
                targets += [f"{doc_uri}#{pointer}/{keyword}/{i}" for i in range(len(items))]
        for keyword in ("not", "if", "then", "else"):
            if keyword in node:
                targets.append(f"{doc_uri}#{pointer}/{keyword}")
        dependent = node.get("dependentSchemas")
        if isinstance(dependent, dict):
            targets += [f"{doc_uri}#{pointer}/dependentSchemas/{escape_token(name)}"
                        for name in dependent]
        return targets

    def _anchor(self, doc_uri: str, name: str) -> str | None:
        """The pointer of the subschema declaring `"$anchor": name`, if there is one."""
        document = self.documents.get(doc_uri)
        found = (pointer for node, pointer in _all_subschemas(document)
                 if node.get("$anchor") == name)
        return next(found, None)

    def node_at(self, doc_uri: str, fragment: str) -> Any:
        """The node at a JSON-pointer fragment of a loaded document, or None."""
        node: Any = self.documents.get(doc_uri)
        for token in pointer_tokens(fragment):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def _load_document(self, doc_uri: str, referrer: str, written: str) -> None:
        if doc_uri in self.documents:
            return
        if not doc_uri.startswith(self.base_uri):
            kind = "remote" if "://" in written and not written.startswith("file:") else \
                "escaping the schema folder"
            raise ContractError(referrer, f"$ref {written!r} is {kind}; refs must stay inside "
                                f"{self.root.name}/")
        path = self.root / doc_uri[len(self.base_uri):]
        text = self._read(path, referrer, written)
        from validator.formats.json import line_column, loads_strict

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
        self.documents[doc_uri] = document
        self._registry = None
        try:
            self.closed[doc_uri] = self._close(document, doc_uri)
        except RecursionError:
            raise ContractError(shown(path), "schema nested too deep to load") from None
        for ref in _refs(document):
            target = urljoin(doc_uri, ref)
            self._load_document(urldefrag(target)[0], shown(path), ref)
            self._check_fragment(target, shown(path))

    def _check_fragment(self, uri: str, referrer: str) -> None:
        doc_uri, fragment = urldefrag(uri)
        if fragment.startswith("/") and self.node_at(doc_uri, fragment) is None:
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
        """The schema files of this root; a subfolder that is a schema root of its own (it
        holds a SCHEMA_ROOT_MARKER file, as imported APIs do) belongs to its contracts."""
        nested = [p.parent for p in self.root.rglob(SCHEMA_ROOT_MARKER) if p.parent != self.root]
        yield from sorted(p for p in self.root.rglob("*.json")
                          if not any(p.is_relative_to(folder) for folder in nested))

    def document_at(self, uri: str) -> Any:
        doc_uri, fragment = urldefrag(uri)
        node = self.documents[doc_uri]
        for token in pointer_tokens(fragment):
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node


_LITERAL_KEYWORDS = ("const", "enum", "examples", "default", DOCUMENTED_VALUES)


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
        pointer = "".join(f"/{escape_token(str(t))}" for t in exc.instance_path)
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


def dump(document: Any) -> str:
    return json.dumps(document, indent=2)
