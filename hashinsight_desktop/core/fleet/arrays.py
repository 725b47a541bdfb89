"""The column arrays of the fleet table, one element per miner row.

Missing values: NaN in float columns, None in object columns, -1 in categorical
codes.  Never 0: a zero hashrate is a measured fact, "no reading" is not.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from hashinsight_desktop.core.fleet.codes import MISSING_CODE, AlertSeverity, MinerStatus


@dataclasses.dataclass(slots=True)
class FleetArrays:
    # static (from the miner records)
    miner_id: np.ndarray  # int64
    name: np.ndarray  # object: str
    ip: np.ndarray  # object: str | None
    site: np.ndarray  # int32 code
    rack: np.ndarray  # object: str | None
    position: np.ndarray  # object: str | int | None
    model: np.ndarray  # int32 code
    firmware: np.ndarray  # int32 code
    serial: np.ndarray  # object: str | None
    client: np.ndarray  # int32 code
    tags: np.ndarray  # object: frozenset[str]
    nominal_ths: np.ndarray  # float64
    haystack: np.ndarray  # bytes (S): lowercase UTF-8 "name ip serial client" for search
    # live (from collector cycles)
    status: np.ndarray  # int8 MinerStatus
    hashrate_ths: np.ndarray  # float64
    pct_of_nominal: np.ndarray  # float64, derived
    temp_max_c: np.ndarray  # float64
    fan_min_rpm: np.ndarray  # float64
    fan_count: np.ndarray  # float64 (NaN: unknown)
    power_w: np.ndarray  # float64
    power_estimated: np.ndarray  # bool: power_w is a nameplate estimate, not measured
    j_per_th: np.ndarray  # float64, derived
    uptime_s: np.ndarray  # float64
    pool: np.ndarray  # int32 code
    last_seen: np.ndarray  # float64 unix seconds
    alert_count: np.ndarray  # int32
    alert_max_severity: np.ndarray  # int8 AlertSeverity

    def __len__(self) -> int:
        return len(self.miner_id)

    def take(self, rows: np.ndarray) -> FleetArrays:
        return FleetArrays(
            **{f.name: getattr(self, f.name)[rows] for f in dataclasses.fields(self)}
        )

    def concat(self, other: FleetArrays) -> FleetArrays:
        return FleetArrays(
            **{
                f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                for f in dataclasses.fields(self)
            }
        )


def empty_live_columns(n: int) -> dict[str, np.ndarray]:
    """Live columns for ``n`` miners never polled yet: everything unknown."""
    nan = np.full(n, np.nan)
    return {
        "status": np.full(n, MinerStatus.UNKNOWN, dtype=np.int8),
        "hashrate_ths": nan.copy(),
        "pct_of_nominal": nan.copy(),
        "temp_max_c": nan.copy(),
        "fan_min_rpm": nan.copy(),
        "fan_count": nan.copy(),
        "power_w": nan.copy(),
        "power_estimated": np.zeros(n, dtype=bool),
        "j_per_th": nan.copy(),
        "uptime_s": nan.copy(),
        "pool": np.full(n, MISSING_CODE, dtype=np.int32),
        "last_seen": nan.copy(),
        "alert_count": np.zeros(n, dtype=np.int32),
        "alert_max_severity": np.full(n, AlertSeverity.NONE, dtype=np.int8),
    }


def object_array(values: list) -> np.ndarray:
    """A 1-D object array even when the values are tuples or sets."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
