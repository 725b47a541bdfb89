"""The plan handed back to the CLI, the services and the UI: plain data, JSON-ready."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any, Literal, overload

import numpy as np

PlanStatus = Literal["optimal", "feasible", "infeasible", "fallback"]


@dataclasses.dataclass(frozen=True, slots=True)
class Action:
    miner_id: str
    ip: str
    action: str  # "off" or "mode:<name>"
    power_saved_w: float
    hashrate_lost_ths: float
    site: str = ""


@dataclasses.dataclass(frozen=True, eq=False)
class ActionTable(Sequence[Action]):
    """The actions as columns; items are built on access.

    A 100,000-miner plan has ~25,000 actions: building that many objects up front
    cost more than planning itself, and table views want columns anyway.
    """

    miner_id: np.ndarray
    ip: np.ndarray
    action: np.ndarray
    power_saved_w: np.ndarray
    hashrate_lost_ths: np.ndarray
    site: np.ndarray

    @classmethod
    def empty(cls) -> ActionTable:
        text = np.zeros(0, dtype=object)
        return cls(text, text, text, np.zeros(0), np.zeros(0), text)

    def __len__(self) -> int:
        return int(self.miner_id.shape[0])

    def _item(self, i: int) -> Action:
        return Action(str(self.miner_id[i]), str(self.ip[i]), str(self.action[i]),
                      float(self.power_saved_w[i]), float(self.hashrate_lost_ths[i]),
                      str(self.site[i]))

    @overload
    def __getitem__(self, index: int) -> Action: ...
    @overload
    def __getitem__(self, index: slice) -> list[Action]: ...
    def __getitem__(self, index: int | slice) -> Action | list[Action]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(len(self))[index]]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return self._item(index % len(self))

    def __iter__(self) -> Iterator[Action]:
        return (self._item(i) for i in range(len(self)))

    def to_dicts(self) -> list[dict[str, Any]]:
        columns = [self.miner_id.tolist(), self.ip.tolist(), self.action.tolist(),
                   self.power_saved_w.tolist(), self.hashrate_lost_ths.tolist(),
                   self.site.tolist()]
        names = ("miner_id", "ip", "action", "power_saved_w", "hashrate_lost_ths", "site")
        return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


@dataclasses.dataclass(frozen=True, slots=True)
class Excluded:
    miner_id: str
    ip: str
    reason: str  # "offline" or "already off"


@dataclasses.dataclass(frozen=True)
class PlanResult:
    """A curtailment plan and the evidence for it.

    ``lp_bound_ths`` is the proven lower bound on the hashrate lost (hashrate objective);
    with the revenue objective the bound is ``lp_bound_usd_per_h``.  ``gap_pct`` is the
    distance between the plan and that bound, in % of the plan's objective.
    ``greedy_*`` describe the worst-J/TH-first plan, always computed for comparison.
    """

    strategy: str
    solver: str
    status: PlanStatus
    objective: str
    goal: str
    site: str | None
    target_kw: float
    required_shed_kw: float
    shed_kw: float
    load_before_kw: float
    load_after_kw: float
    hashrate_lost_ths: float
    revenue_lost_usd_per_h: float | None
    lp_bound_ths: float | None
    lp_bound_usd_per_h: float | None
    gap_pct: float | None
    greedy_hashrate_lost_ths: float | None
    greedy_shed_kw: float | None
    solve_ms: float
    actions: ActionTable
    excluded: tuple[Excluded, ...]
    messages: tuple[str, ...]

    @property
    def miners_off(self) -> int:
        return int(np.count_nonzero(self.actions.action == "off"))

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["actions"] = self.actions.to_dicts()
        data["excluded"] = [dataclasses.asdict(e) for e in self.excluded]
        data["messages"] = list(self.messages)
        data["miners_off"] = self.miners_off
        data["miners_in_mode"] = len(self.actions) - self.miners_off
        return data
