"""Worker-side read of everything the detail panel shows about one miner, as plain data."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hashinsight_desktop.services.alerts import AlertRecord, miner_history
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miners, racks, sites
from hashinsight_desktop.store.schema.telemetry import miner_snapshots


@dataclasses.dataclass(frozen=True)
class MinerIdentity:
    miner_id: int
    name: str | None
    ip: str
    port: int
    mac: str | None
    serial: str | None
    model: str | None  # the firmware's name, else the catalog's
    firmware: str | None
    site: str | None
    rack: str | None
    position: int | None
    client: str | None
    nominal_ths: float | None  # from the catalog
    expected_boards: int | None
    chips_per_board: int | None


@dataclasses.dataclass(frozen=True)
class MinerDetail:
    identity: MinerIdentity
    snapshot_ts: int | None
    snapshot: dict[str, Any] | None  # the last normalized reading (probe keys + extras)
    raw_json: str  # the stored reading, pretty-printed
    alerts: list[AlertRecord]


def load_miner_detail(engine: Engine, miner_id: int) -> MinerDetail | None:
    """None when no miner has this id."""
    stmt = (select(miners, sites.c.name.label("site_name"), racks.c.name.label("rack_name"),
                   customers.c.name.label("client_name"),
                   asic_models.c.model.label("catalog_model"),
                   asic_models.c.hashrate_ths.label("catalog_ths"),
                   asic_models.c.hashboards.label("catalog_boards"),
                   asic_models.c.chips_per_board.label("catalog_chips"))
            .select_from(miners.outerjoin(sites, sites.c.id == miners.c.site_id)
                         .outerjoin(racks, racks.c.id == miners.c.rack_id)
                         .outerjoin(customers, customers.c.id == miners.c.customer_id)
                         .outerjoin(asic_models, asic_models.c.id == miners.c.model_id))
            .where(miners.c.id == miner_id))
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
        if row is None:
            return None
        snap = conn.execute(select(miner_snapshots.c.ts, miner_snapshots.c.reading_json)
                            .where(miner_snapshots.c.miner_id == miner_id)).first()
    identity = MinerIdentity(
        miner_id=int(row.id), name=row.name, ip=row.ip, port=int(row.port), mac=row.mac,
        serial=row.serial, model=row.model_name or row.catalog_model, firmware=row.firmware,
        site=row.site_name, rack=row.rack_name, position=row.position, client=row.client_name,
        nominal_ths=row.catalog_ths, expected_boards=row.catalog_boards,
        chips_per_board=row.catalog_chips)
    snapshot, raw_json = None, ""
    if snap is not None:
        try:
            snapshot = json.loads(snap.reading_json)
            raw_json = json.dumps(snapshot, indent=2, ensure_ascii=False)
        except ValueError:  # keep what was stored, even if it is not JSON
            raw_json = snap.reading_json
    return MinerDetail(identity, None if snap is None else int(snap.ts), snapshot, raw_json,
                       miner_history(engine, miner_id))
