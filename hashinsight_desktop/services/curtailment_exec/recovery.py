"""Resume a plan's miners in staggered batches: a whole farm waking at once would
swing the load by megawatts in seconds (utilities and breakers both object).

Recovery may run on any plan whose miners may have been touched (executing after a
crash, active, failed, recovering), and again after a partial recovery: it only
resumes rows not yet ``recovered``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.engine import Engine

from hashinsight_desktop.services.curtailment_exec.lifecycle import transition
from hashinsight_desktop.services.curtailment_exec.miner_ops import (
    DEFAULT_VERIFY,
    CredentialsFor,
    VerifySettings,
    command_and_verify,
    restored,
)
from hashinsight_desktop.services.curtailment_exec.plan_row import set_detail
from hashinsight_desktop.services.curtailment_exec.targets import (
    load_targets,
    mark,
    record,
)
from hashinsight_desktop.services.miner_credentials import no_credentials

#: Rows whose miner may be curtailed: a failed command may still have been applied.
RESUMABLE = ("sent", "verified", "failed", "recovering")

Sleep = Callable[[float], Awaitable[None] | None]


@dataclasses.dataclass
class RecoveryReport:
    plan_id: int
    status: str  # "completed" or "recovering" (some miners did not resume)
    batches: int = 0
    resumed: int = 0
    not_resumed: int = 0
    elapsed_s: float = 0.0
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


async def _pause(sleep: Sleep, seconds: float) -> None:
    waited = sleep(seconds)
    if inspect.isawaitable(waited):
        await waited


async def recover_plan_async(engine: Engine, plan_id: int, *, batch_size: int = 100,
                             interval_s: float = 30.0, sleep: Sleep = asyncio.sleep,
                             credentials_for: CredentialsFor = no_credentials,
                             settings: VerifySettings = DEFAULT_VERIFY) -> RecoveryReport:
    """Resume every touched miner, ``batch_size`` at a time, ``interval_s`` apart."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    if interval_s < 0:
        raise ValueError(f"interval_s must be >= 0, got {interval_s}")
    t0 = time.perf_counter()
    with engine.begin() as conn:
        transition(conn, plan_id, "recovering", verb="recover",
                   status_detail="recovering: miners are being resumed")
    targets = load_targets(engine, plan_id, RESUMABLE)
    report = RecoveryReport(plan_id, "recovering")
    for start in range(0, len(targets), batch_size):
        if start:
            await _pause(sleep, interval_s)
        batch = targets[start:start + batch_size]
        mark(engine, batch, "recovering")
        done = await asyncio.gather(*(
            command_and_verify(t, t.restore_command(), credentials_for(t), verify=True,
                               check=restored, settings=settings, success="recovered")
            for t in batch))
        # a miner that did not resume stays "recovering", so the next run retries it
        record(engine, [(o.target, "recovered" if o.status == "recovered" else "recovering",
                         o.detail) for o in done], stamp="recovered_at")
        report.batches += 1
        report.resumed += sum(o.status == "recovered" for o in done)
        report.not_resumed += sum(o.status != "recovered" for o in done)
        set_detail(engine, plan_id, f"recovering: {report.resumed} of {len(targets)} "
                                    "miners resumed")
    report.elapsed_s = time.perf_counter() - t0
    if report.not_resumed:
        report.message = (f"{report.not_resumed} of {len(targets)} miners did not resume; "
                          "check them and run recover again")
        set_detail(engine, plan_id, report.message)
    else:
        report.status = "completed"
        report.message = f"{report.resumed} miners resumed in {report.batches} batch(es)"
        with engine.begin() as conn:
            transition(conn, plan_id, "completed", verb="complete",
                       status_detail=report.message)
    return report
