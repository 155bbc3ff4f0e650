"""`check --jobs N`: recording files checked in worker processes, results in file order.

The checker is pickled once into every worker (its compiled validators are not: each worker
compiles its own on first use); files go out in small chunks and `map` returns results in
the order the files were given, so the report is the one a single process would write.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from validator.check.checker import Checker
from validator.model.findings import ExchangeResult

_checker: Checker | None = None
_options: tuple[Any, ...] = ()


def _start(checker: bytes, options: tuple[Any, ...]) -> None:
    global _checker, _options
    _checker = pickle.loads(checker)
    _options = options


def _check(path: Path) -> list[ExchangeResult]:
    from validator.api import check_file

    assert _checker is not None
    return check_file(_checker, path, *_options)


def check_in_workers(checker: Checker, files: list[Path], options: tuple[Any, ...],
                     workers: int) -> Iterator[ExchangeResult]:
    """Every file's results, as `check_file` gives them, in the order of `files`."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunk = max(1, min(64, len(files) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(pickle.dumps(checker), options)) as pool:
        for results in pool.map(_check, files, chunksize=chunk):
            yield from results
