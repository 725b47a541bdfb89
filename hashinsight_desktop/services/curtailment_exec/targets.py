"""One action row joined with what is needed to reach and command its miner."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.curtailment.fleet import DEFAULT_MODES
from hashinsight_desktop.core.miners.control import ControlAction
from hashinsight_desktop.store.schema.curtailment import curtailment_actions
from hashinsight_desktop.store.schema.fleet import asic_models, miners

_MODE_FRACTION = {m.name: m.power_fraction for m in DEFAULT_MODES}
_MIN_W, _MAX_W = 100, 20000  # what ControlAction.power_target accepts


@dataclasses.dataclass(frozen=True, slots=True)
class MinerTarget:
    """Passed to ``credentials_for``: enough to pick the right login for a miner."""

    action_id: int
    miner_id: int
    name: str | None
    ip: str
    port: int
    family: str | None
    model: str | None
    credentials_ref: str | None
    action: str  # "off" or "mode:<name>"
    power_saved_w: float
    nameplate_w: float | None

    @property
    def power_before_w(self) -> float:
        """What the miner drew when planned: an "off" saves all of it, a mode its share."""
        if self.action == "off":
            return self.power_saved_w
        fraction = _MODE_FRACTION.get(self.action.removeprefix("mode:"))
        if fraction is None:
            raise ValueError(f"action {self.action!r}: unknown power mode")
        return self.power_saved_w / (1.0 - fraction)

    def curtail_command(self) -> ControlAction:
        if self.action == "off":
            return ControlAction.curtail()
        watts = round(self.power_before_w - self.power_saved_w)
        return ControlAction.power_target(min(max(watts, _MIN_W), _MAX_W))

    def restore_command(self) -> ControlAction:
        """Undo :meth:`curtail_command`: wake up, or back to the nameplate power target."""
        if self.action == "off":
            return ControlAction.resume()
        watts = round(self.nameplate_w or self.power_before_w)
        return ControlAction.power_target(min(max(watts, _MIN_W), _MAX_W))


def load_targets(engine: Engine, plan_id: int, statuses: Collection[str]) -> list[MinerTarget]:
    ca = curtailment_actions
    query = (select(ca.c.id, ca.c.miner_id, miners.c.name, miners.c.ip, miners.c.port,
                    miners.c.family, miners.c.model_name, miners.c.credentials_ref,
                    ca.c.action, ca.c.power_saved_w, asic_models.c.power_w)
             .select_from(ca.join(miners, ca.c.miner_id == miners.c.id)
                          .outerjoin(asic_models, miners.c.model_id == asic_models.c.id))
             .where(ca.c.plan_id == plan_id, ca.c.status.in_(list(statuses)))
             .order_by(ca.c.id))
    with engine.connect() as conn:
        return [MinerTarget(int(r[0]), int(r[1]), r[2], r[3], int(r[4]), r[5], r[6], r[7],
                            r[8], float(r[9]), None if r[10] is None else float(r[10]))
                for r in conn.execute(query)]


def acted_miner_ids(engine: Engine, plan_id: int) -> set[int]:
    with engine.connect() as conn:
        return {int(m) for m in conn.scalars(select(curtailment_actions.c.miner_id)
                                              .where(curtailment_actions.c.plan_id == plan_id))}


def mark(engine: Engine, targets: Iterable[MinerTarget], status: str, *,
         stamp: str | None = None, detail: str | None = None) -> None:
    """Set one status for many actions (one executemany), stamping ``stamp`` with now."""
    rows = [{"_id": t.action_id} for t in targets]
    if not rows:
        return
    values: dict[str, Any] = {"status": status}
    if stamp:
        values[stamp] = dt.datetime.now(dt.UTC)
    if detail is not None:
        values["detail"] = detail
    with engine.begin() as conn:
        conn.execute(update(curtailment_actions)
                     .where(curtailment_actions.c.id == bindparam("_id")).values(values), rows)


def record(engine: Engine, outcomes: Sequence[tuple[MinerTarget, str, str]], *,
           stamp: str) -> None:
    """Write each action's (status, detail); ``stamp`` is set for the successful ones."""
    if not outcomes:
        return
    now = dt.datetime.now(dt.UTC)
    rows = [{"_id": t.action_id, "s": status, "d": detail[:2000],
             "at": now if status in ("verified", "recovered") else None}
            for t, status, detail in outcomes]
    ca = curtailment_actions
    with engine.begin() as conn:
        conn.execute(update(ca).where(ca.c.id == bindparam("_id"))
                     .values({"status": bindparam("s"), "detail": bindparam("d"),
                              stamp: bindparam("at")}), rows)
