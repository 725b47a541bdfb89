"""Report figures: the fleet status PDF over 30 days and the fleet Excel export.

A SQLite farm of simulated miners (sites, racks, clients from ``simulator.build_fleet``)
with 30 days of per-minute ``cycle_aggregates`` (fleet + each site) and one cycle of raw
samples (2 % offline, a few hot and degraded).  The 100,000-row export's peak RSS is
measured in a child process that only opens the database and writes the file, so the
figure is the export's own footprint, not the set-up's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import numpy as np
from sqlalchemy import select

from benchmarks.fixtures import fresh_sqlite
from benchmarks.harness import case
from hashinsight_desktop.reports.period import Period
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import build_fleet
from hashinsight_desktop.store.schema.fleet import miners
from hashinsight_desktop.store.telemetry_writer import write_raw

T0 = 1_790_812_800  # 2026-10-01 00:00 UTC
DAYS = 30
CYCLE_S = 60


@cache
def _farm(n: int, days: int) -> tuple[str, Period]:
    """A farm database file (built once per size) and the report period over it."""
    engine, path = fresh_sqlite()
    populate(engine, build_fleet(n, seed=7, bind="127.0.0.0/8"))
    with engine.connect() as conn:
        pairs = np.array(conn.execute(select(miners.c.id, miners.c.site_id)).all(),
                         dtype=np.int64)
    ids, site_of = pairs[:, 0], pairs[:, 1]
    groups = [(0, len(ids))] + [(int(s), int((site_of == s).sum())) for s in np.unique(site_of)]
    cycles = days * 86400 // CYCLE_S
    rng = np.random.default_rng(7)
    rows = []
    for k in range(cycles):
        ts = T0 + k * CYCLE_S
        wobble = 1 + 0.02 * np.sin(k / 1440 * 2 * np.pi)
        for site_id, count in groups:
            online = count - int(rng.integers(0, max(2, count // 50)))
            rows.append((ts, site_id, count, online, 0, int(online * 110_000 * wobble),
                         count * 115_000, int(online * 3250 * wobble), 650, 820))
    raw = engine.raw_connection()
    try:
        raw.cursor().executemany("INSERT INTO cycle_aggregates VALUES (?,?,?,?,?,?,?,?,?,?)",
                                 rows)
        raw.commit()
    finally:
        raw.close()
    last = T0 + (cycles - 1) * CYCLE_S
    status = np.where(rng.random(len(ids)) < 0.02, 4,
                      np.where(rng.random(len(ids)) < 0.01, 2, 0))
    tmax = rng.normal(720, 40, len(ids)).astype(int)
    write_raw(engine, [
        (last, int(m), 4, 0, None, None, None, None, None, None) if s == 4 else
        (last, int(m), int(s), 0, 110_000, 3250, int(t), int(t) - 60, 5200, 100_000)
        for m, s, t in zip(ids, status, tmax, strict=True)])
    engine.dispose()
    return f"sqlite:///{path}", Period(T0, T0 + days * 86400)


def _engine(url: str):
    from hashinsight_desktop.store.database import create_db_engine, resolve

    return create_db_engine(resolve(url))


def _out(suffix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix="hi-bench-report-")) / f"report{suffix}"


def _pdf_setup():
    url, period = _farm(6000, DAYS)
    return _engine(url), period


@case("fleet status PDF, 6,000 miners over 30 days", unit="s", target="<= 5", repeat=3,
      setup=_pdf_setup)
def fleet_pdf_6k(ctx) -> float:
    from hashinsight_desktop.reports.fleet_status import build_fleet_status_pdf

    engine, period = ctx
    out = _out(".pdf")
    t0 = time.perf_counter()
    build_fleet_status_pdf(engine, out, period, lang="en")
    elapsed = time.perf_counter() - t0
    shutil.rmtree(out.parent)
    return elapsed


@case("fleet status PDF (Chinese), 6,000 miners over 30 days", unit="s", target="<= 5",
      repeat=3, setup=_pdf_setup)
def fleet_pdf_6k_zh(ctx) -> float:
    from hashinsight_desktop.reports.fleet_status import build_fleet_status_pdf

    engine, period = ctx
    out = _out(".pdf")
    t0 = time.perf_counter()
    build_fleet_status_pdf(engine, out, period, lang="zh_CN")
    elapsed = time.perf_counter() - t0
    shutil.rmtree(out.parent)
    return elapsed


def _xlsx(n: int, days: int):
    url, period = _farm(n, days)
    return _engine(url), period


@case("fleet Excel export, 6,000 miners", unit="s", target="<= 2", repeat=3,
      setup=lambda: _xlsx(6000, DAYS))
def fleet_xlsx_6k(ctx) -> float:
    from hashinsight_desktop.reports.fleet_xlsx import build_fleet_xlsx

    engine, period = ctx
    out = _out(".xlsx")
    t0 = time.perf_counter()
    build_fleet_xlsx(engine, out, period)
    elapsed = time.perf_counter() - t0
    shutil.rmtree(out.parent)
    return elapsed


@case("fleet Excel export, 100,000 miners", unit="s", target="<= 20", repeat=1,
      setup=lambda: _xlsx(100_000, 2))
def fleet_xlsx_100k(ctx) -> float:
    from hashinsight_desktop.reports.fleet_xlsx import build_fleet_xlsx

    engine, period = ctx
    out = _out(".xlsx")
    t0 = time.perf_counter()
    build_fleet_xlsx(engine, out, period)
    elapsed = time.perf_counter() - t0
    shutil.rmtree(out.parent)
    return elapsed


_RSS_SCRIPT = """
import sys, time
from pathlib import Path
from hashinsight_desktop.reports.fleet_xlsx import build_fleet_xlsx
from hashinsight_desktop.reports.period import Period
from hashinsight_desktop.store.database import create_db_engine, resolve

def hwm_kb():  # VmHWM: this process's peak RSS (ru_maxrss survives exec from the parent)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

url, start, end, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
engine = create_db_engine(resolve(url))
before = hwm_kb()
t0 = time.perf_counter()
result = build_fleet_xlsx(engine, out, Period(start, end))
print(time.perf_counter() - t0, before, hwm_kb(), result.rows)
"""


def _child_export() -> tuple[float, float, float, int]:
    url, period = _farm(100_000, 2)
    out = _out(".xlsx")
    try:
        done = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, url, str(period.start),
                               str(period.end), str(out)], capture_output=True, text=True,
                              check=True, timeout=300)
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    seconds, before, peak, rows = done.stdout.split()
    return float(seconds), int(before) / 1024, int(peak) / 1024, int(rows)


@case("fleet Excel export, 100,000 miners: peak RSS of the exporting process", unit="MB",
      target="<= 300", repeat=1)
def fleet_xlsx_100k_rss(_ctx) -> float:
    _seconds, _before, peak, rows = _child_export()
    assert rows == 100_000
    return peak


@case("fleet Excel export, 100,000 miners: peak RSS growth during the export", unit="MB",
      target="<= 100", repeat=1)
def fleet_xlsx_100k_rss_growth(_ctx) -> float:
    _seconds, before, peak, _rows = _child_export()
    return peak - before
