"""Polling: repeat a request until every node a state rule follows is final, a step says
stop, or the time is up. Pure control flow: the session supplies the step."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Step:
    """What one poll learnt about the polled state."""

    final: bool  # every followed node has reached a final value
    progress: str = ""
    pending: tuple[str, ...] = ()  # keys of nodes not final yet
    stop: str | None = None  # a reason to stop at once (no state in the answer, a broken rule)


@dataclass(frozen=True)
class PollEnd:
    """Why polling ended, after how many polls, and the last step."""

    polls: int
    last: Step
    reason: str  # "final", "timeout", or the step's stop reason


def poll(step: Callable[[int], Step], interval: float, timeout: float, confirm: int = 1,
         on_progress: Callable[[int, Step, float], None] | None = None,
         sleep: Sleep = time.sleep, clock: Callable[[], float] = time.monotonic) -> PollEnd:
    """Call step(0), step(1), ... until every node is final and `confirm` more polls agree
    (so final nodes are seen to stay put), a step says stop, or `timeout` would pass."""
    started = clock()
    index = confirmations = 0
    while True:
        result = step(index)
        index += 1
        elapsed = clock() - started
        if on_progress is not None:
            on_progress(index, result, elapsed)
        if result.stop is not None:
            return PollEnd(index, result, result.stop)
        if result.final:
            if confirmations >= confirm:
                return PollEnd(index, result, "final")
            confirmations += 1
        else:
            confirmations = 0
        if elapsed + interval > timeout:
            return PollEnd(index, result, "timeout")
        sleep(interval)
