"""The mock server: the contracts as a stateful fake API, with edge cases and faults.

    from validator.mock import MockServer

    with MockServer(kind="valid", seed=1, steps=2, faults="429:0.1") as mock:
        ...  # point an HTTP client at mock.base_url; mock.exchanges holds what was served

See docs/guides/mock.md. Importing this package imports hypothesis (generation).
"""

from __future__ import annotations

from validator.mock.faults import Fault, parse_faults
from validator.mock.server import MockServer
from validator.model.kinds import KINDS

__all__ = ["KINDS", "Fault", "MockServer", "parse_faults"]
