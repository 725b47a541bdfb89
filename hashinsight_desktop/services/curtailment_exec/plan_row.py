"""The few plan columns execution and recovery need."""

from __future__ import annotations

import dataclasses
import json

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from hashinsight_desktop.services.curtailment_exec.lifecycle import PlanNotFound
from hashinsight_desktop.store.schema.curtailment import curtailment_plans
from hashinsight_desktop.store.schema.fleet import sites


@dataclasses.dataclass(frozen=True, slots=True)
class PlanRow:
    id: int
    site: str | None
    strategy: str
    use_modes: bool
    status: str
    required_shed_kw: float


def load_plan_row(engine: Engine, plan_id: int) -> PlanRow:
    p = curtailment_plans
    with engine.connect() as conn:
        row = conn.execute(
            select(p.c.id, sites.c.name, p.c.strategy, p.c.use_modes, p.c.status,
                   p.c.result_json, p.c.goal_kind, p.c.goal_kw)
            .select_from(p.outerjoin(sites, p.c.site_id == sites.c.id))
            .where(p.c.id == plan_id)).first()
    if row is None:
        raise PlanNotFound(f"no curtailment plan with id {plan_id}")
    result = json.loads(row.result_json or "{}")
    required = result.get("required_shed_kw")
    if required is None:  # no optimizer result stored: a shed goal is its own requirement
        required = row.goal_kw if row.goal_kind == "shed" else 0.0
    return PlanRow(int(row.id), row.name, row.strategy, bool(row.use_modes), row.status,
                   float(required))


def set_detail(engine: Engine, plan_id: int, detail: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(curtailment_plans).where(curtailment_plans.c.id == plan_id)
                     .values(status_detail=detail))
