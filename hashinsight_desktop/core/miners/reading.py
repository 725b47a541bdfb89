"""The normalized reading of one miner poll, whatever its firmware."""

from __future__ import annotations

import dataclasses
from typing import Any

# Values of MinerReading.status
STATUS_OK = "ok"
STATUS_DEGRADED = "degraded"
STATUS_OFFLINE = "offline"
STATUS_ERROR = "error"
STATUS_CURTAILED = "curtailed"
STATUSES = (STATUS_OK, STATUS_DEGRADED, STATUS_OFFLINE, STATUS_ERROR, STATUS_CURTAILED)

# The keys of the probe JSON document, in order (the CLI and the simulator rely on them).
PROBE_KEYS = (
    "ip",
    "port",
    "make",
    "model",
    "firmware",
    "status",
    "error",
    "hashrate_ths",
    "hashrate_avg_ths",
    "nominal_ths",
    "power_w",
    "temp_max_c",
    "temp_avg_c",
    "fans_rpm",
    "hashboards",
    "pool_url",
    "pool_user",
    "accepted",
    "rejected",
    "uptime_s",
    "elapsed_ms",
)


@dataclasses.dataclass(slots=True)
class Hashboard:
    slot: int
    hashrate_ths: float | None = None
    temp_c: float | None = None
    chips: int | None = None
    expected_chips: int | None = None


@dataclasses.dataclass(slots=True)
class MinerReading:
    """One poll of one miner.  Unknown values are ``None``, never 0."""

    ip: str
    port: int
    make: str | None = None
    model: str | None = None
    firmware: str | None = None
    status: str = STATUS_ERROR
    error: str | None = None  # why, when status is not "ok"
    hashrate_ths: float | None = None  # the shortest window the firmware gives (5 s .. 1 min)
    hashrate_avg_ths: float | None = None  # the firmware's average since start
    nominal_ths: float | None = None  # the firmware's ideal rate, else the catalog's
    power_w: float | None = None
    temp_max_c: float | None = None
    temp_avg_c: float | None = None
    fans_rpm: list[int] | None = None
    hashboards: list[Hashboard] = dataclasses.field(default_factory=list)
    pool_url: str | None = None
    pool_user: str | None = None
    accepted: int | None = None
    rejected: int | None = None
    uptime_s: int | None = None
    elapsed_ms: float | None = None
    # Not part of the probe JSON:
    power_estimated: bool = False
    mac: str | None = None
    serial: str | None = None
    hostname: str | None = None
    family: str | None = None  # firmware family id, see identify.FAMILIES
    raw: dict[str, object] = dataclasses.field(default_factory=dict)

    def as_probe_dict(self) -> dict[str, Any]:
        """Exactly the 21 :data:`PROBE_KEYS` (hashboards as plain dicts)."""
        out: dict[str, Any] = {}
        for key in PROBE_KEYS:
            value = getattr(self, key)
            if key == "hashboards":
                # Flat scalar fields: a plain dict equals dataclasses.asdict, 10x cheaper.
                value = [{name: getattr(board, name) for name in _BOARD_FIELDS}
                         for board in value]
            elif key == "fans_rpm" and value is not None:
                value = list(value)
            out[key] = value
        return out


_BOARD_FIELDS = tuple(field.name for field in dataclasses.fields(Hashboard))
