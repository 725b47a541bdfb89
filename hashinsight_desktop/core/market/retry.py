"""Retries with exponential backoff and jitter, for transient network failures only.

Jitter spreads retries from several workstations hitting the same free API so they do
not arrive in lock-step.  ``sleep`` and ``rng`` are injectable so tests run instantly
and deterministically.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # total tries, first one included
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    jitter: float = 0.5  # fraction of each delay that is randomised

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be >= 1, got {self.attempts}")
        if self.base_delay_s < 0 or self.max_delay_s < 0:
            raise ValueError("retry delays must be >= 0")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must be between 0 and 1, got {self.jitter}")

    def delay(self, retry_index: int, rng: random.Random) -> float:
        """Delay before retry number ``retry_index`` (0-based): base * 2**i, capped, jittered."""
        full = min(self.base_delay_s * 2.0 ** retry_index, self.max_delay_s)
        return full * (1.0 - self.jitter * rng.random())


def call_with_retries(fn: Callable[[], T], *, policy: RetryPolicy,
                      is_transient: Callable[[BaseException], bool],
                      sleep: Callable[[float], None] = time.sleep,
                      rng: random.Random | None = None) -> T:
    """Call ``fn``; on a transient error wait and try again, up to ``policy.attempts``."""
    rng = rng or random.Random()
    for attempt in range(policy.attempts):
        try:
            return fn()
        except Exception as exc:
            if attempt + 1 >= policy.attempts or not is_transient(exc):
                raise
            sleep(policy.delay(attempt, rng))
    raise AssertionError("unreachable: the loop returns or raises")
