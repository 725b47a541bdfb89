"""Database administration: open with version checks, upgrade, check, backup, restore.

Used by the CLI (``hashinsight db ...``) and by the app at start.  Every operation
either completes or leaves the database as it was: SQLite upgrades take an automatic
backup first, restores back up the current database before replacing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import tempfile
import time
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from hashinsight_desktop import __version__
from hashinsight_desktop.config import paths
from hashinsight_desktop.store import migrate
from hashinsight_desktop.store.database import (
    DatabaseTarget,
    create_db_engine,
    explain_connection_error,
)
from hashinsight_desktop.store.errors import DatabaseError, DatabaseTooNew, DatabaseUnavailable
from hashinsight_desktop.store.schema import metadata
from hashinsight_desktop.store.seed import seed_all

PG_UPGRADE_LOCK = 0x4841_5348  # advisory lock id: one workstation upgrades at a time


@dataclasses.dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    state: str  # empty, current, behind, newer, unversioned

    def as_dict(self) -> dict[str, str | None]:
        return dataclasses.asdict(self)


def connect_checked(target: DatabaseTarget, *, must_exist: bool = False) -> Engine:
    """Create an engine and prove it connects; errors become one clear line."""
    if must_exist and target.is_sqlite and target.sqlite_path and not target.sqlite_path.exists():
        raise DatabaseUnavailable(f"no database file at {target.sqlite_path}; "
                                  "create it with 'hashinsight db upgrade'")
    engine = create_db_engine(target)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM sqlite_master LIMIT 1") if target.is_sqlite
                         else text("SELECT 1"))
    except sa_exc.DBAPIError as exc:
        engine.dispose()
        raise explain_connection_error(target, exc) from None
    return engine


def schema_state(engine: Engine) -> SchemaState:
    head = migrate.head_revision()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if current is None:
        state = "unversioned" if tables - {"alembic_version"} else "empty"
    elif current == head:
        state = "current"
    elif current in migrate.known_revisions():
        state = "behind"
    else:
        state = "newer"
    return SchemaState(current, head, state)


def _refuse_newer(target: DatabaseTarget, state: SchemaState) -> None:
    if state.state == "newer":
        raise DatabaseTooNew(
            f"{target.describe()} has schema revision {state.current}, made by a newer "
            f"HashInsight than this one ({__version__}, schema {state.head}); "
            "install the newer version to use it")
    if state.state == "unversioned":
        raise DatabaseUnavailable(
            f"{target.describe()} holds tables that are not a HashInsight database; "
            "use an empty database or another file")


def upgrade(target: DatabaseTarget, *, backup: bool = True) -> dict[str, object]:
    """Bring the schema to this version's head (creating it when empty), then seed."""
    engine = connect_checked(target)
    try:
        before = schema_state(engine)
        _refuse_newer(target, before)
        backup_path: Path | None = None
        t0 = time.perf_counter()
        if before.state == "behind" and backup and target.is_sqlite:
            backup_path = backup_database(target, automatic_backup_path(target, before.current))
        if before.state != "current":
            if target.is_sqlite:
                migrate.upgrade_to_head(engine)
            else:
                with engine.begin() as conn:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_UPGRADE_LOCK})
                    if schema_state(engine).state != "current":
                        from alembic import command

                        command.upgrade(migrate.alembic_config(conn), "head")
        with engine.begin() as conn:
            seeded = seed_all(conn)
        after = schema_state(engine)
        return {
            "database": target.describe(),
            "from_revision": before.current,
            "to_revision": after.current,
            "upgraded": before.state != "current",
            "backup": str(backup_path) if backup_path else None,
            "seeded": seeded,
            "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1),
        }
    except sa_exc.DBAPIError as exc:
        raise explain_connection_error(target, exc) from None
    finally:
        engine.dispose()


def open_for_use(target: DatabaseTarget, *, auto_upgrade: bool = True) -> Engine:
    """What the app and data commands call: refuse newer, upgrade older (backup first)."""
    engine = connect_checked(target)
    try:
        state = schema_state(engine)
        _refuse_newer(target, state)
    except BaseException:
        engine.dispose()
        raise
    if state.state != "current":
        engine.dispose()
        if not auto_upgrade:
            raise DatabaseError(f"{target.describe()} needs an upgrade: run 'hashinsight db upgrade'")
        upgrade(target)
        engine = connect_checked(target)
    return engine


