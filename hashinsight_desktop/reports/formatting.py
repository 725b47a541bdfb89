"""Number and time formatting shared by the PDF and Excel reports ("—" for unknown)."""

from __future__ import annotations

import datetime as dt

DASH = "—"


def num(value: float | None, decimals: int = 1) -> str:
    return DASH if value is None else f"{value:,.{decimals}f}"


def utc(ts: int | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return DASH if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC).strftime(fmt)
