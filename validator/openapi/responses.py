"""Responses of one operation: status keys, media types, schema files and example exchanges."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator.openapi.specs import ImportProblem, SpecSet
from validator.openapi.translate import Translator, file_label

if TYPE_CHECKING:
    from validator.openapi.build import Imported
    from validator.openapi.examples import ExampleJudge

_NO_BODY = {"204", "205", "304"}
_MEDIA = re.compile(r"^[a-z]+/[a-zA-Z0-9.+-]+$")
RESPONSE_PREFIX = "/components/responses/"


@cache
def supports_content_form() -> bool:
    """Whether this version's contract syntax has `content:` and `headers:` in responses."""
    meta = Path(__file__).resolve().parent.parent / "load" / "contract.schema.json"
    try:
        response = json.loads(meta.read_text(encoding="utf-8"))["$defs"]["response"]
    except (OSError, ValueError, KeyError):
        return False
    return {"content", "headers"} <= set(response.get("properties") or {})


def is_json(media: str) -> bool:
    """Whether a media type carries JSON (application/json or a +json suffix)."""
    base = media.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


class ResponseBuilder:
    """Builds contract `responses` and writes schema documents and examples into `Imported`."""

    def __init__(self, specs: SpecSet, translator: Translator, name: str, leaf: str,
                 result: Imported, judge: ExampleJudge) -> None:
        self.specs = specs
        self.translator = translator
        self.name = name
        self.leaf = leaf
        self.result = result
        self.judge = judge
        self._shared: dict[tuple[Path, str, str], str] = {}

    def example_url(self, servers: dict[str, str], path: str, path_params: dict[str, Any],
                    query: dict[str, Any]) -> str:
        """The request URL of an example exchange: first server, parameter examples."""
        base = next(iter(servers.values()), "https://api.example.invalid")
        for param, spec in path_params.items():
            value = spec.get("example") or next(iter(spec.get("enum") or []), "1")
            path = path.replace(f"{{{param}}}", str(value))
        pairs = [f"{k}={spec['example']}" for k, spec in query.items()
                 if spec.get("required") and spec.get("example") is not None]
        return base.rstrip("/") + path + (f"?{'&'.join(pairs)}" if pairs else "")

    def build(self, base: Path, endpoint: str, method: str, op: dict[str, Any], url: str
              ) -> tuple[dict[str, Any], list[str]]:
        """The contract `responses` of one operation and the example files it wrote."""
        responses: dict[str, Any] = {}
        examples: list[str] = []
        listed = op.get("responses")
        for status, raw in (listed.items() if isinstance(listed, dict) else []):
            key = str(status).upper() if str(status).lower() != "default" else "default"
            if not re.fullmatch(r"[1-5][0-9][0-9]|[1-5]XX|default", key):
                self.result.notes.append(f"{base.name}: {method} {endpoint}: response "
                                         f"{status!r} is not a status; skipped")
                continue
            ref = raw.get("$ref") if isinstance(raw, dict) else None
            try:
                shared = (self.specs.target_file(ref, base), ref.split("#", 1)[1] if "#" in
                          ref else "") if isinstance(ref, str) else None
                response, file = self.specs.deref(raw, base)
            except ImportProblem as problem:
                self.specs.skip(problem)
                continue
            if not isinstance(response, dict):
                continue
            responses[key] = self._response(file, endpoint, method, key, response, shared,
                                            base, url, examples)
        if not responses:
            responses["default"] = {"body": "any"}
        return responses, examples

    def _response(self, file: Path, endpoint: str, method: str, status: str,
                  response: dict[str, Any], shared: tuple[Path, str] | None, base: Path, url: str,
                  examples: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        description = response.get("description")
        content: dict[str, Any] = response["content"] if isinstance(response.get("content"),
                                                                      dict) else {}
        headers: dict[str, Any] = response["headers"] if isinstance(response.get("headers"),
                                                                      dict) else {}
        media_out: dict[str, Any] = {}
        for media, raw_media in content.items():
            media_object, media_file = self.specs.deref(raw_media, file)
            media_out[media] = self._media(media_file, endpoint, status, media,
                                           media_object if isinstance(media_object, dict)
                                           else {}, shared, base, method, url, examples,
                                           len(content) > 1)
        if isinstance(description, str) and description.strip():
            out["description"] = " ".join(description.split())
        rich = supports_content_form()
        if headers and not rich:
            self._note(f"{endpoint} {status}: documented response headers dropped (this "
                       "respcontract's contract syntax has no `headers:`)")
            headers = {}
        if not media_out:
            out["body"] = "empty" if status in _NO_BODY or method == "HEAD" else "any"
        elif len(media_out) == 1 and not headers:
            out.update(next(iter(media_out.values())))
        elif rich:  # the media type is the key: a `content_type` inside would repeat it
            out["content"] = {media: {k: v for k, v in entry.items() if k != "content_type"}
                              for media, entry in media_out.items()}
        else:
            first = next(iter(media_out))
            self._note(f"{endpoint} {status}: media types other than {first} dropped (this "
                       "respcontract's contract syntax has no `content:`)")
            out.update(media_out[first])
        if headers:
            out["headers"] = self._headers(file, headers)
        return out

    def _note(self, text: str) -> None:
        if text not in self.result.notes:
            self.result.notes.append(text)

    def _headers(self, file: Path, headers: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, raw in headers.items():
            header, header_file = self.specs.deref(raw, file)
            if not isinstance(header, dict) or str(name).lower() == "content-type":
                continue
            entry: dict[str, Any] = {"required": bool(header.get("required", False))}
            if isinstance(header.get("description"), str) and header["description"].strip():
                entry["description"] = " ".join(header["description"].split())
            if isinstance(header.get("schema"), dict):
                entry["schema"] = self.translator.node(header["schema"], header_file, True,
                                                       frozenset(), None)
            out[str(name)] = entry
        return out

    def _media(self, file: Path, endpoint: str, status: str, media: str,
               media_object: dict[str, Any], shared: tuple[Path, str] | None, base: Path,
               method: str, url: str, examples: list[str], several: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if _MEDIA.match(media):
            out["content_type"] = media
        if not is_json(media):
            out["body"] = "any"
            return out
        schema = media_object.get("schema")
        rel: str | None = None
        if schema is None:
            out["body"] = "json"  # its examples still run: any JSON is what it documents
        else:
            rel = self._schema_file(file, endpoint, status, media, schema, shared, several)
            out["schema"] = rel
        for example_name, body in self._examples(media_object, file):
            written = self._example(endpoint, status, example_name, body, rel, base, method,
                                    url, out.get("content_type") or media)
            if written:
                examples.append(written)
        return out

    def _schema_file(self, file: Path, endpoint: str, status: str, media: str, schema: Any,
                     shared: tuple[Path, str] | None, several: bool) -> str:
        suffix = f".{_safe(media.split('/')[-1])}" if several else ""
        if shared:
            target_file, pointer = shared
            key = (target_file, pointer, media)
            if key in self._shared:
                return self._shared[key]
            component = pointer[len(RESPONSE_PREFIX):] if pointer.startswith(
                RESPONSE_PREFIX) else pointer.strip("/").replace("/", ".")
            label = "" if target_file == self.translator.owner else \
                file_label(target_file, self.translator.owner)
            component = ".".join(p for p in (label, component) if p)
            rel = f"{self.name}/responses/{_safe(component)}{suffix}.schema.json"
            self._shared[key] = rel
            title = component
        else:
            rel = f"{self.name}/{endpoint}.{status}{suffix}.schema.json"
            title = f"{endpoint}: {status} response"
        document = self.translator.schema_file(schema, file)
        document = {"$schema": document.pop("$schema"), "title": title, **document}
        self.result.schemas[rel] = document
        return rel

    def _examples(self, media_object: dict[str, Any], file: Path) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        if "example" in media_object:
            found.append(("example", self.specs.data(media_object["example"], file)))
        for name, raw in (media_object.get("examples") or {}).items():
            example, example_file = self.specs.deref(raw, file)
            if isinstance(example, dict) and "value" in example:
                found.append((str(name), self.specs.data(example["value"], example_file)))
        return found

    def _example(self, endpoint: str, status: str, example_name: str, body: Any,
                 rel: str | None, base: Path, method: str, url: str, media: str) -> str | None:
        code = {"default": "500"}.get(status, status.replace("XX", "00"))
        problems = [] if rel is None else self.judge.problems(rel, self.result.schemas[rel], body)
        file_name = _safe(f"{endpoint}.{status}.{example_name}") + ".json"
        exchange: dict[str, Any] = {
            "description": f"Vendor example {example_name!r} of {base.name} for {method} "
                           f"({status}).",
            "request": {"method": method, "url": url},
            "response": {"status": int(code), "headers": {"Content-Type": media},
                         "body": body},
        }
        if not problems:
            path = f"examples/{self.leaf}/{file_name}"
            self.result.examples[path] = exchange
            return path
        where = f"{base.name} {method} {endpoint} {status} example {example_name!r}"
        for pointer, message in problems[:3]:
            verb = "shows what the vendor's schema does not document" if message.startswith(
                "undocumented:") else "contradicts the vendor's schema"
            self.result.contradictions.append(
                f"Vendor example {where} {verb} at {pointer or '/'} ({message}); the schema is "
                f"kept and the example is filed under examples/{self.leaf}/contradicting/, not "
                "run by lint.")
        exchange["description"] += " It contradicts the schema: " + "; ".join(
            f"{p or '/'}: {m}" for p, m in problems[:3])
        self.result.examples[f"examples/{self.leaf}/contradicting/{file_name}"] = exchange
        return None
