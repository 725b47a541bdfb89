"""Economics: vectorised profitability, ARIMA forecasting and its backtest.

Targets: the old platform needed ~500 ms for 5,000 miners; 100,000 miners in 5 ms is
the brief's bar (validation included, as a GUI recalculation pays it).  A forecast
(order search over 6 ARIMA orders + 30-day forecast) must feel interactive: 2 s on 7
years of daily data.  The backtest runs in a worker and has no target: it is reported.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from benchmarks.harness import case
from hashinsight_desktop.core.economics.backtest import backtest
from hashinsight_desktop.core.economics.forecasting import (
    SERIES,
    forecast_series,
    forecast_values,
    series_values,
)
from hashinsight_desktop.core.economics.inputs import (
    Fleet,
    MarketState,
    OperatingTerms,
    ProfitInputs,
)
from hashinsight_desktop.core.economics.market_history import DailyMarket, read_daily_csv
from hashinsight_desktop.core.economics.profitability import compute_profitability

BTC_DAILY = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "btc_daily.csv"
MINERS = 100_000


def _fleet_arrays() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(42)
    hashrate = rng.uniform(90.0, 600.0, MINERS)
    return {
        "hashrate": hashrate,
        "power": hashrate * rng.uniform(12.0, 35.0, MINERS),
        "hardware": rng.uniform(1_000.0, 9_000.0, MINERS),
        "hosting": rng.uniform(0.0, 60.0, MINERS),
    }


@case("profitability, 100,000 miners (validate + compute + totals)", unit="ms",
      target="<= 5", repeat=15, setup=_fleet_arrays)
def profit_100k(arrays: dict[str, np.ndarray]) -> float:
    t0 = time.perf_counter()
    inputs = ProfitInputs(
        Fleet(arrays["hashrate"], arrays["power"], hardware_cost_usd=arrays["hardware"],
              hosting_usd_per_month=arrays["hosting"]),
        OperatingTerms(electricity_usd_per_kwh=0.06, pool_fee_pct=2.0, uptime_pct=97.0),
        MarketState(btc_price_usd=90_000.0, difficulty=1.48e14, block_height=925_000,
                    fees_btc_per_block=0.02),
    )
    compute_profitability(inputs).totals()
    return (time.perf_counter() - t0) * 1e3


def _history() -> DailyMarket:
    history = read_daily_csv(BTC_DAILY)
    forecast_values(history.price_usd[-200:], 5)  # warm statsmodels' imports and caches
    return history


def _forecast_case(series: str) -> None:
    @case(f"forecast fit + 30 days, {series}, 2019-2025 daily ({{n}} days)".replace(
        "{n}", "2,555"), unit="s", target="<= 2", repeat=3, setup=_history)
    def run(history: DailyMarket) -> float:
        t0 = time.perf_counter()
        forecast_series(history, series, 30)  # type: ignore[arg-type]
        return time.perf_counter() - t0

    run.__name__ = f"forecast_{series}"


for _series in SERIES:
    _forecast_case(_series)


@case("backtest, 3 series x 24 origins (refit each), horizons 7/30", unit="s", repeat=1,
      setup=_history)
def backtest_all(history: DailyMarket) -> float:
    t0 = time.perf_counter()
    for series in SERIES:
        backtest(series_values(history, series), series=series)
    return time.perf_counter() - t0
