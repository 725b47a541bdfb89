"""Fake public APIs for market tests: httpx.MockTransport serving the real response shapes."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

# Real-shaped bodies (values from late 2024).
COINGECKO_PRICE = {"bitcoin": {"usd": 97123.0}}
MEMPOOL_PRICES = {"time": 1733900000, "USD": 97050, "EUR": 92311, "GBP": 76412,
                  "CAD": 137650, "CHF": 85900, "AUD": 151200, "JPY": 14750000}
BLOCKCHAIN_TICKER = {"USD": {"15m": 97010.5, "last": 97010.5, "buy": 97010.5,
                             "sell": 97010.5, "symbol": "$"},
                     "EUR": {"15m": 92280.1, "last": 92280.1, "buy": 92280.1,
                             "sell": 92280.1, "symbol": "€"}}
MEMPOOL_HASHRATE_3D = {
    "hashrates": [{"timestamp": 1733702400, "avgHashrate": 7.61e20},
                  {"timestamp": 1733788800, "avgHashrate": 7.70e20}],
    "difficulty": [{"time": 1733186093, "height": 872928, "difficulty": 103919634711492.2,
                    "adjustment": 1.0463}],
    "currentHashrate": 7.82e20,
    "currentDifficulty": 103919634711492.2,
}
MEMPOOL_TIP_HEIGHT = "874321"
MEMPOOL_FEES_24H = [
    {"avgHeight": 874100, "timestamp": 1733820000, "avgFees": 12_000_000, "USD": 11650},
    {"avgHeight": 874200, "timestamp": 1733850000, "avgFees": 18_000_000, "USD": 17480},
]
MEMPOOL_RECENT_BLOCKS = [
    {"id": "00000000000000000001", "height": 874321, "timestamp": 1733900000,
     "tx_count": 3500, "difficulty": 103919634711492.2,
     "extras": {"totalFees": 20_000_000, "medianFee": 5, "reward": 332_500_000}},
    {"id": "00000000000000000002", "height": 874320, "timestamp": 1733899400,
     "tx_count": 3100, "difficulty": 103919634711492.2,
     "extras": {"totalFees": 10_000_000, "medianFee": 4, "reward": 322_500_000}},
]
BLOCKCHAIN_DIFFICULTY = "1.0391963471149220E14"
BLOCKCHAIN_HASHRATE_GHS = "781234567890.5"
BLOCKCHAIN_BLOCKCOUNT = "874320"

Route = Callable[[httpx.Request], httpx.Response] | Any


def default_routes() -> dict[str, Route]:
    """host+path -> body (dict/list: JSON, str: text) or a callable returning a Response."""
    return {
        "api.coingecko.com/api/v3/simple/price": COINGECKO_PRICE,
        "mempool.space/api/v1/prices": MEMPOOL_PRICES,
        "blockchain.info/ticker": BLOCKCHAIN_TICKER,
        "mempool.space/api/v1/mining/hashrate/3d": MEMPOOL_HASHRATE_3D,
        "mempool.space/api/blocks/tip/height": MEMPOOL_TIP_HEIGHT,
        "mempool.space/api/v1/mining/blocks/fees/24h": MEMPOOL_FEES_24H,
        "mempool.space/api/v1/blocks": MEMPOOL_RECENT_BLOCKS,
        "blockchain.info/q/getdifficulty": BLOCKCHAIN_DIFFICULTY,
        "blockchain.info/q/hashrate": BLOCKCHAIN_HASHRATE_GHS,
        "blockchain.info/q/getblockcount": BLOCKCHAIN_BLOCKCOUNT,
    }


def status(code: int) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, text="upstream says no")


class FakeApis:
    """A MockTransport handler that counts requests per host+path."""

    def __init__(self, **overrides: Route) -> None:
        self.routes = default_routes()
        self.routes.update({k.replace("__", "/"): v for k, v in overrides.items()})
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def set(self, key: str, route: Route) -> None:
        self.routes[key] = route

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.url.host}{request.url.path}"
        with self._lock:
            self.calls[key] += 1
        route = self.routes.get(key)
        if route is None:
            return httpx.Response(404, text="not found")
        if callable(route):
            return route(request)
        if isinstance(route, str):
            return httpx.Response(200, text=route)
        return httpx.Response(200, json=route)

    def client(self) -> httpx.Client:
        from hashinsight_desktop.core.market import make_client

        return make_client(transport=httpx.MockTransport(self))
