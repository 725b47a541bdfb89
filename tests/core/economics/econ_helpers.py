"""Shared builders for the economics tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hashinsight_desktop.core.economics.inputs import (
    Fleet,
    MarketState,
    OperatingTerms,
    ProfitInputs,
)

DATA = Path(__file__).parents[3] / ".." / "shared" / "data"
BTC_DAILY = DATA / "btc_daily.csv"

MARKET = MarketState(btc_price_usd=90_000.0, difficulty=1.48e14, block_height=925_000,
                     fees_btc_per_block=0.02)


def inputs(
    hashrate=(200.0,), power=(3500.0,), *, price_kwh=0.06, pool_fee=0.0, uptime=100.0,
    market: MarketState = MARKET, **fleet_kwargs,
) -> ProfitInputs:
    return ProfitInputs(
        Fleet(np.asarray(hashrate, dtype=float), np.asarray(power, dtype=float), **fleet_kwargs),
        OperatingTerms(electricity_usd_per_kwh=price_kwh, pool_fee_pct=pool_fee,
                       uptime_pct=uptime),
        market,
    )
