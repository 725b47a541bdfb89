"""Reading telemetry back for charts and reports, as numpy arrays.

A miner's history is read by seeking each known time point (cycle times for raw
samples, aligned buckets for rollups) with the miner id: one primary-key seek per
point on tables keyed ``(time, miner_id)``.  The resolution follows the range: raw
samples up to ``RAW_MAX_S``, 5-minute rollups up to ``FIVE_MIN_MAX_S``, hourly beyond.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Engine

RAW_MAX_S = 6 * 3600
FIVE_MIN_MAX_S = 7 * 86400
SERIES = ("hashrate_ths", "power_kw", "efficiency_j_th", "online", "temp_avg_c", "temp_max_c")


@dataclasses.dataclass(frozen=True)
class Series:
    """Equal-length arrays; ``ts`` in Unix seconds, NaN where a value is unknown."""

    ts: np.ndarray
    values: dict[str, np.ndarray]
    resolution_s: int

    def __len__(self) -> int:
        return len(self.ts)


def _floats(rows: list, index: int, scale: float = 1.0) -> np.ndarray:
    return np.array([np.nan if r[index] is None else float(r[index]) * scale for r in rows],
                    dtype=np.float64)


def fleet_series(engine: Engine, start: int, end: int, *, site_id: int = 0) -> Series:
    """Fleet (site_id 0) or one site's per-cycle aggregates, bucketed to fit the range."""
    span = end - start
    bucket = 60 if span <= 2 * 86400 else 300 if span <= 14 * 86400 else 3600
    sql = text(f"""
        SELECT (ts / {bucket}) * {bucket} AS t,
               AVG(hashrate_ghs), AVG(power_w), AVG(online), AVG(temp_avg_dc), MAX(temp_max_dc)
        FROM cycle_aggregates
        WHERE site_id = :site AND ts >= :start AND ts < :end
        GROUP BY (ts / {bucket}) * {bucket} ORDER BY t""")
    with engine.connect() as conn:
        rows = conn.execute(sql, {"site": site_id, "start": start, "end": end}).all()
    ts = np.array([r[0] for r in rows], dtype=np.int64)
    hashrate = _floats(rows, 1, 1e-3)
    power_kw = _floats(rows, 2, 1e-3)
    with np.errstate(divide="ignore", invalid="ignore"):
        efficiency = np.where(hashrate > 0, power_kw * 1000 / hashrate, np.nan)
    return Series(ts, {
        "hashrate_ths": hashrate, "power_kw": power_kw, "efficiency_j_th": efficiency,
        "online": _floats(rows, 3), "temp_avg_c": _floats(rows, 4, 0.1),
        "temp_max_c": _floats(rows, 5, 0.1),
    }, bucket)


def miner_series(engine: Engine, miner_id: int, start: int, end: int) -> Series:
    """One miner's hashrate, power, temperatures and fans over [start, end)."""
    span = end - start
    if span <= RAW_MAX_S:
        sql = text("""
            SELECT c.ts, r.hashrate_ghs, r.power_w, r.temp_max_dc, r.temp_avg_dc,
                   r.fan_min_rpm, r.status
            FROM collector_cycles c
            JOIN telemetry_raw r ON r.ts = c.ts AND r.miner_id = :m
            WHERE c.ts >= :start AND c.ts < :end ORDER BY c.ts""")
        resolution = 60
        params = {"m": miner_id, "start": start, "end": end}
    else:
        table, resolution = (("telemetry_5m", 300) if span <= FIVE_MIN_MAX_S
                             else ("telemetry_1h", 3600))
        first = start - start % resolution
        sql = text(f"""
            WITH RECURSIVE buckets(t) AS (
                SELECT :first UNION ALL SELECT t + {resolution} FROM buckets WHERE t + {resolution} < :end
            )
            SELECT b.t, r.hashrate_ghs, r.power_w, r.temp_max_dc, r.temp_avg_dc,
                   r.fan_min_rpm, r.status_worst
            FROM buckets b JOIN {table} r ON r.bucket = b.t AND r.miner_id = :m
            ORDER BY b.t""")
        params = {"m": miner_id, "first": first, "end": end}
    with engine.connect() as conn:
        rows = conn.execute(sql, params).all()
    return Series(np.array([r[0] for r in rows], dtype=np.int64), {
        "hashrate_ths": _floats(rows, 1, 1e-3),
        "power_w": _floats(rows, 2),
        "temp_max_c": _floats(rows, 3, 0.1),
        "temp_avg_c": _floats(rows, 4, 0.1),
        "fan_min_rpm": _floats(rows, 5),
        "status": _floats(rows, 6),
    }, resolution)
