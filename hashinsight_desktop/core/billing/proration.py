"""Which part of a month a miner (or a contract) was billable."""

from __future__ import annotations

import datetime as dt


def active_span(month_start: dt.date, month_end: dt.date,
                *bounds: tuple[dt.date | None, dt.date | None]) -> tuple[dt.date, dt.date]:
    """The intersection of the month ``[start, end)`` with each ``(from, to)`` bound.

    ``to`` dates are inclusive (a contract ending 2026-10-15 covers the 15th), as people
    write them on a contract; the result is half-open and may be empty (start >= end).
    """
    start, end = month_start, month_end
    for low, high in bounds:
        if low is not None:
            start = max(start, low)
        if high is not None:
            end = min(end, high + dt.timedelta(days=1))
    return start, max(start, end)


def month_fraction(span: tuple[dt.date, dt.date], month_start: dt.date,
                   month_end: dt.date) -> float:
    """Days in ``span`` over days in the month (0.0 .. 1.0)."""
    days = (span[1] - span[0]).days
    return max(0, days) / (month_end - month_start).days
