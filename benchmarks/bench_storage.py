"""Foundation figures: telemetry ingest rate, database size per day, db upgrade time."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.fixtures import cycle_rows, drop_postgres, fresh_postgres, fresh_sqlite
from benchmarks.harness import case
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.telemetry_writer import rollup, write_raw

_ts = itertools.count(1_800_000_000, 60)


class _Ingest:
    def __init__(self, engine, n: int, cleanup) -> None:
        self.engine = engine
        rng = np.random.default_rng(7)
        self.template = cycle_rows(n, 0, rng)
        self.cleanup = cleanup

    def rows(self) -> list[tuple]:
        ts = next(_ts)
        return [(ts, *r[1:]) for r in self.template]


def _sqlite_setup(n: int):
    def setup():
        engine, path = fresh_sqlite()
        return _Ingest(engine, n, lambda: shutil.rmtree(path.parent, ignore_errors=True))
    return setup


def _pg_setup(n: int):
    def setup():
        engine, name = fresh_postgres()
        return _Ingest(engine, n, lambda: (engine.dispose(), drop_postgres(name)))
    return setup


def _teardown(ctx: _Ingest) -> None:
    ctx.engine.dispose()
    ctx.cleanup()


def _ingest(ctx: _Ingest) -> float:
    rows = ctx.rows()
    t0 = time.perf_counter()
    write_raw(ctx.engine, rows)
    return len(rows) / (time.perf_counter() - t0)


for _n, _label in ((6_000, "6,000"), (100_000, "100,000")):
    case(f"telemetry ingest, SQLite, one cycle of {_label} samples", unit="rows/s",
         target=">= 300000", repeat=9, setup=_sqlite_setup(_n), teardown=_teardown)(_ingest)
    case(f"telemetry ingest, PostgreSQL COPY, one cycle of {_label} samples", unit="rows/s",
         target=">= 150000", repeat=9, setup=_pg_setup(_n), teardown=_teardown,
         needs="pg")(_ingest)


def _cycle_ms(ctx: _Ingest) -> float:
    rows = ctx.rows()
    t0 = time.perf_counter()
    write_raw(ctx.engine, rows)
    return (time.perf_counter() - t0) * 1000


case("write one 6,000-miner cycle, SQLite", unit="ms", target="<= 30", repeat=15,
     setup=_sqlite_setup(6_000), teardown=_teardown)(_cycle_ms)
case("write one 6,000-miner cycle, PostgreSQL", unit="ms", target="<= 30", repeat=15,
     setup=_pg_setup(6_000), teardown=_teardown, needs="pg")(_cycle_ms)


# --- storage per day ------------------------------------------------------------------

MINERS = 6_000
DAY_CYCLES = 1440


def _one_day_db():
    engine, path = fresh_sqlite()
    rng = np.random.default_rng(3)
    template = cycle_rows(MINERS, 0, rng)
    start = 1_800_000_000 - 1_800_000_000 % 3600
    for c in range(DAY_CYCLES):
        ts = start + 60 * c
        write_raw(engine, [(ts, *r[1:]) for r in template])
        if (c + 1) % 5 == 0:
            rollup(engine, source="telemetry_raw", target="telemetry_5m", bucket_s=300,
                   start=ts - 240, sample_s=60)
        if (c + 1) % 60 == 0:
            rollup(engine, source="telemetry_5m", target="telemetry_1h", bucket_s=3600,
                   start=ts - 3540, sample_s=300)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    con = sqlite3.connect(path)
    sizes = dict(con.execute(
        "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall())
    con.close()
    return {"path": path, "sizes": sizes, "file": path.stat().st_size}


_day_cache: dict = {}


def _day(_ctx=None) -> dict:
    if not _day_cache:
        _day_cache.update(_one_day_db())
    return _day_cache


def _day_teardown(_ctx) -> None:
    pass


@case("SQLite growth per day, 6,000 miners (raw + 5 min + 1 h)", unit="MB", repeat=1,
      setup=_day)
def size_per_day(ctx: dict) -> float:
    s = ctx["sizes"]
    return sum(s.get(t, 0) for t in ("telemetry_raw", "telemetry_5m", "telemetry_1h")) / 1e6


@case("SQLite size, 6,000 miners, 30 days, default retention (48 h raw, 7 d 5-min, 1 h kept)",
      unit="GB", target="<= 3", repeat=1, setup=_day)
def size_30_days(ctx: dict) -> float:
    s = ctx["sizes"]
    raw_day = s.get("telemetry_raw", 0)
    five_day = s.get("telemetry_5m", 0)
    hour_day = s.get("telemetry_1h", 0)
    other = ctx["file"] - raw_day - five_day - hour_day
    total = 2 * raw_day + 7 * five_day + 30 * hour_day + other
    shutil.rmtree(Path(ctx["path"]).parent, ignore_errors=True)
    return total / 1e9


# --- db upgrade -----------------------------------------------------------------------

@case("db upgrade on an empty SQLite database", unit="ms", repeat=5)
def upgrade_sqlite(_ctx) -> float:
    folder = Path(tempfile.mkdtemp(prefix="hi-bench-up-"))
    try:
        target = resolve(f"sqlite:///{folder / 'up.db'}")
        t0 = time.perf_counter()
        admin.upgrade(target, backup=False)
        return (time.perf_counter() - t0) * 1000
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@case("db upgrade on an empty PostgreSQL database", unit="ms", repeat=5, needs="pg")
def upgrade_pg(_ctx) -> float:
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(os.environ["HASHINSIGHT_TEST_PG_URL"])
    name = f"hi_bench_{uuid.uuid4().hex[:10]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        target = resolve(base.set(database=name).render_as_string(hide_password=False))
        t0 = time.perf_counter()
        admin.upgrade(target, backup=False)
        return (time.perf_counter() - t0) * 1000
    finally:
        drop_postgres(name)
        server.dispose()
