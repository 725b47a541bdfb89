"""Opening the database: URL resolution, engines with the right pragmas, clear errors.

SQLite (the default, a file in the per-user data dir) runs in WAL mode with foreign
keys on and a busy timeout.  PostgreSQL URLs carry no password: it comes from the
keyring (``hashinsight_desktop.services.secrets``).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine, create_engine, make_url

from hashinsight_desktop.config import paths
from hashinsight_desktop.store.errors import BadDatabaseUrl, DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_MS = 5000


@dataclasses.dataclass(frozen=True)
class DatabaseTarget:
    """A resolved database location, safe to show (no password)."""

    url: URL

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def describe(self) -> str:
        """For the status bar and messages: 'SQLite /path/x.db' or 'PostgreSQL host:5432/db'."""
        if self.is_sqlite:
            return f"SQLite {self.sqlite_path or 'in memory'}"
        port = self.url.port or 5432
        return f"PostgreSQL {self.url.username or ''}@{self.url.host or 'localhost'}:{port}/{self.url.database}"

    def secret_name(self) -> str:
        return f"postgresql://{self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database}"


def resolve(url_text: str | None) -> DatabaseTarget:
    """Turn a configured or typed URL into a target; empty means the embedded SQLite file."""
    text = (url_text or "").strip()
    if not text:
        return DatabaseTarget(make_url(f"sqlite:///{paths.default_database_path()}"))
    try:
        url = make_url(text)
    except exc.ArgumentError:
        raise BadDatabaseUrl(
            f"malformed database URL {_redact(text)!r}: use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST[:PORT]/DATABASE") from None
    if url.drivername in ("postgres", "postgresql+psycopg2", "postgres+psycopg"):
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        elif url.drivername != "postgresql+psycopg":
            raise BadDatabaseUrl(f"unsupported PostgreSQL driver {url.drivername!r}: "
                                 "use postgresql+psycopg://USER@HOST/DATABASE")
        if not url.database:
            raise BadDatabaseUrl("the PostgreSQL URL names no database: "
                                 "postgresql+psycopg://USER@HOST/DATABASE")
    elif backend == "sqlite":
        if url.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise BadDatabaseUrl(f"unsupported SQLite driver {url.drivername!r}: use sqlite:///PATH")
        if url.database and url.database != ":memory:":
            url = url.set(database=str(Path(url.database).expanduser().resolve()))
    else:
        raise BadDatabaseUrl(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
    return DatabaseTarget(url)


def _redact(text: str) -> str:
    """Hide a password typed into a URL before it reaches a message."""
    if "://" in text and "@" in text:
        scheme, rest = text.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        if ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        return f"{scheme}://{creds}@{host}"
    return text


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache
    finally:
        cursor.close()


def create_db_engine(target: DatabaseTarget, *, password: str | None = None,
                     create_dir: bool = True) -> Engine:
    """An engine for ``target``; PostgreSQL takes the password from the keyring."""
    if target.is_sqlite:
        path = target.sqlite_path
        if path is not None:
            if create_dir:
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.exists():
                raise DatabaseUnavailable(f"no database file at {path}")
        engine = create_engine(target.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    url = target.url
    if url.password is None:
        if password is None:
            from hashinsight_desktop.services import secrets

            password = secrets.get_secret(target.secret_name(), url.username or "")
        if password:
            url = url.set(password=password)
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        hide_parameters=True,
        connect_args={"connect_timeout": 5, "application_name": "hashinsight"},
    )


def explain_connection_error(target: DatabaseTarget, error: BaseException) -> DatabaseUnavailable:
    """Map a driver error to one line naming the problem and the fix (never the password)."""
    text = str(getattr(error, "orig", None) or error).strip().splitlines()[0] if str(error) else ""
    lower = text.lower()
    where = target.describe()
    if "password authentication failed" in lower or "no password supplied" in lower:
        msg = (f"{where}: wrong or missing credentials; store the password with "
               "'hashinsight db login' or check the user name")
    elif "does not exist" in lower and "database" in lower:
        msg = f"{where}: the database does not exist; create it on the server first"
    elif "connection refused" in lower or "could not connect" in lower or "timeout" in lower \
            or "name or service not known" in lower or "could not translate host" in lower:
        msg = f"{where}: server unreachable ({text}); check the host, port and that it runs"
    elif "database is locked" in lower:
        msg = (f"{where}: the file is locked by another program; close it (or wait) "
               "and try again")
    elif "not a database" in lower or "malformed" in lower or "file is encrypted" in lower:
        msg = (f"{where}: the file is not a valid HashInsight database or is corrupt; "
               "restore a backup with 'hashinsight db restore PATH'")
    elif "unable to open database file" in lower:
        msg = f"{where}: cannot open the file (check the folder exists and is writable)"
    else:
        msg = f"{where}: {text or type(error).__name__}"
    return DatabaseUnavailable(msg)
