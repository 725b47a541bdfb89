"""Execution that cannot meet its goal, or crashes mid-way, and recovery afterwards."""

from __future__ import annotations

import pytest

from hashinsight_desktop.collector.cycle import CycleSettings, run_cycle_once
from hashinsight_desktop.services import curtailment as svc
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve


@pytest.fixture
def small_farm(sqlite_url: str):
    specs = build_fleet(120, seed=4, bind="127.93.0.0/16")
    engine = open_for_use(resolve(sqlite_url))
    populate(engine, specs)
    with SimulatedFleet(specs, seed=4) as fleet:
        run_cycle_once(engine, CycleSettings())
        yield engine, fleet
    engine.dispose()


def _approved_plan(engine, session, kw: float) -> int:
    plan_id = svc.create_plan(engine, session, "shed", kw)
    svc.approve_plan(engine, session, plan_id)
    return plan_id


def test_goal_missed_says_how_many_kw_and_recovery_still_runs(
        small_farm, add_user, sim_credentials) -> None:
    engine, fleet = small_farm
    owner = add_user(engine, "boss", "owner")
    load_kw = float(svc.fleet_from_engine(engine).power_w.sum()) / 1000
    before_w = fleet.total_power_w()
    # stock Antminers (about half this fleet) cannot curtail: 80 % is out of reach
    plan_id = _approved_plan(engine, owner, load_kw * 0.8)
    report = svc.execute_plan(engine, plan_id, credentials_for=sim_credentials)
    assert report.status == "failed" and report.unsupported > 0
    missing = report.required_kw - report.shed_kw
    assert missing > 1 and f"{missing:,.1f} kW missing" in report.message
    plan = svc.get_plan(engine, plan_id)
    assert plan.summary.status == "failed" and "kW missing" in plan.summary.status_detail
    recovery = svc.recover_plan(engine, plan_id, batch_size=25, interval_s=0.0,
                                credentials_for=sim_credentials)
    assert recovery.status == "completed", recovery.message
    fleet.advance(240)
    assert fleet.total_power_w() == pytest.approx(before_w, rel=0.03)


def test_crash_mid_way_leaves_a_record_and_recovery_resumes(
        small_farm, add_user, sim_credentials) -> None:
    engine, fleet = small_farm
    owner = add_user(engine, "boss", "owner")
    before_w = fleet.total_power_w()
    plan_id = _approved_plan(engine, owner, 60.0)
    calls = 0

    def credentials_then_crash(target):
        nonlocal calls
        calls += 1
        if calls > 10:  # the second batch: the workstation "dies" while building it
            raise RuntimeError("power cut at the workstation")
        return sim_credentials(target)

    with pytest.raises(RuntimeError, match="power cut"):
        svc.execute_plan(engine, plan_id, batch_size=10, credentials_for=credentials_then_crash)
    plan = svc.get_plan(engine, plan_id)
    assert plan.summary.status == "failed"
    assert "execution stopped: RuntimeError: power cut" in plan.summary.status_detail
    statuses = [a.status for a in plan.actions]
    assert len(statuses) > 10
    done = statuses[:10]
    assert set(done) <= {"verified", "unsupported", "failed"} and "verified" in done
    in_flight = statuses[10:20]  # marked before their commands could leave
    assert in_flight == ["sent"] * len(in_flight)
    assert set(statuses[20:]) <= {"pending"}
    assert fleet.total_power_w() < before_w - 10_000

    recovery = svc.recover_plan(engine, plan_id, interval_s=0.0, credentials_for=sim_credentials)
    assert recovery.status == "completed"
    fleet.advance(240)
    assert fleet.total_power_w() == pytest.approx(before_w, rel=0.03)
    after = {a.status for a in svc.get_plan(engine, plan_id).actions}
    assert after <= {"recovered", "unsupported", "pending"}
