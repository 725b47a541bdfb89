"""Plain dataclasses handed to the CLI and the UI (never ORM rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class PlanAction:
    id: int
    miner_id: int
    miner_name: str | None
    ip: str
    client: str | None
    action: str  # "off" or "mode:<name>"
    power_saved_w: float
    hashrate_lost_ths: float
    status: str  # pending, sent, verified, failed, unsupported, recovering, recovered
    detail: str | None
    sent_at: dt.datetime | None
    verified_at: dt.datetime | None
    recovered_at: dt.datetime | None


@dataclasses.dataclass(frozen=True, slots=True)
class ClientImpact:
    """What a plan costs one hosting client ("" = the farm's own miners)."""

    client: str
    miners: int
    power_kw: float
    hashrate_ths: float


@dataclasses.dataclass(frozen=True, slots=True)
class PlanSummary:
    id: int
    name: str
    site: str | None
    goal_kind: str  # "shed" or "cap"
    goal_kw: float
    strategy: str
    use_modes: bool
    status: str
    status_detail: str | None
    created_at: dt.datetime | None
    approved_at: dt.datetime | None


@dataclasses.dataclass(frozen=True)
class PlanDetail:
    summary: PlanSummary
    objective: str
    start_at: dt.datetime | None
    end_at: dt.datetime | None
    created_by: str | None
    approved_by: str | None
    result: dict[str, Any]  # the optimizer's result at planning time (PlanResult.to_dict)
    actions: tuple[PlanAction, ...]
    client_impact: tuple[ClientImpact, ...]

    @property
    def action_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for a in self.actions:
            counts[a.status] = counts.get(a.status, 0) + 1
        return counts

    def to_dict(self, *, with_result: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = dataclasses.asdict(self.summary)
        data.update(objective=self.objective, start_at=self.start_at, end_at=self.end_at,
                    created_by=self.created_by, approved_by=self.approved_by,
                    action_counts=self.action_counts,
                    client_impact=[dataclasses.asdict(c) for c in self.client_impact],
                    actions=[dataclasses.asdict(a) for a in self.actions])
        if with_result:
            data["result"] = self.result
        return data


def client_impact(actions: tuple[PlanAction, ...]) -> tuple[ClientImpact, ...]:
    """kW and TH/s given up per client, largest first.  Failed and unsupported actions
    are left out: they took nothing from the client."""
    totals: dict[str, list[float]] = {}
    for a in actions:
        if a.status in ("failed", "unsupported"):
            continue
        t = totals.setdefault(a.client or "", [0, 0.0, 0.0])
        t[0] += 1
        t[1] += a.power_saved_w / 1000.0
        t[2] += a.hashrate_lost_ths
    return tuple(sorted((ClientImpact(c, int(n), round(kw, 3), round(ths, 3))
                         for c, (n, kw, ths) in totals.items()),
                        key=lambda c: (-c.power_kw, c.client)))
