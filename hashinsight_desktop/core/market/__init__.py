"""Market data (BTC price, difficulty, network hashrate, fees, height) from public APIs.

Headless: httpx only.  ``sources`` knows each API's URL and response shape,
``resilience`` wraps the HTTP calls (timeouts, retries, circuit breakers, request
coalescing) and walks each metric's fallback chain in ``fetch_market``.
"""

from hashinsight_desktop.core.market.metrics import METRICS, BadMarketValue
from hashinsight_desktop.core.market.resilience import (
    MarketFetch,
    MetricValue,
    Resilience,
    SourceFailure,
    fetch_market,
    make_client,
)

__all__ = [
    "METRICS",
    "BadMarketValue",
    "MarketFetch",
    "MetricValue",
    "Resilience",
    "SourceFailure",
    "fetch_market",
    "make_client",
]
