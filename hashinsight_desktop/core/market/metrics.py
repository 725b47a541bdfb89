"""The market metrics we collect, and the plausibility check every fetched value passes.

A public API that answers 200 with a zero, a negative number, NaN or a price in the
billions is worse than one that is down: it would silently poison every
profitability figure.  So each value is checked against a generous plausible range and
refused with a reason, which sends the fetch on to the next source in the chain.
"""

from __future__ import annotations

import math
from typing import Any

BTC_PRICE_USD = "btc_price_usd"
DIFFICULTY = "difficulty"
NETWORK_HASHRATE_THS = "network_hashrate_ths"
FEES_BTC_PER_BLOCK = "fees_btc_per_block"
BLOCK_HEIGHT = "block_height"

METRICS = (BTC_PRICE_USD, DIFFICULTY, NETWORK_HASHRATE_THS, FEES_BTC_PER_BLOCK, BLOCK_HEIGHT)

# Exclusive lower, inclusive upper bounds: wide enough for years of growth, tight
# enough to catch unit mistakes (H/s for TH/s, satoshis for BTC, cents for dollars).
PLAUSIBLE_RANGE: dict[str, tuple[float, float]] = {
    BTC_PRICE_USD: (0.0, 1e8),
    DIFFICULTY: (1.0, 1e19),
    NETWORK_HASHRATE_THS: (0.0, 1e13),
    FEES_BTC_PER_BLOCK: (0.0, 100.0),
    BLOCK_HEIGHT: (0.0, 1e8),
}


class BadMarketValue(ValueError):
    """A source answered, but with something that is not a usable value."""

    def __init__(self, metric: str, reason: str) -> None:
        super().__init__(f"{metric}: {reason}")
        self.metric = metric
        self.reason = reason


def check_value(metric: str, raw: Any) -> float:
    """Return ``raw`` as a float if it is a plausible ``metric`` value, else raise."""
    if metric not in PLAUSIBLE_RANGE:
        raise BadMarketValue(metric, "unknown metric")
    if isinstance(raw, bool) or raw is None:
        raise BadMarketValue(metric, f"expected a number, got {raw!r}")
    try:
        value = float(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError):
        raise BadMarketValue(metric, f"expected a number, got {str(raw)[:40]!r}") from None
    if not math.isfinite(value):
        raise BadMarketValue(metric, f"not a finite number: {value}")
    low, high = PLAUSIBLE_RANGE[metric]
    if value <= low:
        raise BadMarketValue(metric, f"must be > {low:g}, got {value:g}")
    if value > high:
        raise BadMarketValue(metric, f"implausibly large: {value:g} > {high:g}")
    if metric == BLOCK_HEIGHT and not value.is_integer():
        raise BadMarketValue(metric, f"must be a whole number, got {value:g}")
    return value
