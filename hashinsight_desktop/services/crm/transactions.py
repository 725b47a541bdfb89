"""Write transactions that take the database write lock up front.

With pysqlite's default transaction control no transaction begins before the first
INSERT/UPDATE, so the reads a write depends on (duplicate checks, the row the user
saw) run outside it and another workstation can commit in between.  A no-op UPDATE
first takes SQLite's write lock: checks and writes become one serialised unit, and
concurrent writers queue behind the busy timeout.  PostgreSQL needs nothing here:
row locks, unique indexes and the audit advisory lock serialise what must be.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("UPDATE audit_log SET id = id WHERE 0")
        yield conn
