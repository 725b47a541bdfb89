"""Alerts raised by the collector for exactly the miners the simulator made faulty."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from hashinsight_desktop.collector.alerting import CycleAlerts
from hashinsight_desktop.collector.cycle import CycleSettings, collect_cycle
from hashinsight_desktop.collector.writer import DbWriter
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import FaultProfile, SimulatedFleet, build_fleet
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.alerts import alerts
from hashinsight_desktop.store.schema.fleet import miners


def test_overheating_and_offline_miners_get_alerts(sqlite_url) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    specs = build_fleet(150, seed=21, bind="127.234.0.0/16")
    populate(engine, specs)
    faults = FaultProfile(overheating=0.06, offline=0.04)
    with SimulatedFleet(specs, faults, seed=21) as fleet:
        hot = {s.ip for s in specs if s.miner_id in fleet.faulty("overheating")}
        dead = {s.ip for s in specs if s.miner_id in fleet.faulty("offline")}
        checker = CycleAlerts(engine)
        checker.reload()
        settings = CycleSettings(concurrency=256, deadline_s=3.0, connect_s=1.0)
        with DbWriter() as writer:
            jobs = []

            def after_poll(fleet_rows, readings, ts) -> None:
                jobs.append(writer.submit(checker.job(fleet_rows, readings, ts)))

            ts = 1_800_000_000
            for cycle in range(7):  # offline alerts need 5 minutes of offline cycles
                _, written = asyncio.run(collect_cycle(
                    engine, writer, settings=settings, ts=ts + 60 * cycle,
                    after_poll=after_poll))
                written.result()
            for job in jobs:
                job.result()
    with engine.connect() as conn:
        ips = dict(conn.execute(select(miners.c.id, miners.c.ip)).all())
        active = conn.execute(select(alerts.c.miner_id, alerts.c.kind)
                              .where(alerts.c.active.is_(True))).all()
    by_kind: dict[str, set[str]] = {}
    for miner_id, kind in active:
        by_kind.setdefault(kind, set()).add(ips[miner_id])
    assert hot and by_kind.get("temp_high") == hot
    assert dead and by_kind.get("offline") == dead
    engine.dispose()
