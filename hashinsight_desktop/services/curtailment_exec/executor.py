"""Execute an approved plan against the miners, batch by batch, recording as it goes.

Each batch is marked ``sent`` in the database *before* its commands leave, and every
miner's outcome is written when the batch completes, so a crash mid-way leaves rows
saying exactly which miners may have been switched (``sent``), which certainly were
(``verified``) and which were never touched (``pending``); ``recover`` handles all.

When failed or unsupported miners leave the goal short, the optimizer runs again on
the miners not yet touched (leaving out families that cannot curtail at all) for the
missing kW, and those make-up actions are executed the same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.curtailment.fleet import DEFAULT_MODES
from hashinsight_desktop.core.curtailment.planner import plan_curtailment
from hashinsight_desktop.core.miners.control import SUPPORTED
from hashinsight_desktop.core.miners.control.actions import CURTAIL
from hashinsight_desktop.services.curtailment_exec.fleet_loader import fleet_from_engine
from hashinsight_desktop.services.curtailment_exec.lifecycle import transition
from hashinsight_desktop.services.curtailment_exec.miner_ops import (
    DEFAULT_VERIFY,
    CredentialsFor,
    MinerOutcome,
    VerifySettings,
    command_and_verify,
    curtailed_enough,
)
from hashinsight_desktop.services.curtailment_exec.plan_row import PlanRow, load_plan_row
from hashinsight_desktop.services.curtailment_exec.plans import request_for
from hashinsight_desktop.services.curtailment_exec.targets import (
    MinerTarget,
    acted_miner_ids,
    load_targets,
    mark,
    record,
)
from hashinsight_desktop.services.miner_credentials import no_credentials
from hashinsight_desktop.store.schema.curtailment import curtailment_actions
from hashinsight_desktop.store.schema.fleet import miners

MAX_MAKEUP_ROUNDS = 3
_TOL_KW = 1e-3


@dataclasses.dataclass
class ExecutionReport:
    plan_id: int
    status: str  # "active" (goal met) or "failed"
    required_kw: float
    shed_kw: float  # measured on the verified miners (as planned when not verifying)
    verified: int = 0
    failed: int = 0
    unsupported: int = 0
    makeup_rounds: int = 0
    makeup_actions: int = 0
    elapsed_s: float = 0.0
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


async def run_targets(engine: Engine, targets: Sequence[MinerTarget], *, batch_size: int,
                      verify: bool, credentials_for: CredentialsFor,
                      settings: VerifySettings) -> list[MinerOutcome]:
    """Curtail ``targets``: each batch marked sent, run concurrently, outcomes recorded."""
    outcomes: list[MinerOutcome] = []
    for start in range(0, len(targets), batch_size):
        batch = targets[start:start + batch_size]
        mark(engine, batch, "sent", stamp="sent_at")
        done = await asyncio.gather(*(
            command_and_verify(t, t.curtail_command(), credentials_for(t), verify=verify,
                               check=curtailed_enough, settings=settings, success="verified")
            for t in batch))
        record(engine, [(o.target, o.status, o.detail) for o in done], stamp="verified_at")
        outcomes.extend(done)
    return outcomes


def _cannot_curtail(engine: Engine) -> set[int]:
    """Miners whose firmware family has no curtail command at all (Antminer stock)."""
    families = [f for f, kinds in SUPPORTED.items() if CURTAIL not in kinds]
    with engine.connect() as conn:
        return {int(m) for m in conn.scalars(select(miners.c.id)
                                              .where(miners.c.family.in_(families)))}


def add_makeup_actions(engine: Engine, plan: PlanRow, missing_kw: float,
                       round_no: int) -> tuple[list[MinerTarget], str]:
    """Plan ``missing_kw`` more on untouched miners; store and return the new actions."""
    exclude = acted_miner_ids(engine, plan.id) | _cannot_curtail(engine)
    fleet = fleet_from_engine(engine, plan.site, exclude=exclude)
    if plan.use_modes:
        fleet = fleet.with_modes(DEFAULT_MODES)
    result = plan_curtailment(fleet, request_for("shed_kw", missing_kw, site=plan.site,
                                                 strategy=plan.strategy))
    if result.status == "infeasible" or not len(result.actions):
        return [], "; ".join(result.messages) or "no miners left to shed more"
    rows = [{"plan_id": plan.id, "miner_id": int(a["miner_id"]), "action": a["action"],
             "power_saved_w": a["power_saved_w"], "hashrate_lost_ths": a["hashrate_lost_ths"],
             "status": "pending", "detail": f"make-up round {round_no}"}
            for a in result.actions.to_dicts()]
    with engine.begin() as conn:
        conn.execute(insert(curtailment_actions), rows)
    return load_targets(engine, plan.id, ["pending"]), ""


def _tally(report: ExecutionReport, outcomes: Sequence[MinerOutcome]) -> None:
    for o in outcomes:
        if o.status in ("verified", "sent"):
            report.verified += 1
            report.shed_kw += o.saved_w / 1000.0
        elif o.status == "unsupported":
            report.unsupported += 1
        else:
            report.failed += 1


async def execute_plan_async(engine: Engine, plan_id: int, *, batch_size: int = 200,
                             verify: bool = True,
                             credentials_for: CredentialsFor = no_credentials,
                             settings: VerifySettings = DEFAULT_VERIFY,
                             max_makeup_rounds: int = MAX_MAKEUP_ROUNDS) -> ExecutionReport:
    """Execute an approved (or scheduled) plan; ends ``active`` or ``failed``."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    t0 = time.perf_counter()
    with engine.begin() as conn:
        transition(conn, plan_id, "executing", verb="execute",
                   status_detail="executing: commands are being sent")
    plan = load_plan_row(engine, plan_id)
    report = ExecutionReport(plan_id, "executing", plan.required_shed_kw, 0.0)
    try:
        targets = load_targets(engine, plan_id, ["pending"])
        _tally(report, await run_targets(engine, targets, batch_size=batch_size, verify=verify,
                                         credentials_for=credentials_for, settings=settings))
        why_short = ""
        while (report.shed_kw < report.required_kw - _TOL_KW
               and report.makeup_rounds < max_makeup_rounds):
            missing = report.required_kw - report.shed_kw
            extra, why_short = add_makeup_actions(engine, plan, missing,
                                                  report.makeup_rounds + 1)
            if not extra:
                break
            report.makeup_rounds += 1
            report.makeup_actions += len(extra)
            _tally(report, await run_targets(engine, extra, batch_size=batch_size,
                                             verify=verify, credentials_for=credentials_for,
                                             settings=settings))
    except BaseException as exc:
        # leave a clear record; the rows already say which miners were done
        with engine.begin() as conn:
            transition(conn, plan_id, "failed", verb="fail",
                       status_detail=f"execution stopped: {type(exc).__name__}: {exc}; "
                                     "run recover to resume the miners already switched")
        raise
    report.elapsed_s = time.perf_counter() - t0
    counts = (f"{report.verified} miners curtailed, {report.failed} failed, "
              f"{report.unsupported} unsupported, {report.makeup_actions} make-up actions in "
              f"{report.makeup_rounds} round(s)")
    if report.shed_kw >= report.required_kw - _TOL_KW:
        report.status = "active"
        report.message = (f"goal met: {report.shed_kw:,.1f} kW shed of "
                          f"{report.required_kw:,.1f} kW required; {counts}")
    else:
        report.status = "failed"
        missing = report.required_kw - report.shed_kw
        report.message = (f"goal missed: {missing:,.1f} kW missing ({report.shed_kw:,.1f} of "
                          f"{report.required_kw:,.1f} kW shed); {counts}"
                          + (f"; {why_short}" if why_short else "")
                          + "; run recover to resume the curtailed miners")
    with engine.begin() as conn:
        transition(conn, plan_id, report.status, verb="finish", status_detail=report.message)
    return report
