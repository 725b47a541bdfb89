"""Seed data for the chart tests: two days of fleet/site aggregates, two hours of samples."""

from __future__ import annotations

import numpy as np
from sqlalchemy import insert

from hashinsight_desktop.store.schema.fleet import miners, sites
from hashinsight_desktop.store.schema.telemetry import collector_cycles, cycle_aggregates
from hashinsight_desktop.store.telemetry_writer import rollup, write_raw

END = 1_800_000_000 - 1_800_000_000 % 3600  # the panel's "now" in these tests
AGG_MINUTES = 2 * 24 * 60
RAW_MINUTES = 120
MINERS = 3


def _aggregates(site_id: int, scale: float) -> list[dict]:
    t = np.arange(AGG_MINUTES)
    wave = 1 + 0.05 * np.sin(t / 90)
    return [{"ts": END - 60 * (AGG_MINUTES - m), "site_id": site_id, "miners": 100,
             "online": 95 + m % 5, "curtailed": 0,
             "hashrate_ghs": int(10_000_000 * scale * wave[m]), "nominal_ghs": 11_000_000,
             "power_w": int(300_000 * scale), "temp_avg_dc": 650, "temp_max_dc": 800 + m % 30}
            for m in range(AGG_MINUTES)]


def seed_farm(engine) -> list[int]:
    """Two sites (only Alpha has aggregates), three miners with raw samples; miner ids."""
    with engine.begin() as conn:
        alpha = conn.execute(insert(sites).values(name="Alpha")).inserted_primary_key[0]
        conn.execute(insert(sites).values(name="Bravo"))
        ids = [conn.execute(insert(miners).values(
            name=f"A-{i:02d}", ip=f"10.0.0.{i}", site_id=alpha)).inserted_primary_key[0]
            for i in range(1, MINERS + 1)]
        conn.execute(insert(cycle_aggregates), _aggregates(0, 1.0) + _aggregates(alpha, 0.5))
        first = END - 60 * RAW_MINUTES
        conn.execute(insert(collector_cycles), [
            {"ts": first + 60 * m, "started_at_ms": (first + 60 * m) * 1000}
            for m in range(RAW_MINUTES)])
    for m in range(RAW_MINUTES):
        write_raw(engine, [(first + 60 * m, miner_id, 0, 0, 100_000 + 1000 * k, 3200,
                            700 + k, 650, 5000, 60 * m) for k, miner_id in enumerate(ids)])
    for b in range(RAW_MINUTES // 5):
        rollup(engine, source="telemetry_raw", target="telemetry_5m", bucket_s=300,
               start=first + 300 * b, sample_s=60)
    return [int(i) for i in ids]