def check(target: DatabaseTarget) -> dict[str, object]:
    """Integrity (SQLite) and schema conformance; never changes anything."""
    engine = connect_checked(target, must_exist=True)
    problems: list[str] = []
    try:
        state = schema_state(engine)
        integrity = "not applicable"
        with engine.connect() as conn:
            if target.is_sqlite:
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
                integrity = "ok" if rows == ["ok"] else "; ".join(rows[:5])
                if integrity != "ok":
                    problems.append(f"integrity: {integrity}")
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if fk:
                    problems.append(f"{len(fk)} rows violate foreign keys")
            if state.state == "current":
                diff = compare_metadata(MigrationContext.configure(conn), metadata)
                if diff:
                    problems.append(f"schema differs from this version in {len(diff)} places: "
                                    + "; ".join(str(d)[:80] for d in diff[:3]))
            else:
                problems.append(f"schema is {state.state} (database {state.current}, "
                                f"this version {state.head})")
        return {"database": target.describe(), "revision": state.current, "head": state.head,
                "state": state.state, "integrity": integrity, "ok": not problems,
                "problems": problems}
    except sa_exc.DBAPIError as exc:
        raise explain_connection_error(target, exc) from None
    finally:
        engine.dispose()


def automatic_backup_path(target: DatabaseTarget, revision: str | None) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = (target.sqlite_path.stem if target.sqlite_path else "hashinsight")
    return paths.backup_dir() / f"{name}-{stamp}-rev{revision or 'none'}.db"


def backup_database(target: DatabaseTarget, destination: Path) -> Path:
    """A consistent copy into a SQLite file (SQLite: the online backup API; PostgreSQL:
    every table copied into a SQLite file with the same schema), written to a temporary
    file then renamed so a failure leaves no half backup."""
    destination = Path(destination).expanduser().resolve()
    if destination.exists():
        raise DatabaseError(f"backup target {destination} exists; choose a new file name")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".db", dir=destination.parent)
    except OSError as exc:
        raise DatabaseError(f"cannot write the backup to {destination}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    import os

    os.close(fd)
    try:
        if target.is_sqlite:
            src = sqlite3.connect(str(target.sqlite_path), timeout=5)
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            source_engine, backup_engine = create_db_engine(target), _sqlite_engine(tmp)
            try:
                _copy_all_tables(source_engine, backup_engine, create=True)
            finally:
                source_engine.dispose()
                backup_engine.dispose()
        os.replace(tmp, destination)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"backup of {target.describe()} failed: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return destination


def restore_database(target: DatabaseTarget, source: Path) -> dict[str, object]:
    """Replace the database's contents with a backup, after backing up the current one."""
    source = Path(source).expanduser().resolve()
    if not source.exists():
        raise DatabaseError(f"no backup file at {source}")
    backup_engine = _sqlite_engine(source)
    try:
        with backup_engine.connect() as conn:
            ok = conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            revision = MigrationContext.configure(conn).get_current_revision()
    except sa_exc.DBAPIError:
        raise DatabaseError(f"{source} is not a HashInsight backup (not a SQLite database)") from None
    finally:
        backup_engine.dispose()
    if not ok:
        raise DatabaseError(f"{source} fails its integrity check; it cannot be restored")
    if revision not in migrate.known_revisions():
        raise DatabaseError(f"{source} has schema revision {revision!r}, unknown to this version")
    safety: Path | None = None
    if not target.is_sqlite or (target.sqlite_path and target.sqlite_path.exists()):
        engine = connect_checked(target)
        state = schema_state(engine)
        engine.dispose()
        if state.state != "empty":
            safety = backup_database(target, automatic_backup_path(target, state.current))
    if target.is_sqlite:
        assert target.sqlite_path is not None
        target.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(str(source))
        dst = sqlite3.connect(str(target.sqlite_path), timeout=5)
        try:
            src.backup(dst)  # page-level copy inside one transaction of the destination
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(f"restore into {target.describe()} failed: {exc}") from None
        finally:
            dst.close()
            src.close()
    else:
        engine, backup_engine = create_db_engine(target), _sqlite_engine(source)
        try:
            _copy_all_tables(backup_engine, engine, create=False, replace=True)
        finally:
            engine.dispose()
            backup_engine.dispose()
    # bring an older backup up to this version
    result = upgrade(target, backup=False)
    return {"database": target.describe(), "restored_from": str(source),
            "previous_contents_saved_to": str(safety) if safety else None,
            "revision": result["to_revision"]}


def _sqlite_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///{path}")


def _copy_all_tables(src: Engine, dst: Engine, *, create: bool, replace: bool = False) -> None:
    """Copy every table (in dependency order) in one destination transaction."""
    tables = [*metadata.sorted_tables]
    version_table = MetaData()
    from sqlalchemy import Column, String, Table

    alembic_version = Table("alembic_version", version_table,
                            Column("version_num", String(32), primary_key=True))
    with src.connect() as s, dst.begin() as d:
        if create:
            metadata.create_all(d)
            version_table.create_all(d)
        if replace:
            for table in reversed(tables):
                d.execute(table.delete())
            d.execute(alembic_version.delete())
        for table in [*tables, alembic_version]:
            result = s.execution_options(stream_results=True).execute(select(table))
            while chunk := result.fetchmany(10_000):
                d.execute(table.insert(), [dict(r._mapping) for r in chunk])
        if d.dialect.name == "postgresql":
            for table in tables:
                if "id" in table.c and table.c.id.autoincrement is True:
                    d.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")


