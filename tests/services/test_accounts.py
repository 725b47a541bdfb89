import datetime as dt

import pytest

from hashinsight_desktop.services import accounts
from hashinsight_desktop.services.passwords import hash_password, verify_password
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve


@pytest.fixture
def engine(db_url):
    target = resolve(db_url)
    admin.upgrade(target)
    e = create_db_engine(target)
    yield e
    e.dispose()


def test_scrypt_round_trip() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("wrong horse", stored)
    assert not verify_password("x", "garbage")


def test_first_owner_then_login(engine) -> None:
    assert not accounts.users_exist(engine)
    owner = accounts.create_first_owner(engine, "alice", "s3cure-pass")
    assert owner.role == "owner"
    with pytest.raises(accounts.AccountError, match="exist already"):
        accounts.create_first_owner(engine, "mallory", "s3cure-pass")
    session = accounts.authenticate(engine, "ALICE", "s3cure-pass", delay=False)
    assert session.user_id == owner.user_id


def test_lockout_after_repeated_failures(engine) -> None:
    accounts.create_first_owner(engine, "bob", "s3cure-pass")
    now = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.AccountError, match="wrong user name or password"):
            accounts.authenticate(engine, "bob", "nope-nope", now=now, delay=False)
    with pytest.raises(accounts.AccountError, match="locked"):
        accounts.authenticate(engine, "bob", "s3cure-pass", now=now, delay=False)
    later = now + dt.timedelta(minutes=accounts.LOCK_MINUTES + 1)
    assert accounts.authenticate(engine, "bob", "s3cure-pass", now=later, delay=False)


def test_bad_accounts_are_refused(engine) -> None:
    with pytest.raises(accounts.AccountError, match="at least 8"):
        accounts.create_user(engine, "carol", "short", "admin")
    with pytest.raises(accounts.AccountError, match="unknown role"):
        accounts.create_user(engine, "carol", "long-enough", "god")
    with pytest.raises(accounts.AccountError, match="belong to a customer"):
        accounts.create_user(engine, "carol", "long-enough", "client")
    accounts.create_user(engine, "carol", "long-enough", "sales")
    with pytest.raises(accounts.AccountError, match="taken"):
        accounts.create_user(engine, "Carol", "long-enough", "sales")


def test_change_password(engine) -> None:
    s = accounts.create_first_owner(engine, "dan", "first-pass")
    with pytest.raises(accounts.AccountError):
        accounts.change_password(engine, s, "wrong-old", "second-pass")
    accounts.change_password(engine, s, "first-pass", "second-pass")
    assert accounts.authenticate(engine, "dan", "second-pass", delay=False)
