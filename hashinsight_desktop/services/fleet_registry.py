"""Adding discovered miners to the fleet (from a scan), without duplicating known ones."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.core.miners.scanner import ScanHit
from hashinsight_desktop.store.schema.fleet import asic_models, miners


def add_scanned_miners(engine: Engine, hits: Sequence[ScanHit]) -> dict[str, int]:
    """Insert the hits whose ip:port is not in the fleet yet, in one transaction."""
    with engine.begin() as conn:
        known = {(ip, port) for ip, port in conn.execute(select(miners.c.ip, miners.c.port))}
        model_ids = {name: mid for mid, name in conn.execute(
            select(asic_models.c.id, asic_models.c.model))}
        rows = []
        for hit in hits:
            if (hit.ip, hit.port) in known:
                continue
            known.add((hit.ip, hit.port))
            catalog = lookup_model(hit.model)
            rows.append({
                "ip": hit.ip, "port": hit.port, "mac": hit.mac, "name": hit.hostname,
                "model_name": hit.model, "firmware": hit.firmware, "family": hit.family,
                "model_id": model_ids.get(catalog.model) if catalog else None,
            })
        if rows:
            conn.execute(insert(miners), rows)
    return {"added": len(rows), "already_known": len(hits) - len(rows)}
