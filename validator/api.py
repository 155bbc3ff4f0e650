"""High-level entry points shared by the CLI, the pytest plugin and library users."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from validator.check.checker import Checker
from validator.load import config as configuration
from validator.load.contracts import ContractSet
from validator.model.exchange import Exchange
from validator.model.findings import ExchangeResult, Report
from validator.sources.files import DEFAULT_MAX_BYTES


def load_contracts(paths: Iterable[Path] = (), bundled: bool | None = None,
                   config: configuration.Config | None = None) -> ContractSet:
    """Bundled contracts, plus [tool.respcontract] contracts, plus `paths`."""
    config = config or configuration.Config()
    use_bundled = config.bundled if bundled is None else bundled
    return ContractSet.load([*config.contracts, *paths], bundled=use_bundled)


def example_paths(contracts: ContractSet) -> list[Path]:
    """Every example file the contracts' endpoints name, once each, in order."""
    seen: dict[Path, None] = {}
    for endpoint in contracts.endpoints():
        for example in endpoint.examples:
            seen.setdefault(example, None)
    return list(seen)


def check_file(checker: Checker, path: Path, endpoint: str | None = None,
               status: int = 200, max_bytes: int | None = DEFAULT_MAX_BYTES
               ) -> list[ExchangeResult]:
    """Every exchange in one recording file, checked; unreadable parts become findings."""
    from validator.sources import read

    loaded = read(path, endpoint, status, max_bytes)
    results: list[ExchangeResult] = []
    by_index: dict[int | None, ExchangeResult] = {}
    for problem in loaded.problems:
        result = by_index.get(problem.exchange)
        if result is None:
            result = ExchangeResult(loaded.source, problem.exchange, None)
            by_index[problem.exchange] = result
            results.append(result)
        result.findings.append(problem)
    results.extend(_check_one(checker, exchange, endpoint) for exchange in loaded.exchanges)
    results.sort(key=lambda r: -1 if r.index is None else r.index)
    return results


def _check_one(checker: Checker, exchange: Exchange, endpoint: str | None) -> ExchangeResult:
    """One exchange; a checker bug becomes a finding on it instead of ending the whole run."""
    try:
        return checker.check(exchange, endpoint)
    except Exception as exc:
        from validator.model.findings import Finding, Severity
        from validator.sources import internal_error

        message = internal_error(exc, "checking this exchange")
        return ExchangeResult(exchange.source, exchange.index, None, [Finding(
            Severity.ERROR, "internal-error", message, exchange.source, exchange.index)])


def check_paths(paths: Iterable[Path], contracts: ContractSet, endpoint: str | None = None,
                strict: bool = False, status: int = 200,
                max_bytes: int | None = DEFAULT_MAX_BYTES) -> Report:
    """Check every recording under `paths` and collect one report."""
    from validator.model.findings import Finding
    from validator.sources import iter_files

    checker = Checker(contracts)
    if endpoint:
        contracts.endpoint(endpoint)  # unknown endpoint: usage error before any file
    report = Report(strict=strict)
    for item in iter_files(paths):
        if isinstance(item, Finding):
            report.add(ExchangeResult(item.source, None, None, [item]))
        else:
            report.extend(check_file(checker, item, endpoint, status, max_bytes))
    return report
