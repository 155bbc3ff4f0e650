"""Judging the vendor's own examples against the translated schemas, before anything is written.

Each example is judged by the engine `check` and `lint` use (validator.check.schema), on the
translated schema: an error is a contradiction, and so is drift (a member or value the schema
does not document is an `undocumented` warning, which `lint` counts as a failing example).
Judging with the same engine is what makes an imported contract lint clean; tests compare
the verdicts with python-jsonschema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Translated schemas are self-contained (components become $defs), so they are judged from
# memory: nothing under this root is ever read.
_VIRTUAL_ROOT = Path("imported-schemas")


class ExampleJudge:
    """Validates example bodies; each schema file is compiled once."""

    def __init__(self) -> None:
        self._shapes: dict[str, Any] = {}

    def problems(self, key: str, document: Any, body: Any) -> list[tuple[str, str]]:
        """(instance pointer, message) for each way the body contradicts the schema."""
        from validator.model.pointer import make_pointer

        errors, drift = self._shape(key, document).inspect(body)
        found = [(make_pointer(list(e.instance_path)), f"schema: {_short(str(e.message))}")
                 for e in errors]
        return found or [(d.pointer, f"undocumented: {_short(d.message)}") for d in drift or []]

    def _shape(self, key: str, document: Any) -> Any:
        from validator.check.schema import BodySchema
        from validator.load.schemas import SchemaStore

        if key not in self._shapes:
            store = SchemaStore(_VIRTUAL_ROOT)
            uri = store.uri_for(key)
            store.add_document(uri, document)
            self._shapes[key] = BodySchema(store, {"$ref": uri}, [], formats=False)
        return self._shapes[key]


def _short(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= 160 else text[:157] + "..."
