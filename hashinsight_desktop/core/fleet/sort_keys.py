"""One float64 sort key per row for every grid column; NaN marks a missing value.

Turning every column (text included) into a float key lets one code path sort
any column: stable argsort, negated for descending, and NaN lands last both
ways because numpy always sorts NaN to the end.  Text columns become ranks,
computed once per table shape and cached.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from hashinsight_desktop.core.fleet.codes import STATUS_SORT_RANK
from hashinsight_desktop.core.fleet.columns import FleetColumn
from hashinsight_desktop.core.fleet.natural import natural_key
from hashinsight_desktop.core.fleet.table import FleetTable

_STATUS_RANK = np.array([STATUS_SORT_RANK[s] for s in sorted(STATUS_SORT_RANK)], dtype=np.float64)

#: Alerts sort by highest severity first, then by count (count < this factor).
_ALERT_SEVERITY_WEIGHT = 1e9


def sort_key(table: FleetTable, column: FleetColumn) -> np.ndarray:
    """Float key per table row for ``column`` (NaN = missing, always sorted last)."""
    a = table.arrays
    numeric = {
        FleetColumn.HASHRATE: a.hashrate_ths,
        FleetColumn.PCT_NOMINAL: a.pct_of_nominal,
        FleetColumn.TEMP_MAX: a.temp_max_c,
        FleetColumn.FANS: a.fan_min_rpm,
        FleetColumn.POWER: a.power_w,
        FleetColumn.J_PER_TH: a.j_per_th,
        FleetColumn.UPTIME: a.uptime_s,
        FleetColumn.LAST_SEEN: a.last_seen,
    }
    if column in numeric:
        return numeric[column]
    categorical = {
        FleetColumn.SITE: (table.sites, a.site),
        FleetColumn.MODEL: (table.models, a.model),
        FleetColumn.FIRMWARE: (table.firmwares, a.firmware),
        FleetColumn.CLIENT: (table.clients, a.client),
        FleetColumn.POOL: (table.pools, a.pool),
    }
    if column in categorical:
        labels, codes = categorical[column]
        return labels.sort_rank()[codes]
    if column == FleetColumn.STATUS:
        return _STATUS_RANK[a.status]
    if column == FleetColumn.ALERTS:
        return a.alert_max_severity * _ALERT_SEVERITY_WEIGHT + a.alert_count
    static_keys: dict[FleetColumn, Callable[[FleetTable], np.ndarray]] = {
        FleetColumn.NAME: lambda t: _rank(t.arrays.name, natural_key),
        FleetColumn.IP: lambda t: _rank(t.arrays.ip, _ip_key),
        FleetColumn.SERIAL: lambda t: _rank(t.arrays.serial, natural_key),
        FleetColumn.RACK_POSITION: _rack_position_rank,
        FleetColumn.TAGS: lambda t: _rank(t.arrays.tags, _tags_key),
    }
    return table.cached_static(f"sort:{column}", lambda: static_keys[column](table))


def _rank(values: Sequence[Any] | np.ndarray, key: Callable[[Any], Any]) -> np.ndarray:
    """Dense rank of each value under ``key``; equal values share a rank so a
    stable descending sort keeps their original order.  None/empty -> NaN."""
    keys = [None if v is None or v == "" else key(v) for v in values]
    distinct = sorted({k for k in keys if k is not None})
    rank_of = {k: float(i) for i, k in enumerate(distinct)}
    return np.fromiter(
        (np.nan if k is None else rank_of[k] for k in keys), dtype=np.float64, count=len(keys)
    )


def _ip_key(ip: str) -> tuple[int, int, str]:
    """IPv4 before IPv6, numerically; anything unparsable after, as text."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return (2, 0, ip.casefold())
    return (address.version // 6, int(address), "")


def _tags_key(tags: frozenset[str]) -> tuple[str, ...] | None:
    return tuple(sorted(t.casefold() for t in tags)) if tags else None


def _rack_position_rank(table: FleetTable) -> np.ndarray:
    a = table.arrays
    pairs = [
        None if rack is None and pos is None else (rack or "", "" if pos is None else str(pos))
        for rack, pos in zip(a.rack, a.position, strict=True)
    ]
    return _rank(pairs, lambda p: (natural_key(p[0]), natural_key(p[1])))
