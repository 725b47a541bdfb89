"""``hashinsight audit export|verify``: the append-only, hash-chained audit log."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from hashinsight_desktop.cli.context import open_engine
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit

FIELDS = ("id", "at", "user_id", "username", "workstation", "action", "target_kind",
          "target_id", "before_json", "after_json", "prev_hash", "hash")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", parents=[common], help="export or verify the audit log")
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", parents=[common],
                                help="write the audit log as CSV or JSON lines")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--since", help="only entries at or after this date (YYYY-MM-DD)")
    export.add_argument("--action", help="only this action (e.g. invoice.issue)")
    export.set_defaults(handler=_export)
    verify = actions.add_parser("verify", parents=[common],
                                help="check the hash chain: detects edited or deleted rows")
    verify.set_defaults(handler=_verify)


def _rows(args: argparse.Namespace) -> list[dict]:
    from sqlalchemy import select

    from hashinsight_desktop.store.schema.accounts import audit_log

    query = select(audit_log).order_by(audit_log.c.id)
    if args.since:
        try:
            since = dt.datetime.fromisoformat(args.since).replace(tzinfo=dt.UTC)
        except ValueError:
            raise CliError(f"--since {args.since!r} is not a date (YYYY-MM-DD)") from None
        query = query.where(audit_log.c.at >= since)
    if args.action:
        query = query.where(audit_log.c.action == args.action)
    engine = open_engine(args)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
    finally:
        engine.dispose()


def _export(args: argparse.Namespace) -> int:
    rows = _rows(args)
    for row in rows:
        row["at"] = row["at"].isoformat() if row["at"] else None
    if args.output is None:
        _write(sys.stdout, rows, args.format)
        return 0
    target = args.output.expanduser()
    if not target.parent.is_dir():
        raise CliError(f"cannot write {target}: the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".audit-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            _write(fh, rows, args.format)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    emit(args, {"file": str(target), "entries": len(rows), "format": args.format},
         f"{len(rows)} audit entries written to {target}")
    return 0


def _write(fh, rows: list[dict], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            fh.write(json.dumps({k: row.get(k) for k in FIELDS}, ensure_ascii=False) + "\n")


def _verify(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services.crm.audit import verify_chain

    engine = open_engine(args)
    try:
        ok, bad = verify_chain(engine)
    finally:
        engine.dispose()
    emit(args, {"ok": ok, "first_bad_id": bad},
         "audit chain intact" if ok else
         f"audit chain BROKEN at entry {bad}: a row was edited or deleted")
    return 0 if ok else 1
