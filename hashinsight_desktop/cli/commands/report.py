"""``hashinsight report KIND --format pdf|xlsx -o FILE [--site S] [period] [--lang L]``.

Only the fleet report exists so far; the other kinds the product plans (site monthly,
curtailment, invoice, statement, quote) are named in the error so nobody guesses.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hashinsight_desktop.cli.context import open_engine
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit

AVAILABLE = ("fleet",)
PLANNED = ("site", "curtailment", "invoice", "statement", "quote")
FORMATS = ("pdf", "xlsx")
DEFAULT_DAYS = 30


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="write a PDF or Excel report",
                       description="Write a report file. Available kinds: fleet. Planned, not "
                                   "built yet: " + ", ".join(PLANNED) + ".")
    p.add_argument("kind", metavar="KIND", help="report kind: fleet")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="pdf or xlsx (default: from the output file's extension)")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                   help="file to write (replaced atomically)")
    p.add_argument("--site", default=None, help="one site, by name or id (default: whole fleet)")
    p.add_argument("--month", default=None, metavar="YYYY-MM", help="a calendar month (UTC)")
    p.add_argument("--from", dest="date_from", default=None, metavar="DATE",
                   help="first day, YYYY-MM-DD (with --to)")
    p.add_argument("--to", dest="date_to", default=None, metavar="DATE",
                   help="last day included, YYYY-MM-DD (with --from)")
    p.add_argument("--lang", default="en", help="en or zh_CN (default en)")
    p.set_defaults(handler=_run)


def _kind(kind: str) -> str:
    if kind in AVAILABLE:
        return kind
    if kind in PLANNED:
        raise CliError(f"report kind {kind!r} is not available yet (available: "
                       f"{', '.join(AVAILABLE)}; planned: {', '.join(PLANNED)})")
    raise CliError(f"unknown report kind {kind!r} (available: {', '.join(AVAILABLE)})")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise CliError(f"cannot tell the format from {args.output.name!r}: give --format pdf|xlsx "
                   "or a .pdf/.xlsx file name")


def _period(args: argparse.Namespace):
    from hashinsight_desktop.reports import period as periods

    if args.month and (args.date_from or args.date_to):
        raise CliError("give either --month or --from/--to, not both")
    if args.month:
        return periods.month_period(args.month)
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise CliError("--from and --to go together: give both days (YYYY-MM-DD)")
        return periods.date_period(args.date_from, args.date_to)
    return periods.last_days(DEFAULT_DAYS)


def _run(args: argparse.Namespace) -> int:
    from hashinsight_desktop.reports.errors import ReportError
    from hashinsight_desktop.reports.i18n import check_language

    _kind(args.kind)
    fmt = _format(args)
    try:
        check_language(args.lang)
        period = _period(args)
    except ReportError as exc:
        raise CliError(str(exc)) from None
    if (fmt == "pdf" and args.output.suffix.lower() == ".xlsx") or (
            fmt == "xlsx" and args.output.suffix.lower() == ".pdf"):
        raise CliError(f"--format {fmt} does not match the file name {args.output.name!r}")
    engine = open_engine(args)
    try:
        result = _build(engine, fmt, args, period)
    except ReportError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    payload = {"kind": args.kind, "period": {"start": period.start, "end": period.end},
               "site": args.site, "lang": args.lang, **result.as_dict()}

    def text() -> str:
        size = f"{result.pages} page(s)" if result.pages is not None else f"{result.rows:,} miner rows"
        note = "" if result.has_data else " (no data for this period)"
        return f"wrote {result.path} ({fmt}, {size}, {period.caption()}){note}"

    emit(args, payload, text)
    return 0


def _build(engine, fmt: str, args: argparse.Namespace, period):
    if fmt == "pdf":
        from hashinsight_desktop.reports.fleet_status import build_fleet_status_pdf

        return build_fleet_status_pdf(engine, args.output, period, site=args.site,
                                      lang=args.lang)
    from hashinsight_desktop.reports.fleet_xlsx import build_fleet_xlsx

    return build_fleet_xlsx(engine, args.output, period, site=args.site, lang=args.lang)
