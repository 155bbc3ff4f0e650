"""The one way respcontract runs hypothesis itself (`fuzz`, `sample`): a fixed seed, no example
database, no deadline and no health checks (a slow consumer or a loaded machine is not a bug)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def run_examples(strategy: Any, test: Callable[[Any], None], max_examples: int,
                 seed: int) -> None:
    """Call `test` on up to `max_examples` examples drawn from `strategy` with `seed`; an
    exception from `test` is shrunk to its smallest example and raised again, quietly."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis import seed as fixed_seed

    @fixed_seed(seed)
    @settings(max_examples=max_examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
              verbosity=Verbosity.quiet, derandomize=False,
              phases=(Phase.explicit, Phase.generate, Phase.shrink))
    @given(strategy)
    def run_one(example: Any) -> None:
        test(example)

    run_one()
