"""Issuing invoices (numbered INV-YYYYMM-NNNN) and recording payments.

Issuing takes a numbering lock (a PostgreSQL advisory lock; SQLite's write lock,
taken up front by ``write_transaction``) so two workstations never hand out the
same number, and re-checks under it that the contract was not invoiced for the month
meanwhile.  The unique index on ``number`` is the last line of defence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from hashinsight_desktop.core.billing.money import (
    format_cents,
    invoice_number,
    invoice_sequence,
)
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.crm import audit
from hashinsight_desktop.services.crm.billing_drafts import InvoiceDraft, preview_invoices
from hashinsight_desktop.services.crm.errors import CrmError
from hashinsight_desktop.services.crm.transactions import write_transaction
from hashinsight_desktop.services.crm.validation import BILLING_ROLES, require_role
from hashinsight_desktop.services.crm.versioned import fetch, update_versioned
from hashinsight_desktop.store.schema.base import utcnow
from hashinsight_desktop.store.schema.crm import invoice_lines, invoices, payments

PG_INVOICE_LOCK = 0x4849_494E  # advisory lock id ("HIIN"): one numbering at a time
PAYMENT_TERMS_DAYS = 30


@dataclasses.dataclass(frozen=True)
class IssuedInvoice:
    id: int
    number: str
    draft: InvoiceDraft


@dataclasses.dataclass(frozen=True)
class Payment:
    payment_id: int
    invoice_id: int
    paid_cents: int
    balance_cents: int
    status: str


def _json_default(value: object) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    raise TypeError(type(value).__name__)


def _lock_numbering(conn: Connection) -> None:
    # SQLite: write_transaction holds the write lock already.
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_INVOICE_LOCK})


def _next_sequence(conn: Connection, month_start: dt.date) -> int:
    numbers = conn.scalars(select(invoices.c.number).where(
        invoices.c.number.like(f"INV-{month_start:%Y%m}-%"))).all()
    return max((invoice_sequence(n) or 0 for n in numbers), default=0) + 1


def issue_invoices(engine: Engine, session: Session | None, month: tuple[dt.date, dt.date],
                   customer_id: int | None = None, *, sample_s: int = 60,
                   now: dt.datetime | None = None) -> list[IssuedInvoice]:
    """Issue an invoice for every contract not yet invoiced for ``month``; all in one
    transaction (all invoices or none).  Returns the invoices issued now."""
    require_role(session, BILLING_ROLES, "issue invoices")
    drafts = [d for d in preview_invoices(engine, month, customer_id, sample_s=sample_s)
              if d.already_issued is None]
    now = now or utcnow()
    issued: list[IssuedInvoice] = []
    with write_transaction(engine) as conn:
        _lock_numbering(conn)
        done = set(conn.scalars(select(invoices.c.contract_id).where(
            invoices.c.period_start == month[0], invoices.c.status != "draft")))
        sequence = _next_sequence(conn, month[0])
        lines: list[dict[str, object]] = []
        for draft in drafts:
            if draft.contract_id in done:
                continue  # issued by another workstation since the preview
            number = invoice_number(month[0], sequence)
            sequence += 1
            invoice_id = _insert_invoice(conn, draft, number, now)
            lines.extend(_line_rows(invoice_id, draft))
            audit.record(conn, session, "invoice.issue", "invoice", invoice_id, None,
                         {"number": number, **draft.summary()})
            issued.append(IssuedInvoice(invoice_id, number, draft))
        if lines:  # one batch for every invoice: far fewer round trips
            conn.execute(insert(invoice_lines), lines)
    return issued


def _insert_invoice(conn: Connection, draft: InvoiceDraft, number: str,
                    now: dt.datetime) -> int:
    invoice_id = int(conn.execute(insert(invoices).values(
        number=number, customer_id=draft.customer_id, contract_id=draft.contract_id,
        period_start=draft.period_start, period_end=draft.period_end, status="issued",
        currency=draft.currency, subtotal_cents=draft.subtotal_cents,
        tax_cents=draft.tax_cents, total_cents=draft.total_cents, issued_at=now,
        due_at=now + dt.timedelta(days=PAYMENT_TERMS_DAYS),
        notes=f"telemetry from {draft.rollup} rollups",
    )).inserted_primary_key[0])
    return invoice_id


def _line_rows(invoice_id: int, draft: InvoiceDraft) -> list[dict[str, object]]:
    return [{
        "invoice_id": invoice_id, "position": line.position,
        "description": line.description, "miner_id": line.miner_id,
        "quantity": line.quantity, "unit": line.unit,
        "unit_price_micros": line.unit_price_micros, "amount_cents": line.amount_cents,
        "estimated": line.estimated,
        "details_json": json.dumps(line.details, default=_json_default, sort_keys=True),
    } for line in draft.lines]


def paid_so_far(conn: Connection, invoice_id: int) -> int:
    return int(conn.scalar(select(func.coalesce(func.sum(payments.c.amount_cents), 0))
                           .where(payments.c.invoice_id == invoice_id)))


def mark_paid(engine: Engine, session: Session | None, invoice_id: int, amount_cents: int, *,
              paid_at: dt.datetime | None = None, method: str | None = None,
              reference: str | None = None) -> Payment:
    """Record a payment (full or partial); the invoice becomes 'paid' once covered."""
    require_role(session, BILLING_ROLES, "record payments")
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise CrmError(f"payment amount {amount_cents!r} must be a positive number of cents")
    paid_at = paid_at or utcnow()
    with write_transaction(engine) as conn:
        invoice = fetch(conn, invoices, invoice_id, "invoice")
        if invoice["status"] not in ("issued", "overdue"):
            raise CrmError(f"invoice {invoice['number']} is {invoice['status']}: "
                           "only issued or overdue invoices take payments")
        open_cents = invoice["total_cents"] - paid_so_far(conn, invoice_id)
        if amount_cents > open_cents:
            raise CrmError(f"payment {format_cents(amount_cents, invoice['currency'])} exceeds "
                           f"the open balance {format_cents(open_cents, invoice['currency'])} "
                           f"of invoice {invoice['number']}")
        payment_id = int(conn.execute(insert(payments).values(
            invoice_id=invoice_id, amount_cents=amount_cents, paid_at=paid_at,
            method=method, reference=reference)).inserted_primary_key[0])
        balance = open_cents - amount_cents
        status = invoice["status"]
        if balance == 0:
            status = "paid"
            update_versioned(conn, invoices, invoice_id, invoice["version"],
                             {"status": "paid", "paid_at": paid_at}, "invoice")
        audit.record(conn, session, "invoice.payment", "invoice", invoice_id,
                     {"status": invoice["status"], "open_cents": open_cents},
                     {"status": status, "open_cents": balance, "payment_id": payment_id,
                      "amount_cents": amount_cents, "method": method,
                      "reference": reference})
    return Payment(payment_id, invoice_id, amount_cents, balance, status)
