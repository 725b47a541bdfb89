"""Create -> approve -> execute -> recover against a real simulated fleet on loopback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hashinsight_desktop.collector.cycle import CycleSettings, run_cycle_once
from hashinsight_desktop.services import curtailment as svc
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.schema.fleet import miners

TARGET_KW = 150.0


@pytest.fixture
def live_farm(sqlite_url: str):
    specs = build_fleet(300, seed=4, bind="127.91.0.0/16")  # its worst J/TH are stock Antminers
    engine = open_for_use(resolve(sqlite_url))
    populate(engine, specs)
    with SimulatedFleet(specs, seed=4) as fleet:
        run_cycle_once(engine, CycleSettings())  # real telemetry for the planner
        yield engine, fleet, specs
    engine.dispose()


def _sim_ids(engine, specs) -> dict[int, str]:
    by_address = {(s.ip, s.port): s.miner_id for s in specs}
    with engine.connect() as conn:
        return {int(i): by_address[(ip, int(port))] for i, ip, port in conn.execute(
            select(miners.c.id, miners.c.ip, miners.c.port))}


def test_execute_meets_goal_with_makeup_then_staggered_recovery(
        live_farm, add_user, sim_credentials) -> None:
    engine, fleet, specs = live_farm
    owner = add_user(engine, "boss", "owner")
    families = {s.family for s in specs}
    assert {"antminer_stock", "whatsminer_v2", "luxos", "avalon"} <= families
    plan_id = svc.create_plan(engine, owner, "shed", TARGET_KW)
    planned = svc.get_plan(engine, plan_id)
    sim_of = _sim_ids(engine, specs)
    family_of = {s.miner_id: s.family for s in specs}
    stock = [a for a in planned.actions if family_of[sim_of[a.miner_id]] == "antminer_stock"]
    assert stock, "the optimizer should pick some Antminer stock miners (no API to curtail)"
    svc.approve_plan(engine, owner, plan_id)

    before_w = fleet.total_power_w()
    report = svc.execute_plan(engine, plan_id, batch_size=64, credentials_for=sim_credentials)
    after_w = fleet.total_power_w()

    assert report.status == "active", report.message
    assert report.unsupported == len(stock) and report.makeup_rounds >= 1
    assert report.shed_kw >= TARGET_KW
    # the real draw fell by the target (1 % allowance for the simulator's power noise on
    # the ~150 miners left running between the two readings)
    assert before_w - after_w >= TARGET_KW * 1000 * 0.99
    plan = svc.get_plan(engine, plan_id)
    assert plan.summary.status == "active" and "goal met" in plan.summary.status_detail
    statuses = {a.miner_id: a.status for a in plan.actions}
    assert all(statuses[a.miner_id] == "unsupported" for a in stock)
    verified = [a for a in plan.actions if a.status == "verified"]
    assert verified and all(a.sent_at and a.verified_at for a in verified)
    for a in verified:
        if a.action == "off":
            assert fleet.miner_state(sim_of[a.miner_id]).curtailed
    assert not {a.status for a in plan.actions} - {"verified", "unsupported", "failed"}

    slept: list[float] = []
    recovery = svc.recover_plan(engine, plan_id, batch_size=40, interval_s=30.0,
                                sleep=slept.append, credentials_for=sim_credentials)
    assert recovery.status == "completed", recovery.message
    resumable = sum(a.status in ("verified", "failed") for a in plan.actions)
    assert recovery.resumed == resumable
    assert recovery.batches == -(-resumable // 40) and slept == [30.0] * (recovery.batches - 1)
    fleet.advance(240)  # woken hashboards ramp for ~3 minutes
    assert fleet.total_power_w() == pytest.approx(before_w, rel=0.03)
    done = svc.get_plan(engine, plan_id)
    assert done.summary.status == "completed"
    assert all(a.status in ("recovered", "unsupported") for a in done.actions)
    assert not any(fleet.miner_state(sim_of[a.miner_id]).curtailed for a in done.actions)
    with pytest.raises(svc.PlanStateError):
        svc.recover_plan(engine, plan_id)
