"""Money arithmetic: amounts in integer cents, unit prices in integer micro-units.

One cent is 10,000 micro-units.  Rounding is half away from zero, the rule customers
expect on an invoice (banker's rounding surprises people reading a single line).
"""

from __future__ import annotations

import datetime as dt
import math
import re

MICROS_PER_CENT = 10_000

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthError(ValueError):
    """A month that is not YYYY-MM."""


def round_half_away(value: float) -> int:
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def amount_cents(quantity: float, unit_price_micros: int) -> int:
    """``quantity`` units at ``unit_price_micros`` each, rounded to the cent."""
    return round_half_away(quantity * unit_price_micros / MICROS_PER_CENT)


def parse_month(text: str) -> tuple[dt.date, dt.date]:
    """'2026-10' -> (2026-10-01, 2026-11-01): the first day and the day after the last."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise MonthError(f"month {text!r} is not valid: use YYYY-MM, e.g. 2026-10")
    start = dt.date(int(match.group(1)), int(match.group(2)), 1)
    return start, next_month(start)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def invoice_number(month_start: dt.date, sequence: int) -> str:
    """INV-YYYYMM-NNNN (more digits past 9,999 invoices in a month)."""
    return f"INV-{month_start:%Y%m}-{sequence:04d}"


def invoice_sequence(number: str) -> int | None:
    """The NNNN part of an invoice number, or None for a number of another shape."""
    parts = number.split("-")
    if len(parts) != 3 or parts[0] != "INV" or not parts[2].isdigit():
        return None
    return int(parts[2])


def format_cents(cents: int, currency: str = "USD") -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{frac:02d} {currency}"
