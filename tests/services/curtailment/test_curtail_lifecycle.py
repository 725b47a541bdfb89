"""Plan storage and the status lifecycle, on both database backends (no miners needed)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hashinsight_desktop.services import curtailment as svc
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import build_fleet
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.schema.curtailment import curtailment_actions


@pytest.fixture
def farm(db_url: str):
    engine = open_for_use(resolve(db_url))
    specs = build_fleet(120, seed=5, bind="127.90.0.0/16")
    populate(engine, specs)
    yield engine, specs
    engine.dispose()


def test_create_stores_draft_with_actions_and_client_impact(farm, add_user) -> None:
    engine, _specs = farm
    owner = add_user(engine, "boss", "owner")
    plan_id = svc.create_plan(engine, owner, "shed", 60.0, site="TX1")
    plan = svc.get_plan(engine, plan_id)
    assert plan.summary.status == "draft" and plan.summary.site == "TX1"
    assert plan.created_by == "boss"
    assert plan.result["shed_kw"] >= 60.0
    assert len(plan.actions) == len(plan.result["actions"]) > 0
    assert all(a.status == "pending" for a in plan.actions)
    assert sum(a.power_saved_w for a in plan.actions) / 1000 >= 60.0
    impact_kw = sum(c.power_kw for c in plan.client_impact)
    assert impact_kw == pytest.approx(plan.result["shed_kw"], rel=1e-3)
    assert sum(c.miners for c in plan.client_impact) == len(plan.actions)
    assert [p.id for p in svc.list_plans(engine)] == [plan_id]


def test_cap_plan_and_modes(farm, add_user) -> None:
    engine, _specs = farm
    owner = add_user(engine, "boss", "owner")
    fleet = svc.fleet_from_engine(engine)
    load_kw = float(fleet.power_w.sum()) / 1000
    plan_id = svc.create_plan(engine, owner, "cap", load_kw - 40, use_modes=True)
    plan = svc.get_plan(engine, plan_id)
    assert plan.summary.goal_kind == "cap" and plan.summary.use_modes
    assert plan.result["load_after_kw"] <= load_kw - 40 + 1e-6
    assert any(a.action.startswith("mode:") for a in plan.actions)


def test_roles_and_transitions(farm, add_user) -> None:
    engine, _specs = farm
    operator = add_user(engine, "op", "operator")
    sales = add_user(engine, "seller", "sales")
    plan_id = svc.create_plan(engine, operator, "shed", 30.0)
    with pytest.raises(PermissionError, match=r"seller.*sales.*owner, admin, operator"):
        svc.approve_plan(engine, sales, plan_id)
    with pytest.raises(PermissionError):
        svc.create_plan(engine, sales, "shed", 30.0)
    with pytest.raises(svc.PlanStateError, match=r"cannot execute plan .* 'draft'"):
        svc.execute_plan(engine, plan_id)
    with pytest.raises(svc.PlanStateError, match="cannot recover"):
        svc.recover_plan(engine, plan_id)
    svc.approve_plan(engine, operator, plan_id)
    plan = svc.get_plan(engine, plan_id)
    assert plan.summary.status == "approved" and plan.approved_by == "op"
    with pytest.raises(svc.PlanStateError, match="'approved'"):
        svc.approve_plan(engine, operator, plan_id)
    svc.cancel_plan(engine, operator, plan_id, "grid event called off")
    assert svc.get_plan(engine, plan_id).summary.status_detail.endswith("called off")
    with pytest.raises(svc.PlanStateError, match="'cancelled'"):
        svc.approve_plan(engine, operator, plan_id)
    with pytest.raises(svc.PlanNotFound):
        svc.get_plan(engine, 9999)
    assert [p.id for p in svc.list_plans(engine, status="cancelled")] == [plan_id]
    # nothing was sent: every action is still pending
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(curtailment_actions).where(
            curtailment_actions.c.status != "pending")) == 0


def test_bad_input_is_named(farm, add_user) -> None:
    engine, _specs = farm
    owner = add_user(engine, "boss", "owner")
    with pytest.raises(ValueError, match="unknown site 'XX9'"):
        svc.create_plan(engine, owner, "shed", 10.0, site="XX9")
    with pytest.raises(ValueError, match="goal_kind 'trim'"):
        svc.create_plan(engine, owner, "trim", 10.0)
    with pytest.raises(svc.PlanningError, match="at most"):
        svc.create_plan(engine, owner, "shed", 1e6)
    with pytest.raises(ValueError, match="status 'done'"):
        svc.list_plans(engine, status="done")


def test_transition_table_is_closed() -> None:
    for source, targets in svc.TRANSITIONS.items():
        assert source in svc.STATUSES and targets <= set(svc.STATUSES)
    assert not svc.TRANSITIONS["completed"] and not svc.TRANSITIONS["cancelled"]
    assert "recovering" in svc.TRANSITIONS["failed"]
