"""Plain data that crosses into the fleet table: static records, cycle updates, changes.

These are what worker threads hand to the GUI thread: dataclasses of numpy arrays,
never ORM objects.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np

from hashinsight_desktop.core.fleet.columns import FleetColumn


@dataclasses.dataclass(frozen=True, slots=True)
class MinerRecord:
    """Static facts about one miner (one grid row)."""

    miner_id: int
    name: str
    ip: str | None = None
    site: str | None = None
    rack: str | None = None
    position: str | int | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    client: str | None = None
    tags: frozenset[str] = frozenset()
    nominal_ths: float | None = None


#: CycleUpdate field name -> dtype the table stores it as.  Pool is text labels.
LIVE_FIELDS: dict[str, type | str] = {
    "status": np.int8,
    "hashrate_ths": np.float64,
    "temp_max_c": np.float64,
    "fan_min_rpm": np.float64,
    "fan_count": np.float64,
    "power_w": np.float64,
    "power_estimated": np.bool_,
    "uptime_s": np.float64,
    "pool": object,
    "last_seen": np.float64,
    "alert_count": np.int32,
    "alert_max_severity": np.int8,
}


@dataclasses.dataclass(slots=True)
class CycleUpdate:
    """Readings of the miners polled in one cycle.

    Every live field is optional: None means "not measured in this cycle, keep
    the current value" (e.g. an alerts-only update sets just the two alert
    arrays).  A NaN means "measured, and the value is unknown now".
    """

    miner_ids: np.ndarray
    status: np.ndarray | None = None
    hashrate_ths: np.ndarray | None = None
    temp_max_c: np.ndarray | None = None
    fan_min_rpm: np.ndarray | None = None
    fan_count: np.ndarray | None = None
    power_w: np.ndarray | None = None
    power_estimated: np.ndarray | None = None
    uptime_s: np.ndarray | None = None
    pool: np.ndarray | None = None
    last_seen: np.ndarray | None = None
    alert_count: np.ndarray | None = None
    alert_max_severity: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.miner_ids = np.asarray(self.miner_ids, dtype=np.int64)
        if self.miner_ids.ndim != 1:
            raise ValueError("CycleUpdate.miner_ids must be a 1-D array of ints")
        n = len(self.miner_ids)
        for name, dtype in LIVE_FIELDS.items():
            value = getattr(self, name)
            if value is None:
                continue
            array = np.asarray(value, dtype=dtype)
            if array.shape != (n,):
                raise ValueError(
                    f"CycleUpdate.{name} has shape {array.shape}; expected ({n},) "
                    "like miner_ids"
                )
            setattr(self, name, array)

    def provided_fields(self) -> list[str]:
        return [name for name in LIVE_FIELDS if getattr(self, name) is not None]


@dataclasses.dataclass(slots=True)
class ChangedCells:
    """Which table rows changed, per grid column, after apply_cycle.

    ``by_column`` maps a column to the sorted table rows whose value really
    changed (NaN -> NaN is no change).  Columns without changes are absent.
    """

    by_column: dict[FleetColumn, np.ndarray] = dataclasses.field(default_factory=dict)
    unknown_ids: np.ndarray = dataclasses.field(
        default_factory=lambda: np.empty(0, dtype=np.int64)
    )

    def add(self, column: FleetColumn, rows: np.ndarray) -> None:
        """Record changed ``rows`` (sorted, unique) of ``column``."""
        if len(rows) == 0:
            return
        previous = self.by_column.get(column)
        self.by_column[column] = rows if previous is None else np.union1d(previous, rows)

    @property
    def rows(self) -> np.ndarray:
        """All table rows with at least one changed cell (sorted)."""
        if not self.by_column:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(list(self.by_column.values())))

    @property
    def cell_count(self) -> int:
        return int(sum(len(r) for r in self.by_column.values()))

    def __bool__(self) -> bool:
        return bool(self.by_column)

    def columns(self) -> Iterable[FleetColumn]:
        return self.by_column.keys()
