"""Readings -> database rows: raw telemetry rows, snapshots and per-site aggregates.

Values are scaled integers (GH/s, W, deci-°C) as ``telemetry_raw`` stores them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from hashinsight_desktop.core.miners.reading import MinerReading
from hashinsight_desktop.store.schema.telemetry import FLAG_POWER_ESTIMATED, STATUS_CODES
from hashinsight_desktop.store.telemetry_writer import RawRow

ONLINE_STATUSES = frozenset({"ok", "degraded", "curtailed"})
OFFLINE_CODE = STATUS_CODES["offline"]


@dataclasses.dataclass(frozen=True, slots=True)
class FleetMiner:
    """What a cycle needs to know about one miner (loaded from ``miners``)."""

    miner_id: int
    ip: str
    port: int
    family: str | None
    site_id: int | None
    nominal_ghs: int | None  # from the catalog model; a reading's own nominal wins


def _scaled(value: float | None, factor: float) -> int | None:
    return None if value is None else round(value * factor)


def failure_reason(reading: MinerReading) -> str:
    """'timeout', 'refused', 'unreachable', 'protocol', ... from the reading's error."""
    error = (reading.error or "").strip()
    head = error.split(":", 1)[0].strip().lower() if error else ""
    if head and " " not in head and len(head) <= 24:
        return head
    return reading.status  # "error" or "offline" without a short reason


def raw_row(ts: int, miner_id: int, reading: MinerReading) -> RawRow:
    fans = [f for f in (reading.fans_rpm or []) if f is not None]
    return (ts, miner_id, STATUS_CODES.get(reading.status, STATUS_CODES["error"]),
            FLAG_POWER_ESTIMATED if reading.power_estimated else 0,
            _scaled(reading.hashrate_ths, 1000.0), _scaled(reading.power_w, 1.0),
            _scaled(reading.temp_max_c, 10.0), _scaled(reading.temp_avg_c, 10.0),
            min(fans) if fans else None, reading.uptime_s)


def offline_row(ts: int, miner_id: int) -> RawRow:
    """A miner skipped by backoff is still recorded as offline for that cycle."""
    return (ts, miner_id, OFFLINE_CODE, 0, None, None, None, None, None, None)


def snapshot_row(ts: int, miner_id: int, reading: MinerReading) -> dict[str, object]:
    doc = reading.as_probe_dict()
    doc["power_estimated"] = reading.power_estimated
    return {"miner_id": miner_id, "ts": ts, "status": reading.status, "error": reading.error,
            "reading_json": json.dumps(doc, separators=(",", ":"))}


@dataclasses.dataclass(slots=True)
class _SiteTotals:
    miners: int = 0
    online: int = 0
    curtailed: int = 0
    hashrate_ghs: int = 0
    nominal_ghs: int = 0
    power_w: int = 0
    temp_avg_sum: int = 0
    temp_avg_n: int = 0
    temp_max_dc: int | None = None

    def add(self, row: RawRow, nominal_ghs: int | None) -> None:
        _, _, status, _, ghs, power, tmax, tavg, _, _ = row
        self.miners += 1
        self.nominal_ghs += nominal_ghs or 0
        if status == OFFLINE_CODE or status == STATUS_CODES["error"]:
            return
        self.online += 1
        self.curtailed += status == STATUS_CODES["curtailed"]
        self.hashrate_ghs += ghs or 0
        self.power_w += power or 0
        if tavg is not None:
            self.temp_avg_sum += tavg
            self.temp_avg_n += 1
        if tmax is not None:
            self.temp_max_dc = tmax if self.temp_max_dc is None else max(self.temp_max_dc, tmax)


def site_aggregates(ts: int, rows: Iterable[tuple[RawRow, FleetMiner, int | None]]
                    ) -> list[dict[str, object]]:
    """``cycle_aggregates`` rows: one per site plus site 0 = the whole fleet.

    ``rows`` yields (raw row, miner, nominal GH/s for this cycle).  Online means the
    miner answered (ok, degraded or curtailed); hashrate, power and temperatures sum or
    average over online miners; nominal sums over every miner (installed capacity).
    """
    totals: dict[int, _SiteTotals] = {0: _SiteTotals()}
    for row, miner, nominal in rows:
        totals[0].add(row, nominal)
        if miner.site_id is not None:
            totals.setdefault(int(miner.site_id), _SiteTotals()).add(row, nominal)
    return [{
        "ts": ts, "site_id": site_id, "miners": t.miners, "online": t.online,
        "curtailed": t.curtailed, "hashrate_ghs": t.hashrate_ghs, "nominal_ghs": t.nominal_ghs,
        "power_w": t.power_w,
        "temp_avg_dc": round(t.temp_avg_sum / t.temp_avg_n) if t.temp_avg_n else None,
        "temp_max_dc": t.temp_max_dc,
    } for site_id, t in sorted(totals.items())]
