"""User accounts: the first owner, login with lock-out, password changes.

On PostgreSQL the accounts live in the shared database, so every workstation sees the
same users.  After ``MAX_FAILURES`` wrong passwords in a row an account is locked for
``LOCK_MINUTES``; every failed attempt also waits ``FAILURE_DELAY_S`` (slows guessing).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine

from hashinsight_desktop.services.passwords import (
    hash_password,
    password_problem,
    verify_password,
)
from hashinsight_desktop.store.schema.accounts import ROLES, users

MAX_FAILURES = 5
LOCK_MINUTES = 15
FAILURE_DELAY_S = 0.5


class AccountError(ValueError):
    """Refused: the message says why (never whether a user name exists)."""


@dataclasses.dataclass(frozen=True)
class Session:
    user_id: int
    username: str
    role: str
    customer_id: int | None = None


def users_exist(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.scalar(select(func.count()).select_from(users)))


def create_user(engine: Engine, username: str, password: str, role: str, *,
                customer_id: int | None = None, display_name: str | None = None) -> Session:
    username = username.strip()
    if not username or len(username) > 64:
        raise AccountError("the user name must have 1 to 64 characters")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    if role == "client" and customer_id is None:
        raise AccountError("a client account must belong to a customer")
    if problem := password_problem(password):
        raise AccountError(problem)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(
                func.lower(users.c.username) == username.lower())).first():
            raise AccountError(f"the user name {username!r} is taken")
        user_id = conn.execute(insert(users).values(
            username=username, display_name=display_name, role=role,
            customer_id=customer_id, password_hash=hash_password(password),
        )).inserted_primary_key[0]
    return Session(int(user_id), username, role, customer_id)


def create_first_owner(engine: Engine, username: str, password: str) -> Session:
    """Only on an empty accounts table: the first run creates the owner."""
    if users_exist(engine):
        raise AccountError("accounts exist already: ask an owner or admin to create yours")
    return create_user(engine, username, password, "owner")


def authenticate(engine: Engine, username: str, password: str, *,
                 now: dt.datetime | None = None, delay: bool = True) -> Session:
    now = now or dt.datetime.now(dt.UTC)
    refusal: str | None = None
    # The failure count is committed before refusing (raising inside the transaction
    # would roll it back and make the lock-out useless).
    with engine.begin() as conn:
        row = conn.execute(select(users).where(
            func.lower(users.c.username) == username.strip().lower())).first()
        if row is None or row.disabled:
            refusal = "wrong user name or password"
        else:
            locked_until = row.locked_until
            if locked_until is not None and locked_until.tzinfo is None:
                locked_until = locked_until.replace(tzinfo=dt.UTC)
            if locked_until is not None and locked_until > now:
                minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
                raise AccountError(f"this account is locked after repeated failures; "
                                   f"try again in {minutes} min or ask an admin")
            if verify_password(password, row.password_hash):
                conn.execute(update(users).where(users.c.id == row.id)
                             .values(failed_attempts=0, locked_until=None))
            else:
                failures = row.failed_attempts + 1
                values: dict[str, object] = {"failed_attempts": failures}
                if failures >= MAX_FAILURES:
                    values = {"failed_attempts": 0,
                              "locked_until": now + dt.timedelta(minutes=LOCK_MINUTES)}
                conn.execute(update(users).where(users.c.id == row.id).values(**values))
                refusal = "wrong user name or password"
    if refusal:
        _slow_down(delay)
        raise AccountError(refusal)
    return Session(row.id, row.username, row.role, row.customer_id)


def change_password(engine: Engine, session: Session, old: str, new: str) -> None:
    if problem := password_problem(new):
        raise AccountError(problem)
    authenticate(engine, session.username, old, delay=True)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == session.user_id)
                     .values(password_hash=hash_password(new)))


def _slow_down(delay: bool) -> None:
    if delay:
        time.sleep(FAILURE_DELAY_S)


def demo_session(engine: Engine) -> Session:
    """The demo farm's database signs in as its owner 'demo' (created on first use with a
    random password: the demo database is local and holds only simulated miners)."""
    import secrets

    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == "demo")).first()
    if row is not None:
        return Session(row.id, row.username, row.role, row.customer_id)
    if users_exist(engine):
        raise AccountError("this database has accounts and no demo user: sign in normally")
    return create_first_owner(engine, "demo", secrets.token_urlsafe(24))
