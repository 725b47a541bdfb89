"""The columns of the fleet grid, as the core knows them.

The string values are stable identifiers: saved views store them in JSON, so
renaming a value breaks users' saved views.
"""

from __future__ import annotations

from enum import StrEnum


class FleetColumn(StrEnum):
    NAME = "name"
    IP = "ip"
    SITE = "site"
    RACK_POSITION = "rack_position"
    MODEL = "model"
    FIRMWARE = "firmware"
    STATUS = "status"
    HASHRATE = "hashrate"
    PCT_NOMINAL = "pct_nominal"
    TEMP_MAX = "temp_max"
    FANS = "fans"
    POWER = "power"
    J_PER_TH = "j_per_th"
    UPTIME = "uptime"
    POOL = "pool"
    CLIENT = "client"
    LAST_SEEN = "last_seen"
    ALERTS = "alerts"
    SERIAL = "serial"
    TAGS = "tags"


#: Display order of the grid (left to right).
ALL_COLUMNS: tuple[FleetColumn, ...] = tuple(FleetColumn)

#: Columns hidden until the user picks them in the column chooser.
HIDDEN_BY_DEFAULT: frozenset[FleetColumn] = frozenset({FleetColumn.SERIAL, FleetColumn.TAGS})

#: Which live array feeds which grid column; apply_cycle reports changes per column.
LIVE_FIELD_COLUMN: dict[str, FleetColumn] = {
    "status": FleetColumn.STATUS,
    "hashrate_ths": FleetColumn.HASHRATE,
    "pct_of_nominal": FleetColumn.PCT_NOMINAL,
    "temp_max_c": FleetColumn.TEMP_MAX,
    "fan_min_rpm": FleetColumn.FANS,
    "fan_count": FleetColumn.FANS,
    "power_w": FleetColumn.POWER,
    "power_estimated": FleetColumn.POWER,
    "j_per_th": FleetColumn.J_PER_TH,
    "uptime_s": FleetColumn.UPTIME,
    "pool": FleetColumn.POOL,
    "last_seen": FleetColumn.LAST_SEEN,
    "alert_count": FleetColumn.ALERTS,
    "alert_max_severity": FleetColumn.ALERTS,
}
