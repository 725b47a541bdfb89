"""Exactly one collector per database.

PostgreSQL (several workstations and headless collectors on one server): a lease row
in ``collector_leases`` rather than an advisory lock.  Chosen because a lease survives
connection poolers and reconnects (an advisory lock dies with its session, silently),
it is visible to every follower (who leads, since when, until when), and its ``term``
is a fencing token: it grows at each takeover, every cycle is written under a check
of it inside the write transaction, so a paused-then-resumed old leader cannot write
over the new one.  The lease lasts two cycles and is renewed before each cycle; all
changes are single conditional UPDATE/INSERT statements, safe under concurrency.

SQLite (one workstation): an exclusive OS lock on a file next to the database
(``<db>.collector.lock``); a second collector on the same file is refused with a
message naming the holder.  The OS drops the lock if the process dies.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Engine

from hashinsight_desktop.collector.cycle_store import Fence
from hashinsight_desktop.store.database import DatabaseTarget
from hashinsight_desktop.store.schema.system import collector_leases

LEASE_NAME = "collector"
Clock = Callable[[], int]  # milliseconds since the epoch


class CollectorBusy(RuntimeError):
    """Another collector runs on this database."""


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:200]


class Lease:
    """A renewable lease on one ``collector_leases`` row (PostgreSQL; SQLite works too)."""

    def __init__(self, engine: Engine, *, holder: str | None = None, ttl_ms: int = 120_000,
                 name: str = LEASE_NAME, clock: Clock = wall_clock_ms) -> None:
        self.engine, self.name, self.ttl_ms, self.clock = engine, name, ttl_ms, clock
        self.holder = holder or new_holder_id()
        self.term: int | None = None  # set while we hold it

    @property
    def fence(self) -> Fence | None:
        return None if self.term is None else Fence(self.name, self.holder, self.term)

    def acquire_or_renew(self) -> bool:
        """Renew our lease, or take a free/expired one; False while someone else holds it."""
        now = self.clock()
        expires = now + self.ttl_ms
        t = collector_leases
        with self.engine.begin() as conn:
            if self.term is not None:
                renewed = conn.execute(
                    update(t).where(t.c.name == self.name, t.c.holder == self.holder,
                                    t.c.term == self.term, t.c.expires_at_ms >= now)
                    .values(expires_at_ms=expires)).rowcount
                if renewed == 1:
                    return True
                self.term = None  # lost: expired or taken over
            term = conn.execute(
                update(t).where(t.c.name == self.name, t.c.expires_at_ms < now)
                .values(holder=self.holder, term=t.c.term + 1, acquired_at_ms=now,
                        expires_at_ms=expires).returning(t.c.term)).scalar()
            if term is None:
                dialect = pg_dialect if conn.dialect.name == "postgresql" else sqlite_dialect
                term = conn.execute(
                    dialect.insert(t).values(name=self.name, holder=self.holder, term=1,
                                             acquired_at_ms=now, expires_at_ms=expires)
                    .on_conflict_do_nothing(index_elements=[t.c.name])
                    .returning(t.c.term)).scalar()
        self.term = None if term is None else int(term)
        return self.term is not None

    def release(self) -> None:
        """Expire our lease now so a follower takes over at once (not after the TTL)."""
        if self.term is None:
            return
        t = collector_leases
        with self.engine.begin() as conn:
            conn.execute(update(t).where(t.c.name == self.name, t.c.holder == self.holder,
                                         t.c.term == self.term).values(expires_at_ms=0))
        self.term = None

    def current_holder(self) -> tuple[str, int, int] | None:
        """(holder, term, expires_at_ms) of the row, whoever holds it."""
        t = collector_leases
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.holder, t.c.term, t.c.expires_at_ms)
                               .where(t.c.name == self.name)).first()
        return None if row is None else (row[0], int(row[1]), int(row[2]))


class SqliteCollectorLock:
    """An exclusive, non-blocking OS lock on ``<db>.collector.lock``."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(f"{db_path}.collector.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        try:
            _lock_file(handle)
        except OSError:
            handle.seek(0)
            who = handle.read().strip() or "another process"
            handle.close()
            raise CollectorBusy(
                f"another collector ({who}) is already running on this SQLite database; "
                f"stop it first (lock file {self.path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{socket.gethostname()} pid {os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                _unlock_file(self._file)
            self._file.close()
            self._file = None


def _lock_file(handle: IO[str]) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_file(handle: IO[str]) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def exclusive_collector(engine: Engine, target: DatabaseTarget, *,
                        ttl_ms: int = 120_000) -> Iterator[Fence | None]:
    """Hold collector leadership for the block (``collect --once``); refuse if taken.

    Yields the fence to write under (PostgreSQL) or None (SQLite, in-memory)."""
    if target.is_sqlite:
        if target.sqlite_path is None:
            yield None
            return
        lock = SqliteCollectorLock(target.sqlite_path)
        lock.acquire()
        try:
            yield None
        finally:
            lock.release()
        return
    lease = Lease(engine, ttl_ms=ttl_ms)
    if not lease.acquire_or_renew():
        holder = lease.current_holder()
        who = f"{holder[0]} (term {holder[1]})" if holder else "another collector"
        raise CollectorBusy(f"{who} is collecting on this database; "
                            "one collector polls at a time, wait for it to stop")
    try:
        yield lease.fence
    finally:
        lease.release()
