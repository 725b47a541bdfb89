"""Leads: prospects before they are customers, and their conversion into a deal."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.crm import activities, audit, customers, deals
from hashinsight_desktop.services.crm.errors import CrmError
from hashinsight_desktop.services.crm.transactions import write_transaction
from hashinsight_desktop.services.crm.validation import (
    SALES_ROLES,
    clean_email,
    clean_name,
    require_role,
)
from hashinsight_desktop.services.crm.versioned import fetch, snapshot, update_versioned
from hashinsight_desktop.store.schema.crm import leads

STATUSES = ("new", "contacted", "qualified", "converted", "lost")
AUDITED = ("name", "company", "email", "phone", "source", "status", "converted_deal_id",
           "notes", "version")
_EDITABLE = ("name", "company", "email", "phone", "source", "status", "notes")


@dataclasses.dataclass(frozen=True)
class Conversion:
    customer_id: int
    deal_id: int
    activity_id: int
    customer_created: bool


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise CrmError(f"unknown lead field(s): {', '.join(sorted(unknown))}")
    values = {k: ((v or "").strip() or None) if isinstance(v, str | None) else v
              for k, v in fields.items()}
    if "name" in fields:
        values["name"] = clean_name(fields["name"], "lead name")
    if "email" in fields:
        values["email"] = clean_email(fields["email"], "lead email")
    if "status" in values and values["status"] not in STATUSES:
        raise CrmError(f"lead status {values['status']!r} is unknown; "
                       f"statuses are {', '.join(STATUSES)}")
    if values.get("status") == "converted":
        raise CrmError("a lead becomes 'converted' only by converting it into a deal")
    return values


def create_lead(engine: Engine, session: Session | None, name: str, **fields: Any) -> int:
    require_role(session, SALES_ROLES, "create leads")
    values = _clean({"name": name, **fields})
    with write_transaction(engine) as conn:
        new_id = int(conn.execute(insert(leads).values(
            owner_user_id=session.user_id if session else None, **values,
        )).inserted_primary_key[0])
        audit.record(conn, session, "lead.create", "lead", new_id, None,
                     snapshot(fetch(conn, leads, new_id, "lead"), AUDITED))
    return new_id


def update_lead(engine: Engine, session: Session | None, lead_id: int, seen_version: int,
                **changes: Any) -> int:
    require_role(session, SALES_ROLES, "edit leads")
    values = _clean(changes)
    with write_transaction(engine) as conn:
        before = fetch(conn, leads, lead_id, "lead")
        after = update_versioned(conn, leads, lead_id, seen_version, values, "lead")
        audit.record(conn, session, "lead.update", "lead", lead_id,
                     snapshot(before, AUDITED), snapshot(after, AUDITED))
        return int(after["version"])


def convert_lead(engine: Engine, session: Session | None, lead_id: int, *,
                 customer_id: int | None = None, title: str, value_cents: int,
                 stage: str = "qualification") -> Conversion:
    """In ONE transaction: the customer (from the lead's company or name and email, unless
    ``customer_id`` is given), the deal, the lead marked converted, an activity and the
    audit entries.  Any failure rolls all of it back."""
    require_role(session, SALES_ROLES, "convert leads")
    with write_transaction(engine) as conn:
        lead = fetch(conn, leads, lead_id, "lead")
        if lead["status"] == "converted":
            raise CrmError(f"lead {lead_id} was converted already "
                           f"(deal {lead['converted_deal_id']})")
        created = customer_id is None
        if created:
            customer_id = customers.insert_customer(
                conn, session, name=lead["company"] or lead["name"], email=lead["email"],
                phone=lead["phone"])
        deal_id = deals.insert_deal(conn, session, customer_id, title,
                                    value_cents=value_cents, stage=stage, lead_id=lead_id)
        after = update_versioned(conn, leads, lead_id, lead["version"],
                                 {"status": "converted", "converted_deal_id": deal_id}, "lead")
        activity_id = activities.insert_activity(
            conn, session, "note", f"Lead converted: {title}"[:200],
            customer_id=customer_id, lead_id=lead_id, deal_id=deal_id)
        audit.record(conn, session, "lead.convert", "lead", lead_id,
                     snapshot(lead, AUDITED), snapshot(after, AUDITED))
    return Conversion(int(customer_id), deal_id, activity_id, created)
