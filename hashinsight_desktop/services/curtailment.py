"""Curtailment plans as a use case: plan on the database fleet, approve, execute against
the miners, recover.  The optimizer itself is headless (``core.curtailment``).

    plan_id = create_plan(engine, session, "shed", 500, site="TX1")
    approve_plan(engine, session, plan_id)
    report = execute_plan(engine, plan_id, credentials_for=lambda m: creds)
    ...
    recover_plan(engine, plan_id, batch_size=100, interval_s=30)

Statuses: draft -> approved -> (scheduled ->) executing -> active | failed ->
recovering -> completed; draft/approved/scheduled -> cancelled.  ``execute_plan`` and
``recover_plan`` run their own event loop; from code already inside a loop (the GUI's
network thread) await ``execute_plan_async`` / ``recover_plan_async`` instead.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.engine import Engine

from hashinsight_desktop.core.curtailment.fleet import Fleet
from hashinsight_desktop.services.curtailment_exec.executor import (
    ExecutionReport,
    execute_plan_async,
)
from hashinsight_desktop.services.curtailment_exec.fleet_loader import fleet_from_engine
from hashinsight_desktop.services.curtailment_exec.lifecycle import (
    STATUSES,
    TRANSITIONS,
    PlanNotFound,
    PlanStateError,
)
from hashinsight_desktop.services.curtailment_exec.miner_ops import (
    DEFAULT_VERIFY,
    CredentialsFor,
    VerifySettings,
)
from hashinsight_desktop.services.curtailment_exec.plan_views import (
    ClientImpact,
    PlanAction,
    PlanDetail,
    PlanSummary,
)
from hashinsight_desktop.services.curtailment_exec.plans import (
    PLANNING_ROLES,
    PlanningError,
    approve_plan,
    cancel_plan,
    create_plan,
    get_plan,
    list_plans,
)
from hashinsight_desktop.services.curtailment_exec.recovery import (
    RecoveryReport,
    Sleep,
    recover_plan_async,
)
from hashinsight_desktop.services.curtailment_exec.targets import MinerTarget
from hashinsight_desktop.services.miner_credentials import no_credentials

__all__ = [
    "PLANNING_ROLES",
    "STATUSES",
    "TRANSITIONS",
    "ClientImpact",
    "CredentialsFor",
    "ExecutionReport",
    "MinerTarget",
    "PlanAction",
    "PlanDetail",
    "PlanNotFound",
    "PlanStateError",
    "PlanSummary",
    "PlanningError",
    "RecoveryReport",
    "VerifySettings",
    "approve_plan",
    "cancel_plan",
    "create_plan",
    "execute_plan",
    "execute_plan_async",
    "fleet_from_engine",
    "get_plan",
    "list_plans",
    "load_fleet_for_planning",
    "recover_plan",
    "recover_plan_async",
]


def load_fleet_for_planning(db_url: str | None, site: str | None) -> Fleet:
    """The database fleet for ``curtail plan`` (``db_url`` empty: the embedded SQLite)."""
    from hashinsight_desktop.store.admin import open_for_use
    from hashinsight_desktop.store.database import resolve

    engine = open_for_use(resolve(db_url))
    try:
        return fleet_from_engine(engine, site)
    finally:
        engine.dispose()


def execute_plan(engine: Engine, plan_id: int, *, batch_size: int = 200, verify: bool = True,
                 credentials_for: CredentialsFor = no_credentials,
                 settings: VerifySettings = DEFAULT_VERIFY) -> ExecutionReport:
    """Execute an approved plan on a fresh event loop (see :func:`execute_plan_async`)."""
    return asyncio.run(execute_plan_async(engine, plan_id, batch_size=batch_size,
                                          verify=verify, credentials_for=credentials_for,
                                          settings=settings))


def recover_plan(engine: Engine, plan_id: int, *, batch_size: int = 100,
                 interval_s: float = 30.0, sleep: Sleep = asyncio.sleep,
                 credentials_for: CredentialsFor = no_credentials,
                 settings: VerifySettings = DEFAULT_VERIFY) -> RecoveryReport:
    """Staggered resume on a fresh event loop (see :func:`recover_plan_async`)."""
    return asyncio.run(recover_plan_async(engine, plan_id, batch_size=batch_size,
                                          interval_s=interval_s, sleep=sleep,
                                          credentials_for=credentials_for, settings=settings))
