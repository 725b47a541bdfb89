"""``hashinsight``: the command-line interface.

Each sub-command lives in ``hashinsight_desktop/cli/commands/<name>.py`` and exposes
``register(subparsers, common)``; ``common`` is a parent parser carrying the options
every command takes (``--db``, ``--json``, ``--debug``).  A handler returns an exit
status; user-facing failures raise :class:`CliError` and print one line.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from hashinsight_desktop import __version__
from hashinsight_desktop.cli.errors import CliError

# Listed explicitly (not discovered) so frozen builds find them too.
COMMAND_MODULES = (
    "config",
    "db",
    "probe",
    "scan",
    "simulate",
    "collect",
    "collector",
    "calc",
    "forecast",
    "curtail",
    "invoices",
    "report",
    "audit",
    "users",
)


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="database URL (overrides the configured one)")
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    common.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="hashinsight",
        description="HashInsight Desktop command line: fleet, database, calculations, reports.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hashinsight {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module_name = f"hashinsight_desktop.cli.commands.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # that command is not built yet
            raise
        module.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(sys.stderr)
            return 2
        return int(handler(args) or 0)
    except CliError as exc:
        if debug:
            raise
        print(f"hashinsight: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("hashinsight: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        print(f"hashinsight: unexpected error: {type(exc).__name__}: {exc} "
              "(run with --debug for details)", file=sys.stderr)
        return 1
