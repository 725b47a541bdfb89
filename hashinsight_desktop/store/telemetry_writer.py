"""Bulk telemetry ingest, rollups and retention.

One collection cycle is written as one batch: SQLite through ``executemany`` on the
raw DB-API connection inside one transaction (the table is WITHOUT ROWID and keyed by
``(ts, miner_id)``, so rows append), PostgreSQL through ``COPY ... FROM STDIN``.
Rollups aggregate a closed bucket with one INSERT ... SELECT; retention deletes whole
time ranges from the front of each table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy.engine import Engine

RAW_COLUMNS = ("ts", "miner_id", "status", "flags", "hashrate_ghs", "power_w",
               "temp_max_dc", "temp_avg_dc", "fan_min_rpm", "uptime_s")

# A raw row is a tuple in RAW_COLUMNS order; None where the miner did not say.
RawRow = tuple[int, int, int, int, int | None, int | None, int | None, int | None,
               int | None, int | None]


@dataclasses.dataclass(frozen=True)
class RetentionPolicy:
    raw_hours: int = 48
    rollup_5m_days: int = 7
    hourly_days: int = 0  # 0 = forever


def write_raw(engine: Engine, rows: Sequence[RawRow]) -> int:
    """Append one cycle's samples; returns the number of rows written."""
    if not rows:
        return 0
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            cur = raw.cursor()
            placeholders = ",".join("?" * len(RAW_COLUMNS))
            cur.executemany(f"INSERT INTO telemetry_raw VALUES ({placeholders})", rows)
            cur.close()
        else:
            with raw.cursor() as cur, cur.copy(
                f"COPY telemetry_raw ({','.join(RAW_COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    return len(rows)


def rollup(engine: Engine, *, source: str, target: str, bucket_s: int, start: int,
           sample_s: int) -> int:
    """Aggregate ``source`` rows with ``start <= ts < start + bucket_s`` into one bucket.

    ``sample_s`` is the interval each source row stands for (the poll interval for raw
    rows, 300 s for 5-minute rows), used to integrate energy.  Re-running a bucket
    replaces it (the bucket is deleted first in the same transaction).
    """
    end = start + bucket_s
    if source == "telemetry_raw":
        select = f"""
            SELECT {start}, miner_id, COUNT(*),
                   SUM(CASE WHEN status = 0 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = 1 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN flags & 1 = 1 THEN 1 ELSE 0 END),
                   MAX(status),
                   CAST(AVG(hashrate_ghs) AS INTEGER), CAST(AVG(power_w) AS INTEGER),
                   CAST(SUM(power_w) * {sample_s} / 3600 AS INTEGER),
                   MAX(temp_max_dc), CAST(AVG(temp_avg_dc) AS INTEGER), MIN(fan_min_rpm)
            FROM telemetry_raw WHERE ts >= {start} AND ts < {end}
            GROUP BY miner_id ORDER BY miner_id"""
    else:
        select = f"""
            SELECT {start}, miner_id, SUM(samples), SUM(ok_samples), SUM(curtailed_samples),
                   SUM(estimated_samples), MAX(status_worst),
                   CAST(SUM(hashrate_ghs * samples) / SUM(samples) AS INTEGER),
                   CAST(SUM(power_w * samples) / SUM(samples) AS INTEGER),
                   SUM(energy_wh), MAX(temp_max_dc),
                   CAST(SUM(temp_avg_dc * samples) / SUM(samples) AS INTEGER),
                   MIN(fan_min_rpm)
            FROM {source} WHERE bucket >= {start} AND bucket < {end}
            GROUP BY miner_id ORDER BY miner_id"""
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM {target} WHERE bucket = {int(start)}")
        result = conn.exec_driver_sql(f"INSERT INTO {target} {select}")
        return result.rowcount or 0


def prune(engine: Engine, *, now: int, policy: RetentionPolicy) -> dict[str, int]:
    """Delete what the retention policy no longer keeps; returns rows deleted per table."""
    cutoffs = {
        ("telemetry_raw", "ts"): now - policy.raw_hours * 3600,
        ("telemetry_5m", "bucket"): now - policy.rollup_5m_days * 86400,
        ("cycle_aggregates", "ts"): now - max(policy.rollup_5m_days, 30) * 86400,
    }
    if policy.hourly_days:
        cutoffs[("telemetry_1h", "bucket")] = now - policy.hourly_days * 86400
    deleted: dict[str, int] = {}
    for (table, column), cutoff in cutoffs.items():
        with engine.begin() as conn:
            result = conn.exec_driver_sql(f"DELETE FROM {table} WHERE {column} < {int(cutoff)}")
            deleted[table] = result.rowcount or 0
    return deleted
