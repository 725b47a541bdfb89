"""``hashinsight db upgrade|current|check|backup PATH|restore PATH|login``."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from hashinsight_desktop.cli.context import database_target
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.errors import DatabaseError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("db", parents=[common], help="create, upgrade, check, back up the database")
    actions = p.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    a = actions.add_parser("upgrade", parents=[common],
                           help="create or upgrade the schema (SQLite: backup first)")
    a.add_argument("--no-backup", action="store_true", help="skip the automatic SQLite backup")
    a.set_defaults(handler=_upgrade)
    actions.add_parser("current", parents=[common],
                       help="show the schema revision").set_defaults(handler=_current)
    actions.add_parser("check", parents=[common],
                       help="integrity and schema check (changes nothing)").set_defaults(
        handler=_check)
    b = actions.add_parser("backup", parents=[common], help="write a consistent backup file")
    b.add_argument("path", type=Path)
    b.set_defaults(handler=_backup)
    r = actions.add_parser("restore", parents=[common],
                           help="replace the database with a backup (current one saved first)")
    r.add_argument("path", type=Path)
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    r.set_defaults(handler=_restore)
    login = actions.add_parser("login", parents=[common],
                               help="store the PostgreSQL password in the OS keyring")
    login.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input")
    login.set_defaults(handler=_login)


def _fail(exc: DatabaseError) -> CliError:
    return CliError(str(exc))


def _upgrade(args: argparse.Namespace) -> int:
    target = database_target(args)
    try:
        result = admin.upgrade(target, backup=not args.no_backup)
    except DatabaseError as exc:
        raise _fail(exc) from None

    def text() -> str:
        if not result["upgraded"]:
            return f"{result['database']}: already at revision {result['to_revision']}"
        lines = [f"{result['database']}: {result['from_revision'] or 'empty'} -> "
                 f"{result['to_revision']} in {result['elapsed_ms']} ms"]
        if result["backup"]:
            lines.append(f"backup of the previous version: {result['backup']}")
        return "\n".join(lines)

    emit(args, result, text)
    return 0


def _current(args: argparse.Namespace) -> int:
    target = database_target(args)
    try:
        engine = admin.connect_checked(target, must_exist=True)
        try:
            state = admin.schema_state(engine)
        finally:
            engine.dispose()
    except DatabaseError as exc:
        raise _fail(exc) from None
    payload = {"database": target.describe(), **state.as_dict()}
    emit(args, payload, f"{target.describe()}: revision {state.current or 'none'} "
                        f"({state.state}; this version's head is {state.head})")
    return 0


def _check(args: argparse.Namespace) -> int:
    target = database_target(args)
    try:
        result = admin.check(target)
    except DatabaseError as exc:
        raise _fail(exc) from None
    emit(args, result, lambda: (f"{result['database']}: OK (revision {result['revision']})"
                                if result["ok"] else
                                f"{result['database']}: PROBLEMS\n  " +
                                "\n  ".join(result["problems"])))
    return 0 if result["ok"] else 1


def _backup(args: argparse.Namespace) -> int:
    target = database_target(args)
    try:
        engine = admin.connect_checked(target, must_exist=True)
        engine.dispose()
        path = admin.backup_database(target, args.path)
    except DatabaseError as exc:
        raise _fail(exc) from None
    size = path.stat().st_size
    emit(args, {"database": target.describe(), "backup": str(path), "bytes": size},
         f"backup of {target.describe()} written to {path} ({size / 1e6:.1f} MB)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    target = database_target(args)
    if not args.yes and sys.stdin.isatty():
        answer = input(f"Replace the contents of {target.describe()} with {args.path}? "
                       "(the current contents are backed up first) [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise CliError("restore cancelled")
    try:
        result = admin.restore_database(target, args.path)
    except DatabaseError as exc:
        raise _fail(exc) from None
    emit(args, result, lambda: "\n".join(
        [f"{result['database']} restored from {result['restored_from']}"]
        + ([f"previous contents saved to {result['previous_contents_saved_to']}"]
           if result["previous_contents_saved_to"] else [])))
    return 0


def _login(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import secrets

    target = database_target(args)
    if target.is_sqlite:
        raise CliError("the embedded SQLite database needs no password")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {target.describe()}: ")
    if not password:
        raise CliError("empty password: nothing stored")
    status = secrets.set_secret(target.secret_name(), target.url.username or "", password)
    try:
        engine = admin.connect_checked(target)
        engine.dispose()
        verified = True
    except DatabaseError as exc:
        raise CliError(f"password stored ({status.name}) but the connection failed: {exc}") from None
    emit(args, {"database": target.describe(), "stored_in": status.name,
                "persistent": status.persistent, "verified": verified},
         f"password for {target.describe()} stored in {status.name}. {status.message}")
    return 0
