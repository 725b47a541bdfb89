"""The public APIs we read, their URLs and the real shapes of their answers.

Each :class:`Source` is one (provider, metric) pair: the URL to GET, whether the body
is JSON or plain text, and a parser that digs the value out and checks it.  Several
sources may share a URL (mempool.space's ``hashrate/3d`` carries both difficulty and
hashrate): the resilience layer coalesces identical in-flight requests.

Response shapes (as served in 2024-2025):

- CoinGecko ``/api/v3/simple/price?ids=bitcoin&vs_currencies=usd``:
  ``{"bitcoin": {"usd": 67187.33}}``
- mempool.space ``/api/v1/prices``: ``{"time": 1703252411, "USD": 43753, "EUR": ...}``
- blockchain.info ``/ticker``: ``{"USD": {"15m": 43767.5, "last": 43767.5, "buy": ...,
  "sell": ..., "symbol": "$"}, "EUR": {...}}``
- mempool.space ``/api/v1/mining/hashrate/3d``: ``{"hashrates": [{"timestamp": ...,
  "avgHashrate": 6.1e20}], "difficulty": [{"time": ..., "height": ..., "difficulty":
  8.8e13, "adjustment": 1.02}], "currentHashrate": 6.3e20, "currentDifficulty": 8.8e13}``
  (hashrates in H/s; the two ``current*`` fields are 0 when the server's Bitcoin Core is
  unreachable, so the series' last point is the fallback)
- mempool.space ``/api/blocks/tip/height``: ``871234`` (text)
- mempool.space ``/api/v1/mining/blocks/fees/24h``: ``[{"avgHeight": 871100,
  "timestamp": ..., "avgFees": 1520345, "USD": 1003.2}, ...]`` (avgFees in satoshis)
- mempool.space ``/api/v1/blocks``: the 10 latest blocks, each with
  ``"extras": {"totalFees": 1234567, ...}`` in satoshis
- blockchain.info ``/q/getdifficulty`` (text, difficulty), ``/q/hashrate`` (text,
  GH/s), ``/q/getblockcount`` (text, height)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, Literal

from hashinsight_desktop.core.market.metrics import (
    BLOCK_HEIGHT,
    BTC_PRICE_USD,
    DIFFICULTY,
    FEES_BTC_PER_BLOCK,
    NETWORK_HASHRATE_THS,
    BadMarketValue,
    check_value,
)

COINGECKO = "coingecko"
MEMPOOL = "mempool.space"
BLOCKCHAIN_INFO = "blockchain.info"

COINGECKO_URL = "https://api.coingecko.com/api/v3"
MEMPOOL_URL = "https://mempool.space/api"
BLOCKCHAIN_INFO_URL = "https://blockchain.info"

SAT_PER_BTC = 100_000_000
H_PER_TH = 1e12
GH_PER_TH = 1e3

BodyKind = Literal["json", "text"]


@dataclasses.dataclass(frozen=True)
class Source:
    """One way of getting one metric: ``provider`` is also the circuit-breaker key."""

    provider: str
    metric: str
    url: str
    body: BodyKind
    parse: Callable[[Any], float]

    @property
    def label(self) -> str:
        """What is stored as a snapshot's source, e.g. 'mempool.space'."""
        return self.provider


def _field(document: Any, *path: str | int) -> Any:
    """``document[path[0]][path[1]]...`` or a KeyError naming the missing step."""
    node = document
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise KeyError("/".join(str(s) for s in path)) from None
    return node


def _parser(metric: str, extract: Callable[[Any], Any]) -> Callable[[Any], float]:
    """Wrap ``extract`` so a missing field or a bad value becomes BadMarketValue."""

    def parse(document: Any) -> float:
        try:
            raw = extract(document)
        except KeyError as exc:
            raise BadMarketValue(metric, f"response lacks {exc.args[0]!r}") from None
        return check_value(metric, raw)

    return parse


def _mempool_current_or_last(current_key: str, series_key: str, value_key: str,
                             scale: float) -> Callable[[Any], Any]:
    """mempool's ``current*`` field, or the series' last point when it is 0 (no node)."""

    def extract(document: Any) -> Any:
        if not isinstance(document, Mapping):
            raise KeyError(current_key)
        current = document.get(current_key)
        if isinstance(current, (int, float)) and not isinstance(current, bool) and current > 0:
            return current / scale
        series = document.get(series_key)
        if not isinstance(series, list) or not series:
            raise KeyError(current_key)
        last = _field(series, -1, value_key)
        return last / scale if isinstance(last, (int, float)) and not isinstance(last, bool) else last

    return extract


