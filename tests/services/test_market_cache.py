"""The offline market cache: round trips on both backends, ages, daily history, offline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from hashinsight_desktop.core.economics.market_history import DailyMarket
from hashinsight_desktop.core.market import MarketFetch, MetricValue
from hashinsight_desktop.services.market_cache import (
    daily_history,
    latest_market_values,
    store_fetch,
)
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve

DAY = 86_400
T0 = 1_733_875_200  # 2024-12-11 00:00 UTC


def fetch_of(ts: float, source: str = "mempool.space", **values: float) -> MarketFetch:
    return MarketFetch({m: MetricValue(m, v, source, ts) for m, v in values.items()}, (), ts)


@pytest.fixture
def ready_url(db_url: str) -> str:
    open_for_use(resolve(db_url)).dispose()
    return db_url


def store(url: str, *fetches: MarketFetch) -> None:
    engine = open_for_use(resolve(url))
    try:
        for fetch in fetches:
            store_fetch(engine, fetch)
    finally:
        engine.dispose()


def test_round_trip_latest_values_and_ages(ready_url: str) -> None:
    store(ready_url,
          fetch_of(T0, "coingecko", btc_price_usd=96000.0, difficulty=1.0e14),
          fetch_of(T0 + 900, "mempool.space", btc_price_usd=97000.0, block_height=874321,
                   fees_btc_per_block=0.15, network_hashrate_ths=7.8e8))
    latest = latest_market_values(ready_url, now=T0 + 1000)
    assert latest == {
        "btc_price_usd": (97000.0, "mempool.space", 100.0),
        "difficulty": (1.0e14, "coingecko", 1000.0),
        "block_height": (874321.0, "mempool.space", 100.0),
        "fees_btc_per_block": (0.15, "mempool.space", 100.0),
        "network_hashrate_ths": (7.8e8, "mempool.space", 100.0),
    }


def test_age_uses_the_clock_by_default(ready_url: str) -> None:
    import time

    store(ready_url, fetch_of(time.time() - 60, btc_price_usd=97000.0))
    value, source, age = latest_market_values(ready_url)["btc_price_usd"]
    assert (value, source) == (97000.0, "mempool.space")
    assert 59 <= age < 600


def test_store_fetch_counts_rows_and_skips_empty_fetches(ready_url: str) -> None:
    engine = open_for_use(resolve(ready_url))
    try:
        assert store_fetch(engine, fetch_of(T0)) == 0
        assert store_fetch(engine, fetch_of(T0, btc_price_usd=1.0, difficulty=2.0)) == 2
    finally:
        engine.dispose()


def test_daily_history_keeps_the_last_value_of_each_day(ready_url: str) -> None:
    store(ready_url,
          fetch_of(T0 + 100, btc_price_usd=90000.0, difficulty=1.00e14,
                   fees_btc_per_block=0.10, block_height=874000),
          fetch_of(T0 + 5000, btc_price_usd=91000.0, difficulty=1.00e14),
          fetch_of(T0 + DAY + 10, btc_price_usd=95000.0, difficulty=1.05e14,
                   network_hashrate_ths=7.5e8),
          fetch_of(T0 + 2 * DAY, fees_btc_per_block=0.2))  # no price: day left out
    history = daily_history(ready_url)
    assert list(history["date"]) == [np.datetime64("2024-12-11"), np.datetime64("2024-12-12")]
    assert list(history["price_usd"]) == [91000.0, 95000.0]
    assert list(history["difficulty"]) == [1.00e14, 1.05e14]
    assert list(history["fees_btc_per_block"]) == [0.10, 0.10]  # carried forward
    assert list(history["fees_btc"]) == pytest.approx([14.4, 14.4])  # day totals, 144 blocks
    assert list(history["subsidy_btc"]) == [3.125 * 144] * 2
    assert history["hashrate_ths"][1] == 7.5e8
    assert history["hashrate_ths"][0] == pytest.approx(1.00e14 * 2**32 / 600 / 1e12)
    market = DailyMarket.from_columns(history)  # what `hashinsight forecast` builds
    assert len(market) == 2
    assert market.fees_btc_per_block == pytest.approx([0.10, 0.10])


def test_daily_history_estimates_the_subsidy_era_without_heights(ready_url: str) -> None:
    old = int(dt.datetime(2020, 6, 1, tzinfo=dt.UTC).timestamp())
    store(ready_url, fetch_of(old, btc_price_usd=9500.0, difficulty=1.1e13))
    history = daily_history(ready_url)
    assert list(history["subsidy_btc"]) == [6.25 * 144]
    assert list(history["fees_btc"]) == [0.0]


def test_empty_cache_gives_empty_results(ready_url: str) -> None:
    assert latest_market_values(ready_url) == {}
    assert daily_history(ready_url) == {}


def test_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere' / 'farm.db'}"
    assert latest_market_values(url) == {}
    assert daily_history(url) == {}
    assert not (tmp_path / "nowhere" / "farm.db").exists()


def test_configured_database_is_used_when_no_url_is_given(isolated_home: Path) -> None:
    # Fresh home, default settings: the embedded SQLite file does not exist yet.
    assert latest_market_values(None) == {}
    assert daily_history(None) == {}


@pytest.mark.parametrize("url", ["mysql://x@h/db", "not a url at all",
                                 "postgresql+psycopg://u@127.0.0.1:1/none"])
def test_unopenable_databases_give_empty_results(url: str) -> None:
    assert latest_market_values(url) == {}
    assert daily_history(url) == {}


def test_database_without_the_market_table_gives_empty_results(sqlite_url: str) -> None:
    import sqlite3

    sqlite3.connect(resolve(sqlite_url).sqlite_path).close()  # an empty, unmigrated file
    assert latest_market_values(sqlite_url) == {}
    assert daily_history(sqlite_url) == {}
