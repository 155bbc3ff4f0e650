"""Lint contracts: meta-schema, schemas (meta-schema, refs, regexes), examples, rule reach.

Loading a contract already enforces its meta-schema, confined `$ref`s, unique routes and
compilable rule schemas; lint adds the checks that need the examples or the slower,
more thorough Python `jsonschema` meta-validation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from validator.check.checker import Checker
from validator.check.rules import select
from validator.errors import ContractError, UsageError
from validator.load import config as configuration
from validator.load.contracts import ContractSet, bundled_root, contract_files, load_contract
from validator.load.schemas import SchemaStore
from validator.model.contract import Contract
from validator.model.findings import Report
from validator.model.pointer import make_pointer


@dataclass
class LintOutcome:
    """What lint found: problems (fail), notes (informational), and whether anything is broken."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    broken: bool = False


def lint(paths: Iterable[Path], extra_contracts: Iterable[Path] = (),
         bundled: bool | None = None) -> LintOutcome:
    """Lint contracts, schemas, $refs, examples and rule selectors under `paths`."""
    outcome = LintOutcome()
    paths = list(paths)
    config = configuration.load()
    if paths:
        targets = _expand_changed(paths, config)
    else:
        use_bundled = config.bundled if bundled is None else bundled
        targets = [*([bundled_root() / "contracts"] if use_bundled else []),
                   *config.contracts, *extra_contracts]
    missing = [p for p in targets if not p.exists()]
    if missing:  # a typo must not read as "lint OK: 0 contract(s)"
        outcome.problems += [f"{p}: no such file or folder" for p in missing]
        outcome.broken = True
        targets = [p for p in targets if p not in missing]
    contract_paths = [p for p in targets if p.is_dir() or p.suffix in (".yaml", ".yml")]
    schema_paths = [p for p in targets if p.is_file() and p.suffix == ".json"]
    contracts = _load_each(contract_paths, outcome)
    roots: dict[Path, SchemaStore] = {c.store.root: c.store for c in contracts}
    broken_roots = {root for root, store in roots.items()
                    if not _lint_schemas(store, list(store.files()), outcome)}
    for schema in schema_paths:
        if not any(root in schema.resolve().parents for root in roots):  # not linted above
            _lint_schemas(SchemaStore(_root_of(schema)), [schema], outcome)
    contract_set = ContractSet(contracts)
    for contract in contracts:
        _lint_links(contract, contract_set, outcome)
    for contract in contracts:
        if contract.store.root not in broken_roots:  # examples need compilable schemas
            _lint_examples(contract, contract_set, outcome)
    outcome.problems = list(dict.fromkeys(outcome.problems))  # a file reached two ways
    if not outcome.problems:
        outcome.notes.append(f"lint OK: {len(contracts)} contract(s), "
                             f"{sum(len(list(s.files())) for s in roots.values())} schema(s)")
    return outcome


def _lint_links(contract: Contract, contracts: ContractSet, outcome: LintOutcome) -> None:
    """Links to another contract's endpoint (the ones loading cannot check alone)."""
    from validator.load.links import cross_contract_problems

    for message, pointer in cross_contract_problems(contract, contracts.find):
        outcome.problems.append(str(ContractError(str(contract.path), message, pointer)))
        outcome.broken = True


def _expand_changed(paths: list[Path], config: configuration.Config) -> list[Path]:
    """Files as pre-commit passes them: an example stands for the contracts beside its
    examples/ folder; a schema also brings the contracts next to its schemas/ folder and
    the configured ones, since a schema edit can break their examples."""
    targets: dict[Path, Path] = {}
    for path in paths:
        examples = next((p for p in path.parents if p.name == "examples"), None)
        owners = list(contract_files([examples.parent])) if examples and path.is_file() else []
        if not owners:
            targets.setdefault(path.resolve(), path)
        schemas = next((p for p in path.parents if p.name == "schemas"), None)
        if path.is_file() and path.suffix == ".json" and not owners:
            nearby = [schemas.parent / "contracts"] if schemas else []
            owners = [o for o in contract_files([p for p in [*config.contracts, *nearby]
                                                 if p.exists()]) if _uses_root(o, path)]
        for owner in owners:
            targets.setdefault(owner.resolve(), owner)
    return list(targets.values())


