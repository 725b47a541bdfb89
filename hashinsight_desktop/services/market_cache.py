"""The offline market cache: every fetched value is kept in ``market_snapshots``.

The calculator, forecasts and reports read the latest values and the daily history
from here, so they keep working on a laptop with no network.  Reads never create or
upgrade a database: with no database, or one that cannot be opened, they return
empty results and the caller asks the user for values instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import numpy as np
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.economics.formulas import network_hashrate_ths
from hashinsight_desktop.core.economics.subsidy import BLOCKS_PER_DAY, block_subsidy_btc
from hashinsight_desktop.core.market.metrics import (
    BLOCK_HEIGHT,
    BTC_PRICE_USD,
    DIFFICULTY,
    FEES_BTC_PER_BLOCK,
    METRICS,
    NETWORK_HASHRATE_THS,
)
from hashinsight_desktop.core.market.resilience import MarketFetch
from hashinsight_desktop.store.errors import DatabaseError
from hashinsight_desktop.store.schema.market import market_snapshots

log = logging.getLogger(__name__)

# Height estimate for days before any height was cached: block 840,000 was mined on
# 2024-04-20 and blocks come ~144 a day.  Only used to pick the subsidy era.
_REFERENCE_HEIGHT = 840_000
_REFERENCE_DATE = dt.date(2024, 4, 20)


def store_fetch(engine: Engine, fetch: MarketFetch) -> int:
    """Insert one snapshot row per fetched metric; returns the number of rows written."""
    rows = [{"ts": int(v.fetched_at), "metric": v.metric, "value": float(v.value),
             "source": v.source[:64]} for v in fetch.values.values()]
    if rows:
        with engine.begin() as conn:
            conn.execute(insert(market_snapshots), rows)
    return len(rows)


def latest_values(engine: Engine, *, now: float | None = None,
                  ) -> dict[str, tuple[float, str, float]]:
    """metric -> (value, source, age in seconds) of the newest snapshot of each metric."""
    now = time.time() if now is None else now
    found: dict[str, tuple[float, str, float]] = {}
    with engine.connect() as conn:
        for metric in METRICS:
            row = conn.execute(
                select(market_snapshots.c.value, market_snapshots.c.source,
                       market_snapshots.c.ts)
                .where(market_snapshots.c.metric == metric)
                .order_by(market_snapshots.c.ts.desc(), market_snapshots.c.id.desc())
                .limit(1)).first()
            if row is not None:
                found[metric] = (float(row.value), str(row.source), max(now - row.ts, 0.0))
    return found


def latest_market_values(db_url: str | None, *, now: float | None = None,
                         ) -> dict[str, tuple[float, str, float]]:
    """Latest cached values from the configured (``None``) or given database; {} offline."""
    engine = _open_existing(db_url)
    if engine is None:
        return {}
    try:
        return latest_values(engine, now=now)
    except sa_exc.SQLAlchemyError as exc:
        log.warning("market cache unreadable: %s", exc.__class__.__name__)
        return {}
    finally:
        engine.dispose()


def daily_rows(engine: Engine) -> dict[str, np.ndarray]:
    """Daily columns built from the last snapshot of each metric on each UTC day.

    Returns a dict of equal-length numpy arrays (empty dict when no day has both a
    price and a difficulty), ready for ``DailyMarket.from_columns``:

    - ``date`` (datetime64[D]), ``price_usd``, ``difficulty``, ``hashrate_ths``
    - ``fees_btc_per_block``; ``fees_btc`` and ``subsidy_btc`` are day totals over
      ``blocks`` (Coin Metrics' convention, which DailyMarket expects)
    - ``blocks`` is the nominal 144: snapshots cannot count a day's blocks exactly.

    Days without a price or difficulty are left out; fees, hashrate and height are
    carried forward from earlier days (fees default to 0, hashrate to the difficulty's
    implied value, height to an estimate from the date).
    """
    day = (market_snapshots.c.ts // 86_400).label("day")
    last_ts = (select(market_snapshots.c.metric, day,
                      func.max(market_snapshots.c.ts).label("ts"))
               .group_by(market_snapshots.c.metric, day).subquery())
    query = (select(last_ts.c.day, market_snapshots.c.metric, market_snapshots.c.value)
             .join(last_ts, (market_snapshots.c.metric == last_ts.c.metric)
                   & (market_snapshots.c.ts == last_ts.c.ts))
             .order_by(last_ts.c.day, market_snapshots.c.id))
    by_day: dict[int, dict[str, float]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            by_day.setdefault(int(row.day), {})[row.metric] = float(row.value)  # last id wins
    return _columns(by_day)


def _columns(by_day: dict[int, dict[str, float]]) -> dict[str, np.ndarray]:
    names = ("price_usd", "difficulty", "hashrate_ths", "fees_btc_per_block", "fees_btc",
             "subsidy_btc", "blocks")
    cols: dict[str, list[float]] = {n: [] for n in names}
    dates: list[int] = []
    fees = 0.0
    hashrate: float | None = None
    height: float | None = None
    for day in sorted(by_day):
        values = by_day[day]
        fees = values.get(FEES_BTC_PER_BLOCK, fees)
        hashrate = values.get(NETWORK_HASHRATE_THS, hashrate)
        height = values.get(BLOCK_HEIGHT, height)
        if BTC_PRICE_USD not in values or DIFFICULTY not in values:
            continue
        date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
        block = int(height) if height is not None else _estimated_height(date)
        dates.append(day)
        cols["price_usd"].append(values[BTC_PRICE_USD])
        cols["difficulty"].append(values[DIFFICULTY])
        cols["hashrate_ths"].append(hashrate if hashrate is not None
                                    else float(network_hashrate_ths(values[DIFFICULTY])))
        cols["fees_btc_per_block"].append(fees)
        cols["fees_btc"].append(fees * BLOCKS_PER_DAY)
        cols["subsidy_btc"].append(block_subsidy_btc(block) * BLOCKS_PER_DAY)
        cols["blocks"].append(float(BLOCKS_PER_DAY))
    if not dates:
        return {}
    out: dict[str, np.ndarray] = {"date": np.array(dates, dtype="datetime64[D]")}
    out.update({n: np.asarray(v, dtype=np.float64) for n, v in cols.items()})
    return out


def _estimated_height(date: dt.date) -> int:
    return max(_REFERENCE_HEIGHT + (date - _REFERENCE_DATE).days * BLOCKS_PER_DAY, 0)


def daily_history(db_url: str | None) -> dict[str, np.ndarray]:
    """:func:`daily_rows` of the configured (``None``) or given database; {} offline."""
    engine = _open_existing(db_url)
    if engine is None:
        return {}
    try:
        return daily_rows(engine)
    except sa_exc.SQLAlchemyError as exc:
        log.warning("market history unreadable: %s", exc.__class__.__name__)
        return {}
    finally:
        engine.dispose()


def _open_existing(db_url: str | None) -> Engine | None:
    """An engine on an existing database, or None: reads must not create or upgrade one."""
    from hashinsight_desktop.config.registry import SettingsError, load_settings
    from hashinsight_desktop.store.admin import connect_checked
    from hashinsight_desktop.store.database import resolve

    try:
        url: Any = db_url if db_url is not None else load_settings().get("database.url")
        return connect_checked(resolve(url), must_exist=True)
    except (DatabaseError, SettingsError, sa_exc.SQLAlchemyError) as exc:
        log.info("market cache not available: %s", exc)
        return None
