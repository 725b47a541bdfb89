"""Worker-side reads for the telemetry panel: plain data out, no Qt, no ORM rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hashinsight_desktop.store.schema.fleet import miners, sites
from hashinsight_desktop.store.telemetry_queries import Series, fleet_series, miner_series
from hashinsight_desktop.ui.telemetry.chart_specs import Overlay

MAX_OVERLAYS = 50


def load_sites(engine: Engine) -> list[tuple[int, str]]:
    """(id, name) of every site, by name."""
    with engine.connect() as conn:
        return [(int(r.id), r.name) for r in conn.execute(
            select(sites.c.id, sites.c.name).order_by(sites.c.name))]


def load_fleet(engine: Engine, start: int, end: int, site_id: int) -> Series:
    return fleet_series(engine, start, end, site_id=site_id)


def load_overlays(engine: Engine, miner_ids: Sequence[int], start: int, end: int
                  ) -> list[Overlay]:
    """Each miner's hashrate over the window, labelled with its name (or IP)."""
    ids = list(dict.fromkeys(int(i) for i in miner_ids))[:MAX_OVERLAYS]
    if not ids:
        return []
    with engine.connect() as conn:
        labels = {int(r.id): r.name or r.ip for r in conn.execute(
            select(miners.c.id, miners.c.name, miners.c.ip).where(miners.c.id.in_(ids)))}
    out = []
    for miner_id in ids:
        series = miner_series(engine, miner_id, start, end)
        out.append(Overlay(labels.get(miner_id, f"#{miner_id}"), series.ts.copy(),
                           np.asarray(series.values["hashrate_ths"])))
    return out
