"""``hashinsight invoices generate``: hosting invoices for a month from telemetry.

    hashinsight invoices generate --month 2026-10 --dry-run
    hashinsight invoices generate --month 2026-10 --customer 12 --json

``--dry-run`` previews the drafts and writes nothing; otherwise every contract not yet
invoiced for the month gets an issued invoice (INV-YYYYMM-NNNN), all in one
transaction.  Only a month that has ended can be issued.  The audit log names the
command-line user (``cli:<login>``).
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from hashinsight_desktop.cli.context import open_engine, settings_or_fail
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.core.billing.money import MonthError, format_cents, parse_month


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("invoices", parents=[common], help="hosting invoices")
    actions = p.add_subparsers(dest="invoices_command", metavar="ACTION")
    g = actions.add_parser("generate", parents=[common],
                           help="preview or issue a month's hosting invoices",
                           description="Compute each hosting contract's invoice for a month "
                           "from telemetry rollups; issue them unless --dry-run.")
    g.add_argument("--month", required=True, metavar="YYYY-MM", help="billing month")
    g.add_argument("--customer", metavar="ID", help="only this customer's contracts")
    g.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
    g.set_defaults(handler=_run)
    p.set_defaults(handler=lambda args: _missing_action())


def _missing_action() -> int:
    raise CliError("choose an action: hashinsight invoices generate --month YYYY-MM [--dry-run]")


def _customer_id(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit():
        raise CliError(f"--customer {text!r} is not a customer id (a whole number)")
    return int(text)


def _sample_s() -> int:
    return int(settings_or_fail().get("collector.telemetry_interval_s"))


def _run(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services.crm.billing import issue_invoices, preview_invoices
    from hashinsight_desktop.services.crm.errors import CrmError

    try:
        month = parse_month(args.month)
    except MonthError as exc:
        raise CliError(f"--month: {exc}") from None
    customer_id = _customer_id(args.customer)
    if not args.dry_run and month[1] > dt.datetime.now(dt.UTC).date():
        raise CliError(f"month {args.month} has not ended yet: preview it with --dry-run")
    engine = open_engine(args)
    try:
        if args.dry_run:
            drafts = preview_invoices(engine, month, customer_id, sample_s=_sample_s())
            rows = [{"number": d.already_issued, **d.summary()} for d in drafts]
        else:
            issued = issue_invoices(engine, None, month, customer_id, sample_s=_sample_s())
            rows = [{"number": i.number, "invoice_id": i.id, **i.draft.summary()}
                    for i in issued]
    except CrmError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    payload = {"month": args.month, "dry_run": bool(args.dry_run), "invoices": rows,
               "total_cents": sum(r["total_cents"] for r in rows)}
    emit(args, payload, lambda: _human(payload))
    return 0


def _human(payload: dict[str, Any]) -> str:
    rows = payload["invoices"]
    verb = "Preview" if payload["dry_run"] else "Issued"
    if not rows:
        return (f"{verb}: no invoices for {payload['month']} "
                "(no contracts in force, or all invoiced already)")
    lines = [f"{verb}: {len(rows)} invoice(s) for {payload['month']}"]
    for r in rows:
        number = r["number"] or "(draft)"
        if payload["dry_run"] and r["already_issued"]:
            number += " issued"
        flag = "  estimated" if r["estimated"] else ""
        lines.append(f"  {number:<18} {r['customer'][:30]:<30} {r['contract'][:24]:<24} "
                     f"{format_cents(r['total_cents'], r['currency']):>18}{flag}")
    currencies = {r["currency"] for r in rows}
    if len(currencies) == 1:  # a sum across currencies would mean nothing
        lines.append(f"  total {format_cents(payload['total_cents'], currencies.pop())}")
    return "\n".join(lines)
