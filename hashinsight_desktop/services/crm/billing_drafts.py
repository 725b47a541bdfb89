"""Invoice drafts for hosting contracts, computed from telemetry (nothing is written).

Per contract and month:

* ``per_kwh``: one line per miner, kWh x rate.  Hours without telemetry are billed at
  the miner's average running draw over its known hours, and the line is flagged
  estimated with the missing days and hours in ``details``.  With
  ``curtailment_credited`` a credit line gives back curtailed hours x the miner's
  average running kW x rate.
* ``per_miner_month``: one line per miner, rate x the fraction of the month the miner
  was under contract (by days); with ``curtailment_credited`` a credit line gives
  back the curtailed fraction of the month.

Amounts are computed from the quantity as shown (kWh to 0.001, miner-months to
0.0001) so anyone can check quantity x unit price = amount.  No tax is computed
(``tax_cents`` = 0): no tax settings exist yet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.billing.energy import MinerEnergy, integrate, missing_by_day
from hashinsight_desktop.core.billing.money import amount_cents
from hashinsight_desktop.services.crm.billing_inputs import (
    Contract,
    MinerSlots,
    choose_rollup,
    load_contracts,
    load_daily_sums,
    load_slots,
)
from hashinsight_desktop.services.crm.errors import NotFoundError
from hashinsight_desktop.store.schema.crm import customers, invoices

KWH_DECIMALS = 3
MONTH_FRACTION_DECIMALS = 4
MISSING_BASIS = "billed at the miner's average running power over its known hours"


@dataclasses.dataclass(frozen=True)
class InvoiceLineDraft:
    position: int
    description: str
    miner_id: int | None
    quantity: float
    unit: str
    unit_price_micros: int
    amount_cents: int
    estimated: bool
    details: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class InvoiceDraft:
    customer_id: int
    customer_name: str
    contract_id: int
    contract_name: str
    period_start: dt.date
    period_end: dt.date  # inclusive, as printed
    currency: str
    rollup: str
    lines: list[InvoiceLineDraft]
    already_issued: str | None = None  # the number of an invoice issued earlier

    @property
    def subtotal_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def tax_cents(self) -> int:
        return 0

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.tax_cents

    @property
    def estimated(self) -> bool:
        return any(line.estimated for line in self.lines)

    def summary(self) -> dict[str, Any]:
        return {"customer_id": self.customer_id, "customer": self.customer_name,
                "contract_id": self.contract_id, "contract": self.contract_name,
                "period_start": self.period_start, "period_end": self.period_end,
                "currency": self.currency, "lines": len(self.lines),
                "subtotal_cents": self.subtotal_cents, "tax_cents": self.tax_cents,
                "total_cents": self.total_cents, "estimated": self.estimated,
                "rollup": self.rollup, "already_issued": self.already_issued}


def preview_invoices(engine: Engine, month: tuple[dt.date, dt.date],
                     customer_id: int | None = None, *, sample_s: int = 60,
                     rollup: str | None = None) -> list[InvoiceDraft]:
    """Drafts for every contract in force in ``month`` (first day, day after the last);
    nothing is written."""
    month_start, month_end = month
    with engine.connect() as conn:
        if customer_id is not None and conn.scalar(
                select(customers.c.id).where(customers.c.id == customer_id)) is None:
            raise NotFoundError(f"customer {customer_id} does not exist")
        contracts = load_contracts(conn, month_start, month_end, customer_id)
        slots = load_slots(conn, contracts, month_start, month_end)
        rollup = rollup or choose_rollup(conn, month_start)
        issued = dict(conn.execute(
            select(invoices.c.contract_id, invoices.c.number)
            .where(invoices.c.period_start == month_start,
                   invoices.c.status != "draft")).all())
    sums = load_daily_sums(engine, slots, month_start, month_end, rollup=rollup,
                           sample_s=sample_s, only_listed=customer_id is not None)
    energy = integrate(sums, slots.day_from, slots.day_to, sample_s=sample_s)
    gaps = missing_by_day(sums, slots.day_from, slots.day_to,
                          np.flatnonzero(energy.missing_hours > 0), sample_s=sample_s)
    builder = _Builder(month_start, month_end, slots, energy, gaps)
    drafts = []
    for contract in contracts:
        positions = np.flatnonzero(slots.contract_id == contract.id)
        lines = builder.lines(contract, positions)
        if lines:
            drafts.append(InvoiceDraft(
                contract.customer_id, contract.customer_name, contract.id, contract.name,
                month_start, month_end - dt.timedelta(days=1), contract.currency, rollup,
                lines, issued.get(contract.id)))
    return drafts


@dataclasses.dataclass
class _Builder:
    month_start: dt.date
    month_end: dt.date
    slots: MinerSlots
    energy: MinerEnergy
    gaps: dict[int, list[tuple[int, float]]]

    def lines(self, contract: Contract, positions: np.ndarray) -> list[InvoiceLineDraft]:
        if contract.rate_kind == "per_kwh":
            lines = [self._kwh_line(contract, p) for p in positions.tolist()]
            credit = self._kwh_credit(contract, positions)
        else:
            lines = [self._miner_month_line(contract, p) for p in positions.tolist()]
            credit = self._miner_month_credit(contract, positions)
        if credit is not None:
            lines.append(credit)
        return [dataclasses.replace(line, position=i + 1) for i, line in enumerate(lines)]

    def _day(self, index: int) -> dt.date:
        return self.month_start + dt.timedelta(days=index)

    def _span(self, p: int) -> dict[str, Any]:
        return {"from": self._day(int(self.slots.day_from[p])),
                "to": self._day(int(self.slots.day_to[p]) - 1),
                "days": int(self.slots.day_to[p] - self.slots.day_from[p])}

    def _telemetry(self, p: int) -> dict[str, Any]:
        e = self.energy
        details: dict[str, Any] = {
            "expected_hours": round(float(e.expected_hours[p]), 3),
            "measured_kwh": round(float(e.measured_kwh[p]), KWH_DECIMALS),
            "running_kw": round(float(e.running_kw[p]), 4),
            "curtailed_hours": round(float(e.curtailed_hours[p]), 3),
            "estimated_power_hours": round(float(e.estimated_power_hours[p]), 3),
        }
        if e.missing_hours[p] > 0:
            details["missing_hours"] = round(float(e.missing_hours[p]), 3)
            details["missing_by_day"] = [{"date": self._day(d), "hours": round(h, 3)}
                                         for d, h in self.gaps.get(p, [])]
            details["missing_kwh_billed"] = round(float(e.estimated_missing_kwh[p]),
                                                  KWH_DECIMALS)
            details["missing_basis"] = MISSING_BASIS
        return details

    def _flagged(self, p: int) -> bool:
        return bool(self.energy.missing_hours[p] > 0 or self.energy.estimated_power_hours[p] > 0)

    def _kwh_line(self, contract: Contract, p: int) -> InvoiceLineDraft:
        kwh = round(float(self.energy.billed_kwh[p]), KWH_DECIMALS)
        name = self.slots.miner_name[p]
        return InvoiceLineDraft(
            0, f"Energy, miner {name}", int(self.slots.miner_id[p]), kwh, "kWh",
            contract.rate_micros, amount_cents(kwh, contract.rate_micros), self._flagged(p),
            {"span": self._span(p), **self._telemetry(p)})

    def _kwh_credit(self, contract: Contract, positions: np.ndarray) -> InvoiceLineDraft | None:
        if not contract.curtailment_credited:
            return None
        e = self.energy
        per_miner = [{"miner_id": int(self.slots.miner_id[p]),
                      "curtailed_hours": round(float(e.curtailed_hours[p]), 3),
                      "running_kw": round(float(e.running_kw[p]), 4),
                      "kwh": round(float(e.curtailed_kwh[p]), KWH_DECIMALS)}
                     for p in positions.tolist() if e.curtailed_hours[p] > 0]
        kwh = round(float(e.curtailed_kwh[positions].sum()), KWH_DECIMALS)
        if kwh <= 0:
            return None
        return InvoiceLineDraft(
            0, "Curtailment credit (curtailed hours x average running power)", None, -kwh,
            "kWh", contract.rate_micros, -amount_cents(kwh, contract.rate_micros), False,
            {"miners": per_miner})

    def _month_days(self) -> int:
        return (self.month_end - self.month_start).days

    def _miner_month_line(self, contract: Contract, p: int) -> InvoiceLineDraft:
        span = self._span(p)
        fraction = round(span["days"] / self._month_days(), MONTH_FRACTION_DECIMALS)
        return InvoiceLineDraft(
            0, f"Hosting, miner {self.slots.miner_name[p]}", int(self.slots.miner_id[p]),
            fraction, "miner-month", contract.rate_micros,
            amount_cents(fraction, contract.rate_micros), False,
            {"span": span, "prorated": span["days"] != self._month_days()})

    def _miner_month_credit(self, contract: Contract,
                            positions: np.ndarray) -> InvoiceLineDraft | None:
        if not contract.curtailment_credited:
            return None
        hours = float(self.energy.curtailed_hours[positions].sum())
        fraction = round(hours / (self._month_days() * 24), MONTH_FRACTION_DECIMALS)
        if fraction <= 0:
            return None
        return InvoiceLineDraft(
            0, f"Curtailment credit ({hours:.1f} miner-hours curtailed)", None, -fraction,
            "miner-month", contract.rate_micros, -amount_cents(fraction, contract.rate_micros),
            False, {"curtailed_hours": round(hours, 3)})
