"""A tiny benchmark harness: cases register themselves, the runner takes medians.

A case is a function that performs one measured run and returns the measured
value (a float) in the unit it declares.  The harness calls it ``repeat`` times
and records the median, the minimum and the maximum.  Set-up that must not be
timed belongs in a ``setup`` callable whose result is passed to the case.

    @case("telemetry ingest, SQLite, 6,000 rows", unit="rows/s", target=">= 300000")
    def ingest_sqlite_6k(ctx) -> float: ...
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable
from typing import Any

REGISTRY: list[Case] = []


@dataclasses.dataclass
class Case:
    name: str
    unit: str
    target: str
    repeat: int
    func: Callable[[Any], float]
    setup: Callable[[], Any] | None
    teardown: Callable[[Any], None] | None
    group: str
    needs: str | None  # e.g. "pg": skipped unless HASHINSIGHT_TEST_PG_URL is set


def case(
    name: str,
    *,
    unit: str,
    target: str = "",
    repeat: int = 5,
    setup: Callable[[], Any] | None = None,
    teardown: Callable[[Any], None] | None = None,
    needs: str | None = None,
) -> Callable[[Callable[[Any], float]], Callable[[Any], float]]:
    """Register a benchmark case (see module docstring)."""

    def register(func: Callable[[Any], float]) -> Callable[[Any], float]:
        group = func.__module__.rsplit(".", 1)[-1].removeprefix("bench_")
        REGISTRY.append(
            Case(name, unit, target, repeat, func, setup, teardown, group, needs)
        )
        return func

    return register


@dataclasses.dataclass
class Result:
    group: str
    name: str
    unit: str
    target: str
    median: float | None
    low: float | None
    high: float | None
    runs: int
    note: str = ""

    def meets_target(self) -> bool | None:
        if self.median is None or not self.target:
            return None
        op, _, number = self.target.partition(" ")
        limit = float(number.replace(",", ""))
        return {"<=": self.median <= limit, ">=": self.median >= limit}.get(op)


def run_case(c: Case) -> Result:
    ctx = c.setup() if c.setup else None
    try:
        values = [float(c.func(ctx)) for _ in range(c.repeat)]
    finally:
        if c.teardown:
            c.teardown(ctx)
    return Result(
        c.group, c.name, c.unit, c.target,
        statistics.median(values), min(values), max(values), len(values),
    )
