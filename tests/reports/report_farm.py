"""A small registered fleet with known telemetry, so report figures can be checked exactly.

A plain module (not conftest) so test files can import its names.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.reports.period import Period
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import build_fleet
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.fleet import miners
from hashinsight_desktop.store.schema.telemetry import collector_cycles, cycle_aggregates
from hashinsight_desktop.store.telemetry_writer import write_raw

DAY = 86400
START = 1_793_491_200  # 2026-11-01 00:00 UTC
CYCLE_S = 300
DAYS = 3


@dataclasses.dataclass
class Farm:
    engine: Engine
    url: str
    period: Period
    miner_ids: list[int]
    site_ids: dict[str, int]
    last_ts: int
    offline: set[int]
    degraded: set[int]
    hot: set[int]


def _site_ids(engine: Engine) -> tuple[list[tuple[int, int]], dict[str, int]]:
    from hashinsight_desktop.store.schema.fleet import sites

    with engine.connect() as conn:
        pairs = [(int(a), int(b)) for a, b in conn.execute(
            select(miners.c.id, miners.c.site_id).order_by(miners.c.id))]
        names = {n: int(i) for i, n in conn.execute(select(sites.c.id, sites.c.name))}
    return pairs, names


def make_farm(url: str, n: int = 60) -> Farm:
    target = resolve(url)
    admin.upgrade(target, backup=False)
    engine = create_db_engine(target)
    populate(engine, build_fleet(n, seed=3))
    pairs, names = _site_ids(engine)
    ids = [m for m, _ in pairs]
    by_site: dict[int, list[int]] = {}
    for mid, sid in pairs:
        by_site.setdefault(sid, []).append(mid)
    cycles = DAYS * DAY // CYCLE_S
    rows = []
    for k in range(cycles):
        ts = START + k * CYCLE_S
        for sid, members in [(0, ids), *by_site.items()]:
            count = len(members)
            online = count - (k % 3)  # 0-2 miners offline, varying per cycle
            rows.append({"ts": ts, "site_id": sid, "miners": count, "online": online,
                         "curtailed": 0, "hashrate_ghs": online * 200_000 + k,
                         "nominal_ghs": count * 210_000, "power_w": online * 3500,
                         "temp_avg_dc": 650, "temp_max_dc": 790})
    last_ts = START + (cycles - 1) * CYCLE_S
    with engine.begin() as conn:
        conn.execute(insert(cycle_aggregates), rows)
        conn.execute(insert(collector_cycles), [{"ts": last_ts, "started_at_ms": last_ts * 1000}])
    offline, degraded, hot = {ids[0], ids[1]}, {ids[2]}, {ids[3], ids[4]}
    raw = []
    for mid in ids:
        if mid in offline:
            raw.append((last_ts, mid, 4, 0, None, None, None, None, None, None))
            continue
        status = 2 if mid in degraded else 0
        tmax = 850 + mid % 5 if mid in hot else 700
        raw.append((last_ts, mid, status, 0, 80_000 if status else 100_000, 3050, tmax, 650,
                    5000, 1000))
    write_raw(engine, raw)
    return Farm(engine, url, Period(START, START + DAYS * DAY), ids, names, last_ts,
                offline, degraded, hot)
