"""Per-miner "condition holding since" state, kept between cycles, one table per rule kind.

A condition has three outcomes per miner: holds, does not hold, or unknown (no data this
cycle, e.g. no temperature from an offline miner).  Unknown leaves the state untouched,
so a miner that drops one poll neither restarts its timer nor clears its alert.
"""

from __future__ import annotations

import dataclasses

import numpy as np


@dataclasses.dataclass
class _KindHold:
    ids: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0, np.int64))
    since: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0, float))  # NaN: no
    active: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0, bool))

    def aligned(self, miner_ids: np.ndarray) -> np.ndarray:
        """Positions of ``miner_ids`` in this table, adding rows for new miners."""
        merged = np.union1d(self.ids, miner_ids)
        if len(merged) != len(self.ids):
            since = np.full(len(merged), np.nan)
            active = np.zeros(len(merged), bool)
            old = np.searchsorted(merged, self.ids)
            since[old], active[old] = self.since, self.active
            self.ids, self.since, self.active = merged, since, active
        return np.searchsorted(self.ids, miner_ids)


@dataclasses.dataclass(frozen=True)
class HoldOutcome:
    fire: np.ndarray  # bool per miner: firing this cycle (past its duration)
    new: np.ndarray  # bool per miner: started firing this cycle
    clear: np.ndarray  # bool per miner: was firing, condition now false


class HoldState:
    """The memory of the alert engine between cycles (one instance per collector)."""

    def __init__(self) -> None:
        self._kinds: dict[str, _KindHold] = {}

    def update(self, kind: str, miner_ids: np.ndarray, holds: np.ndarray, known: np.ndarray,
               now: float, duration_s: float) -> HoldOutcome:
        table = self._kinds.setdefault(kind, _KindHold())
        pos = table.aligned(miner_ids)
        yes = holds & known
        no = ~holds & known
        since = table.since[pos]
        since = np.where(yes & np.isnan(since), now, since)
        since = np.where(no, np.nan, since)
        was_active = table.active[pos]
        fire = yes & (now - since >= duration_s)
        # unknown this cycle: an active alert stays active (and is not refreshed)
        active = np.where(known, fire, was_active)
        table.since[pos] = since
        table.active[pos] = active
        return HoldOutcome(fire=fire, new=fire & ~was_active, clear=no & was_active)

    def restore_active(self, kind: str, miner_ids: np.ndarray, since: np.ndarray) -> None:
        """Mark alerts found active in the database (after a restart) so they can clear."""
        table = self._kinds.setdefault(kind, _KindHold())
        ids = np.asarray(miner_ids, dtype=np.int64)
        pos = table.aligned(ids)
        table.since[pos] = np.asarray(since, dtype=float)
        table.active[pos] = True

    def active_ids(self, kind: str) -> np.ndarray:
        table = self._kinds.get(kind)
        return table.ids[table.active] if table else np.empty(0, np.int64)

    def forget(self, miner_ids: np.ndarray) -> None:
        """Drop deleted miners (their alerts go with the miner row)."""
        for table in self._kinds.values():
            keep = ~np.isin(table.ids, miner_ids)
            table.ids, table.since, table.active = (
                table.ids[keep], table.since[keep], table.active[keep])
