"""The demo farm: the project's simulator and the real collector, as child processes.

A first-run user (or a salesperson showing the console) gets a realistic 6,000-miner
farm within seconds: ``hashinsight simulate --populate`` serves simulated miners on
loopback speaking the real wire formats and writes them into the current database;
``hashinsight collector run`` polls them every cycle.  The console follows the
database like any workstation following a headless collector, so nothing in it is
special-cased for the demo and the GUI process does none of the polling.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from collections.abc import Callable

from hashinsight_desktop.config import paths
from hashinsight_desktop.store.database import DatabaseTarget

DEMO_BIND = "127.16.0.0/12"
# A farm on a normal day, in percent: a few offline or hanging units, hardware trouble.
DEMO_FAULTS = {"offline": 1.0, "hanging": 0.5, "refusing": 0.3, "garbage": 0.2,
               "dead-board": 1.0, "overheating": 0.6, "fan-failure": 0.4}


@dataclasses.dataclass
class DemoOptions:
    miners: int = 6000
    seed: int = 7
    interval_s: int = 30


class DemoError(RuntimeError):
    pass


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "hashinsight_desktop", *args]


class DemoFarm:
    """``start()`` blocks until the miners answer (call it from a worker thread)."""

    def __init__(self, target: DatabaseTarget, options: DemoOptions | None = None, *,
                 on_progress: Callable[[str], None] | None = None) -> None:
        self.target = target
        self.options = options or DemoOptions()
        self.on_progress = on_progress or (lambda _text: None)
        self.simulator: subprocess.Popen[str] | None = None
        self.collector: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def _db(self) -> str:
        return self.target.url.render_as_string(hide_password=True)

    def start(self) -> None:
        o = self.options
        faults = [arg for name, pct in DEMO_FAULTS.items() for arg in (f"--{name}", str(pct))]
        self.on_progress(f"starting {o.miners:,} simulated miners")
        env = dict(os.environ)
        logs = paths.log_dir()
        logs.mkdir(parents=True, exist_ok=True)
        sim_log = logs / "demo-simulator.log"
        with sim_log.open("w") as err:
            sim = subprocess.Popen(
                _cli("simulate", "--miners", str(o.miners), "--bind", DEMO_BIND, "--seed",
                     str(o.seed), "--populate", "--db", self._db(), *faults),
                stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        with self._lock:
            self.simulator = sim
        assert sim.stdout is not None
        line = sim.stdout.readline().strip()
        if not line.startswith("ready"):
            sim.wait(timeout=10)
            error = sim_log.read_text().strip().splitlines()
            self.stop()
            raise DemoError(error[-1] if error else f"the simulator did not start ({line!r})")
        self.on_progress("miners ready; starting the collector")
        with (logs / "demo-collector.log").open("w") as err:
            collector = subprocess.Popen(
                _cli("collector", "run", "--interval", str(o.interval_s), "--db", self._db()),
                stdout=subprocess.DEVNULL, stderr=err, text=True, env=env)
        with self._lock:
            self.collector = collector

    def stop(self) -> None:
        with self._lock:
            procs = [p for p in (self.collector, self.simulator) if p is not None]
            self.collector = self.simulator = None
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
