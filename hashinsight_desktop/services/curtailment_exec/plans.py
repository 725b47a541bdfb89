"""Create, approve, cancel and read stored curtailment plans."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.curtailment.fleet import DEFAULT_MODES
from hashinsight_desktop.core.curtailment.planner import plan_curtailment
from hashinsight_desktop.core.curtailment.request import CurtailmentRequest
from hashinsight_desktop.core.curtailment.result import PlanResult
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.curtailment_exec.fleet_loader import fleet_from_engine
from hashinsight_desktop.services.curtailment_exec.lifecycle import (
    STATUSES,
    PlanNotFound,
    transition,
)
from hashinsight_desktop.services.curtailment_exec.plan_views import (
    PlanAction,
    PlanDetail,
    PlanSummary,
    client_impact,
)
from hashinsight_desktop.store.schema.accounts import users
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.curtailment import curtailment_actions, curtailment_plans
from hashinsight_desktop.store.schema.fleet import miners, sites

#: Roles that may create, approve and cancel curtailment plans (they switch miners off).
PLANNING_ROLES = ("owner", "admin", "operator")
_GOAL_KINDS = {"shed": "shed_kw", "shed_kw": "shed_kw", "cap": "cap_kw", "cap_kw": "cap_kw"}


class PlanningError(ValueError):
    """The optimizer found no plan meeting the goal (its reasons in the message)."""


def require_planner(session: Session, verb: str) -> None:
    if session.role not in PLANNING_ROLES:
        raise PermissionError(
            f"user {session.username!r} (role {session.role}) may not {verb} curtailment "
            f"plans: only {', '.join(PLANNING_ROLES)} may")


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def result_json(result: PlanResult) -> str:
    return json.dumps(result.to_dict(), default=_json_default, allow_nan=False)


def request_for(goal: str, kw: float, *, site: str | None,
                strategy: str) -> CurtailmentRequest:
    return CurtailmentRequest(goal=goal, target_kw=kw, site=site,  # type: ignore[arg-type]
                              strategy=strategy)  # type: ignore[arg-type]


def create_plan(engine: Engine, session: Session, goal_kind: str, goal_kw: float, *,
                site: str | None = None, strategy: str = "optimal", use_modes: bool = False,
                start_at: dt.datetime | None = None, end_at: dt.datetime | None = None,
                name: str | None = None) -> int:
    """Plan on the database fleet and store it as a draft; returns the plan id.

    ``goal_kind``: "shed" (shed at least ``goal_kw``) or "cap" (load at most ``goal_kw``).
    Raises :class:`PlanningError` when the goal cannot be met, ValueError on bad input.
    """
    require_planner(session, "create")
    goal = _GOAL_KINDS.get(goal_kind)
    if goal is None:
        raise ValueError(f"goal_kind {goal_kind!r} must be 'shed' or 'cap'")
    if start_at and end_at and end_at <= start_at:
        raise ValueError(f"end_at {end_at.isoformat()} must be after start_at "
                         f"{start_at.isoformat()}")
    fleet = fleet_from_engine(engine, site)
    if use_modes:
        fleet = fleet.with_modes(DEFAULT_MODES)
    result = plan_curtailment(fleet, request_for(goal, float(goal_kw), site=site,
                                                 strategy=strategy))
    if result.status == "infeasible" or (result.status == "fallback"
                                         and result.shed_kw < result.required_shed_kw - 1e-6):
        raise PlanningError("; ".join(result.messages) or "no plan meets the goal")
    kind = goal.removesuffix("_kw")
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        site_id = conn.scalar(select(sites.c.id).where(sites.c.name == site)) if site else None
        plan_id = int(conn.execute(insert(curtailment_plans).values(
            name=name or f"{kind} {goal_kw:,.0f} kW, {site or 'whole farm'}",
            site_id=site_id, goal_kind=kind, goal_kw=float(goal_kw), objective="hashrate",
            strategy=strategy, use_modes=use_modes, status="draft", start_at=start_at,
            end_at=end_at, created_by=session.user_id, result_json=result_json(result),
            created_at=now, updated_at=now, version=1,
        )).inserted_primary_key[0])
        rows = [{"plan_id": plan_id, "miner_id": int(a["miner_id"]), "action": a["action"],
                 "power_saved_w": a["power_saved_w"],
                 "hashrate_lost_ths": a["hashrate_lost_ths"], "status": "pending"}
                for a in result.actions.to_dicts()]
        if rows:
            conn.execute(insert(curtailment_actions), rows)
    return plan_id


def approve_plan(engine: Engine, session: Session, plan_id: int) -> None:
    require_planner(session, "approve")
    with engine.begin() as conn:
        transition(conn, plan_id, "approved", verb="approve", approved_by=session.user_id,
                   approved_at=dt.datetime.now(dt.UTC))


def cancel_plan(engine: Engine, session: Session, plan_id: int, reason: str = "") -> None:
    """Only before execution; a plan already acting on miners is recovered instead."""
    require_planner(session, "cancel")
    with engine.begin() as conn:
        transition(conn, plan_id, "cancelled", verb="cancel",
                   status_detail=f"cancelled by {session.username}" + (
                       f": {reason}" if reason else ""))


def _summary(row: Any) -> PlanSummary:
    return PlanSummary(id=int(row.id), name=row.name, site=row.site, goal_kind=row.goal_kind,
                       goal_kw=float(row.goal_kw), strategy=row.strategy,
                       use_modes=bool(row.use_modes), status=row.status,
                       status_detail=row.status_detail, created_at=row.created_at,
                       approved_at=row.approved_at)


_PLAN_COLUMNS = (curtailment_plans.c.id, curtailment_plans.c.name,
                 sites.c.name.label("site"), curtailment_plans.c.goal_kind,
                 curtailment_plans.c.goal_kw, curtailment_plans.c.strategy,
                 curtailment_plans.c.use_modes, curtailment_plans.c.status,
                 curtailment_plans.c.status_detail, curtailment_plans.c.created_at,
                 curtailment_plans.c.approved_at)
_PLAN_FROM = curtailment_plans.outerjoin(sites, curtailment_plans.c.site_id == sites.c.id)


def list_plans(engine: Engine, *, status: str | None = None,
               limit: int = 100) -> list[PlanSummary]:
    """Newest first."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status {status!r} must be one of {', '.join(STATUSES)}")
    query = (select(*_PLAN_COLUMNS).select_from(_PLAN_FROM)
             .order_by(curtailment_plans.c.id.desc()).limit(limit))
    if status is not None:
        query = query.where(curtailment_plans.c.status == status)
    with engine.connect() as conn:
        return [_summary(r) for r in conn.execute(query)]


