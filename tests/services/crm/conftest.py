"""CRM fixtures: a migrated database on each backend and a signed-in owner.

Migrating a fresh database for every test costs ~3 s on PostgreSQL, so each backend
is migrated once per session and every test gets a copy (PostgreSQL: CREATE DATABASE
... TEMPLATE; SQLite: a file copy).
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hashinsight_desktop.services import accounts
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve

PG_ENV = "HASHINSIGHT_TEST_PG_URL"  # as in tests/conftest.py


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("crm_template") / "template.db"
    admin.upgrade(resolve(f"sqlite:///{path}"), backup=False)
    return path


@pytest.fixture(scope="session")
def _pg_template():
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV}")
    url = make_url(base)
    name = f"hi_crm_tmpl_{uuid.uuid4().hex[:10]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.upgrade(resolve(url.set(database=name).render_as_string(hide_password=False)),
                  backup=False)
    yield server, url, name
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _pg_copy(request):
    server, url, template = request.getfixturevalue("_pg_template")
    name = f"hi_crm_{uuid.uuid4().hex[:12]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop() -> None:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    request.addfinalizer(drop)
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "crm.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = _pg_copy(request)
    e = create_db_engine(resolve(url))
    yield e
    e.dispose()


@pytest.fixture
def owner(engine) -> accounts.Session:
    return accounts.create_first_owner(engine, "olga", "s3cure-pass")
