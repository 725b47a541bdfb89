"""SQLAlchemy Core queries behind the fleet reports (status PDF, Excel export).

Period figures come from ``cycle_aggregates`` (one row per cycle per site, site 0 =
fleet), which the collector keeps for at least 30 days.  Per-miner "latest values"
come from the raw samples of the last cycle in the period, or, once raw samples have
been pruned (48 h by default), from the last hourly rollup in the period.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
from sqlalchemy import Table, and_, func, null, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from hashinsight_desktop.reports.errors import ReportError
from hashinsight_desktop.reports.period import Period
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miners, racks, sites
from hashinsight_desktop.store.schema.telemetry import (
    STATUS_CODES,
    cycle_aggregates,
    telemetry_1h,
    telemetry_raw,
)

STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}
HOT_LIMIT_DC = 800  # 80 °C, the old platform's alert threshold
CHUNK_ROWS = 5000


@dataclasses.dataclass(frozen=True)
class SiteRef:
    id: int
    name: str


@dataclasses.dataclass(frozen=True)
class PeriodTotals:
    """Averages over the cycles recorded in the period for one site (0 = fleet)."""

    site_id: int
    cycles: int
    first_ts: int | None
    last_ts: int | None
    avg_hashrate_ths: float
    avg_nominal_ths: float
    avg_power_kw: float
    uptime: float | None  # online miner-cycles / miner-cycles
    energy_mwh: float

    @property
    def pct_nominal(self) -> float | None:
        return 100 * self.avg_hashrate_ths / self.avg_nominal_ths if self.avg_nominal_ths else None

    @property
    def j_per_th(self) -> float | None:
        return 1000 * self.avg_power_kw / self.avg_hashrate_ths if self.avg_hashrate_ths else None


@dataclasses.dataclass(frozen=True)
class LatestCycle:
    ts: int
    miners: int
    online: int


@dataclasses.dataclass(frozen=True, slots=True)
class MinerRow:
    id: int
    name: str
    ip: str
    site: str
    rack: str
    position: int | None
    model: str
    status: str
    hashrate_ths: float | None
    nominal_ths: float | None
    temp_max_c: float | None
    power_w: int | None
    client: str
    sample_ts: int | None  # when the values were taken

    @property
    def pct_nominal(self) -> float | None:
        if self.hashrate_ths is None or not self.nominal_ths:
            return None
        return 100 * self.hashrate_ths / self.nominal_ths

    @property
    def j_per_th(self) -> float | None:
        if self.power_w is None or not self.hashrate_ths:
            return None
        return self.power_w / self.hashrate_ths

    @property
    def last_seen(self) -> int | None:
        """The sample time if the miner answered then (offline miners: unknown here)."""
        return self.sample_ts if self.status in ("ok", "degraded", "curtailed") else None

    @property
    def rack_position(self) -> str:
        if not self.rack:
            return ""
        return self.rack if self.position is None else f"{self.rack} / {self.position}"


@dataclasses.dataclass(frozen=True)
class SampleSource:
    """Where the latest per-miner values are read: a table at one time point."""

    table: Table
    time_column: str
    status_column: str
    ts: int


def resolve_site(engine: Engine, site: str | None) -> SiteRef | None:
    """``--site`` as a name (case-insensitive) or a numeric id; None = the whole fleet."""
    if site is None or site == "":
        return None
    with engine.connect() as conn:
        rows = conn.execute(select(sites.c.id, sites.c.name)).all()
    for sid, name in rows:
        if name.casefold() == site.casefold() or (site.isdigit() and int(site) == sid):
            return SiteRef(int(sid), name)
    known = ", ".join(sorted(name for _, name in rows)) or "none registered"
    raise ReportError(f"site {site!r} not found (sites: {known})")


def site_names(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {int(i): n for i, n in conn.execute(select(sites.c.id, sites.c.name))}


def period_totals(engine: Engine, period: Period) -> dict[int, PeriodTotals]:
    """Per site id (0 = fleet) averages over the cycles in ``period``."""
    c = cycle_aggregates.c
    query = (select(c.site_id, func.count(), func.min(c.ts), func.max(c.ts),
                    func.avg(c.hashrate_ghs), func.avg(c.nominal_ghs), func.avg(c.power_w),
                    func.sum(c.online), func.sum(c.miners), func.sum(c.power_w))
             .where(c.ts >= period.start, c.ts < period.end).group_by(c.site_id))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    interval = _cycle_interval(rows)
    out: dict[int, PeriodTotals] = {}
    for site_id, n, first, last, ghs, nominal, power, online, total, power_sum in rows:
        out[int(site_id)] = PeriodTotals(
            int(site_id), int(n), int(first), int(last), float(ghs or 0) / 1000,
            float(nominal or 0) / 1000, float(power or 0) / 1000,
            float(online) / float(total) if total else None,
            float(power_sum or 0) * interval / 3600 / 1e6)
    return out


def _cycle_interval(rows: list) -> float:
    """Seconds each cycle stands for (for energy), from the fleet row's spacing."""
    for site_id, n, first, last, *_ in rows:
        if int(site_id) == 0 and n > 1:
            return (int(last) - int(first)) / (int(n) - 1)
    return 60.0


