"""Daily market history (price, difficulty, fees, subsidy, blocks) as column arrays.

``fees_btc`` and ``subsidy_btc`` are per-day totals over the day's ``blocks`` blocks,
as in Coin Metrics' community data; per-block values divide by ``blocks``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.formulas import hashprice_usd_per_th_day

Array = NDArray[np.float64]
COLUMNS = ("date", "price_usd", "difficulty", "hashrate_ths", "fees_btc", "subsidy_btc", "blocks")
_REQUIRED = ("date", "price_usd", "difficulty", "fees_btc", "subsidy_btc", "blocks")


@dataclasses.dataclass(frozen=True, eq=False)
class DailyMarket:
    dates: NDArray[np.datetime64]  # datetime64[D], strictly increasing
    price_usd: Array
    difficulty: Array
    fees_btc: Array  # day total
    subsidy_btc: Array  # day total
    blocks: Array

    def __post_init__(self) -> None:
        n = self.dates.shape[0]
        for name in ("price_usd", "difficulty", "fees_btc", "subsidy_btc", "blocks"):
            column = getattr(self, name)
            if column.shape != (n,):
                raise InputError(name, f"needs {n} values (one per date), got {column.shape}")
            if not np.isfinite(column).all():
                raise InputError(name, "contains a missing or non-finite value")
        for name in ("price_usd", "difficulty", "blocks"):
            if n and getattr(self, name).min() <= 0:
                raise InputError(name, "must be > 0 on every day")
        if n > 1 and not (np.diff(self.dates) > np.timedelta64(0, "D")).all():
            raise InputError("date", "dates must be strictly increasing")

    @classmethod
    def from_columns(cls, columns: Mapping[str, ArrayLike]) -> DailyMarket:
        missing = [c for c in _REQUIRED if c not in columns]
        if missing:
            raise InputError(missing[0], f"history is missing column(s): {', '.join(missing)}")
        return cls(
            dates=np.asarray(columns["date"], dtype="datetime64[D]"),
            **{c: np.asarray(columns[c], dtype=np.float64) for c in _REQUIRED[1:]},
        )

    def __len__(self) -> int:
        return int(self.dates.shape[0])

    @property
    def fees_btc_per_block(self) -> Array:
        return self.fees_btc / self.blocks

    @property
    def subsidy_btc_per_block(self) -> Array:
        return self.subsidy_btc / self.blocks

    def hashprice_usd_per_th_day(self) -> Array:
        """Gross daily hashprice at each day's difficulty, price and per-block reward."""
        reward = (self.fees_btc + self.subsidy_btc) / self.blocks
        return np.asarray(hashprice_usd_per_th_day(reward, self.difficulty, self.price_usd))

    def between(self, start: dt.date | str, end: dt.date | str) -> DailyMarket:
        """Days from ``start`` to ``end`` inclusive."""
        lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
        keep = (self.dates >= lo) & (self.dates <= hi)
        return DailyMarket(self.dates[keep], self.price_usd[keep], self.difficulty[keep],
                           self.fees_btc[keep], self.subsidy_btc[keep], self.blocks[keep])

    def tail(self, days: int) -> DailyMarket:
        s = slice(max(len(self) - days, 0), None)
        return DailyMarket(self.dates[s], self.price_usd[s], self.difficulty[s],
                           self.fees_btc[s], self.subsidy_btc[s], self.blocks[s])


def read_daily_csv(path: str | Path) -> DailyMarket:
    """Read a CSV with the columns of btc_daily.csv (extra columns are ignored)."""
    try:
        with Path(path).open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            header = reader.fieldnames or []
    except OSError as exc:
        raise InputError("history_file", f"cannot read {path}: {exc.strerror}") from None
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise InputError("history_file", f"{path} lacks column(s): {', '.join(missing)}")
    columns: dict[str, list[object]] = {c: [] for c in _REQUIRED}
    for line_no, row in enumerate(rows, start=2):
        try:
            columns["date"].append(dt.date.fromisoformat(row["date"]))
            for c in _REQUIRED[1:]:
                columns[c].append(float(row[c]))
        except (TypeError, ValueError):
            raise InputError("history_file", f"{path} line {line_no}: unreadable value") from None
    return DailyMarket.from_columns(columns)  # type: ignore[arg-type]
