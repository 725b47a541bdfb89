"""The database fleet as the planner's :class:`Fleet`: latest telemetry, else nameplate.

Power and hashrate come from ``telemetry_raw`` at the latest collector cycle, so a
plan sheds what the miners really draw; a miner missing from that cycle (new, or no
collector running) falls back to its catalog nameplate.  Groups: the rack's container
("container") and breaker group ("breaker"); the hosting customer is the client.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.core.curtailment.fleet import Fleet
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miners, racks, sites
from hashinsight_desktop.store.schema.telemetry import (
    STATUS_CODES,
    collector_cycles,
    telemetry_raw,
)

_DOWN = frozenset({"offline", "error"})
_DOWN_CODES = frozenset({STATUS_CODES["offline"], STATUS_CODES["error"]})


def _latest_telemetry(conn: Connection) -> dict[int, tuple[int, int | None, int | None]]:
    """miner id -> (status code, hashrate GH/s, power W) at the latest collector cycle."""
    latest = conn.scalar(select(func.max(collector_cycles.c.ts)))
    if latest is None:
        return {}
    rows = conn.execute(select(telemetry_raw.c.miner_id, telemetry_raw.c.status,
                               telemetry_raw.c.hashrate_ghs, telemetry_raw.c.power_w)
                        .where(telemetry_raw.c.ts == latest))
    return {int(mid): (int(st), ghs, w) for mid, st, ghs, w in rows}


def _nameplate(model_ths: float | None, model_w: float | None,
               model_name: str | None) -> tuple[float, float]:
    if model_ths is not None and model_w is not None:
        return float(model_ths), float(model_w)
    spec = lookup_model(model_name)
    return (float(spec.hashrate_ths), float(spec.power_w)) if spec else (0.0, 0.0)


def fleet_from_engine(engine: Engine, site: str | None = None, *,
                      exclude: Collection[int] = ()) -> Fleet:
    """Every miner (all sites: client shares are farm-wide; the request scopes the site).

    ``site`` is only checked to exist, so a typo fails here with a clear message instead
    of as "no eligible miners".  ``exclude`` drops miners by database id (make-up plans).
    """
    query = (select(miners.c.id, miners.c.ip, miners.c.status, miners.c.pinned,
                    miners.c.model_name, sites.c.name.label("site"),
                    racks.c.container, racks.c.breaker_group,
                    customers.c.name.label("client"),
                    asic_models.c.hashrate_ths, asic_models.c.power_w)
             .select_from(miners.outerjoin(sites, miners.c.site_id == sites.c.id)
                          .outerjoin(racks, miners.c.rack_id == racks.c.id)
                          .outerjoin(customers, miners.c.customer_id == customers.c.id)
                          .outerjoin(asic_models, miners.c.model_id == asic_models.c.id))
             .order_by(miners.c.id))
    with engine.connect() as conn:
        if site is not None and conn.scalar(
                select(sites.c.id).where(sites.c.name == site)) is None:
            known = ", ".join(conn.scalars(select(sites.c.name).order_by(sites.c.name)))
            raise ValueError(f"unknown site {site!r}; sites are: {known or 'none yet'}")
        rows = [r for r in conn.execute(query) if int(r.id) not in exclude]
        telemetry = _latest_telemetry(conn)
    hashrate, power, online, running = [], [], [], []
    for r in rows:
        ths, watts = _nameplate(r.hashrate_ths, r.power_w, r.model_name)
        sample = telemetry.get(int(r.id))
        up = r.status not in _DOWN
        is_running = True
        if sample is not None:
            code, ghs, w = sample
            up = up and code not in _DOWN_CODES
            is_running = code != STATUS_CODES["curtailed"]
            # a curtailed or zero sample says nothing about what the miner draws awake
            if is_running and w:
                watts = float(w)
            if is_running and ghs:
                ths = ghs / 1000.0
        hashrate.append(ths)
        power.append(watts)
        online.append(up)
        running.append(is_running)
    return Fleet.build(
        [str(r.id) for r in rows], hashrate, power,
        ips=[r.ip for r in rows], site=[r.site or "" for r in rows],
        client=[r.client or "" for r in rows], pinned=[bool(r.pinned) for r in rows],
        online=online, running=running,
        groups={"container": [r.container or "" for r in rows],
                "breaker": [r.breaker_group or "" for r in rows]},
    )