def latest_cycle(engine: Engine, period: Period, site_id: int = 0) -> LatestCycle | None:
    c = cycle_aggregates.c
    with engine.connect() as conn:
        ts = conn.execute(select(func.max(c.ts)).where(
            c.site_id == site_id, c.ts >= period.start, c.ts < period.end)).scalar()
        if ts is None:
            return None
        miners_n, online = conn.execute(select(c.miners, c.online).where(
            c.site_id == site_id, c.ts == ts)).one()
    return LatestCycle(int(ts), int(miners_n), int(online))


def sample_source(engine: Engine, period: Period) -> SampleSource | None:
    """Raw samples of the last cycle in the period, else the last hourly rollup in it."""
    cycle = latest_cycle(engine, period)
    with engine.connect() as conn:
        if cycle is not None and conn.execute(
                select(telemetry_raw.c.miner_id).where(telemetry_raw.c.ts == cycle.ts).limit(1)
        ).first() is not None:
            return SampleSource(telemetry_raw, "ts", "status", cycle.ts)
        bucket = conn.execute(select(func.max(telemetry_1h.c.bucket)).where(
            telemetry_1h.c.bucket >= period.start, telemetry_1h.c.bucket < period.end)).scalar()
    if bucket is None:
        return None
    return SampleSource(telemetry_1h, "bucket", "status_worst", int(bucket))


def count_miners(engine: Engine, site_id: int | None) -> int:
    query = select(func.count()).select_from(miners)
    if site_id is not None:
        query = query.where(miners.c.site_id == site_id)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def _miner_select(source: SampleSource | None, site_id: int | None) -> Select:
    model = func.coalesce(asic_models.c.model, miners.c.model_name)
    joined = (miners.outerjoin(sites, miners.c.site_id == sites.c.id)
              .outerjoin(racks, miners.c.rack_id == racks.c.id)
              .outerjoin(asic_models, miners.c.model_id == asic_models.c.id)
              .outerjoin(customers, miners.c.customer_id == customers.c.id))
    if source is not None:
        t = source.table.c
        joined = joined.outerjoin(source.table, and_(t[source.time_column] == source.ts,
                                                     t.miner_id == miners.c.id))
        values = (t[source.status_column], t.hashrate_ghs, t.power_w, t.temp_max_dc,
                  t[source.time_column])
    else:
        values = tuple(null() for _ in range(5))
    query = select(miners.c.id, miners.c.name, miners.c.ip, sites.c.name, racks.c.name,
                   miners.c.position, model, asic_models.c.hashrate_ths, customers.c.name,
                   *values).select_from(joined)
    if site_id is not None:
        query = query.where(miners.c.site_id == site_id)
    return query


def _row(r) -> MinerRow:
    (mid, name, ip, site, rack, position, model, nominal, client,
     status, ghs, power, tmax, sample_ts) = r
    return MinerRow(int(mid), name or ip, ip, site or "", rack or "", position, model or "",
                    "unknown" if status is None else STATUS_NAMES.get(int(status), "unknown"),
                    None if ghs is None else ghs / 1000, nominal,
                    None if tmax is None else tmax / 10, power, client or "",
                    None if sample_ts is None else int(sample_ts))


def _ordered(query: Select) -> Select:
    return query.order_by(sites.c.name, racks.c.name, miners.c.position, miners.c.id)


