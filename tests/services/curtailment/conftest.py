"""Fixtures for the curtailment service tests."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.miners.control import MinerCredentials
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.curtailment import MinerTarget
from hashinsight_desktop.store.schema.accounts import users


def _add_user(engine: Engine, username: str, role: str) -> Session:
    """A user row without the (deliberately slow) password hashing of create_user."""
    with engine.begin() as conn:
        uid = conn.execute(insert(users).values(
            username=username, role=role, password_hash="x",
            created_at=dt.datetime.now(dt.UTC), version=1)).inserted_primary_key[0]
    return Session(int(uid), username, role)


def _simulator_credentials(target: MinerTarget) -> MinerCredentials | None:
    """The simulator's Whatsminer admin password is the factory default."""
    return MinerCredentials(password="admin") if target.family == "whatsminer_v2" else None


@pytest.fixture
def add_user():
    return _add_user


@pytest.fixture
def sim_credentials():
    return _simulator_credentials
