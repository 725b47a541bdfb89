"""The long-running collector: cycles on schedule, writes them, stops cleanly."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from hashinsight_desktop.collector.cycle import CycleSettings
from hashinsight_desktop.collector.leadership import Lease
from hashinsight_desktop.collector.runner import CollectorRunner, RunnerOptions
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.schema.telemetry import collector_cycles, telemetry_raw


def test_runner_collects_every_interval_and_stops(db_url):
    target = resolve(db_url)
    engine = open_for_use(target)
    specs = build_fleet(20, seed=9, bind="127.26.0.0/16")
    populate(engine, specs)
    two_cycles = threading.Event()
    seen = []

    def on_cycle(result):
        seen.append(result)
        if len(seen) >= 2:
            two_cycles.set()

    options = RunnerOptions(cycle=CycleSettings(interval_s=1, deadline_s=0.8, connect_s=0.5))
    try:
        with SimulatedFleet(specs, seed=9):
            runner = CollectorRunner(engine, target, options, on_cycle=on_cycle)
            runner.start()
            try:
                assert two_cycles.wait(30), "no two cycles within 30 s"
                assert runner.is_leader
            finally:
                runner.stop()
        assert not runner.is_alive() and runner.error is None
        assert seen[1].ts > seen[0].ts  # one ts per scheduled slot
        assert all(r.polled == 20 and r.ok == 20 for r in seen[:2])
        with engine.connect() as conn:
            cycles = conn.scalar(select(func.count()).select_from(collector_cycles))
            raw = conn.scalar(select(func.count()).select_from(telemetry_raw))
        assert cycles == runner.cycles_done >= 2
        assert raw == 20 * cycles
        if not target.is_sqlite:  # the lease was released on stop: another takes it now
            other = Lease(engine, holder="next")
            assert other.acquire_or_renew() and other.term == 2
    finally:
        engine.dispose()
