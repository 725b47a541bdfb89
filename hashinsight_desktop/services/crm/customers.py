"""Customers: create, update (optimistic lock), search.

Duplicates are refused by case-folded name (``name_key``) and by e-mail before the
insert, with a message naming the existing customer; the unique indexes still catch
a race between two workstations, and that is reported the same way (the failed
statement aborts the whole transaction, so nothing is half-saved; no savepoints,
which pysqlite handles badly).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.crm import audit
from hashinsight_desktop.services.crm.errors import CrmError
from hashinsight_desktop.services.crm.transactions import write_transaction
from hashinsight_desktop.services.crm.validation import (
    SALES_ROLES,
    clean_email,
    clean_name,
    name_key,
    require_role,
)
from hashinsight_desktop.services.crm.versioned import fetch, snapshot, update_versioned
from hashinsight_desktop.store.schema.crm import customers

AUDITED = ("name", "email", "phone", "address", "country", "tax_id", "notes", "version")
_OPTIONAL = ("phone", "address", "country", "tax_id", "notes")


@dataclasses.dataclass(frozen=True)
class CustomerHit:
    id: int
    name: str
    email: str | None
    version: int


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in fields:
        values["name"] = clean_name(fields["name"], "customer name")
        values["name_key"] = name_key(values["name"])
    if "email" in fields:
        values["email"] = clean_email(fields["email"], "customer email")
    for key in _OPTIONAL:
        if key in fields:
            values[key] = (fields[key] or "").strip() or None
    if values.get("country") and len(values["country"]) != 2:
        raise CrmError(f"country {values['country']!r} must be a two-letter code, e.g. DE")
    unknown = set(fields) - {"name", "email", *_OPTIONAL}
    if unknown:
        raise CrmError(f"unknown customer field(s): {', '.join(sorted(unknown))}")
    return values


def _refuse_duplicate(conn: Connection, values: dict[str, Any], except_id: int | None) -> None:
    tests = []
    if "name_key" in values:
        tests.append(customers.c.name_key == values["name_key"])
    if values.get("email"):
        tests.append(customers.c.email == values["email"])
    if not tests:
        return
    query = select(customers.c.id, customers.c.name, customers.c.name_key, customers.c.email)\
        .where(or_(*tests))
    if except_id is not None:
        query = query.where(customers.c.id != except_id)
    row = conn.execute(query.limit(1)).first()
    if row is None:
        return
    if row.name_key == values.get("name_key"):
        raise CrmError(f"a customer named {row.name!r} exists already (id {row.id})")
    raise CrmError(f"the email {row.email!r} belongs to customer {row.name!r} (id {row.id})")


def _integrity_message(exc: IntegrityError) -> CrmError:
    text = str(exc.orig).lower()
    if "email" in text:
        return CrmError("another customer has this email (saved a moment ago elsewhere)")
    return CrmError("another customer has this name (saved a moment ago elsewhere)")


def insert_customer(conn: Connection, session: Session | None, **fields: Any) -> int:
    """Create a customer in the caller's transaction (used by lead conversion too)."""
    require_role(session, SALES_ROLES, "create customers")
    values = _clean(fields)
    if "name" not in values:
        raise CrmError("customer name is required")
    _refuse_duplicate(conn, values, None)
    try:
        new_id = int(conn.execute(insert(customers).values(**values)).inserted_primary_key[0])
    except IntegrityError as exc:
        raise _integrity_message(exc) from None
    audit.record(conn, session, "customer.create", "customer", new_id, None,
                 snapshot(fetch(conn, customers, new_id, "customer"), AUDITED))
    return new_id


def create_customer(engine: Engine, session: Session | None, name: str, **fields: Any) -> int:
    """Returns the new customer's id; refuses duplicates and malformed fields."""
    with write_transaction(engine) as conn:
        return insert_customer(conn, session, name=name, **fields)


def update_customer(engine: Engine, session: Session | None, customer_id: int,
                    seen_version: int, **changes: Any) -> int:
    """Apply ``changes`` to the version the user saw; returns the new version."""
    require_role(session, SALES_ROLES, "edit customers")
    values = _clean(changes)
    with write_transaction(engine) as conn:
        before = fetch(conn, customers, customer_id, "customer")
        _refuse_duplicate(conn, values, customer_id)
        try:
            after = update_versioned(conn, customers, customer_id, seen_version, values,
                                     "customer")
        except IntegrityError as exc:
            raise _integrity_message(exc) from None
        audit.record(conn, session, "customer.update", "customer", customer_id,
                     snapshot(before, AUDITED), snapshot(after, AUDITED))
        return int(after["version"])


def get_customer(engine: Engine, customer_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        return fetch(conn, customers, customer_id, "customer")


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _after_prefix(text: str) -> str:
    """The smallest string greater than every string starting with ``text``."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def search_customers(engine: Engine, text: str, limit: int = 20) -> list[CustomerHit]:
    """Customers whose name or email starts with ``text`` (case-insensitive), by name;
    when fewer than ``limit`` match, names containing ``text`` follow.

    The prefix part is a range on the unique ``name_key`` and ``email`` indexes, so it
    costs an index seek whatever the table size; the substring part scans and runs only
    for 3+ characters.  Blank text lists the first customers by name.
    """
    key = name_key(text)
    cols = (customers.c.id, customers.c.name, customers.c.email, customers.c.version)
    with engine.connect() as conn:
        if not key:
            rows = conn.execute(select(*cols).order_by(customers.c.name_key).limit(limit)).all()
            return [CustomerHit(*r) for r in rows]
        pattern = _like_prefix(key)
        upper = _after_prefix(key)
        by_name = select(*cols, customers.c.name_key).where(and_(
            customers.c.name_key >= key, customers.c.name_key < upper,
            customers.c.name_key.like(pattern, escape="\\"))
        ).order_by(customers.c.name_key).limit(limit)
        by_email = select(*cols, customers.c.name_key).where(and_(
            customers.c.email >= key, customers.c.email < upper,
            customers.c.email.like(pattern, escape="\\"))
        ).order_by(customers.c.email).limit(limit)
        found: dict[int, tuple] = {}
        for row in [*conn.execute(by_name), *conn.execute(by_email)]:
            found.setdefault(row.id, tuple(row))
        if len(found) < limit and len(key) >= 3:
            contains = select(*cols, customers.c.name_key).where(
                customers.c.name_key.like("%" + pattern, escape="\\")
            ).order_by(customers.c.name_key).limit(limit)
            for row in conn.execute(contains):
                found.setdefault(row.id, tuple(row))
    ordered = sorted(found.values(), key=lambda r: (not r[4].startswith(key), r[4]))
    return [CustomerHit(*r[:4]) for r in ordered[:limit]]
