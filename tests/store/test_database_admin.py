"""db upgrade/check/backup/restore on SQLite and PostgreSQL, and the bad cases."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.errors import BadDatabaseUrl, DatabaseTooNew, DatabaseUnavailable
from hashinsight_desktop.store.schema.fleet import asic_models, sites


def test_upgrade_creates_schema_and_seeds_catalog(db_url: str) -> None:
    target = resolve(db_url)
    result = admin.upgrade(target)
    assert result["upgraded"] and result["to_revision"] == admin.migrate.head_revision()
    assert result["seeded"]["asic_models"] >= 30
    again = admin.upgrade(target)
    assert not again["upgraded"] and again["seeded"] == {"asic_models": 0, "alert_rules": 0}
    report = admin.check(target)
    assert report["ok"], report["problems"]


def test_sqlite_pragmas(sqlite_url: str) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    engine.dispose()


def test_newer_database_is_refused_and_left_alone(db_url: str) -> None:
    target = resolve(db_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNew, match="newer HashInsight"):
        admin.open_for_use(target)
    with pytest.raises(DatabaseTooNew):
        admin.upgrade(target)
    engine = create_db_engine(target)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999_future"
    engine.dispose()


def test_backup_and_restore_round_trip(db_url: str, tmp_path: Path) -> None:
    target = resolve(db_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    with engine.begin() as conn:
        conn.execute(insert(sites), [{"name": "North"}])
    backup = admin.backup_database(target, tmp_path / "b1.db")
    with engine.begin() as conn:
        conn.execute(insert(sites), [{"name": "South"}])
    engine.dispose()
    result = admin.restore_database(target, backup)
    assert result["previous_contents_saved_to"]
    engine = create_db_engine(target)
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(sites.c.name))) == ["North"]
        assert conn.scalar(select(func.count()).select_from(asic_models)) >= 30
    engine.dispose()
    # the pre-restore contents were saved and can be restored in turn
    saved = Path(result["previous_contents_saved_to"])
    con = sqlite3.connect(saved)
    assert sorted(r[0] for r in con.execute("SELECT name FROM sites")) == ["North", "South"]
    con.close()
    # a new row inserted after a PostgreSQL restore gets a fresh id
    engine = create_db_engine(target)
    with engine.begin() as conn:
        conn.execute(insert(sites), [{"name": "East"}])
    engine.dispose()


def test_backup_refuses_to_overwrite(sqlite_url: str, tmp_path: Path) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    existing = tmp_path / "there.db"
    existing.write_text("keep me")
    with pytest.raises(admin.DatabaseError, match="exists"):
        admin.backup_database(target, existing)
    assert existing.read_text() == "keep me"


def test_restore_rejects_a_non_backup(sqlite_url: str, tmp_path: Path) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(admin.DatabaseError, match="not a HashInsight backup"):
        admin.restore_database(target, junk)
    assert admin.check(target)["ok"]


def test_corrupt_sqlite_file_gives_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    content = b"garbage, not a database" * 50
    bad.write_bytes(content)
    with pytest.raises(DatabaseUnavailable, match="not a valid HashInsight database"):
        admin.upgrade(resolve(f"sqlite:///{bad}"))
    assert bad.read_bytes() == content


def test_locked_sqlite_file_is_reported(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    monkeypatch.setattr("hashinsight_desktop.store.database.SQLITE_BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(str(target.sqlite_path))
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailable, match="locked"):
            admin.connect_checked(target)
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.parametrize("url", ["postgresql+psycopg://", "mysql://u@h/db", "::::", "sqlite+foo:///x"])
def test_malformed_urls(url: str) -> None:
    with pytest.raises(BadDatabaseUrl):
        resolve(url)


def test_password_in_url_never_in_message() -> None:
    with pytest.raises(BadDatabaseUrl) as info:
        resolve("oracle://scott:tiger-pass@h/db")
    assert "tiger-pass" not in str(info.value)


def test_unreachable_server_is_named() -> None:
    with pytest.raises(DatabaseUnavailable, match="unreachable"):
        admin.connect_checked(resolve("postgresql+psycopg://postgres@127.0.0.1:1/test"))


def test_pg_password_comes_from_keyring(pg_url: str, memory_keyring) -> None:
    target = resolve(pg_url)
    from hashinsight_desktop.services import secrets

    secrets.set_secret(target.secret_name(), target.url.username or "", "unused-with-trust")
    engine = create_db_engine(target)
    assert engine.url.password == "unused-with-trust"
    assert "unused-with-trust" not in repr(engine.url)
    engine.dispose()


def test_older_database_is_upgraded_after_an_automatic_backup(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from hashinsight_desktop.store import migrate

    target = resolve(db_url)
    engine = create_db_engine(target)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
        conn.execute(insert(sites), [{"name": "Old site"}])
    engine.dispose()
    engine = admin.open_for_use(target)  # what the app does at start
    with engine.connect() as conn:
        assert admin.schema_state(engine).state == "current"
        names = {ix["name"] for ix in inspect(conn).get_indexes("alerts")}
        assert "uq_alerts_active_miner_kind" in names
        assert list(conn.scalars(select(sites.c.name))) == ["Old site"]
    engine.dispose()
    if target.is_sqlite:
        from hashinsight_desktop.config import paths

        backups = list(paths.backup_dir().glob("*-rev0001.db"))
        assert len(backups) == 1
        con = sqlite3.connect(backups[0])
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        con.close()
