"""What most commands need: settings and the database target, with errors as CliError."""

from __future__ import annotations

import argparse

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.config.registry import Settings, SettingsError, load_settings
from hashinsight_desktop.store.database import DatabaseTarget, resolve
from hashinsight_desktop.store.errors import DatabaseError


def settings_or_fail() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise CliError(str(exc)) from None


def database_target(args: argparse.Namespace) -> DatabaseTarget:
    """``--db`` wins over the configured URL; empty means the embedded SQLite file."""
    url = getattr(args, "db", None)
    if url is None:
        url = settings_or_fail().get("database.url")
    try:
        return resolve(url)
    except DatabaseError as exc:
        raise CliError(str(exc)) from None


def open_engine(args: argparse.Namespace):  # -> Engine (kept untyped: lazy import)
    """An engine on an up-to-date schema (upgrading an older one, refusing a newer one)."""
    from hashinsight_desktop.store.admin import open_for_use

    target = database_target(args)
    try:
        return open_for_use(target)
    except DatabaseError as exc:
        raise CliError(str(exc)) from None