def _mean_sats(values: list[Any]) -> float:
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers or len(numbers) != len(values):
        raise KeyError("fees")
    return sum(numbers) / len(numbers) / SAT_PER_BTC


def _fees_24h(document: Any) -> float:
    if not isinstance(document, list) or not document:
        raise KeyError("avgFees")
    return _mean_sats([_field(point, "avgFees") for point in document])


def _recent_block_fees(document: Any) -> float:
    if not isinstance(document, list) or not document:
        raise KeyError("extras/totalFees")
    return _mean_sats([_field(block, "extras", "totalFees") for block in document])


def _text(document: Any) -> Any:
    return document


PRICE_SOURCES = (
    Source(COINGECKO, BTC_PRICE_USD, f"{COINGECKO_URL}/simple/price?ids=bitcoin&vs_currencies=usd",
           "json", _parser(BTC_PRICE_USD, lambda d: _field(d, "bitcoin", "usd"))),
    Source(MEMPOOL, BTC_PRICE_USD, f"{MEMPOOL_URL}/v1/prices",
           "json", _parser(BTC_PRICE_USD, lambda d: _field(d, "USD"))),
    Source(BLOCKCHAIN_INFO, BTC_PRICE_USD, f"{BLOCKCHAIN_INFO_URL}/ticker",
           "json", _parser(BTC_PRICE_USD, lambda d: _field(d, "USD", "last"))),
)

_MEMPOOL_HASHRATE_URL = f"{MEMPOOL_URL}/v1/mining/hashrate/3d"

DIFFICULTY_SOURCES = (
    Source(MEMPOOL, DIFFICULTY, _MEMPOOL_HASHRATE_URL, "json",
           _parser(DIFFICULTY, _mempool_current_or_last(
               "currentDifficulty", "difficulty", "difficulty", 1.0))),
    Source(BLOCKCHAIN_INFO, DIFFICULTY, f"{BLOCKCHAIN_INFO_URL}/q/getdifficulty", "text",
           _parser(DIFFICULTY, _text)),
)

HASHRATE_SOURCES = (
    Source(MEMPOOL, NETWORK_HASHRATE_THS, _MEMPOOL_HASHRATE_URL, "json",
           _parser(NETWORK_HASHRATE_THS, _mempool_current_or_last(
               "currentHashrate", "hashrates", "avgHashrate", H_PER_TH))),
    Source(BLOCKCHAIN_INFO, NETWORK_HASHRATE_THS, f"{BLOCKCHAIN_INFO_URL}/q/hashrate", "text",
           _parser(NETWORK_HASHRATE_THS, lambda text: float(text) / GH_PER_TH
                   if _is_number_text(text) else text)),
)

HEIGHT_SOURCES = (
    Source(MEMPOOL, BLOCK_HEIGHT, f"{MEMPOOL_URL}/blocks/tip/height", "text",
           _parser(BLOCK_HEIGHT, _text)),
    Source(BLOCKCHAIN_INFO, BLOCK_HEIGHT, f"{BLOCKCHAIN_INFO_URL}/q/getblockcount", "text",
           _parser(BLOCK_HEIGHT, _text)),
)

FEES_SOURCES = (
    Source(MEMPOOL, FEES_BTC_PER_BLOCK, f"{MEMPOOL_URL}/v1/mining/blocks/fees/24h", "json",
           _parser(FEES_BTC_PER_BLOCK, _fees_24h)),
    Source(MEMPOOL, FEES_BTC_PER_BLOCK, f"{MEMPOOL_URL}/v1/blocks", "json",
           _parser(FEES_BTC_PER_BLOCK, _recent_block_fees)),
)

# Fallback chains, in order of preference.
CHAINS: dict[str, tuple[Source, ...]] = {
    BTC_PRICE_USD: PRICE_SOURCES,
    DIFFICULTY: DIFFICULTY_SOURCES,
    NETWORK_HASHRATE_THS: HASHRATE_SOURCES,
    BLOCK_HEIGHT: HEIGHT_SOURCES,
    FEES_BTC_PER_BLOCK: FEES_SOURCES,
}


def _is_number_text(text: Any) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True