def iter_miner_rows(engine: Engine, source: SampleSource | None, site_id: int | None,
                    chunk: int = CHUNK_ROWS) -> Iterator[list[MinerRow]]:
    """Every miner with its latest values, in chunks (bounded memory at 100,000 rows)."""
    query = _ordered(_miner_select(source, site_id))
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk).execute(query)
        for part in result.partitions(chunk):
            yield [_row(r) for r in part]


def problem_miners(engine: Engine, source: SampleSource | None, site_id: int | None,
                   kind: str, limit: int) -> tuple[list[MinerRow], int]:
    """(first ``limit`` rows, total count) of miners offline/error, degraded or hot."""
    if source is None:
        return [], 0
    t = source.table.c
    status = t[source.status_column]
    condition = {
        "offline": or_(status == STATUS_CODES["offline"], status == STATUS_CODES["error"]),
        "degraded": status == STATUS_CODES["degraded"],
        "hot": t.temp_max_dc >= HOT_LIMIT_DC,
    }[kind]
    query = _miner_select(source, site_id).where(condition)
    order = t.temp_max_dc.desc() if kind == "hot" else None
    listed = (query.order_by(order, miners.c.id) if order is not None
              else _ordered(query)).limit(limit)
    counted = select(func.count()).select_from(query.subquery())
    with engine.connect() as conn:
        rows = [_row(r) for r in conn.execute(listed)]
        total = int(conn.execute(counted).scalar() or 0)
    return rows, total


@dataclasses.dataclass(frozen=True)
class DailyRow:
    day_ts: int
    site_id: int
    avg_hashrate_ths: float
    avg_nominal_ths: float
    avg_power_kw: float
    uptime: float | None
    energy_kwh: float


def daily_summary(engine: Engine, period: Period, site_id: int | None) -> list[DailyRow]:
    """Per UTC day and per site averages (the fleet row, site 0, is left out)."""
    c = cycle_aggregates.c
    day = (c.ts // 86400) * 86400
    query = (select(day.label("day"), c.site_id, func.count(), func.avg(c.hashrate_ghs),
                    func.avg(c.nominal_ghs), func.avg(c.power_w), func.sum(c.online),
                    func.sum(c.miners), func.sum(c.power_w))
             .where(c.ts >= period.start, c.ts < period.end)
             .group_by(day, c.site_id).order_by(day, c.site_id))
    query = query.where(c.site_id == site_id if site_id is not None else c.site_id != 0)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    interval = _cycle_interval_of(engine, period)
    return [DailyRow(int(d), int(s), float(h or 0) / 1000, float(nom or 0) / 1000,
                     float(p or 0) / 1000, float(on) / float(tot) if tot else None,
                     float(psum or 0) * interval / 3600 / 1000)
            for d, s, _n, h, nom, p, on, tot, psum in rows]


def _cycle_interval_of(engine: Engine, period: Period) -> float:
    c = cycle_aggregates.c
    with engine.connect() as conn:
        n, first, last = conn.execute(select(func.count(), func.min(c.ts), func.max(c.ts)).where(
            c.site_id == 0, c.ts >= period.start, c.ts < period.end)).one()
    return (int(last) - int(first)) / (int(n) - 1) if n and n > 1 else 60.0


@dataclasses.dataclass(frozen=True)
class PeriodSeries:
    ts: np.ndarray
    hashrate_ths: np.ndarray
    nominal_ths: np.ndarray
    power_kw: np.ndarray
    online: np.ndarray


def period_series(engine: Engine, period: Period, site_id: int = 0) -> PeriodSeries:
    """Chart data: per-cycle aggregates averaged into buckets that fit the period.

    Same bucketing as ``store.telemetry_queries.fleet_series`` (which has no nominal).
    """
    span = period.seconds
    bucket = 60 if span <= 2 * 86400 else 300 if span <= 14 * 86400 else 3600
    c = cycle_aggregates.c
    t = (c.ts // bucket) * bucket
    query = (select(t, func.avg(c.hashrate_ghs), func.avg(c.nominal_ghs), func.avg(c.power_w),
                    func.avg(c.online))
             .where(c.site_id == site_id, c.ts >= period.start, c.ts < period.end)
             .group_by(t).order_by(t))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    cols = np.array(rows, dtype=np.float64).reshape(-1, 5)
    return PeriodSeries(cols[:, 0].astype(np.int64), cols[:, 1] / 1000, cols[:, 2] / 1000,
                        cols[:, 3] / 1000, cols[:, 4])
