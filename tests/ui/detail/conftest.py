"""Fixtures for the miner detail tests: one fully described miner with history and alerts."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import insert, select

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hashinsight_desktop.core.miners.reading import Hashboard, MinerReading
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.alerts import alerts
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miners, racks, sites
from hashinsight_desktop.store.schema.telemetry import collector_cycles, miner_snapshots
from hashinsight_desktop.store.telemetry_writer import rollup, write_raw
from hashinsight_desktop.ui.detail.panel import MinerDetailPanel

NOW = 1_800_000_000 - 1_800_000_000 % 3600
RAW_MINUTES = 120


def last_reading() -> MinerReading:
    return MinerReading(
        ip="10.1.2.3", port=4028, make="Bitmain", model="Antminer S19 Pro",
        firmware="BraiinsOS 23.03", status="degraded", error="one hashboard missing",
        hashrate_ths=73.4, hashrate_avg_ths=74.0, nominal_ths=110.0, power_w=2210.0,
        temp_max_c=81.5, temp_avg_c=70.25, fans_rpm=[5400, 5520, 5460, 5380],
        hashboards=[Hashboard(0, 36.8, 70.5, 114, 114), Hashboard(1, 36.6, 71.0, 114, 114),
                    Hashboard(2, None, None, 0, 114)],
        pool_url="stratum+tcp://pool.example:3333", pool_user="farm.rack7", accepted=1024,
        rejected=3, uptime_s=3 * 86400 + 4 * 3600 + 5 * 60, elapsed_ms=41.0,
        power_estimated=True)


def seed_miner(engine) -> int:
    with engine.begin() as conn:
        model_id = conn.execute(insert(asic_models).values(
            make="Bitmain", model="Test S19 Pro", hashrate_ths=110.0, power_w=3250.0,
            cooling="air", hashboards=3, fans=4, chips_per_board=114,
            source="test")).inserted_primary_key[0]
        site_id = conn.execute(insert(sites).values(name="Texas 1")).inserted_primary_key[0]
        rack_id = conn.execute(insert(racks).values(site_id=site_id, name="R07")
                               ).inserted_primary_key[0]
        client_id = conn.execute(insert(customers).values(name="Acme Hosting",
                                                          name_key="acme hosting")
                                 ).inserted_primary_key[0]
        miner_id = conn.execute(insert(miners).values(
            name="TX1-R07-12", ip="10.1.2.3", mac="aa:bb:cc:dd:ee:ff", serial="SN123",
            model_id=model_id, model_name="Antminer S19 Pro", firmware="BraiinsOS 23.03",
            site_id=site_id, rack_id=rack_id, position=12, customer_id=client_id)
        ).inserted_primary_key[0]
        doc = last_reading().as_probe_dict()
        doc["power_estimated"] = True
        conn.execute(insert(miner_snapshots).values(
            miner_id=miner_id, ts=NOW - 60, status="degraded", error=None,
            reading_json=json.dumps(doc, separators=(",", ":"))))
        started = dt.datetime.fromtimestamp(NOW - 7200, dt.UTC)
        conn.execute(insert(alerts), [
            {"miner_id": miner_id, "kind": "temp_high", "severity": "critical",
             "message": "chip 81.5 °C over 80 °C", "value": 81.5, "active": True,
             "started_at": started, "last_seen_at": started},
            {"miner_id": miner_id, "kind": "offline", "severity": "critical",
             "message": "no answer", "value": None, "active": False,
             "started_at": started - dt.timedelta(days=2),
             "last_seen_at": started - dt.timedelta(days=2),
             "cleared_at": started - dt.timedelta(days=1)}])
        first = NOW - 60 * RAW_MINUTES
        conn.execute(insert(collector_cycles), [
            {"ts": first + 60 * m, "started_at_ms": (first + 60 * m) * 1000}
            for m in range(RAW_MINUTES)])
    for m in range(RAW_MINUTES):
        write_raw(engine, [(first + 60 * m, miner_id, 2, 1, 73_400 + m, 2210, 815, 702,
                            5380, 60 * m)])
    for b in range(RAW_MINUTES // 5):
        rollup(engine, source="telemetry_raw", target="telemetry_5m", bucket_s=300,
               start=first + 300 * b, sample_s=60)
    return int(miner_id)


@pytest.fixture
def miner_engine(sqlite_url: str) -> Iterator:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    engine.miner_id = seed_miner(engine)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.scalar(select(miners.c.id).where(miners.c.id == engine.miner_id))
    yield engine
    engine.dispose()


@pytest.fixture
def make_detail(qtbot, miner_engine) -> Iterator[Callable[[], MinerDetailPanel]]:
    panels: list[MinerDetailPanel] = []

    def make() -> MinerDetailPanel:
        panel = MinerDetailPanel(miner_engine, clock=lambda: NOW)
        qtbot.addWidget(panel)
        panels.append(panel)
        panel.resize(1000, 800)
        panel.show()
        return panel

    yield make
    for panel in panels:
        panel.shutdown()
