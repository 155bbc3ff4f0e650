"""`check --jobs N`: recording files checked in worker processes, results in file order.

Where processes fork, the workers inherit the checker as it is, its contracts loaded and
its validators compiled (the parent checks the first file itself first, so there is
something to inherit): nothing is pickled on the way out but the file paths. Elsewhere the
checker is pickled once into every worker, which compiles its own validators on first use.
Files go out in chunks, and results come back in the order the files were given, so the
report is the one a single process would write.

`--jobs auto` only starts workers when there are enough files for them to pay for their
start and for moving results back (MIN_FILES_PER_WORKER each) and CPUs idle enough to run
them; otherwise it is one job.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from validator.check.checker import Checker
from validator.model.findings import ExchangeResult

# Below this many files per worker, one process is as fast (measured in
# benchmarks/results/check.md: a medium file costs ~0.1-0.2 ms, a worker ~30-60 ms to start
# and feed), so `auto` does not start workers for fewer files.
MIN_FILES_PER_WORKER = 2000
MAX_CHUNK = 256

_checker: Checker | None = None
_options: tuple[Any, ...] = ()


def auto_workers(files: int) -> int:
    """How many processes `--jobs auto` uses for this many files (1: none started).

    One per CPU this process may use, but no more than there are idle ones (as `make -l`
    does, from the load average, this process counted as one of the running), and none
    for fewer than MIN_FILES_PER_WORKER files each: workers on CPUs that other work
    already keeps busy only add their start-up and the moving of results.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    try:
        idle = int(cpus - os.getloadavg()[0] + 1)
    except (AttributeError, OSError):  # pragma: no cover - no load average here
        idle = cpus
    return max(1, min(cpus, idle, files // MIN_FILES_PER_WORKER))


def _start(checker: bytes | None, options: tuple[Any, ...]) -> None:
    global _checker, _options
    if checker is not None:
        import pickle

        _checker = pickle.loads(checker)
    _options = options


def _check_chunk(paths: list[Path]) -> list[ExchangeResult]:
    from validator.api import check_file

    assert _checker is not None
    return [result for path in paths for result in check_file(_checker, path, *_options)]


def check_in_workers(checker: Checker, files: list[Path], options: tuple[Any, ...],
                     workers: int) -> Iterator[ExchangeResult]:
    """Every file's results, as `check_file` gives them, in the order of `files`."""
    import multiprocessing
    import pickle  # here, not above: `--jobs auto` imports this module for one file too
    from concurrent.futures import ProcessPoolExecutor

    from validator.api import check_file

    global _checker
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    if forking:  # warm the checker here, so that every worker inherits it ready
        yield from check_file(checker, files[0], *options)
        files = files[1:]
        _checker = checker
    size = max(1, min(MAX_CHUNK, len(files) // (workers * 4)))
    chunks = [files[at:at + size] for at in range(0, len(files), size)]
    shipped = None if forking else pickle.dumps(checker)
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                 initargs=(shipped, options)) as pool:
            for results in pool.map(_check_chunk, chunks):
                yield from results
    finally:
        if forking:
            _checker = None
