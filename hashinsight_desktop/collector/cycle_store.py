"""The collector's database side: load the fleet, write one cycle atomically.

A cycle is written in ONE transaction (raw samples, aggregates, snapshots, learned
families, the ``collector_cycles`` row), so a reader never sees half a cycle and a
deposed leader cannot slip a cycle in: on PostgreSQL the transaction first locks the
lease row and checks that its fencing term is still ours.  Raw samples therefore go
through this module's own bulk insert on the transaction's connection (same SQL as
``store.telemetry_writer.write_raw``: executemany on SQLite, COPY on PostgreSQL)
instead of ``write_raw``, which commits on a connection of its own.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sqlalchemy import bindparam, delete, outerjoin, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.collector.convert import FleetMiner
from hashinsight_desktop.store.schema.fleet import asic_models, miners
from hashinsight_desktop.store.schema.system import collector_leases
from hashinsight_desktop.store.schema.telemetry import (
    collector_cycles,
    cycle_aggregates,
    miner_snapshots,
    telemetry_raw,
)
from hashinsight_desktop.store.telemetry_writer import RAW_COLUMNS, RawRow

NOTIFY_CHANNEL = "hashinsight_cycle"


class LeaseLost(RuntimeError):
    """Another collector took the lease: this one must not write."""


@dataclasses.dataclass(frozen=True)
class Fence:
    """The lease this collector holds; checked inside the write transaction (PostgreSQL)."""

    name: str
    holder: str
    term: int


@dataclasses.dataclass
class CycleBatch:
    ts: int
    raw_rows: list[RawRow]
    aggregates: list[dict[str, Any]]
    snapshots: list[dict[str, Any]]
    families: dict[int, str]  # learned on this cycle: miner id -> family
    cycle: dict[str, Any]  # the collector_cycles row
    fence: Fence | None = None


def load_fleet(engine: Engine) -> list[FleetMiner]:
    """Every miner to poll, with its site and the catalog's nominal hashrate."""
    query = (select(miners.c.id, miners.c.ip, miners.c.port, miners.c.family,
                    miners.c.site_id, asic_models.c.hashrate_ths)
             .select_from(outerjoin(miners, asic_models, miners.c.model_id == asic_models.c.id))
             .order_by(miners.c.id))
    with engine.connect() as conn:
        return [FleetMiner(int(mid), ip, int(port), family, site_id,
                           None if ths is None else round(ths * 1000))
                for mid, ip, port, family, site_id, ths in conn.execute(query)]


def write_cycle(engine: Engine, batch: CycleBatch) -> int:
    """Write ``batch`` in one transaction; returns the raw rows written.

    A cycle already recorded at the same ``ts`` (``collect --once`` run twice within
    one interval) is replaced, not duplicated.
    """
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if batch.fence is not None and postgres:
            _check_fence(conn, batch.fence)
        for table, column in ((telemetry_raw, telemetry_raw.c.ts),
                              (cycle_aggregates, cycle_aggregates.c.ts),
                              (collector_cycles, collector_cycles.c.ts)):
            conn.execute(delete(table).where(column == batch.ts))
        _insert_raw(conn, batch.raw_rows, postgres)
        if batch.aggregates:
            conn.execute(cycle_aggregates.insert(), batch.aggregates)
        if batch.snapshots:
            _upsert_snapshots(conn, batch.snapshots, postgres)
        if batch.families:
            conn.execute(update(miners).where(miners.c.id == bindparam("_id"))
                         .values(family=bindparam("_family")),
                         [{"_id": k, "_family": v} for k, v in batch.families.items()])
        conn.execute(collector_cycles.insert(), [batch.cycle])
        if postgres:  # delivered at commit, so followers never read ahead of it
            conn.exec_driver_sql(f"SELECT pg_notify('{NOTIFY_CHANNEL}', '{int(batch.ts)}')")
    return len(batch.raw_rows)


def _check_fence(conn: Connection, fence: Fence) -> None:
    row = conn.execute(select(collector_leases.c.holder, collector_leases.c.term)
                       .where(collector_leases.c.name == fence.name)
                       .with_for_update()).first()
    if row is None or row.holder != fence.holder or int(row.term) != fence.term:
        raise LeaseLost(f"collector lease {fence.name!r} term {fence.term} was taken over "
                        f"(now {row.holder if row else 'nobody'}, term "
                        f"{row.term if row else '-'}); cycle not written")


def _insert_raw(conn: Connection, rows: list[RawRow], postgres: bool) -> None:
    if not rows:
        return
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if postgres:
        with dbapi.cursor() as cur, cur.copy(
                f"COPY telemetry_raw ({','.join(RAW_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cur = dbapi.cursor()
        try:
            cur.executemany(f"INSERT INTO telemetry_raw ({','.join(RAW_COLUMNS)}) "
                            f"VALUES ({','.join('?' * len(RAW_COLUMNS))})", rows)
        finally:
            cur.close()


def _upsert_snapshots(conn: Connection, rows: list[dict[str, Any]], postgres: bool) -> None:
    dialect = pg_dialect if postgres else sqlite_dialect
    stmt = dialect.insert(miner_snapshots)
    stmt = stmt.on_conflict_do_update(
        index_elements=[miner_snapshots.c.miner_id],
        set_={c: stmt.excluded[c] for c in ("ts", "status", "error", "reading_json")})
    conn.execute(stmt, rows)


def failures_json(failures: dict[str, int]) -> str:
    return json.dumps(dict(sorted(failures.items())), separators=(",", ":"))
