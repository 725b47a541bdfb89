"""populate + ``collect --once`` against a real simulated fleet with injected faults."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from sqlalchemy import create_engine, func, select

from hashinsight_desktop.cli.main import main
from hashinsight_desktop.services.fleet_populate import populate_from_specs
from hashinsight_desktop.simulator import FaultProfile, SimulatedFleet, build_fleet
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import miners, racks, sites
from hashinsight_desktop.store.schema.telemetry import (
    STATUS_CODES,
    collector_cycles,
    cycle_aggregates,
    miner_snapshots,
    telemetry_raw,
)

N = 240
SEED = 11
FAULTS = FaultProfile(offline=0.05, refusing=0.05, hanging=0.05)
DEADLINE_S = 3.0  # the default; a loaded 2-core CI box needs it for 240 busy miners
# The client's reason for each injected wire fault (see core/miners/client.py).
EXPECTED_REASON = {"offline": "refused", "refusing": "unreachable", "hanging": "timeout"}


@pytest.fixture(scope="module")
def sim_fleet():
    specs = build_fleet(N, seed=SEED, bind="127.23.0.0/16")
    fleet = SimulatedFleet(specs, FAULTS, seed=SEED)
    fleet.start()
    yield fleet
    fleet.stop()


def _collect(db_url: str, capsys: pytest.CaptureFixture[str]) -> dict:
    code = main(["collect", "--once", "--json", "--db", db_url,
                 "--deadline", str(DEADLINE_S)])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_populate_then_collect_once(db_url, sim_fleet, capsys):
    summary = populate_from_specs(db_url, sim_fleet.specs)
    assert summary["inserted"] == N
    again = populate_from_specs(db_url, sim_fleet.specs)  # idempotent
    assert (again["inserted"], again["updated"], again["sites_created"]) == (0, N, 0)

    t0 = time.perf_counter()
    stats = _collect(db_url, capsys)
    wall = time.perf_counter() - t0

    expected = Counter()
    for kind, reason in EXPECTED_REASON.items():
        expected[reason] += len(sim_fleet.faulty(kind))
    assert stats["polled"] == N
    assert stats["failures"] == dict(expected)
    assert stats["failed"] == sum(expected.values())
    assert stats["ok"] == N - stats["failed"]
    assert stats["written_rows"] == N
    # hanging miners cost at most the deadline: the cycle is not N x deadline
    assert stats["duration_ms"] < (DEADLINE_S + 2.0) * 1000
    assert wall < 30

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(miners)) == N
            assert conn.scalar(select(func.count()).select_from(sites)) == len(
                {s.site for s in sim_fleet.specs})
            assert conn.scalar(select(func.count()).select_from(racks)) == len(
                {s.rack for s in sim_fleet.specs})
            assert conn.scalar(select(func.count()).select_from(customers)) == len(
                {s.client for s in sim_fleet.specs if s.client})
            ts = stats["ts"]
            raw = conn.execute(select(telemetry_raw).where(telemetry_raw.c.ts == ts)).all()
            assert len(raw) == N
            offline = [r for r in raw if r.status == STATUS_CODES["offline"]]
            assert len(offline) == stats["failed"]
            online = [r for r in raw if r.status != STATUS_CODES["offline"]]
            assert all(r.hashrate_ghs is not None for r in online)
            aggs = {a.site_id: a for a in conn.execute(
                select(cycle_aggregates).where(cycle_aggregates.c.ts == ts))}
            fleet_agg = aggs[0]
            assert fleet_agg.miners == N
            assert fleet_agg.online == len(online)
            assert fleet_agg.hashrate_ghs == sum(r.hashrate_ghs or 0 for r in online)
            assert fleet_agg.power_w == sum(r.power_w or 0 for r in online)
            assert sum(a.miners for sid, a in aggs.items() if sid) == N
            assert fleet_agg.nominal_ghs > fleet_agg.hashrate_ghs * 0.5
            cycle = conn.execute(select(collector_cycles)).one()
            assert (cycle.ts, cycle.polled, cycle.failed) == (ts, N, stats["failed"])
            assert json.loads(cycle.failures_json) == dict(expected)
            snaps = conn.execute(select(miner_snapshots)).all()
            assert len(snaps) == N
            doc = json.loads(next(s for s in snaps if s.status == "ok").reading_json)
            assert doc["hashrate_ths"] > 0 and "power_estimated" in doc
    finally:
        engine.dispose()

    # a second run in the same interval replaces the cycle instead of failing on the key
    stats2 = _collect(db_url, capsys)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            n_raw = conn.scalar(select(func.count()).select_from(telemetry_raw))
            assert n_raw == N * len({stats["ts"], stats2["ts"]})
    finally:
        engine.dispose()


def test_collect_learns_families(sqlite_url, sim_fleet, capsys):
    populate_from_specs(sqlite_url, sim_fleet.specs[:40])
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(miners.update().values(family=None))
    stats = _collect(sqlite_url, capsys)
    assert stats["learned_families"] == stats["ok"] > 0
    want = {(s.ip, s.port): s.family for s in sim_fleet.specs[:40]}
    with engine.connect() as conn:
        learned = conn.execute(select(miners.c.ip, miners.c.port, miners.c.family)
                               .where(miners.c.family.is_not(None))).all()
    engine.dispose()
    assert len(learned) == stats["ok"]
    assert all(want[(ip, port)] == family for ip, port, family in learned)