def get_plan(engine: Engine, plan_id: int) -> PlanDetail:
    creator, approver = users.alias("creator"), users.alias("approver")
    query = (select(*_PLAN_COLUMNS, curtailment_plans.c.objective,
                    curtailment_plans.c.start_at, curtailment_plans.c.end_at,
                    curtailment_plans.c.result_json,
                    creator.c.username.label("creator"), approver.c.username.label("approver"))
             .select_from(_PLAN_FROM
                          .outerjoin(creator, curtailment_plans.c.created_by == creator.c.id)
                          .outerjoin(approver, curtailment_plans.c.approved_by == approver.c.id))
             .where(curtailment_plans.c.id == plan_id))
    ca = curtailment_actions
    action_query = (select(ca.c.id, ca.c.miner_id, miners.c.name, miners.c.ip,
                           customers.c.name.label("client"), ca.c.action, ca.c.power_saved_w,
                           ca.c.hashrate_lost_ths, ca.c.status, ca.c.detail, ca.c.sent_at,
                           ca.c.verified_at, ca.c.recovered_at)
                    .select_from(ca.join(miners, ca.c.miner_id == miners.c.id)
                                 .outerjoin(customers, miners.c.customer_id == customers.c.id))
                    .where(ca.c.plan_id == plan_id).order_by(ca.c.id))
    with engine.connect() as conn:
        row = conn.execute(query).first()
        if row is None:
            raise PlanNotFound(f"no curtailment plan with id {plan_id}")
        actions = tuple(PlanAction(*r) for r in conn.execute(action_query))
    return PlanDetail(summary=_summary(row), objective=row.objective, start_at=row.start_at,
                      end_at=row.end_at, created_by=row.creator, approved_by=row.approver,
                      result=json.loads(row.result_json or "{}"), actions=actions,
                      client_impact=client_impact(actions))
