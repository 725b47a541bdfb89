"""Cell text for the fleet grid: compact, with units, a dash for missing values.

Pure Python over the table arrays (no Qt) so it is cheap to call from
``data()`` and easy to test.  Each formatter takes the arrays and a table row.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from hashinsight_desktop.core.fleet.arrays import FleetArrays
from hashinsight_desktop.core.fleet.codes import AlertSeverity, MinerStatus
from hashinsight_desktop.core.fleet.columns import FleetColumn
from hashinsight_desktop.core.fleet.table import FleetTable

MISSING = "—"

Formatter = Callable[[FleetArrays, int], str]


def _number(value: float, fmt: str, unit: str = "") -> str:
    value = float(value)  # numpy scalars format ~5x slower than floats
    if value != value:  # NaN
        return MISSING
    return f"{value:{fmt}}{unit}"


def format_uptime(seconds: float) -> str:
    """"3d 04h", "5h 12m", "12m", "40s": two units at most, to stay narrow."""
    if math.isnan(seconds):
        return MISSING
    s = int(seconds)
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"


def format_last_seen(unix_s: float, now: float | None = None) -> str:
    """Clock time when within the last day, else the date (local time)."""
    if math.isnan(unix_s):
        return MISSING
    now = time.time() if now is None else now
    fmt = "%H:%M:%S" if abs(now - unix_s) < 86400 else "%Y-%m-%d"
    return time.strftime(fmt, time.localtime(unix_s))


def short_pool(url: str | None) -> str:
    """Pool URL without the scheme ("stratum+tcp://"), which every row shares."""
    if not url:
        return MISSING
    return url.split("://", 1)[-1]


def format_fans(count: float, min_rpm: float) -> str:
    if math.isnan(min_rpm):
        return MISSING
    if math.isnan(count):
        return f"{min_rpm:,.0f} rpm"
    return f"{int(count)}× {min_rpm:,.0f}"


def format_power(watts: float, estimated: bool) -> str:
    if math.isnan(watts):
        return MISSING
    return f"{'~' if estimated else ''}{watts:,.0f} W"


def format_alerts(count: int, severity: int) -> str:
    if count <= 0:
        return ""
    marks = {AlertSeverity.CRITICAL: " ‼", AlertSeverity.WARNING: " !"}
    return f"{count}{marks.get(AlertSeverity(severity), '')}"


def status_name(code: int) -> str:
    """Untranslated status name; the model translates it."""
    return MinerStatus(code).name.capitalize()


def formatters_for(table: FleetTable) -> dict[FleetColumn, Formatter]:
    """Formatter per column; categorical ones close over the table's label lists."""

    def label(codes_attr: str, labels_attr: str) -> Formatter:
        def fmt(a: FleetArrays, row: int) -> str:
            text = getattr(table, labels_attr).label(int(getattr(a, codes_attr)[row]))
            return MISSING if text is None else text

        return fmt

    def text(attr: str) -> Formatter:
        def fmt(a: FleetArrays, row: int) -> str:
            value = getattr(a, attr)[row]
            return MISSING if value is None or value == "" else str(value)

        return fmt

    def rack_position(a: FleetArrays, row: int) -> str:
        rack, pos = a.rack[row], a.position[row]
        if rack is None and pos is None:
            return MISSING
        return f"{rack or MISSING}/{MISSING if pos is None else pos}"

    return {
        FleetColumn.NAME: text("name"),
        FleetColumn.IP: text("ip"),
        FleetColumn.SITE: label("site", "sites"),
        FleetColumn.RACK_POSITION: rack_position,
        FleetColumn.MODEL: label("model", "models"),
        FleetColumn.FIRMWARE: label("firmware", "firmwares"),
        FleetColumn.STATUS: lambda a, r: status_name(a.status[r]),
        FleetColumn.HASHRATE: lambda a, r: _number(a.hashrate_ths[r], ".1f", " TH/s"),
        FleetColumn.PCT_NOMINAL: lambda a, r: _number(a.pct_of_nominal[r], ".0f", " %"),
        FleetColumn.TEMP_MAX: lambda a, r: _number(a.temp_max_c[r], ".0f", " °C"),
        FleetColumn.FANS: lambda a, r: format_fans(float(a.fan_count[r]), float(a.fan_min_rpm[r])),
        FleetColumn.POWER: lambda a, r: format_power(float(a.power_w[r]), bool(a.power_estimated[r])),
        FleetColumn.J_PER_TH: lambda a, r: _number(a.j_per_th[r], ".1f"),
        FleetColumn.UPTIME: lambda a, r: format_uptime(float(a.uptime_s[r])),
        FleetColumn.POOL: lambda a, r: short_pool(table.pools.label(int(a.pool[r]))),
        FleetColumn.CLIENT: label("client", "clients"),
        FleetColumn.LAST_SEEN: lambda a, r: format_last_seen(float(a.last_seen[r])),
        FleetColumn.ALERTS: lambda a, r: format_alerts(int(a.alert_count[r]), int(a.alert_max_severity[r])),
        FleetColumn.SERIAL: text("serial"),
        FleetColumn.TAGS: lambda a, r: ", ".join(sorted(a.tags[r], key=str.casefold)),
    }
