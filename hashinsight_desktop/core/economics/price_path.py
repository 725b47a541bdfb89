"""BTC price paths for projections: flat, steady growth, or a forecast series."""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hashinsight_desktop.core.economics import validation as check
from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.inputs import DAYS_PER_MONTH, MAX_BTC_PRICE_USD


@dataclasses.dataclass(frozen=True, eq=False)
class PricePath:
    """A daily BTC price from day 0 of a projection.

    ``daily_usd`` given explicitly (a forecast's point or band) is held at its last
    value past its end: a forecast says nothing beyond its horizon, and holding is
    the least surprising extension.
    """

    start_usd: float
    growth_pct_per_month: float = 0.0
    daily_usd: NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        check.set_field(self, "start_usd", check.scalar(
            "btc_price_usd", self.start_usd, low=0.0, low_inclusive=False,
            high=MAX_BTC_PRICE_USD))
        check.set_field(self, "growth_pct_per_month", check.scalar(
            "price_growth_pct_per_month", self.growth_pct_per_month, low=-99.0, high=1000.0))
        if self.daily_usd is not None:
            series = check.array("price_path", self.daily_usd, low=0.0, low_inclusive=False,
                                 high=MAX_BTC_PRICE_USD)
            if series.ndim != 1 or series.size == 0:
                raise InputError("price_path", "needs at least one daily price")
            check.set_field(self, "daily_usd", series)

    @classmethod
    def flat(cls, price_usd: float) -> PricePath:
        return cls(price_usd)

    @classmethod
    def growth(cls, price_usd: float, pct_per_month: float) -> PricePath:
        """Compounded continuously between month ends: no monthly steps in the curve."""
        return cls(price_usd, pct_per_month)

    @classmethod
    def from_daily(cls, daily_usd: ArrayLike) -> PricePath:
        series = np.asarray(daily_usd, dtype=np.float64)
        return cls(float(series[0]) if series.size else float("nan"), 0.0, series)

    def daily(self, n_days: int) -> NDArray[np.float64]:
        if self.daily_usd is not None:
            out = np.empty(n_days)
            k = min(n_days, self.daily_usd.size)
            out[:k] = self.daily_usd[:k]
            out[k:] = self.daily_usd[-1]
            return out
        months = np.arange(n_days) / DAYS_PER_MONTH
        return self.start_usd * (1.0 + self.growth_pct_per_month / 100.0) ** months


def band_paths(
    low: ArrayLike, mid: ArrayLike, high: ArrayLike
) -> dict[str, PricePath]:
    """Three paths from a forecast band (e.g. the 80 % interval and the point forecast)."""
    return {
        "low": PricePath.from_daily(low),
        "mid": PricePath.from_daily(mid),
        "high": PricePath.from_daily(high),
    }
