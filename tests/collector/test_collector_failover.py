"""Two real collector processes on one PostgreSQL: exactly one leads; when it is killed
(-9), the other takes over within two cycles, and no cycle is written twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import build_fleet
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.system import collector_leases
from hashinsight_desktop.store.schema.telemetry import collector_cycles

INTERVAL_S = 5


def _start(url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hashinsight_desktop", "collector", "run",
                             "--interval", str(INTERVAL_S), "--no-market", "--db", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ))


def _leader_pid(engine) -> int | None:
    with engine.connect() as conn:
        row = conn.execute(select(collector_leases.c.holder, collector_leases.c.expires_at_ms)
                           ).first()
    if row is None or row.expires_at_ms < time.time() * 1000:
        return None
    return int(row.holder.split(":")[1])


def _wait(predicate, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)  # polling another process's writes: no signal to wait on
    raise AssertionError(f"condition not met within {timeout} s")


def test_one_leader_and_takeover_after_kill(pg_url: str) -> None:
    target = resolve(pg_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    # a few unreachable miners: the cycles are real but quick
    populate(engine, build_fleet(20, seed=1, bind="127.235.0.0/16"))
    first = _start(pg_url)
    second = None
    try:
        _wait(lambda: _leader_pid(engine) == first.pid, 30)
        second = _start(pg_url)
        time.sleep(2 * INTERVAL_S)  # let the second one try for two cycles
        assert _leader_pid(engine) == first.pid
        with engine.connect() as conn:
            writers = {c.split("#")[0] for c in conn.scalars(select(collector_cycles.c.collector))}
        assert len(writers) == 1  # only the leader wrote cycles
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        took = _wait(lambda: _leader_pid(engine) == second.pid, 4 * INTERVAL_S)
        print(f"takeover after {took:.1f} s")
        assert took <= 2 * INTERVAL_S + 1.5  # within two cycles (plus start-up slack)
        with engine.connect() as conn:
            ts = list(conn.scalars(select(collector_cycles.c.ts)))
        assert len(ts) == len(set(ts))  # no cycle written twice
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                proc.wait(20)
        engine.dispose()
