"""Backoff, maintenance scheduling and the hanging-miner deadline."""

from __future__ import annotations

import asyncio
import time

from hashinsight_desktop.collector.backoff import Backoff
from hashinsight_desktop.collector.convert import FleetMiner
from hashinsight_desktop.collector.cycle import CycleSettings, poll_fleet
from hashinsight_desktop.collector.runner import maintenance_due
from hashinsight_desktop.simulator import FaultProfile, SimulatedFleet, build_fleet


def test_backoff_skips_dead_miner_for_growing_spans():
    backoff = Backoff(threshold=3, max_skip=4)
    polled_at = []
    for cycle in range(40):
        if backoff.should_skip(7, cycle):
            continue
        polled_at.append(cycle)
        backoff.record(7, cycle, offline=True)
    # 3 polls in a row, then gaps of 1, 2, 4, 4, ... skipped cycles
    assert polled_at[:7] == [0, 1, 2, 4, 7, 12, 17]
    assert backoff.backed_off() == 1
    backoff.record(7, 40, offline=False)  # one answer resets everything
    assert not backoff.should_skip(7, 41) and backoff.backed_off() == 0


def test_maintenance_due_when_buckets_close():
    assert maintenance_due(3600 * 10 + 60, 60) == []
    assert maintenance_due(3600 * 10 + 240, 60) == [("5m", 3600 * 10)]
    last = 3600 * 10 + 3540
    assert maintenance_due(last, 60) == [("5m", 3600 * 10 + 3300), ("1h", 3600 * 10),
                                         ("prune", last)]


def test_hanging_miners_cost_no_more_than_the_deadline():
    specs = build_fleet(30, seed=5, bind="127.25.0.0/16")
    with SimulatedFleet(specs, FaultProfile(hanging=0.5), seed=5) as fleet:
        miners = [FleetMiner(i, s.ip, s.port, s.family, None, None)
                  for i, s in enumerate(specs)]
        deadline = 0.6
        settings = CycleSettings(concurrency=8, deadline_s=deadline, connect_s=0.5,
                                 jitter_s=0.0)
        t0 = time.perf_counter()
        readings = asyncio.run(poll_fleet(miners, settings, set()))
        wall = time.perf_counter() - t0
        hanging = {i for i, s in enumerate(specs) if s.miner_id in fleet.faulty("hanging")}
    assert len(hanging) == 15
    assert all(readings[i].error.startswith("timeout") for i in hanging)
    for i in hanging:
        assert readings[i].elapsed_ms <= deadline * 1000 + 150
    # 15 hanging miners through 8 slots: 2 waves of one deadline each, not 15
    assert wall < 3 * deadline + 1.0
