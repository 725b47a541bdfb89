"""Batch operations on selected miners, with per-miner results kept as a record.

Control actions (restart, curtail, resume, power target, pools) go to the miners over
their APIs with bounded concurrency; each miner's outcome (done, failed with the
reason, unsupported on that firmware) is written to ``batch_results`` as it arrives,
so an interrupted batch says which miners were done.  Fleet edits (assign site, rack
or client, tag, remove) are one database transaction.  Every batch is audited.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.miners.control import (
    ControlAction,
    PoolConfig,
    build_worker_name,
    send_control,
)
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.miner_credentials import keyring_credentials
from hashinsight_desktop.store.schema.fleet import miner_tags, miners, racks, sites
from hashinsight_desktop.store.schema.operations import batch_operations, batch_results

CONTROL_KINDS = ("restart", "curtail", "resume", "power_target", "set_pools")
EDIT_KINDS = ("assign", "tag", "untag", "remove")
CONTROL_ROLES = {"owner", "admin", "operator"}


class BatchError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class MinerTarget:
    miner_id: int
    ip: str
    port: int
    family: str | None
    model: str | None
    site: str | None
    rack: str | None
    position: int | None
    credentials_ref: str | None


@dataclasses.dataclass
class BatchReport:
    batch_id: int
    kind: str
    total: int
    done: int = 0
    failed: int = 0
    unsupported: int = 0
    cancelled: bool = False
    results: dict[int, tuple[str, str]] = dataclasses.field(default_factory=dict)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require(session: Session | None, kind: str) -> None:
    if session is None or session.role not in CONTROL_ROLES:
        role = session.role if session else "anonymous"
        raise PermissionError(f"the {role} role may not run '{kind}' on miners")


def load_targets(engine: Engine, miner_ids: Sequence[int]) -> list[MinerTarget]:
    query = (select(miners.c.id, miners.c.ip, miners.c.port, miners.c.family,
                    miners.c.model_name, sites.c.name, racks.c.name, miners.c.position,
                    miners.c.credentials_ref)
             .select_from(miners.outerjoin(sites, sites.c.id == miners.c.site_id)
                          .outerjoin(racks, racks.c.id == miners.c.rack_id))
             .where(miners.c.id.in_(list(miner_ids))))
    with engine.connect() as conn:
        return [MinerTarget(*row) for row in conn.execute(query)]


def _start_batch(engine: Engine, session: Session | None, kind: str, params: dict,
                 miner_ids: Sequence[int]) -> int:
    with engine.begin() as conn:
        batch_id = conn.execute(insert(batch_operations).values(
            kind=kind, params_json=json.dumps(params), status="running",
            created_by=session.user_id if session else None,
            total=len(miner_ids))).inserted_primary_key[0]
        conn.execute(insert(batch_results), [
            {"batch_id": batch_id, "miner_id": m, "status": "pending"} for m in miner_ids])
    return int(batch_id)


def _record(engine: Engine, batch_id: int, miner_id: int, status: str, detail: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(batch_results).where(batch_results.c.batch_id == batch_id,
                                                 batch_results.c.miner_id == miner_id)
                     .values(status=status, detail=detail[:500], at=_now()))


def _finish(engine: Engine, report: BatchReport) -> None:
    with engine.begin() as conn:
        conn.execute(update(batch_operations).where(batch_operations.c.id == report.batch_id)
                     .values(status="cancelled" if report.cancelled else "completed",
                             finished_at=_now(), done=report.done,
                             failed=report.failed + report.unsupported))


def build_action(kind: str, params: dict, target: MinerTarget) -> ControlAction:
    if kind == "restart":
        return ControlAction.restart()
    if kind == "curtail":
        return ControlAction.curtail()
    if kind == "resume":
        return ControlAction.resume()
    if kind == "power_target":
        return ControlAction.power_target(int(params["watts"]))
    if kind == "set_pools":
        fields = {"site": target.site or "site", "rack": target.rack or "rack",
                  "position": target.position if target.position is not None else 0,
                  "ip": target.ip}
        pools = tuple(PoolConfig(p["url"], build_worker_name(p["worker_pattern"], **fields),
                                 p.get("password", "x")) for p in params["pools"])
        return ControlAction.set_pools(list(pools))
    raise BatchError(f"unknown operation {kind!r}; operations: {', '.join(CONTROL_KINDS)}")


def run_control_batch(engine: Engine, session: Session | None, kind: str,
                      miner_ids: Sequence[int], params: dict | None = None, *,
                      concurrency: int = 128, progress: Callable[[int, int], None] | None = None,
                      cancel: threading.Event | None = None) -> BatchReport:
    """Send ``kind`` to every miner; blocking (run it in a worker thread)."""
    _require(session, kind)
    params = params or {}
    targets = load_targets(engine, miner_ids)
    if not targets:
        raise BatchError("no miners selected")
    for t in targets:  # validate parameters before anything is sent
        build_action(kind, params, t)
    batch_id = _start_batch(engine, session, kind, params, [t.miner_id for t in targets])
    report = BatchReport(batch_id, kind, len(targets))
    cancel = cancel or threading.Event()

    async def one(target: MinerTarget, sem: asyncio.Semaphore) -> None:
        if cancel.is_set():
            return
        async with sem:
            if cancel.is_set():
                return
            result = await send_control(target.ip, target.port,
                                        build_action(kind, params, target),
                                        family=target.family,
                                        credentials=keyring_credentials(target),
                                        catalog_model=target.model)
        status = {"done": "done", "unsupported": "unsupported"}.get(result.status, "failed")
        setattr(report, status, getattr(report, status) + 1)
        report.results[target.miner_id] = (status, result.detail)
        await asyncio.to_thread(_record, engine, batch_id, target.miner_id, status, result.detail)
        if progress is not None:
            progress(len(report.results), report.total)

    async def run_all() -> None:
        sem = asyncio.Semaphore(concurrency)
        await asyncio.gather(*(one(t, sem) for t in targets))

    asyncio.run(run_all())
    report.cancelled = cancel.is_set() and len(report.results) < report.total
    _finish(engine, report)
    return report


def run_edit_batch(engine: Engine, session: Session | None, kind: str,
                   miner_ids: Sequence[int], params: dict | None = None) -> BatchReport:
    """Assign site/rack/client, tag, untag or remove miners: one transaction."""
    if session is None or session.role not in {"owner", "admin", "operator"}:
        raise PermissionError(f"the {session.role if session else 'anonymous'} role may not "
                              f"edit the fleet ('{kind}')")
    params = params or {}
    ids = list(dict.fromkeys(int(m) for m in miner_ids))
    if not ids:
        raise BatchError("no miners selected")
    if kind not in EDIT_KINDS:
        raise BatchError(f"unknown edit {kind!r}; edits: {', '.join(EDIT_KINDS)}")
    batch_id = _start_batch(engine, session, kind, params, ids)
    with engine.begin() as conn:
        if kind == "assign":
            values = {k: params[k] for k in ("site_id", "rack_id", "customer_id") if k in params}
            if not values:
                raise BatchError("assign needs a site, rack or client")
            conn.execute(update(miners).where(miners.c.id.in_(ids)).values(**values))
        elif kind in ("tag", "untag"):
            tag = str(params.get("tag", "")).strip()
            if not tag:
                raise BatchError("a tag must not be empty")
            conn.execute(delete(miner_tags).where(miner_tags.c.miner_id.in_(ids),
                                                  miner_tags.c.tag == tag))
            if kind == "tag":
                conn.execute(insert(miner_tags), [{"miner_id": m, "tag": tag} for m in ids])
        else:
            conn.execute(delete(miners).where(miners.c.id.in_(ids)))
        conn.execute(update(batch_results).where(batch_results.c.batch_id == batch_id)
                     .values(status="done", at=_now()))
    report = BatchReport(batch_id, kind, len(ids), done=len(ids))
    _finish(engine, report)
    return report