def _uses_root(contract: Path, schema: Path) -> bool:
    """Whether the contract's schema root holds the schema (an imported API has its own)."""
    return schema.resolve() in _schema_files(_schema_root(contract.resolve()))


@cache
def _schema_root(contract: Path) -> Path:
    """The schema root a contract file declares (cached: pre-commit passes every file)."""
    from validator.load.contracts import _parse_for_index
    from validator.load.schemas import schema_root_for

    raw = _parse_for_index(contract)
    declared = raw.get("schemas") if isinstance(raw, dict) else None
    return schema_root_for(contract, declared if isinstance(declared, str) else None)


@cache
def _schema_files(root: Path) -> frozenset[Path]:
    """Every schema file under a root, resolved (cached per run, like the roots)."""
    from validator.load.schemas import SchemaStore

    return frozenset(f.resolve() for f in SchemaStore(root).files())


def _root_of(schema: Path) -> Path:
    for parent in schema.resolve().parents:
        if parent.name == "schemas":
            return parent
    return schema.resolve().parent


def _load_each(paths: list[Path], outcome: LintOutcome) -> list[Contract]:
    contracts = []
    try:
        files = list(contract_files(paths))
    except UsageError as exc:
        outcome.problems.append(str(exc))
        outcome.broken = True
        return []
    for file in files:
        try:
            contracts.append(load_contract(file))
        except ContractError as exc:
            outcome.problems.append(f"{exc}")
            outcome.broken = True
    return contracts


def _lint_schemas(store: SchemaStore, files: list[Path], outcome: LintOutcome) -> bool:
    """Load every schema file through the one resolver, then meta-validate it thoroughly.

    Loading already refuses a `$ref` to nothing, a remote or an escaping `$ref` (one
    line each) and compiles every regex in the ECMA 262 dialect the checker uses; the
    python-jsonschema pass adds its complete meta-schema errors, without its `regex`
    format check (Python's `re` dialect would reject ECMA-only classes such as `\\p{L}`
    that the checker accepts).
    """
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    before = len(outcome.problems)
    for file in files:
        rel = file.resolve().relative_to(store.root.resolve()).as_posix()
        try:
            uri = store.load(rel, str(file))
        except ContractError as exc:
            outcome.problems.append(str(exc))
            outcome.broken = True
            continue
        document: Any = store.documents[uri.split("#")[0]]
        dialect = validator_for(document, default=Draft202012Validator)
        error = best_match(dialect(dialect.META_SCHEMA).iter_errors(document))
        if error is not None:
            pointer = make_pointer(list(error.absolute_path))
            outcome.problems.append(f"{file}#{pointer}: invalid schema: {error.message}")
            outcome.broken = True
    return len(outcome.problems) == before


def _lint_examples(contract: Contract, contracts: ContractSet, outcome: LintOutcome) -> None:
    from validator.api import check_file

    checker = Checker(contracts)
    for endpoint in contract.endpoints.values():
        bodies: list[Any] = []
        for example in endpoint.examples:
            report = Report(strict=True)
            results = check_file(checker, example, endpoint.full_name)
            report.extend(results)
            for finding in report.findings:
                outcome.problems.append(f"{finding.location()}: example fails "
                                        f"[{finding.rule}] {finding.pointer} {finding.message}")
            bodies.extend(_bodies(example, endpoint.full_name))
        for index, rule in enumerate(endpoint.rules):
            if rule.at and not any(next(select(body, rule.at), None) for body in bodies):
                line = contract.line_of(f"/endpoints/{endpoint.name}/rules/{index}/at")
                where = f"{contract.path}:{line}" if line else str(contract.path)
                outcome.problems.append(
                    f"{where}: rule {rule.id!r}: selector {rule.selector} reaches no node in "
                    f"any example of {endpoint.full_name}")


def _bodies(example: Path, endpoint: str) -> list[Any]:
    from validator.formats.json import loads_bytes_strict
    from validator.model.exchange import NOT_PARSED
    from validator.sources import read

    bodies = []
    for exchange in read(example, endpoint).exchanges:
        body = exchange.response.parsed
        if body is NOT_PARSED:
            body, problem = loads_bytes_strict(exchange.response.body or b"")
            if problem is not None:
                continue
        bodies.append(body)
    return bodies
