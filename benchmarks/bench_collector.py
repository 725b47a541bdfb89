"""One collection cycle over 6,000 simulated miners (5 % hanging, 5 % refusing).

The simulator runs in two worker processes on the same machine; the collector
(polling, conversion, one writer thread) in this process, writing to a SQLite file.
Hanging miners each hold a concurrency slot for the whole per-miner deadline (3 s,
the default), so the cycle can never be shorter than that.  Also reported: the
populate time for 6,000 miners and the collector's peak RSS.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import case
from hashinsight_desktop.collector.cycle import CycleSettings, run_cycle_once
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import FaultProfile, SimulatedFleet, build_fleet
from hashinsight_desktop.simulator.server import raise_fd_limit
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve

MINERS = 6_000
FAULTS = FaultProfile(hanging=0.05, refusing=0.05)
SETTINGS = CycleSettings(concurrency=1024, deadline_s=3.0, connect_s=1.0)


def _setup(miners: int = MINERS, faults: FaultProfile = FAULTS,
           bind: str = "127.40.0.0/16") -> dict[str, Any]:
    raise_fd_limit()
    tmp = Path(tempfile.mkdtemp(prefix="bench-collector-"))
    engine = open_for_use(resolve(f"sqlite:///{tmp / 'farm.db'}"))
    specs = build_fleet(miners, seed=1, bind=bind)
    t0 = time.perf_counter()
    populate(engine, specs)
    populate_ms = (time.perf_counter() - t0) * 1e3
    fleet = SimulatedFleet(specs, faults, seed=1, workers=2).start()
    return {"tmp": tmp, "engine": engine, "fleet": fleet, "specs": specs, "miners": miners,
            "populate_ms": populate_ms, "ts": 1_700_000_000}


def _teardown(ctx: dict[str, Any]) -> None:
    ctx["fleet"].stop()
    ctx["engine"].dispose()
    shutil.rmtree(ctx["tmp"], ignore_errors=True)


def _cycle(ctx: dict[str, Any]) -> float:
    ctx["ts"] += 60
    t0 = time.perf_counter()
    result = run_cycle_once(ctx["engine"], SETTINGS, ts=ctx["ts"])
    wall_ms = (time.perf_counter() - t0) * 1e3
    miners = ctx["miners"]
    assert result.polled == miners and result.written_rows == miners, result
    ctx.setdefault("results", []).append(result)
    return wall_ms


@case("collector, one cycle over 6,000 miners (5 % hanging, 5 % refusing), SQLite",
      unit="s", target="<= 5", repeat=3, setup=_setup, teardown=_teardown)
def cycle_6k(ctx: dict[str, Any]) -> float:
    return _cycle(ctx) / 1e3


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


_RSS_SCRIPT = """
import sys
from hashinsight_desktop.collector.cycle import CycleSettings, run_cycle_once
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve
engine = open_for_use(resolve(sys.argv[1]))
settings = CycleSettings(concurrency=1024, deadline_s=3.0, connect_s=1.0)
for i in range(2):
    run_cycle_once(engine, settings, ts=int(sys.argv[2]) + 60 * i)
for line in open("/proc/self/status"):
    if line.startswith("VmHWM"):
        print(int(line.split()[1]) / 1024)
"""


@case("collector process peak RSS, two cycles over 6,000 miners", unit="MB",
      target="<= 300", repeat=1, setup=_setup, teardown=_teardown)
def cycle_6k_rss(ctx: dict[str, Any]) -> float:
    """Measured in a process that only collects (the benchmark runner itself holds Qt,
    statsmodels and every other case's imports)."""
    import subprocess

    ctx["ts"] += 600
    out = subprocess.run([sys.executable, "-c", _RSS_SCRIPT,
                          f"sqlite:///{ctx['tmp'] / 'farm.db'}", str(ctx["ts"])],
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


@case("populate 6,000 simulated miners into SQLite", unit="ms", target="<= 2000", repeat=1,
      setup=_setup, teardown=_teardown)
def populate_6k(ctx: dict[str, Any]) -> float:
    return ctx["populate_ms"]


MINERS_20K = 20_000


@case("collector, one cycle over 20,000 miners (5 % hanging, 5 % refusing), SQLite",
      unit="s", target="<= 20", repeat=3, setup=lambda: _setup(MINERS_20K),
      teardown=_teardown)
def cycle_20k(ctx: dict[str, Any]) -> float:
    return _cycle(ctx) / 1e3


def _setup_pair() -> dict[str, Any]:
    """Two fleets of 6,000 (5 % refusing each), one of them with 5 % hanging too."""
    healthy = _setup(MINERS, FaultProfile(refusing=0.05), bind="127.41.0.0/16")
    try:
        hanging = _setup(MINERS, FAULTS)
    except BaseException:
        _teardown(healthy)
        raise
    return {"healthy": healthy, "hanging": hanging}


def _teardown_pair(ctx: dict[str, Any]) -> None:
    for side in ("healthy", "hanging"):
        _teardown(ctx[side])


@case("collector, 6,000 miners: cycle with 5 % hanging minus without (deadline 3 s)",
      unit="s", target="<= 3.5", repeat=3, setup=_setup_pair, teardown=_teardown_pair)
def hanging_cost_6k(ctx: dict[str, Any]) -> float:
    """Hanging miners must cost at most one per-miner deadline (+ 0.5 s slack), however
    many there are: they wait in parallel, never in series."""
    return (_cycle(ctx["hanging"]) - _cycle(ctx["healthy"])) / 1e3
