"""What hosting billing reads: contracts in force, their miners' spans, telemetry sums.

Telemetry is summed in the database per miner and UTC day (see
:mod:`hashinsight_desktop.core.billing.energy`), from the 5-minute rollups when they
still cover the whole month (they are kept 7 days by default) and from the hourly
rollups otherwise.  Both give the same energy: hourly rows are sums of 5-minute rows.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.core.billing.energy import SECONDS_PER_DAY, DailySums
from hashinsight_desktop.core.billing.proration import active_span
from hashinsight_desktop.store.schema.crm import contract_miners, customers, hosting_contracts
from hashinsight_desktop.store.schema.fleet import miners

ROLLUPS = {"5m": ("telemetry_5m", 300), "1h": ("telemetry_1h", 3600)}


@dataclasses.dataclass(frozen=True)
class Contract:
    id: int
    customer_id: int
    customer_name: str
    name: str
    rate_kind: str
    rate_micros: int
    currency: str
    curtailment_credited: bool
    start_date: dt.date
    end_date: dt.date | None


@dataclasses.dataclass(frozen=True)
class MinerSlots:
    """One row per (contract, miner) billable this month; arrays share positions."""

    contract_id: np.ndarray
    miner_id: np.ndarray
    miner_name: list[str]
    day_from: np.ndarray  # day index from the month start, inclusive
    day_to: np.ndarray  # exclusive


def unix(day: dt.date) -> int:
    return calendar.timegm(day.timetuple())


def load_contracts(conn: Connection, month_start: dt.date, month_end: dt.date,
                   customer_id: int | None) -> list[Contract]:
    hc = hosting_contracts
    query = (select(hc.c.id, hc.c.customer_id, customers.c.name, hc.c.name, hc.c.rate_kind,
                    hc.c.rate_micros, hc.c.currency, hc.c.curtailment_credited,
                    hc.c.start_date, hc.c.end_date)
             .join(customers, customers.c.id == hc.c.customer_id)
             .where(hc.c.start_date < month_end,
                    or_(hc.c.end_date.is_(None), hc.c.end_date >= month_start))
             .order_by(customers.c.name_key, hc.c.id))
    if customer_id is not None:
        query = query.where(hc.c.customer_id == customer_id)
    return [Contract(*row) for row in conn.execute(query)]


def load_slots(conn: Connection, contracts: list[Contract], month_start: dt.date,
               month_end: dt.date) -> MinerSlots:
    by_id = {c.id: c for c in contracts}
    cm = contract_miners
    rows = conn.execute(
        select(cm.c.contract_id, cm.c.miner_id, miners.c.name, miners.c.ip,
               cm.c.from_date, cm.c.to_date)
        .join(miners, miners.c.id == cm.c.miner_id)
        .where(cm.c.contract_id.in_(list(by_id)),
               or_(cm.c.from_date.is_(None), cm.c.from_date < month_end),
               or_(cm.c.to_date.is_(None), cm.c.to_date >= month_start))
        .order_by(cm.c.contract_id, cm.c.miner_id)).all()
    kept: list[tuple[int, int, str, int, int]] = []
    for contract_id, miner_id, name, ip, low, high in rows:
        c = by_id[contract_id]
        start, end = active_span(month_start, month_end, (c.start_date, c.end_date), (low, high))
        if end > start:
            kept.append((contract_id, miner_id, name or ip,
                         (start - month_start).days, (end - month_start).days))
    return MinerSlots(
        contract_id=np.array([k[0] for k in kept], dtype=np.int64),
        miner_id=np.array([k[1] for k in kept], dtype=np.int64),
        miner_name=[k[2] for k in kept],
        day_from=np.array([k[3] for k in kept], dtype=np.int64),
        day_to=np.array([k[4] for k in kept], dtype=np.int64),
    )


def choose_rollup(conn: Connection, month_start: dt.date) -> str:
    """'5m' when 5-minute rows reach back to the month start, else '1h'."""
    oldest = conn.exec_driver_sql("SELECT MIN(bucket) FROM telemetry_5m").scalar()
    return "5m" if oldest is not None and oldest <= unix(month_start) else "1h"


def load_daily_sums(engine: Engine, slots: MinerSlots, month_start: dt.date,
                    month_end: dt.date, *, rollup: str, sample_s: int,
                    only_listed: bool) -> DailySums:
    """Per (slot position, day) sums; ``only_listed`` filters on the slots' miner ids
    (for one customer) instead of reading every miner of the month.

    One query for the month runs on one core, and on SQLite its GROUP BY sorts every
    row (4.46 M hourly rows for 6,000 miners).  One query per day on parallel
    connections (the drivers release the GIL) uses every core and sorts small sets:
    SQLite 6.6 s -> 3.0 s on two cores.  The days are read in separate snapshots;
    a rollup written meanwhile can only add a bucket the preview then shows.
    """
    table, _bucket_s = ROLLUPS[rollup]
    t0, t1 = unix(month_start), unix(month_end)
    extra = ""
    if only_listed:
        ids = ",".join(str(int(m)) for m in np.unique(slots.miner_id)) or "NULL"
        extra = f" AND miner_id IN ({ids})"
    days = [(t0 + d * 86_400, t0 + (d + 1) * 86_400) for d in range((t1 - t0) // 86_400)]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        parts = pool.map(lambda day: _fetch(engine, _daily_sql(table, t0, *day, extra)), days)
        fetched = [row for part in parts for row in part]
    rows = np.array(fetched, dtype=np.float64).reshape(-1, 8)
    np.nan_to_num(rows, copy=False)  # NULL sums (no power figure) count as 0
    # A day cannot hold more samples than it has minutes: a collector writing twice
    # must not bill a day twice.
    np.minimum(rows[:, 2], SECONDS_PER_DAY // sample_s, out=rows[:, 2])
    np.minimum(rows[:, 6], SECONDS_PER_DAY // sample_s, out=rows[:, 6])
    return _to_slot_positions(rows, slots.miner_id)


def _daily_sql(table: str, t0: int, start: int, end: int, extra: str) -> str:
    # All values are integers computed here, never user text.  Plain SUMs: each
    # expression costs on millions of rows.  A rollup row always has samples > 0, so
    # "clean" (counted for the running power) is just "no curtailed sample".
    return f"""
        SELECT miner_id, (bucket - {t0}) / 86400, SUM(samples), SUM(curtailed_samples),
               SUM(estimated_samples), SUM(energy_wh),
               SUM(CASE WHEN curtailed_samples = 0 THEN samples END),
               SUM(CASE WHEN curtailed_samples = 0 THEN energy_wh END)
        FROM {table} WHERE bucket >= {start} AND bucket < {end}{extra}
        GROUP BY miner_id, (bucket - {t0}) / 86400"""


def _fetch(engine: Engine, sql: str) -> list[tuple]:
    """Plain tuples from the DB-API cursor (numpy probing SQLAlchemy rows costs seconds)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql)
        rows = cursor.fetchall()
        cursor.close()
        raw.commit()
        return rows
    finally:
        raw.close()


def _to_slot_positions(rows: np.ndarray, slot_miner: np.ndarray) -> DailySums:
    """Map rows keyed by miner id onto slot positions (a miner moved between two
    contracts in the month has two slots: its rows are repeated for each)."""
    order = np.argsort(slot_miner, kind="stable")
    sorted_ids = slot_miner[order]
    miner_ids = rows[:, 0].astype(np.int64)
    lo = np.searchsorted(sorted_ids, miner_ids, side="left")
    hi = np.searchsorted(sorted_ids, miner_ids, side="right")
    counts = hi - lo
    rows = np.repeat(rows, counts, axis=0)
    starts = np.repeat(lo, counts)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    position = order[starts + offsets] if len(rows) else np.zeros(0, dtype=np.int64)
    return DailySums(position.astype(np.int64), rows[:, 1].astype(np.int64),
                     *(rows[:, i] for i in range(2, 8)))
