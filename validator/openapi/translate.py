"""OpenAPI 3.0/3.1 Schema Objects to JSON Schema 2020-12, as the contract's drift policy wants.

- 3.0 `nullable: true` adds "null" to `type` (and `null` to `enum`), or `anyOf [.., null]`.
- 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` become the 2020-12 numeric forms.
- `example` becomes `examples: [..]`; `discriminator` is kept as `x-discriminator`
  (2020-12 has no such keyword; `anyOf` already decides the branch).
- `readOnly`/`writeOnly` stay (2020-12 annotations); a `writeOnly` property is dropped from
  `required` (it is never sent in a response).
- Enums become `x-documented` lists (a value outside is an `undocumented` warning) unless the
  policy keeps them closed; `additionalProperties: false` is dropped (an undeclared member is
  drift) unless the schema is marked `x-respcontract-object: closed`.
- `oneOf` becomes `anyOf` (opened enums make vendor branches overlap); one branch is unwrapped.
- A `$ref` to `components/schemas/NAME` becomes `#/$defs/KEY`; any other `$ref` (deeper
  pointers, a whole `properties` map) is inlined. Inside `anyOf`/`allOf`/`not`/`if` branches
  a component becomes `#/x-open-defs/KEY` instead: the checker closes every `$defs` entry for
  drift, and a closed definition inside a branch would turn drift into a failed branch
  (a verdict change). `x-open-defs` is not a keyword, so nothing under it is closed.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from validator.model.pointer import escape_token, unescape_token
from validator.openapi.policy import OBJECT_MARK, Policy
from validator.openapi.specs import ImportProblem, SpecSet

COMPONENT_PREFIX = "/components/schemas/"
OPEN_DEFS = "x-open-defs"
_BRANCHES = ("anyOf", "oneOf", "allOf")
_SINGLE_BRANCHES = ("not", "if", "then", "else")
_ANNOTATIONS = {"description", "title", "nullable", "type", "deprecated"}
_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string",
               type(None): "null", list: "array", dict: "object"}


class Translator:
    """Translates schemas of one spec set; components become `$defs` of each schema file."""

    def __init__(self, specs: SpecSet, policy: Policy) -> None:
        self.specs = specs
        self.policy = policy
        self.owner: Path | None = None  # the spec whose components keep their bare names
        self._defs: dict[str, Any] = {}
        self._open: dict[str, Any] = {}
        self._pending: list[tuple[str, Path, Any, bool]] = []
        self._keys: dict[tuple[Path, str], str] = {}

    def schema_file(self, node: Any, base: Path) -> dict[str, Any]:
        """A complete schema document: the translated node plus the `$defs` it reaches."""
        self._defs, self._open, self._pending = {}, {}, []
        root = self.node(node, base, False, frozenset(), None)
        while self._pending:
            key, file, raw, inline = self._pending.pop(0)
            (self._open if inline else self._defs)[key] = self.node(raw, file, inline,
                                                                     frozenset(), None)
        document: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        if isinstance(root, bool):
            root = {} if root else {"not": {}}
        document.update(root)
        if self._defs:
            document["$defs"] = dict(sorted(self._defs.items()))
        if self._open:
            document[OPEN_DEFS] = dict(sorted(self._open.items()))
        return document

    def _key(self, file: Path, pointer: str) -> str:
        """The `$defs` name of a referenced schema (rule in docs/guides/openapi.md)."""
        found = self._keys.get((file, pointer))
        if found is None:
            tokens = [t for t in pointer.split("/") if t]
            if pointer.startswith(COMPONENT_PREFIX) and len(tokens) == 3:
                tokens = tokens[2:]
            else:
                tokens = [unescape_token(t) for t in tokens]
            if file != self.owner:
                tokens.insert(0, file_label(file, self.owner))
            found = ".".join(tokens) or file.stem
            taken = set(self._keys.values())
            candidate, number = found, 2
            while candidate in taken:
                candidate, number = f"{found}_{number}", number + 1
            self._keys[(file, pointer)] = found = candidate
        return found

    def node(self, raw: Any, base: Path, inline: bool, seen: frozenset[str],
             name: str | None) -> Any:
        """One translated schema node (`inline`: inside a branch, defs stay open)."""
        if isinstance(raw, bool):
            return raw
        if not isinstance(raw, dict):
            self.specs.skip(ImportProblem(f"{base}: a schema must be an object, found "
                                          f"{raw!r:.60}; it accepts anything here"))
            return {}
        if isinstance(raw.get("$ref"), str):
            return self._ref(raw, base, inline, seen, name)
        is30 = self.specs.version(base) == "3.0"
        out: dict[str, Any] = {}
        for key, value in raw.items():
            self._member(out, key, value, raw, base, inline, seen, is30)
        if "enum" in out and not self.policy.enum_is_closed(raw, name):
            self._open_enum(out)
        if out.get("additionalProperties") is False and "properties" in out and \
                raw.get(OBJECT_MARK) != "closed" and not self.policy.faithful:
            del out["additionalProperties"]
        if is30 and raw.get("nullable") is True:
            out = _nullable(out)
        return self._unwrap(out)

    def _member(self, out: dict[str, Any], key: str, value: Any, raw: dict[str, Any],
                base: Path, inline: bool, seen: frozenset[str], is30: bool) -> None:
        if key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
            members, file = self.specs.deref(value, base)
            if key == "patternProperties" and isinstance(members, dict):
                members = {k: v for k, v in members.items() if self._pattern_ok(k, base)}
            out[key] = {k: self.node(v, file, inline, seen, k) for k, v in members.items()} \
                if isinstance(members, dict) else {}
        elif key == "pattern":
            if isinstance(value, str) and self._pattern_ok(value, base):
                out[key] = value
        elif key == "enum" and not isinstance(value, list):
            pass
        elif key == "prefixItems" or (key == "items" and isinstance(value, list)):
            out["prefixItems"] = [self.node(v, base, inline, seen, None) for v in value]
        elif key in ("items", "additionalProperties", "unevaluatedProperties",
                     "propertyNames", "contains", "unevaluatedItems"):
            out[key] = value if isinstance(value, bool) else \
                self.node(value, base, inline, seen, None)
        elif key in _BRANCHES and not isinstance(value, list):
            pass
        elif key in _BRANCHES:
            target = "anyOf" if key == "oneOf" and not self.policy.faithful else key
            lone = key in ("oneOf", "anyOf") and len(value) == 1 and \
                _annotations_only(set(raw) - {key})  # unwrapped below: not a branch
            branches = [self.node(v, base, inline if lone else not self.policy.faithful,
                                  seen, None) for v in value]
            out.setdefault(target, []).extend(branches)
        elif key in _SINGLE_BRANCHES:
            out[key] = self.node(value, base, not self.policy.faithful, seen, None)
        elif key == "nullable" and is30:
            pass
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in raw:
                out[key] = raw[bound]
        elif key in ("minimum", "maximum") and raw.get(f"exclusive{key.title()}") is True:
            pass
        elif key == "example":
            out.setdefault("examples", [self.specs.data(value, base)])
        elif key == "examples":
            out["examples"] = self.specs.data(value, base)
        elif key == "discriminator":
            out["x-discriminator"] = copy.deepcopy(value)
        elif key == "required" and isinstance(value, list):
            props, _ = self.specs.deref(raw.get("properties") or {}, base)
            out[key] = [n for n in value if not (isinstance(props.get(n), dict)
                                                 and props[n].get("writeOnly") is True)]
            if not out[key]:
                del out[key]
        elif key in ("$schema", "$id", "xml", "externalDocs"):
            if key == "externalDocs" and isinstance(value, dict) and "url" in value:
                out["x-docs"] = value["url"]
        else:
            out[key] = copy.deepcopy(value)

    def _ref(self, raw: dict[str, Any], base: Path, inline: bool, seen: frozenset[str],
             name: str | None) -> Any:
        ref = raw["$ref"]
        try:
            file, pointer, target = self.specs.resolve(ref, base)
        except ImportProblem as problem:
            self.specs.skip(problem)
            return {"x-unresolved": ref}
        if self.specs.version(base) == "3.0":  # 3.0 ignores a $ref's siblings but these
            extra = {k: v for k, v in raw.items() if k in ("description", "title")}
        else:  # 3.1 (2020-12) applies them
            rest = {k: v for k, v in raw.items() if k != "$ref"}
            translated = self.node(rest, base, inline, seen, name) if rest else {}
            extra = translated if isinstance(translated, dict) else {}
        key = self._key(file, pointer)
        table = self._open if inline else self._defs
        if key not in table:
            table[key] = {}  # placeholder: keeps recursion finite
            self._pending.append((key, file, target, inline))
        place = OPEN_DEFS if inline else "$defs"
        out: dict[str, Any] = {"$ref": f"#/{place}/{escape_token(key)}", **extra}
        if self.specs.version(base) == "3.0" and raw.get("nullable") is True:
            return _nullable(out)
        return out

    def _pattern_ok(self, pattern: str, base: Path) -> bool:
        """Whether the checker's engine (ECMA 262 regexes) compiles it; if not, a note."""
        import jsonschema_rs

        try:
            jsonschema_rs.validator_for({"pattern": pattern})
        except (jsonschema_rs.ValidationError, ValueError):
            self.specs.skip(ImportProblem(f"{base}: pattern {pattern!r} is not an ECMA 262 "
                                          "regular expression; dropped"))
            return False
        return True

    def _open_enum(self, out: dict[str, Any]) -> None:
        values = out.pop("enum")
        out.setdefault("x-documented", values)  # an overlay's own list wins
        if "type" not in out:
            types = sorted({_JSON_TYPES.get(type(v), "string") for v in values})
            if "integer" in types and "number" in types:
                types.remove("integer")
            out["type"] = types[0] if len(types) == 1 else types

    def _unwrap(self, out: dict[str, Any]) -> dict[str, Any]:
        """`anyOf` with one branch and nothing but annotations around it: the branch."""
        branches = out.get("anyOf")
        if not (isinstance(branches, list) and len(branches) == 1
                and isinstance(branches[0], dict)):
            return out
        rest = {k: v for k, v in out.items() if k != "anyOf"}
        if not _annotations_only(set(rest)):
            return out
        branch = dict(branches[0])
        kept_type = rest.pop("type", None)
        if kept_type is not None and "$ref" not in branch and "type" not in branch:
            branch["type"] = kept_type
        for key, value in rest.items():
            branch.setdefault(key, value)
        return branch


def _annotations_only(keys: set[str]) -> bool:
    return all(k in _ANNOTATIONS or k.startswith("x-") for k in keys)


def _nullable(out: Any) -> Any:
    if not isinstance(out, dict):
        return out
    kind = out.get("type")
    if isinstance(kind, str) and "$ref" not in out:
        out = {**out, "type": [kind, "null"]}
    elif isinstance(kind, list) and "$ref" not in out:
        out = {**out, "type": kind if "null" in kind else [*kind, "null"]}
    else:
        return {"anyOf": [out, {"type": "null"}]}
    for key in ("enum", "x-documented"):
        if isinstance(out.get(key), list) and None not in out[key]:
            out[key] = [*out[key], None]
    return out


def file_label(file: Path, owner: Path | None) -> str:
    """A referenced file as a `$defs` name part: its path from the owner spec's folder."""
    try:
        relative = file.relative_to(owner.parent) if owner else Path(file.name)
    except ValueError:
        relative = Path(file.name)
    return ".".join([*relative.parent.parts, relative.stem]).replace("..", "up")
