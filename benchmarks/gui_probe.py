"""Helpers to measure the GUI thread: the longest gap between 10 ms timer ticks while the
console follows a database that another process keeps writing cycles into."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import build_fleet
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.telemetry import collector_cycles, miner_snapshots
from hashinsight_desktop.store.telemetry_writer import write_raw

WRITER = Path(__file__).resolve()


def prepare(db_path: Path, miners: int) -> str:
    url = f"sqlite:///{db_path}"
    target = resolve(url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    populate(engine, build_fleet(miners, seed=3, bind="127.60.0.0/16"))
    engine.dispose()
    return url


def write_cycles(url: str, miners: int, cycles: int, every_s: float) -> None:
    """Run in a child process: one full cycle (raw rows, snapshots, cycle row) per period."""
    engine = create_db_engine(resolve(url))
    rng = np.random.default_rng(1)
    with engine.connect() as conn:
        last = conn.exec_driver_sql("SELECT MAX(ts) FROM collector_cycles").scalar()
    ts = (last + 60) if last else int(time.time()) // 60 * 60
    snapshot = json.dumps({"pool_url": "stratum+tcp://pool.example:3333", "fans_rpm": [5000] * 4})
    for c in range(cycles):
        started = time.time()
        t = ts + 60 * c
        hashrate = rng.normal(110_000, 3_000, miners).astype(int)
        rows = [(t, i + 1, 0, 0, int(hashrate[i]), 3250, 700, 650, 5000, 1000)
                for i in range(miners)]
        write_raw(engine, rows)
        with engine.begin() as conn:
            conn.execute(miner_snapshots.delete())
            conn.execute(insert(miner_snapshots), [
                {"miner_id": i + 1, "ts": t, "status": "ok", "reading_json": snapshot}
                for i in range(miners)])
            conn.execute(insert(collector_cycles), [{
                "ts": t, "started_at_ms": int(started * 1000), "duration_ms": 1000,
                "finished_at_ms": int(time.time() * 1000), "polled": miners, "ok": miners}])
        time.sleep(max(0.0, every_s - (time.time() - started)))
    engine.dispose()


def start_writer(url: str, miners: int, cycles: int, every_s: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), url, str(miners), str(cycles),
                             str(every_s)])


def longest_gap_ms(app, duration_s: float, until=None) -> tuple[float, int]:
    """Run the event loop for ``duration_s`` with a 10 ms timer; the longest tick gap."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    gaps: list[int] = []

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    loop = QEventLoop()
    QTimer.singleShot(int(duration_s * 1000), loop.quit)
    loop.exec()
    timer.stop()
    return float(max(gaps[5:] or [0])), len(gaps)


if __name__ == "__main__":
    write_cycles(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
