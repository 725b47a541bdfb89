"""Register a laid-out fleet (simulator specs, or anything shaped like them) in the database.

Used by ``hashinsight simulate --populate``, the demo farm, tests and benchmarks.  One
transaction writes sites, racks, hosting clients and miners; running it again updates
the miners already known by ``ip:port`` instead of duplicating them.  Everything is
written with executemany batches (one statement per table), because 6,000 ORM objects
one by one would take seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miners, racks, sites


class MinerSpecLike(Protocol):
    """What populate reads from a spec (``simulator.SimMinerSpec`` fits)."""

    ip: str
    port: int
    family: str
    model: str
    firmware: str
    serial: str
    mac: str
    hostname: str
    site: str
    container: str
    rack: str
    position: int
    breaker_group: str
    client: str | None


def populate_from_specs(db_url: str | None, specs: Iterable[MinerSpecLike]) -> dict[str, Any]:
    """Open ``db_url`` (empty = the embedded SQLite file), upgrade it if needed, populate."""
    from hashinsight_desktop.store.admin import open_for_use
    from hashinsight_desktop.store.database import resolve

    engine = open_for_use(resolve(db_url))
    try:
        return populate(engine, list(specs))
    finally:
        engine.dispose()


def populate(engine: Engine, specs: Sequence[MinerSpecLike]) -> dict[str, Any]:
    """Write ``specs`` in one transaction; returns counts of what was created/updated."""
    with engine.begin() as conn:
        site_ids, new_sites = _ensure_sites(conn, {s.site for s in specs})
        rack_ids, new_racks = _ensure_racks(conn, specs, site_ids)
        customer_ids, new_customers = _ensure_customers(conn, {s.client for s in specs if s.client})
        model_ids = dict(conn.execute(select(asic_models.c.model, asic_models.c.id)).all())
        existing = {(ip, int(port)): mid for ip, port, mid in conn.execute(
            select(miners.c.ip, miners.c.port, miners.c.id))}
        now = dt.datetime.now(dt.UTC)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        seen: set[tuple[str, int]] = set()
        for spec in specs:
            key = (spec.ip, int(spec.port))
            if key in seen:
                raise ValueError(f"miner address {spec.ip}:{spec.port} appears twice in the specs")
            seen.add(key)
            row = {
                "name": spec.hostname, "mac": spec.mac, "serial": spec.serial,
                "model_id": model_ids.get(spec.model), "model_name": spec.model,
                "firmware": spec.firmware, "family": spec.family,
                "site_id": site_ids[spec.site], "rack_id": rack_ids[(spec.site, spec.rack)],
                "position": spec.position,
                "customer_id": customer_ids.get(spec.client.casefold()) if spec.client else None,
            }
            if key in existing:
                updates.append({**row, "_id": existing[key], "updated_at": now})
            else:
                inserts.append({**row, "ip": spec.ip, "port": int(spec.port),
                                "created_at": now, "updated_at": now, "version": 1})
        if inserts:
            conn.execute(miners.insert(), inserts)
        if updates:
            stmt = (update(miners).where(miners.c.id == bindparam("_id"))
                    .values({c: bindparam(c) for c in updates[0] if c != "_id"})
                    .values(version=miners.c.version + 1))
            conn.execute(stmt, updates)
    return {"miners": len(specs), "inserted": len(inserts), "updated": len(updates),
            "sites_created": new_sites, "racks_created": new_racks,
            "customers_created": new_customers}


def _ensure_sites(conn: Connection, names: set[str]) -> tuple[dict[str, int], int]:
    known = dict(conn.execute(select(sites.c.name, sites.c.id)).all())
    missing = sorted(names - known.keys())
    if missing:
        now = dt.datetime.now(dt.UTC)
        conn.execute(sites.insert(), [{"name": n, "created_at": now, "updated_at": now}
                                      for n in missing])
        known = dict(conn.execute(select(sites.c.name, sites.c.id)).all())
    return known, len(missing)


def _ensure_racks(conn: Connection, specs: Sequence[MinerSpecLike],
                  site_ids: dict[str, int]) -> tuple[dict[tuple[str, str], int], int]:
    """Racks keyed by (site name, rack name).  The schema has one breaker group per rack:
    the first miner's group is kept (the simulator splits a rack over 3-4 breakers)."""
    names_by_id = {v: k for k, v in site_ids.items()}

    def load() -> dict[tuple[str, str], int]:
        return {(names_by_id.get(site_id, ""), name): rid for site_id, name, rid in conn.execute(
            select(racks.c.site_id, racks.c.name, racks.c.id))}

    known = load()
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for spec in specs:
        key = (spec.site, spec.rack)
        if key in known:
            continue
        row = wanted.setdefault(key, {"site_id": site_ids[spec.site], "name": spec.rack,
                                      "container": spec.container,
                                      "breaker_group": spec.breaker_group, "positions": 0})
        row["positions"] = max(row["positions"], int(spec.position))
    if wanted:
        conn.execute(racks.insert(), list(wanted.values()))
        known = load()
    return known, len(wanted)


def _ensure_customers(conn: Connection, names: set[str | None]) -> tuple[dict[str, int], int]:
    """Customers keyed by casefolded name (``name_key``), so 'ACME' and 'Acme' are one."""
    known = dict(conn.execute(select(customers.c.name_key, customers.c.id)).all())
    now = dt.datetime.now(dt.UTC)
    missing: dict[str, str] = {}
    for name in sorted(n for n in names if n):
        key = name.casefold()
        if key not in known:
            missing.setdefault(key, name)
    if missing:
        conn.execute(customers.insert(), [
            {"name": name, "name_key": key, "created_at": now, "updated_at": now}
            for key, name in missing.items()])
        known = dict(conn.execute(select(customers.c.name_key, customers.c.id)).all())
    return known, len(missing)
