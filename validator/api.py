"""High-level entry points shared by the CLI, the pytest plugin and library users."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from validator.check.checker import Checker
from validator.load import config as configuration
from validator.load.contracts import ContractSet
from validator.model.exchange import Exchange
from validator.model.findings import ExchangeResult, Finding, Report
from validator.report.caps import DEFAULT_MAX_FINDINGS, cap
from validator.sources.files import DEFAULT_MAX_BYTES


def load_contracts(paths: Iterable[Path] = (), bundled: bool | None = None,
                   config: configuration.Config | None = None) -> ContractSet:
    """Bundled contracts, plus [tool.respcontract] contracts, plus `paths`."""
    config = config or configuration.Config()
    use_bundled = config.bundled if bundled is None else bundled
    return ContractSet.load([*config.contracts, *paths], bundled=use_bundled)


def example_paths(contracts: ContractSet) -> list[Path]:
    """Every documented example exchange of the contracts, once each, in order."""
    seen: dict[Path, None] = {}
    for endpoint in contracts.endpoints():
        for example in endpoint.examples:
            seen.setdefault(example, None)
    return list(seen)


def check_file(checker: Checker, path: Path, endpoint: str | None = None,
               status: int = 200, max_bytes: int | None = DEFAULT_MAX_BYTES,
               max_findings: int | None = DEFAULT_MAX_FINDINGS) -> list[ExchangeResult]:
    """Every exchange in one recording file, checked; unreadable parts become findings."""
    from validator.sources import read

    loaded = read(path, endpoint, status, max_bytes)
    results = [_check_one(checker, exchange, endpoint) for exchange in loaded.exchanges]
    del loaded.exchanges[:]  # bodies and documents can go before the next file is read
    results = _with_problems(loaded.source, results, loaded.problems)
    return [_capped(checker, result, max_findings) for result in results]


def _capped(checker: Checker, result: ExchangeResult, limit: int | None) -> ExchangeResult:
    """Cap a result unless the checker already did (its summaries must not be cut again)."""
    return result if checker.max_findings is not None else cap(result, limit)


def _with_problems(source: str, results: list[ExchangeResult], problems: list[Finding]
                   ) -> list[ExchangeResult]:
    """Reading problems join the result of their exchange (or one of their own), in order."""
    by_index: dict[int | None, ExchangeResult] = {r.index: r for r in results}
    early: dict[int | None, list[Finding]] = {}
    for problem in problems:
        if problem.exchange not in by_index:
            result = ExchangeResult(source, problem.exchange, None)
            by_index[problem.exchange] = result
            results.append(result)
        early.setdefault(problem.exchange, []).append(problem)
    for index, found in early.items():
        result = by_index[index]
        result.findings[:0] = found  # what reading found comes before what checking found
    results.sort(key=lambda r: -1 if r.index is None else r.index)
    return results


def _check_one(checker: Checker, exchange: Exchange, endpoint: str | None) -> ExchangeResult:
    """One exchange; a checker bug becomes a finding on it instead of ending the whole run."""
    try:
        return checker.check(exchange, endpoint)
    except Exception as exc:
        from validator.model.findings import Severity
        from validator.sources import internal_error

        message = internal_error(exc, "checking this exchange")
        return ExchangeResult(exchange.source, exchange.index, None, [Finding(
            Severity.ERROR, "internal-error", message, exchange.source, exchange.index)])


def check_stream(checker: Checker, stream: IO[bytes], endpoint: str | None = None,
                 max_findings: int | None = DEFAULT_MAX_FINDINGS, source: str = "<stdin>"
                 ) -> Iterator[ExchangeResult]:
    """NDJSON: one exchange-file object per line, each checked as it arrives."""
    from validator.sources.ndjson import read_lines

    for loaded in read_lines(stream, source, endpoint):
        results = [_check_one(checker, exchange, endpoint) for exchange in loaded.exchanges]
        for result in _with_problems(loaded.source, results, loaded.problems):
            yield _capped(checker, result, max_findings)


def missing_paths(paths: Iterable[Path]) -> list[Path]:
    """The given paths that name nothing (a usage error, not a finding)."""
    return [p for p in paths if str(p) != "-" and not (p.exists() or p.is_symlink())]


def jobs_count(jobs: int | str | None) -> int:
    """`--jobs N|auto` as a number of processes (auto: the CPUs this process may use)."""
    if jobs in (None, "", 1, "1"):
        return 1
    if jobs == "auto":
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not on Linux
            return os.cpu_count() or 1
    return max(1, int(jobs))


def check_paths(paths: Iterable[Path], contracts: ContractSet, endpoint: str | None = None,
                strict: bool = False, status: int = 200,
                max_bytes: int | None = DEFAULT_MAX_BYTES,
                max_findings: int | None = DEFAULT_MAX_FINDINGS,
                jobs: int | str | None = 1, stdin: IO[bytes] | None = None) -> Report:
    """Check every recording under `paths` and collect one report.

    A path that does not exist is a usage error (UsageError), before anything is checked.
    `-` reads NDJSON exchanges from `stdin`. With `jobs` > 1 files are checked in worker
    processes; the report is the same, in the same order.
    """
    from validator.errors import UsageError
    from validator.sources import display, iter_files

    paths = list(paths)
    missing = missing_paths(paths)
    if missing:
        raise UsageError(f"no such file or folder: {display(missing[0])}")
    checker = Checker(contracts, max_findings)
    if endpoint:
        contracts.endpoint(endpoint)  # unknown endpoint: usage error before any file
    report = Report(strict=strict)
    files: list[Path] = []
    options = (endpoint, status, max_bytes, max_findings)
    for path in paths:
        if str(path) == "-":
            report.extend(_files(checker, files, options, jobs))
            files = []
            if stdin is not None:
                report.extend(check_stream(checker, stdin, endpoint, max_findings))
            continue
        for item in iter_files([path]):
            if isinstance(item, Finding):
                report.extend(_files(checker, files, options, jobs))
                files = []
                report.add(ExchangeResult(item.source, None, None, [item]))
            else:
                files.append(item)
    report.extend(_files(checker, files, options, jobs))
    return report


def _files(checker: Checker, files: list[Path], options: tuple[Any, ...],
           jobs: int | str | None) -> Iterator[ExchangeResult]:
    workers = min(jobs_count(jobs), len(files))
    if workers <= 1:
        for path in files:
            yield from check_file(checker, path, *options)
        return
    from validator.parallel import check_in_workers

    yield from check_in_workers(checker, files, options, workers)
