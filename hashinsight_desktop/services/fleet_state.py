"""What the console shows of the fleet: static records and each cycle's live values.

Read-only queries returning plain dataclasses and numpy arrays (never ORM rows), so a
worker thread can run them and hand the result to the GUI thread.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.fleet.codes import AlertSeverity, MinerStatus
from hashinsight_desktop.core.fleet.records import CycleUpdate, MinerRecord
from hashinsight_desktop.store.schema.alerts import alerts
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miner_tags, miners, racks, sites
from hashinsight_desktop.store.schema.telemetry import (
    collector_cycles,
    miner_snapshots,
    telemetry_raw,
)

# telemetry status code (store) -> grid status code (core.fleet)
_STATUS = np.full(8, MinerStatus.UNKNOWN, dtype=np.int8)
_STATUS[[0, 1, 2, 3, 4]] = [MinerStatus.OK, MinerStatus.CURTAILED, MinerStatus.DEGRADED,
                            MinerStatus.ERROR, MinerStatus.OFFLINE]
_SEVERITY = {"info": AlertSeverity.INFO, "watch": AlertSeverity.INFO,
             "warning": AlertSeverity.WARNING, "critical": AlertSeverity.CRITICAL}


@dataclasses.dataclass(frozen=True)
class CycleInfo:
    ts: int
    duration_ms: int | None
    lag_ms: int | None
    polled: int
    ok: int
    failed: int
    failures: dict[str, int]


@dataclasses.dataclass(frozen=True)
class LiveCycle:
    info: CycleInfo
    update: CycleUpdate


def load_miner_records(engine: Engine) -> list[MinerRecord]:
    query = (
        select(miners.c.id, miners.c.name, miners.c.ip, miners.c.port, sites.c.name,
               racks.c.name, miners.c.position, func.coalesce(asic_models.c.model,
                                                              miners.c.model_name),
               miners.c.firmware, miners.c.serial, customers.c.name,
               asic_models.c.hashrate_ths)
        .select_from(miners.outerjoin(sites, sites.c.id == miners.c.site_id)
                     .outerjoin(racks, racks.c.id == miners.c.rack_id)
                     .outerjoin(asic_models, asic_models.c.id == miners.c.model_id)
                     .outerjoin(customers, customers.c.id == miners.c.customer_id))
        .order_by(miners.c.id)
    )
    tags: dict[int, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for miner_id, tag in conn.execute(select(miner_tags.c.miner_id, miner_tags.c.tag)):
            tags[miner_id].add(tag)
        rows = conn.execute(query).all()
    records = []
    for (mid, name, ip, port, site, rack, position, model, firmware, serial, client,
         nominal) in rows:
        address = ip if port in (None, 4028) else f"{ip}:{port}"
        records.append(MinerRecord(
            miner_id=mid, name=name or address, ip=address, site=site, rack=rack,
            position=position, model=model, firmware=firmware, serial=serial, client=client,
            tags=frozenset(tags.get(mid, ())), nominal_ths=nominal))
    return records


def latest_cycle_ts(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.scalar(select(func.max(collector_cycles.c.ts)))


def load_cycle(engine: Engine, ts: int) -> LiveCycle | None:
    """The live values of cycle ``ts`` for every miner polled in it, plus alert counts."""
    with engine.connect() as conn:
        cycle = conn.execute(select(collector_cycles).where(collector_cycles.c.ts == ts)).first()
        if cycle is None:
            return None
        raw = conn.execute(
            select(telemetry_raw.c.miner_id, telemetry_raw.c.status, telemetry_raw.c.flags,
                   telemetry_raw.c.hashrate_ghs, telemetry_raw.c.power_w,
                   telemetry_raw.c.temp_max_dc, telemetry_raw.c.fan_min_rpm,
                   telemetry_raw.c.uptime_s)
            .where(telemetry_raw.c.ts == ts).order_by(telemetry_raw.c.miner_id)).all()
        snapshots = dict(conn.execute(
            select(miner_snapshots.c.miner_id, miner_snapshots.c.reading_json)
            .where(miner_snapshots.c.ts == ts)).all())
        active = conn.execute(
            select(alerts.c.miner_id, alerts.c.severity).where(alerts.c.active.is_(True))).all()
    if not raw:
        return None
    data = np.array([[np.nan if v is None else v for v in r] for r in raw], dtype=np.float64)
    ids = data[:, 0].astype(np.int64)
    pools = np.empty(len(ids), dtype=object)
    fan_count = np.full(len(ids), np.nan)
    for i, mid in enumerate(ids):
        text = snapshots.get(int(mid))
        if text:
            try:
                snap = json.loads(text)
            except ValueError:
                continue
            pools[i] = snap.get("pool_url")
            fans = snap.get("fans_rpm")
            if isinstance(fans, list):
                fan_count[i] = len(fans)
    index = {int(m): i for i, m in enumerate(ids)}
    alert_count = np.zeros(len(ids), dtype=np.int32)
    alert_max = np.zeros(len(ids), dtype=np.int8)
    for mid, severity in active:
        i = index.get(mid)
        if i is not None:
            alert_count[i] += 1
            alert_max[i] = max(alert_max[i], _SEVERITY.get(severity, AlertSeverity.INFO))
    status_codes = data[:, 1].astype(np.int64).clip(0, 7)
    update = CycleUpdate(
        miner_ids=ids,
        status=_STATUS[status_codes],
        hashrate_ths=data[:, 3] / 1000.0,
        power_w=data[:, 4],
        power_estimated=(np.nan_to_num(data[:, 2]).astype(np.int64) & 1).astype(bool),
        temp_max_c=data[:, 5] / 10.0,
        fan_min_rpm=data[:, 6],
        fan_count=fan_count,
        uptime_s=data[:, 7],
        pool=pools,
        last_seen=np.where(np.isnan(data[:, 3]) & (status_codes == 4), np.nan, float(ts)),
        alert_count=alert_count,
        alert_max_severity=alert_max,
    )
    failures = json.loads(cycle.failures_json) if cycle.failures_json else {}
    info = CycleInfo(cycle.ts, cycle.duration_ms, cycle.lag_ms, cycle.polled, cycle.ok,
                     cycle.failed, failures)
    return LiveCycle(info, update)
