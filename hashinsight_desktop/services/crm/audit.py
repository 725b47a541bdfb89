"""The append-only audit log, chained with SHA-256.

Each row's ``hash`` is SHA-256 over the row's canonical JSON (sorted keys, no spaces)
followed by the previous row's hash, so editing or deleting any row breaks the chain
from that row on.  Appends must be serialised or two writers would chain to the same
predecessor: on PostgreSQL a transaction-scoped advisory lock does it (a "last row"
cannot be locked with ``FOR UPDATE``); on SQLite the row is inserted first, which
takes the database write lock before the predecessor is read.

``record`` is called inside the caller's transaction, so the entry commits or rolls
back with the change it describes.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import socket
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.store.schema.accounts import audit_log

PG_AUDIT_LOCK = 0x4849_4155  # advisory lock id ("HIAU"): one audit append at a time

_HASHED = ("at", "user_id", "username", "workstation", "action", "target_kind",
           "target_id", "before_json", "after_json")


def to_json(value: Any) -> str | None:
    """Canonical JSON for a before/after snapshot (dates as ISO text)."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_plain,
                      ensure_ascii=False)


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _utc_text(at: dt.datetime) -> str:
    # SQLite hands back naive datetimes, PostgreSQL aware ones in the session zone.
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(row: dict[str, Any], prev_hash: str | None) -> str:
    fields = {name: row.get(name) for name in _HASHED}
    fields["at"] = _utc_text(row["at"])
    fields["user_id"] = None if fields["user_id"] is None else int(fields["user_id"])
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((payload + (prev_hash or "")).encode("utf-8")).hexdigest()


def _actor(session: Session | None) -> tuple[int | None, str]:
    if session is None:  # the command line, run by someone with direct database access
        return None, f"cli:{getpass.getuser()}"
    return session.user_id, session.username


def record(conn: Connection, session: Session | None, action: str, target_kind: str,
           target_id: object, before: Any, after: Any) -> int:
    """Append one entry in ``conn``'s transaction; returns its id."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_AUDIT_LOCK})
    user_id, username = _actor(session)
    row = {
        # Whole microseconds survive both backends, so the hash can be recomputed.
        "at": dt.datetime.now(dt.UTC),
        "user_id": user_id,
        "username": username,
        "workstation": socket.gethostname()[:120],
        "action": action,
        "target_kind": target_kind,
        "target_id": None if target_id is None else str(target_id),
        "before_json": to_json(before),
        "after_json": to_json(after),
    }
    new_id = conn.execute(insert(audit_log).values(**row, hash="")).inserted_primary_key[0]
    prev_hash = conn.scalar(select(audit_log.c.hash).where(audit_log.c.id < new_id)
                            .order_by(audit_log.c.id.desc()).limit(1))
    conn.execute(update(audit_log).where(audit_log.c.id == new_id).values(
        prev_hash=prev_hash, hash=row_hash(row, prev_hash)))
    return int(new_id)


def verify_chain(engine: Engine) -> tuple[bool, int | None]:
    """Recompute every hash in id order: ``(True, None)`` or ``(False, first bad id)``."""
    prev: str | None = None
    with engine.connect() as conn:
        rows = conn.execution_options(yield_per=5000).execute(
            select(audit_log).order_by(audit_log.c.id))
        try:  # a server-side cursor on PostgreSQL: close it when stopping early
            for row in rows.mappings():
                if (row["prev_hash"] or None) != prev or row["hash"] != row_hash(dict(row), prev):
                    return False, int(row["id"])
                prev = row["hash"]
        finally:
            rows.close()
    return True, None
