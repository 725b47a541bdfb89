"""Text of the crosshair readout and the number formats charts share."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

MISSING = "—"


def format_time(ts: float) -> str:
    """Local wall-clock time, as the date axis shows it."""
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def format_value(value: float, decimals: int, unit: str) -> str:
    if value is None or math.isnan(value):
        return MISSING
    return f"{value:,.{decimals}f} {unit}".rstrip()


def nearest_index(ts: np.ndarray, x: float, max_gap: float) -> int | None:
    """Index of the sample nearest to ``x``, or None if none lies within ``max_gap`` s."""
    if len(ts) == 0:
        return None
    i = int(np.searchsorted(ts, x))
    candidates = [j for j in (i - 1, i) if 0 <= j < len(ts)]
    best = min(candidates, key=lambda j: abs(float(ts[j]) - x))
    return best if abs(float(ts[best]) - x) <= max_gap else None
