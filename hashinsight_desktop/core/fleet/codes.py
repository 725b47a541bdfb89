"""Small integer codes stored in the fleet column arrays.

Codes are small ints so a status or severity column is one byte per miner and
filters are a single vectorised comparison.
"""

from __future__ import annotations

from enum import IntEnum

#: Code of a missing categorical value (site, model, client, firmware, pool).
MISSING_CODE = -1


class MinerStatus(IntEnum):
    """Live state of one miner as the grid shows it."""

    OK = 0
    DEGRADED = 1
    OFFLINE = 2
    ERROR = 3
    CURTAILED = 4
    UNKNOWN = 5


class AlertSeverity(IntEnum):
    """Highest severity among a miner's active alerts (NONE: no active alert)."""

    NONE = 0
    INFO = 1
    WARNING = 2
    CRITICAL = 3


#: Ascending sort order of statuses: healthy first, problems after, unknown last
#: (unknown is treated like a missing value, so it stays last in both directions).
STATUS_SORT_RANK: dict[MinerStatus, float] = {
    MinerStatus.OK: 0.0,
    MinerStatus.CURTAILED: 1.0,
    MinerStatus.DEGRADED: 2.0,
    MinerStatus.ERROR: 3.0,
    MinerStatus.OFFLINE: 4.0,
    MinerStatus.UNKNOWN: float("nan"),
}
