"""Activities: calls, meetings, e-mails, notes and tasks attached to CRM records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.crm import audit
from hashinsight_desktop.services.crm.errors import CrmError, NotFoundError
from hashinsight_desktop.services.crm.transactions import write_transaction
from hashinsight_desktop.services.crm.validation import SALES_ROLES, clean_name, require_role
from hashinsight_desktop.store.schema.crm import activities

KINDS = ("call", "meeting", "email", "note", "task")


def insert_activity(conn: Connection, session: Session | None, kind: str, subject: str, *,
                    body: str | None = None, due_at: dt.datetime | None = None,
                    customer_id: int | None = None, lead_id: int | None = None,
                    deal_id: int | None = None) -> int:
    """Log an activity in the caller's transaction; it must be attached to something."""
    require_role(session, SALES_ROLES, "log activities")
    if kind not in KINDS:
        raise CrmError(f"activity kind {kind!r} is unknown; kinds are {', '.join(KINDS)}")
    if customer_id is None and lead_id is None and deal_id is None:
        raise CrmError("an activity must belong to a customer, a lead or a deal")
    values = {
        "kind": kind, "subject": clean_name(subject, "activity subject"), "body": body,
        "due_at": due_at, "customer_id": customer_id, "lead_id": lead_id, "deal_id": deal_id,
        "user_id": session.user_id if session else None,
    }
    new_id = int(conn.execute(insert(activities).values(**values)).inserted_primary_key[0])
    audit.record(conn, session, "activity.create", "activity", new_id, None,
                 {k: v for k, v in values.items() if k != "body"})
    return new_id


def log_activity(engine: Engine, session: Session | None, kind: str, subject: str,
                 **fields: object) -> int:
    with write_transaction(engine) as conn:
        return insert_activity(conn, session, kind, subject, **fields)  # type: ignore[arg-type]


def mark_done(engine: Engine, session: Session | None, activity_id: int) -> None:
    require_role(session, SALES_ROLES, "edit activities")
    with write_transaction(engine) as conn:
        result = conn.execute(update(activities).where(activities.c.id == activity_id)
                              .values(done=True))
        if result.rowcount != 1:
            raise NotFoundError(f"activity {activity_id} does not exist")
        audit.record(conn, session, "activity.done", "activity", activity_id,
                     {"done": False}, {"done": True})
