"""Shared benchmark fixtures: fresh databases and synthetic telemetry cycles."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve


def fresh_sqlite() -> tuple[Engine, Path]:
    folder = Path(tempfile.mkdtemp(prefix="hi-bench-"))
    target = resolve(f"sqlite:///{folder / 'bench.db'}")
    admin.upgrade(target, backup=False)
    return create_db_engine(target), folder / "bench.db"


def fresh_postgres() -> tuple[Engine, str]:
    """A new database on the server named by HASHINSIGHT_TEST_PG_URL; drop it afterwards."""
    base = make_url(os.environ["HASHINSIGHT_TEST_PG_URL"])
    name = f"hi_bench_{uuid.uuid4().hex[:10]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    target = resolve(base.set(database=name).render_as_string(hide_password=False))
    admin.upgrade(target, backup=False)
    return create_db_engine(target), name


def drop_postgres(name: str) -> None:
    base = make_url(os.environ["HASHINSIGHT_TEST_PG_URL"])
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def cycle_rows(n: int, ts: int, rng: np.random.Generator) -> list[tuple]:
    """One cycle of realistic raw samples (2 % offline with NULL values)."""
    ids = np.arange(1, n + 1)
    status = np.where(rng.random(n) < 0.02, 4, 0)
    hashrate = (rng.normal(110_000, 3_000, n)).astype(np.int64)
    power = (rng.normal(3250, 60, n)).astype(np.int64)
    tmax = (rng.normal(720, 40, n)).astype(np.int64)
    tavg = tmax - 60
    fan = (rng.normal(5200, 300, n)).astype(np.int64)
    uptime = rng.integers(1000, 5_000_000, n)
    rows = []
    for i in range(n):
        if status[i] == 4:
            rows.append((ts, int(ids[i]), 4, 0, None, None, None, None, None, None))
        else:
            rows.append((ts, int(ids[i]), 0, 0, int(hashrate[i]), int(power[i]),
                         int(tmax[i]), int(tavg[i]), int(fan[i]), int(uptime[i])))
    return rows
