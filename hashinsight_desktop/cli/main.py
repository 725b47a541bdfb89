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
    "catalog",
    "db",
    "fleet",
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
    # SUPPRESS: a sub-parser must not reset an option given before the sub-command
    # ("hashinsight --json db current" and "hashinsight db current --json" are the same).
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="URL", help="database URL (overrides the configured one)")
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    common.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return common


def _requested_command(argv: list[str]) -> str | None:
    """The sub-command named on the command line, so only its module is imported."""
    takes_value = {"--db"}
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token in takes_value:
            skip = True
        elif not token.startswith("-"):
            return token if token in COMMAND_MODULES or token == "collector" else None
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="hashinsight",
        description="HashInsight Desktop command line: fleet, database, calculations, reports.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hashinsight {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = _requested_command(argv or [])
    # "collector run" is registered by the collect module
    wanted_module = "collect" if wanted == "collector" else wanted
    names = [wanted_module] if wanted_module else COMMAND_MODULES
    for name in names:
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
        if argv[:1] == ["--version"]:  # answer at once, without importing any command
            print(f"hashinsight {__version__}")
            return 0
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        # the common options are SUPPRESSed in sub-parsers (see common_options)
        for name, default in (("db", None), ("json", False), ("debug", False)):
            if not hasattr(args, name):
                setattr(args, name, default)
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
