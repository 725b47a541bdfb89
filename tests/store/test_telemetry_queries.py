"""Charts read back exactly what was written, at the resolution the range needs."""

import numpy as np
from sqlalchemy import insert

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.telemetry import collector_cycles, cycle_aggregates
from hashinsight_desktop.store.telemetry_queries import fleet_series, miner_series
from hashinsight_desktop.store.telemetry_writer import rollup, write_raw

T0 = 1_800_000_000 - 1_800_000_000 % 3600


def _engine(url: str):
    target = resolve(url)
    admin.upgrade(target)
    return create_db_engine(target)


def test_miner_series_raw_and_rollups(db_url: str) -> None:
    engine = _engine(db_url)
    minutes = 120
    with engine.begin() as conn:
        conn.execute(insert(collector_cycles), [
            {"ts": T0 + 60 * m, "started_at_ms": (T0 + 60 * m) * 1000} for m in range(minutes)])
    for m in range(minutes):
        write_raw(engine, [(T0 + 60 * m, 7, 0, 0, 100_000 + m, 3000, 700 + m, 650, 5000, 10),
                           (T0 + 60 * m, 8, 0, 0, 50_000, 1500, 600, 550, 4000, 10)])
    for b in range(minutes // 5):
        rollup(engine, source="telemetry_raw", target="telemetry_5m", bucket_s=300,
               start=T0 + 300 * b, sample_s=60)
    raw = miner_series(engine, 7, T0, T0 + 3600)
    assert raw.resolution_s == 60 and len(raw) == 60
    assert raw.values["hashrate_ths"][0] == 100.0
    assert raw.values["temp_max_c"][59] == np.float64(75.9)
    five = miner_series(engine, 7, T0, T0 + 24 * 3600)
    assert five.resolution_s == 300 and len(five) == minutes // 5
    assert five.ts[1] - five.ts[0] == 300
    assert five.values["power_w"][0] == 3000
    engine.dispose()


def test_fleet_series_buckets_and_efficiency(db_url: str) -> None:
    engine = _engine(db_url)
    with engine.begin() as conn:
        conn.execute(insert(cycle_aggregates), [
            {"ts": T0 + 60 * m, "site_id": 0, "miners": 10, "online": 9, "curtailed": 0,
             "hashrate_ghs": 1_000_000, "nominal_ghs": 1_100_000, "power_w": 30_000,
             "temp_avg_dc": 650, "temp_max_dc": 800 + m} for m in range(60)])
    day = fleet_series(engine, T0, T0 + 3600)
    assert day.resolution_s == 60 and len(day) == 60
    assert day.values["hashrate_ths"][0] == 1000.0
    assert day.values["efficiency_j_th"][0] == 30.0
    month = fleet_series(engine, T0 - 29 * 86400, T0 + 86400)
    assert month.resolution_s == 3600 and len(month) == 1
    assert month.values["temp_max_c"][0] == 85.9
    engine.dispose()
