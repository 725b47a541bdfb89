"""One collector per database: the PostgreSQL lease (fake clock) and the SQLite lock file."""

from __future__ import annotations

import pytest

from hashinsight_desktop.cli.main import main
from hashinsight_desktop.collector.cycle_store import CycleBatch, LeaseLost, write_cycle
from hashinsight_desktop.collector.leadership import (
    CollectorBusy,
    Lease,
    SqliteCollectorLock,
)
from hashinsight_desktop.collector.runner import CollectorRunner, RunnerOptions
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve


class FakeClock:
    def __init__(self) -> None:
        self.now_ms = 1_700_000_000_000

    def __call__(self) -> int:
        return self.now_ms


def _empty_batch(ts: int, fence) -> CycleBatch:
    return CycleBatch(ts=ts, raw_rows=[], aggregates=[], snapshots=[], families={},
                      cycle={"ts": ts, "started_at_ms": ts * 1000, "polled": 0, "ok": 0,
                             "failed": 0}, fence=fence)


def test_lease_takeover_with_two_holders(db_url):
    engine = open_for_use(resolve(db_url))
    clock = FakeClock()
    a = Lease(engine, holder="A", ttl_ms=120_000, clock=clock)
    b = Lease(engine, holder="B", ttl_ms=120_000, clock=clock)
    try:
        assert a.acquire_or_renew() and a.term == 1
        assert not b.acquire_or_renew()  # A's lease is live
        clock.now_ms += 60_000
        assert a.acquire_or_renew() and a.term == 1  # renewal keeps the term
        clock.now_ms += 119_000
        assert not b.acquire_or_renew()  # renewed 119 s ago: still A's
        clock.now_ms += 2_000  # A stalled past its expiry
        assert b.acquire_or_renew() and b.term == 2  # takeover bumps the fencing term
        stale_fence = a.fence
        assert not a.acquire_or_renew() and a.term is None  # A learns it lost
        assert b.current_holder() == ("B", 2, clock.now_ms + 120_000)
        if engine.dialect.name == "postgresql":
            # the deposed leader's in-flight cycle is refused inside the write transaction
            with pytest.raises(LeaseLost, match="taken over"):
                write_cycle(engine, _empty_batch(1_700_000_000, stale_fence))
            assert write_cycle(engine, _empty_batch(1_700_000_060, b.fence)) == 0
        b.release()  # a clean stop hands over at once, without waiting for the TTL
        assert a.acquire_or_renew() and a.term == 3
    finally:
        engine.dispose()


def test_second_sqlite_collector_is_refused(sqlite_url, capsys):
    target = resolve(sqlite_url)
    open_for_use(target).dispose()
    held = SqliteCollectorLock(target.sqlite_path)
    held.acquire()
    try:
        code = main(["collect", "--once", "--db", sqlite_url])
        err = capsys.readouterr().err
        assert code != 0
        assert "already running on this SQLite database" in err
        assert ".collector.lock" in err
        engine = open_for_use(target)
        runner = CollectorRunner(engine, target, RunnerOptions())
        with pytest.raises(CollectorBusy):
            runner.start()
        engine.dispose()
    finally:
        held.release()
    # released: the next collector gets in
    again = SqliteCollectorLock(target.sqlite_path)
    again.acquire()
    again.release()
