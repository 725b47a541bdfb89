"""Parsers of the public APIs' real response shapes, and the plausibility checks."""

from __future__ import annotations

import math

import market_fakes as fakes
import pytest

from hashinsight_desktop.core.market import sources
from hashinsight_desktop.core.market.metrics import BadMarketValue, check_value


def only(chain: tuple[sources.Source, ...], provider: str, url_part: str = "") -> sources.Source:
    return next(s for s in chain if s.provider == provider and url_part in s.url)


def test_price_parsers_read_real_shapes() -> None:
    assert only(sources.PRICE_SOURCES, "coingecko").parse(fakes.COINGECKO_PRICE) == 97123.0
    assert only(sources.PRICE_SOURCES, "mempool.space").parse(fakes.MEMPOOL_PRICES) == 97050.0
    assert only(sources.PRICE_SOURCES, "blockchain.info").parse(fakes.BLOCKCHAIN_TICKER) == 97010.5


def test_mempool_hashrate_is_converted_from_hs_to_ths() -> None:
    parse = only(sources.HASHRATE_SOURCES, "mempool.space").parse
    assert parse(fakes.MEMPOOL_HASHRATE_3D) == pytest.approx(7.82e8)


def test_mempool_zero_current_values_fall_back_to_the_series() -> None:
    # mempool.space serves 0 for current* when its Bitcoin Core is unreachable.
    body = dict(fakes.MEMPOOL_HASHRATE_3D, currentHashrate=0, currentDifficulty=0)
    assert only(sources.HASHRATE_SOURCES, "mempool.space").parse(body) == pytest.approx(7.70e8)
    assert only(sources.DIFFICULTY_SOURCES, "mempool.space").parse(body) == pytest.approx(
        103919634711492.2)


def test_mempool_empty_series_and_zero_current_is_refused() -> None:
    body = {"hashrates": [], "difficulty": [], "currentHashrate": 0, "currentDifficulty": 0}
    with pytest.raises(BadMarketValue, match="lacks 'currentHashrate'"):
        only(sources.HASHRATE_SOURCES, "mempool.space").parse(body)


def test_blockchain_info_text_endpoints() -> None:
    assert only(sources.DIFFICULTY_SOURCES, "blockchain.info").parse(
        fakes.BLOCKCHAIN_DIFFICULTY) == pytest.approx(1.0391963471149220e14)
    # /q/hashrate is in GH/s.
    assert only(sources.HASHRATE_SOURCES, "blockchain.info").parse(
        fakes.BLOCKCHAIN_HASHRATE_GHS) == pytest.approx(781234567.8905)
    assert only(sources.HEIGHT_SOURCES, "blockchain.info").parse("874320\n") == 874320


def test_fees_are_mean_satoshis_per_block_in_btc() -> None:
    assert only(sources.FEES_SOURCES, "mempool.space", "fees/24h").parse(
        fakes.MEMPOOL_FEES_24H) == pytest.approx(0.15)
    assert only(sources.FEES_SOURCES, "mempool.space", "/v1/blocks").parse(
        fakes.MEMPOOL_RECENT_BLOCKS) == pytest.approx(0.15)


@pytest.mark.parametrize(("body", "reason"), [
    ({"bitcoin": {"usd": -5}}, "must be > 0"),
    ({"bitcoin": {"usd": 0}}, "must be > 0"),
    ({"bitcoin": {"usd": math.nan}}, "not a finite number"),
    ({"bitcoin": {"usd": math.inf}}, "not a finite number"),
    ({"bitcoin": {"usd": "lots"}}, "expected a number"),
    ({"bitcoin": {"usd": True}}, "expected a number"),
    ({"bitcoin": {"usd": None}}, "expected a number"),
    ({"bitcoin": {"usd": 9.7e12}}, "implausibly large"),
    ({"bitcoin": {}}, "lacks 'bitcoin/usd'"),
    ([], "lacks 'bitcoin/usd'"),
])
def test_bad_prices_are_refused_with_a_reason(body: object, reason: str) -> None:
    with pytest.raises(BadMarketValue, match=reason) as caught:
        only(sources.PRICE_SOURCES, "coingecko").parse(body)
    assert caught.value.metric == "btc_price_usd"


@pytest.mark.parametrize("text", ["0", "-1", "874320.5", "nan", "", "<html>busy</html>"])
def test_bad_heights_are_refused(text: str) -> None:
    with pytest.raises(BadMarketValue):
        only(sources.HEIGHT_SOURCES, "mempool.space").parse(text)


def test_negative_fees_in_one_point_poison_the_mean() -> None:
    body = [{"avgHeight": 1, "timestamp": 1, "avgFees": -50_000_000, "USD": 1}]
    with pytest.raises(BadMarketValue, match="must be > 0"):
        only(sources.FEES_SOURCES, "mempool.space", "fees/24h").parse(body)


def test_fees_with_a_non_numeric_point_are_refused() -> None:
    body = [*fakes.MEMPOOL_FEES_24H, {"avgHeight": 1, "timestamp": 1, "avgFees": "x"}]
    with pytest.raises(BadMarketValue, match="lacks"):
        only(sources.FEES_SOURCES, "mempool.space", "fees/24h").parse(body)


def test_hashrate_in_hs_by_mistake_is_implausible() -> None:
    with pytest.raises(BadMarketValue, match="implausibly large"):
        check_value("network_hashrate_ths", 7.8e20)


def test_unknown_metric_is_refused() -> None:
    with pytest.raises(BadMarketValue, match="unknown metric"):
        check_value("gold_price", 1.0)


def test_every_metric_has_a_chain_with_a_fallback() -> None:
    for metric, chain in sources.CHAINS.items():
        assert len(chain) >= 2, metric
        assert all(s.metric == metric for s in chain)
