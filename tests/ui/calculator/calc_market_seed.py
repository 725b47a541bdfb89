"""Shared constants and a market-fetch builder for the calculator tests."""

from __future__ import annotations

from hashinsight_desktop.core.market import MarketFetch, MetricValue

NOW = 1_800_000_000.0
MARKET = {"btc_price_usd": 97_000.0, "difficulty": 1.27e14, "fees_btc_per_block": 0.03,
          "block_height": 905_000.0}


def fetch_at(ts: float, source: str, **values: float) -> MarketFetch:
    return MarketFetch({m: MetricValue(m, v, source, ts) for m, v in values.items()}, (), ts)
