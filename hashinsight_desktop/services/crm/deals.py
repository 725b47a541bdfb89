"""Deals: a customer's opportunity moving through stages, valued in cents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.crm import audit
from hashinsight_desktop.services.crm.errors import CrmError
from hashinsight_desktop.services.crm.transactions import write_transaction
from hashinsight_desktop.services.crm.validation import (
    SALES_ROLES,
    clean_name,
    non_negative_cents,
    require_role,
)
from hashinsight_desktop.services.crm.versioned import fetch, snapshot, update_versioned
from hashinsight_desktop.store.schema.base import utcnow
from hashinsight_desktop.store.schema.crm import customers, deals

# Stage -> default win probability (%), used when the caller gives none.
STAGES = {"qualification": 10, "proposal": 40, "negotiation": 70, "won": 100, "lost": 0}
CLOSED_STAGES = ("won", "lost")
AUDITED = ("customer_id", "lead_id", "title", "stage", "probability_pct", "value_cents",
           "currency", "expected_close", "closed_at", "version")
_EDITABLE = ("title", "stage", "probability_pct", "value_cents", "currency", "expected_close")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise CrmError(f"unknown deal field(s): {', '.join(sorted(unknown))}")
    values = dict(fields)
    if "title" in values:
        values["title"] = clean_name(values["title"], "deal title")
    if "value_cents" in values:
        values["value_cents"] = non_negative_cents(values["value_cents"], "deal value")
    if "stage" in values:
        if values["stage"] not in STAGES:
            raise CrmError(f"deal stage {values['stage']!r} is unknown; "
                           f"stages are {', '.join(STAGES)}")
        values.setdefault("probability_pct", STAGES[values["stage"]])
        values["closed_at"] = utcnow() if values["stage"] in CLOSED_STAGES else None
    if "probability_pct" in values:
        pct = values["probability_pct"]
        if isinstance(pct, bool) or not isinstance(pct, int) or not 0 <= pct <= 100:
            raise CrmError(f"deal probability {pct!r} must be a whole number from 0 to 100")
    if "currency" in values and (not isinstance(values["currency"], str)
                                 or len(values["currency"]) != 3):
        raise CrmError(f"currency {values['currency']!r} must be a three-letter code, e.g. USD")
    if "expected_close" in values and values["expected_close"] is not None \
            and not isinstance(values["expected_close"], dt.date):
        raise CrmError("expected close must be a date")
    return values


def insert_deal(conn: Connection, session: Session | None, customer_id: int | None,
                title: str, *, value_cents: int = 0, stage: str = "qualification",
                lead_id: int | None = None, **fields: Any) -> int:
    """Create a deal in the caller's transaction; the customer must exist."""
    require_role(session, SALES_ROLES, "create deals")
    if customer_id is None:
        raise CrmError("a deal needs a customer: choose one or create it first")
    values = _clean({"title": title, "value_cents": value_cents, "stage": stage, **fields})
    if conn.scalar(select(customers.c.id).where(customers.c.id == customer_id)) is None:
        raise CrmError(f"customer {customer_id} does not exist: a deal needs a customer")
    new_id = int(conn.execute(insert(deals).values(
        customer_id=customer_id, lead_id=lead_id,
        owner_user_id=session.user_id if session else None, **values,
    )).inserted_primary_key[0])
    audit.record(conn, session, "deal.create", "deal", new_id, None,
                 snapshot(fetch(conn, deals, new_id, "deal"), AUDITED))
    return new_id


def create_deal(engine: Engine, session: Session | None, customer_id: int | None, title: str,
                **fields: Any) -> int:
    with write_transaction(engine) as conn:
        return insert_deal(conn, session, customer_id, title, **fields)


def update_deal(engine: Engine, session: Session | None, deal_id: int, seen_version: int,
                **changes: Any) -> int:
    """Apply ``changes`` to the version the user saw; returns the new version."""
    require_role(session, SALES_ROLES, "edit deals")
    values = _clean(changes)
    with write_transaction(engine) as conn:
        before = fetch(conn, deals, deal_id, "deal")
        after = update_versioned(conn, deals, deal_id, seen_version, values, "deal")
        audit.record(conn, session, "deal.update", "deal", deal_id,
                     snapshot(before, AUDITED), snapshot(after, AUDITED))
        return int(after["version"])
