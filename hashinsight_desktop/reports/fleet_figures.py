"""The fleet status key figures for a period, computed once and shown by every format."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.engine import Engine

from hashinsight_desktop.reports import fleet_queries as q
from hashinsight_desktop.reports.period import Period


@dataclasses.dataclass(frozen=True)
class FleetFigures:
    miners: int  # registered now (in the site, if any)
    online: int | None  # at the latest cycle of the period
    latest_ts: int | None
    cycles: int
    avg_hashrate_ths: float | None
    avg_nominal_ths: float | None
    pct_nominal: float | None
    avg_power_kw: float | None
    j_per_th: float | None
    uptime_pct: float | None
    energy_mwh: float | None

    @property
    def has_data(self) -> bool:
        return self.cycles > 0

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def fleet_figures(engine: Engine, period: Period, site: q.SiteRef | None) -> FleetFigures:
    site_key = site.id if site else 0
    totals = q.period_totals(engine, period).get(site_key)
    latest = q.latest_cycle(engine, period, site_key)
    miners = q.count_miners(engine, site.id if site else None)
    if totals is None:
        return FleetFigures(miners, None, None, 0, None, None, None, None, None, None, None)
    return FleetFigures(
        miners=miners,
        online=latest.online if latest else None,
        latest_ts=latest.ts if latest else None,
        cycles=totals.cycles,
        avg_hashrate_ths=totals.avg_hashrate_ths,
        avg_nominal_ths=totals.avg_nominal_ths,
        pct_nominal=totals.pct_nominal,
        avg_power_kw=totals.avg_power_kw,
        j_per_th=totals.j_per_th,
        uptime_pct=None if totals.uptime is None else 100 * totals.uptime,
        energy_mwh=totals.energy_mwh,
    )
