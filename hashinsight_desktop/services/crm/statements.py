"""A customer's statement of account: invoices, payments and the running balance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.services.crm.versioned import fetch
from hashinsight_desktop.store.schema.crm import customers, invoices, payments


@dataclasses.dataclass(frozen=True)
class Statement:
    customer_id: int
    customer_name: str
    start: dt.date
    end: dt.date  # inclusive
    opening_balance_cents: int
    invoices: list[dict[str, Any]]
    payments: list[dict[str, Any]]

    @property
    def invoiced_cents(self) -> int:
        return sum(i["total_cents"] for i in self.invoices)

    @property
    def paid_cents(self) -> int:
        return sum(p["amount_cents"] for p in self.payments)

    @property
    def closing_balance_cents(self) -> int:
        return self.opening_balance_cents + self.invoiced_cents - self.paid_cents


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def customer_statement(engine: Engine, customer_id: int, start: dt.date,
                       end: dt.date) -> Statement:
    """Invoices issued and payments received from ``start`` to ``end`` (both inclusive,
    UTC days); drafts do not count.  The opening balance is everything before."""
    t0, t1 = _midnight(start), _midnight(end + dt.timedelta(days=1))
    counted = (invoices.c.customer_id == customer_id) & (invoices.c.status != "draft")
    with engine.connect() as conn:
        customer = fetch(conn, customers, customer_id, "customer")
        billed_before = conn.scalar(select(func.coalesce(func.sum(invoices.c.total_cents), 0))
                                    .where(counted, invoices.c.issued_at < t0))
        paid_before = conn.scalar(
            select(func.coalesce(func.sum(payments.c.amount_cents), 0))
            .join(invoices, invoices.c.id == payments.c.invoice_id)
            .where(counted, payments.c.paid_at < t0))
        invoice_rows = conn.execute(
            select(invoices.c.id, invoices.c.number, invoices.c.issued_at, invoices.c.due_at,
                   invoices.c.status, invoices.c.currency, invoices.c.total_cents)
            .where(counted, invoices.c.issued_at >= t0, invoices.c.issued_at < t1)
            .order_by(invoices.c.issued_at, invoices.c.id)).mappings().all()
        payment_rows = conn.execute(
            select(payments.c.id, payments.c.invoice_id, invoices.c.number, payments.c.paid_at,
                   payments.c.amount_cents, payments.c.method, payments.c.reference)
            .join(invoices, invoices.c.id == payments.c.invoice_id)
            .where(counted, payments.c.paid_at >= t0, payments.c.paid_at < t1)
            .order_by(payments.c.paid_at, payments.c.id)).mappings().all()
    return Statement(customer_id, customer["name"], start, end,
                     int(billed_before) - int(paid_before),
                     [dict(r) for r in invoice_rows], [dict(r) for r in payment_rows])
