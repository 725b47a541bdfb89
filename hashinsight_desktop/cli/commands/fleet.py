"""``hashinsight fleet import FILE``: add miners from CSV/Excel, all valid rows or nothing."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from hashinsight_desktop.cli.context import open_engine
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("fleet", parents=[common], help="import miners from CSV or Excel")
    actions = p.add_subparsers(dest="fleet_action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", parents=[common],
                             help="validate every row, then import all of them or none",
                             description="Columns: ip (required), port, name, mac, serial, "
                             "model, site, rack, position, client, tags (separated by ;).")
    imp.add_argument("file", type=Path, help=".csv (UTF-8, , or ; separated) or .xlsx")
    imp.add_argument("--dry-run", action="store_true", help="validate and report only")
    imp.add_argument("--create-missing", action="store_true",
                     help="create sites and clients the file names but the fleet lacks")
    imp.add_argument("--skip-invalid", action="store_true",
                     help="import the valid rows even when other rows have errors")
    imp.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import fleet_import

    try:
        raw, warnings = fleet_import.read_rows(args.file)
    except fleet_import.ImportFileError as exc:
        raise CliError(str(exc)) from None
    engine = open_engine(args)
    try:
        preview = fleet_import.validate(engine, raw, create_missing=args.create_missing,
                                        warnings=warnings)
        imported = 0
        if (preview.ok or args.skip_invalid) and not args.dry_run:
            imported = fleet_import.apply(engine, preview, skip_invalid=args.skip_invalid)
    finally:
        engine.dispose()
    payload = {"file": str(args.file), "rows": preview.total, "valid": len(preview.rows),
               "errors": [dataclasses.asdict(e) for e in preview.errors],
               "warnings": preview.warnings, "imported": imported, "dry_run": args.dry_run}

    def text() -> str:
        lines = [f"{args.file}: {preview.total} rows, {len(preview.rows)} valid, "
                 f"{len(preview.errors)} errors"]
        lines += [f"  {e}" for e in preview.errors[:50]]
        if len(preview.errors) > 50:
            lines.append(f"  ... and {len(preview.errors) - 50} more (use --json)")
        lines += [f"  note: {w}" for w in preview.warnings]
        if preview.errors and not args.skip_invalid:
            lines.append("nothing imported: fix the rows above and run again "
                         "(or --skip-invalid to import the valid rows only)")
        elif args.dry_run:
            lines.append("dry run: nothing imported")
        else:
            lines.append(f"imported {imported} miners")
        return "\n".join(lines)

    emit(args, payload, text)
    return 1 if preview.errors and not imported else 0
