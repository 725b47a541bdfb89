"""Optimistic locking: update only the version the user saw, else ConflictError."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection

from hashinsight_desktop.services.crm.errors import ConflictError, NotFoundError
from hashinsight_desktop.store.schema.base import utcnow


def fetch(conn: Connection, table: Table, row_id: int, what: str) -> dict[str, Any]:
    row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"{what} {row_id} does not exist")
    return dict(row)


def update_versioned(conn: Connection, table: Table, row_id: int, seen_version: int,
                     values: dict[str, Any], what: str) -> dict[str, Any]:
    """Apply ``values`` if the row is still at ``seen_version``; returns the new row."""
    result = conn.execute(
        update(table)
        .where(table.c.id == row_id, table.c.version == seen_version)
        .values(**values, version=table.c.version + 1, updated_at=utcnow()))
    if result.rowcount != 1:
        fetch(conn, table, row_id, what)  # NotFoundError when it was deleted
        raise ConflictError(f"{what} {row_id} was changed by someone else since you opened "
                            "it: reload it and apply your change again")
    return fetch(conn, table, row_id, what)


def snapshot(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The audited part of a row."""
    return {name: row.get(name) for name in fields}
