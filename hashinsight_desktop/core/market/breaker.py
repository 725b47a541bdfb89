"""A circuit breaker per API provider: stop calling a source that keeps failing.

Closed: calls pass; ``failure_threshold`` consecutive failures open it.  Open: calls
are refused without touching the network until ``cooldown_s`` has passed.  Half-open:
one trial call is let through; success closes the breaker, failure re-opens it for
another cool-down.  Thread-safe; the clock is injectable for tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitOpen(Exception):
    """Raised instead of calling a source whose breaker is open."""

    def __init__(self, name: str, retry_in_s: float) -> None:
        super().__init__(f"circuit open for {name}: skipped, next try in {retry_in_s:.0f} s")
        self.name = name
        self.retry_in_s = retry_in_s


class CircuitBreaker:
    def __init__(self, name: str, *, failure_threshold: int = 3, cooldown_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be >= 1, got {failure_threshold}")
        if cooldown_s < 0:
            raise ValueError(f"cooldown_s must be >= 0, got {cooldown_s}")
        self.name = name
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        with self._lock:
            return self._state_locked()

    def _state_locked(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at >= self.cooldown_s:
            return HALF_OPEN
        return OPEN

    def before_call(self) -> None:
        """Raise CircuitOpen if the call must not go out; otherwise let it through."""
        with self._lock:
            state = self._state_locked()
            if state == CLOSED:
                return
            if state == HALF_OPEN and not self._trial_running:
                self._trial_running = True  # exactly one probe while half-open
                return
            assert self._opened_at is not None
            remaining = max(self.cooldown_s - (self._clock() - self._opened_at), 0.0)
            raise CircuitOpen(self.name, remaining)

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
            self._trial_running = False
