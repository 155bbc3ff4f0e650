"""The typed contract model: contracts, endpoints, responses, parameters and rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator.model.pointer import pointer_tokens

if TYPE_CHECKING:
    from validator.load.schemas import SchemaStore


@dataclass(frozen=True)
class Parameter:
    name: str
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    example: str | None = None

    def problem(self, value: str) -> str | None:
        if self.pattern and not re.search(self.pattern, value):
            return f"{self.name}={value!r} does not match {self.pattern!r}"
        if self.enum and value not in self.enum:
            return f"{self.name}={value!r} is not one of {', '.join(self.enum)}"
        return None


@dataclass(frozen=True)
class ResponseSpec:
    status: str
    content_type: str | None
    schema: str | None
    body: str  # "empty", "json" or "any"
    docs: str | None = None

    def matches(self, status: int) -> bool:
        if self.status == "default":
            return True
        if self.status.endswith("XX"):
            return str(status)[0] == self.status[0] and len(str(status)) == 3
        return self.status == str(status)


@dataclass(frozen=True)
class Rule:
    id: str
    raw: dict[str, Any]
    docs: str | None
    severity: str
    at: tuple[str, ...]
    statuses: tuple[str, ...] | None
    when: dict[str, Any]

    @cached_property
    def kind(self) -> str:
        for kind in ("state", "equals", "unique", "then", "assert"):
            if kind in self.raw:
                return kind
        return "assert"

    @property
    def selector(self) -> str:
        return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in self.at)

    def applies_to_status(self, status: int) -> bool:
        if self.statuses is None:
            return True
        code = str(status)
        return any(s in (code, "default") or (s.endswith("XX") and s[0] == code[0])
                   for s in self.statuses)


@dataclass(frozen=True)
class LinkParameter:
    """One parameter a link fills: `part` (query or params), its name, the body pointer."""

    part: str
    name: str
    pointer: tuple[str, ...]  # tokens; a * token stands for every item or member


@dataclass(frozen=True)
class Link:
    """A value one endpoint returns that becomes a parameter of another (an OpenAPI link)."""

    id: str
    source: str  # the endpoint that returns the value (its name in this contract)
    target: str  # ENDPOINT of this contract, or CONTRACT:ENDPOINT
    parameters: tuple[LinkParameter, ...]
    statuses: tuple[str, ...] | None  # None: every 2XX
    docs: str | None = None

    def applies_to_status(self, status: int) -> bool:
        if self.statuses is None:
            return 200 <= status < 300
        return any(ResponseSpec(s, None, None, "any").matches(status) for s in self.statuses)


@dataclass(frozen=True)
class Lifecycle:
    """A resource that moves through states across calls, keyed by a link's values."""

    name: str
    source: str  # endpoint whose link creates the resource
    link: str  # that link's id
    at: tuple[str, ...]  # selector of the resource nodes in the link target's answers
    key: str
    field: str
    states: tuple[str, ...]
    final: tuple[str, ...]
    frozen: bool = True
    unknown: int | None = None  # status for a key that names no resource
    list_all: bool = True
    docs: str | None = None


@dataclass
class Endpoint:
    contract: Contract
    name: str
    method: str
    path: str
    responses: list[ResponseSpec]
    params: dict[str, Parameter]
    query: dict[str, Parameter]
    rules: list[Rule]
    examples: list[Path]
    docs: str | None
    writes: bool
    summary: str = ""
    links: list[Link] = field(default_factory=list)
    route: re.Pattern[str] = field(init=False)
    _by_status: dict[int, ResponseSpec | None] = field(init=False, repr=False)
    _rules_by_status: dict[int, list[Rule]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.route = _route_regex(self.path)
        self._by_status = {}
        self._rules_by_status = {}

    @property
    def full_name(self) -> str:
        return f"{self.contract.name}:{self.name}"

    def response_for(self, status: int) -> ResponseSpec | None:
        if status not in self._by_status:
            self._by_status[status] = self._find_response(status)
        return self._by_status[status]

    def rules_for(self, status: int) -> list[Rule]:
        """Rules whose `status` list admits this status (`when` is decided per exchange)."""
        if status not in self._rules_by_status:
            self._rules_by_status[status] = [r for r in self.rules
                                             if r.applies_to_status(status)]
        return self._rules_by_status[status]

    def _find_response(self, status: int) -> ResponseSpec | None:
        exact = [r for r in self.responses if r.status == str(status)]
        ranged = [r for r in self.responses if r.status.endswith("XX") and r.matches(status)]
        default = [r for r in self.responses if r.status == "default"]
        for group in (exact, ranged, default):
            if group:
                return group[0]
        return None

    def match_path(self, path: str) -> dict[str, str] | None:
        match = self.route.fullmatch(path.rstrip("/") or "/")
        if match is None:
            return None
        values = match.groupdict()
        for name, value in values.items():
            spec = self.params.get(name)
            if spec and spec.problem(value):
                return None
        return values

    @property
    def literal_segments(self) -> int:
        return sum(1 for s in self.path.split("/") if s and "{" not in s)


@dataclass
class Contract:
    name: str
    path: Path
    raw: dict[str, Any]
    store: SchemaStore
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    schema_roots: list[tuple[str, str]] = field(default_factory=list)  # (uri, referrer)
    lifecycles: dict[str, Lifecycle] = field(default_factory=dict)

    @property
    def docs(self) -> str | None:
        docs = self.raw.get("docs")
        return docs if isinstance(docs, str) else None

    def line_of(self, pointer: str) -> int | None:
        """The line of a JSON pointer in the contract file (parses the YAML again)."""
        from validator.load.contracts import pointer_line

        return pointer_line(self.path, pointer_tokens(pointer))


def _route_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", template.rstrip("/") or "/")
    regex = "".join(
        f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts
    )
    return re.compile(regex)
