"""CSV of chart series: one row per time point, one column per series, UTC ISO times.

Series may have different time points (the fleet chart at 60 s, an overlaid miner at
5 min), so rows are the union of all points and a series without a value at a point
leaves its cell empty rather than inventing one.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def iso_utc(ts: float) -> str:
    return dt.datetime.fromtimestamp(int(ts), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_columns(columns: Sequence[tuple[str, np.ndarray, np.ndarray]]
                  ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Align ``(header, ts, values)`` columns on the union of their time points."""
    all_ts = np.unique(np.concatenate([np.asarray(ts, dtype=np.int64) for _, ts, _ in columns])
                       if columns else np.empty(0, dtype=np.int64))
    aligned = []
    for _, ts, values in columns:
        out = np.full(len(all_ts), np.nan)
        out[np.searchsorted(all_ts, np.asarray(ts, dtype=np.int64))] = values
        aligned.append(out)
    return all_ts, aligned


def write_series_csv(path: str | Path, columns: Sequence[tuple[str, np.ndarray, np.ndarray]],
                     *, decimals: int = 3) -> int:
    """Write the columns to ``path``; returns the number of data rows."""
    all_ts, aligned = merge_columns(columns)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["time_utc", *(header for header, _, _ in columns)])
        for row, ts in enumerate(all_ts):
            cells = [iso_utc(ts)]
            for values in aligned:
                v = float(values[row])
                cells.append("" if math.isnan(v) else
                             np.format_float_positional(round(v, decimals), trim="-"))
            writer.writerow(cells)
    return len(all_ts)
