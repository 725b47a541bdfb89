"""The long-running collector: a cycle every interval on a worker thread.

Each tick: make sure we lead (SQLite: the lock file taken at start; PostgreSQL: renew
or take the lease, else stay a follower and retry next tick), poll, hand the batch to
the writer, then queue the maintenance due at that point: the 5-minute rollup when
this was the last cycle of a 5-minute bucket, the hourly rollup when an hour closes,
retention once an hour.  Maintenance runs on the same writer thread, after the cycle
it depends on.  ``stop()`` finishes the current cycle and queued writes, then releases
leadership so a follower takes over at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from hashinsight_desktop.collector.backoff import Backoff
from hashinsight_desktop.collector.cycle import CycleResult, CycleSettings, collect_cycle
from hashinsight_desktop.collector.cycle_store import LeaseLost
from hashinsight_desktop.collector.leadership import Lease, SqliteCollectorLock
from hashinsight_desktop.collector.writer import DbWriter
from hashinsight_desktop.store.database import DatabaseTarget
from hashinsight_desktop.store.telemetry_writer import RetentionPolicy, prune, rollup

log = logging.getLogger(__name__)
BUCKET_5M = 300
BUCKET_1H = 3600


@dataclasses.dataclass(frozen=True)
class RunnerOptions:
    cycle: CycleSettings = dataclasses.field(default_factory=CycleSettings)
    retention: RetentionPolicy = dataclasses.field(default_factory=RetentionPolicy)
    alerts: bool = True
    # Seconds between market data fetches; None: no fetching (tests, offline sites).
    market_interval_s: int | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> RunnerOptions:
        return cls(cycle=CycleSettings.from_settings(settings),
                   retention=RetentionPolicy(
                       raw_hours=int(settings.get("retention.raw_hours")),
                       rollup_5m_days=int(settings.get("retention.rollup_5m_days")),
                       hourly_days=int(settings.get("retention.hourly_days"))),
                   market_interval_s=None if os.environ.get("HASHINSIGHT_OFFLINE")
                   else int(settings.get("collector.market_interval_s")))


def maintenance_due(ts: int, interval_s: int) -> list[tuple[str, int]]:
    """What closes with the cycle at ``ts``: ('5m', bucket), ('1h', bucket), ('prune', ts)."""
    due: list[tuple[str, int]] = []
    nxt = ts + interval_s
    if nxt // BUCKET_5M != ts // BUCKET_5M:
        due.append(("5m", ts // BUCKET_5M * BUCKET_5M))
    if nxt // BUCKET_1H != ts // BUCKET_1H:
        due.append(("1h", ts // BUCKET_1H * BUCKET_1H))
        due.append(("prune", ts))
    return due


class CollectorRunner:
    def __init__(self, engine: Engine, target: DatabaseTarget, options: RunnerOptions, *,
                 on_cycle: Callable[[CycleResult], None] | None = None) -> None:
        self.engine, self.target, self.options = engine, target, options
        self.on_cycle = on_cycle
        self.cycles_done = 0
        self.error: BaseException | None = None
        self.is_leader = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._writer: DbWriter | None = None
        self._backoff = Backoff()
        # The lease outlives one cycle but expires before the second tick after the
        # leader's last renewal, so a follower takes over within two cycles of a crash.
        self._lease = None if target.is_sqlite else Lease(
            engine, ttl_ms=int(1.8 * options.cycle.interval_s * 1000))
        self._file_lock = (SqliteCollectorLock(target.sqlite_path)
                           if target.is_sqlite and target.sqlite_path else None)
        self._pending: list[concurrent.futures.Future[Any]] = []
        self._alerts = None
        self._market_thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Take the SQLite lock (raises CollectorBusy) and start the worker thread."""
        if self._file_lock is not None:
            self._file_lock.acquire()
        self._writer = DbWriter()
        self._thread = threading.Thread(target=self._run, name="collector", daemon=True)
        self._thread.start()
        if self.options.market_interval_s:
            self._market_thread = threading.Thread(target=self._market_loop, name="market",
                                                   daemon=True)
            self._market_thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._writer is not None:
            self._writer.close(timeout)
        if self._lease is not None and self._lease.term is not None:
            try:
                self._lease.release()
            except Exception:  # the database may be gone; the lease then just expires
                log.exception("could not release the collector lease")
        if self._file_lock is not None:
            self._file_lock.release()

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------ the loop
    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            interval = self.options.cycle.interval_s
            ts = int(time.time()) // interval * interval
            while not self._stop.is_set():
                self._tick(loop, ts)
                ts += interval
                delay = ts - time.time()
                if delay < 0:  # overran: skip missed slots rather than pile up cycles
                    ts = int(time.time()) // interval * interval
                    delay = 0
                if self._stop.wait(delay):
                    break
        except BaseException as exc:
            self.error = exc
            log.exception("collector stopped on an error")
        finally:
            loop.close()

    def _tick(self, loop: asyncio.AbstractEventLoop, ts: int) -> None:
        self._reap_writes()
        if self._lease is not None:
            self.is_leader = self._lease.acquire_or_renew()
            if not self.is_leader:
                return
        else:
            self.is_leader = True
        assert self._writer is not None
        after_poll = None
        if self.options.alerts:
            if self._alerts is None:
                from hashinsight_desktop.collector.alerting import CycleAlerts

                self._alerts = CycleAlerts(self.engine)
            if self.cycles_done % 10 == 0:
                self._alerts.reload()
            alerts, writer = self._alerts, self._writer

            def after_poll(fleet, readings, at) -> None:
                self._pending.append(writer.submit(alerts.job(fleet, readings, at)))

        result, written = loop.run_until_complete(collect_cycle(
            self.engine, self._writer, settings=self.options.cycle, backoff=self._backoff,
            cycle_no=self.cycles_done, ts=ts,
            fence=self._lease.fence if self._lease else None, after_poll=after_poll))
        self._pending.append(written)
        for kind, at in maintenance_due(ts, self.options.cycle.interval_s):
            self._pending.append(self._writer.submit(self._maintenance_job(kind, at)))
        self.cycles_done += 1
        if self.on_cycle is not None:
            self.on_cycle(result)

    def _market_loop(self) -> None:
        """Fetch market data every interval while leader; never stops on network errors."""
        from hashinsight_desktop.core.market.resilience import Resilience, fetch_market, make_client
        from hashinsight_desktop.services.market_cache import store_fetch

        resilience = Resilience()  # breaker state carries from one fetch to the next
        interval = float(self.options.market_interval_s or 900)
        while not self._stop.is_set():
            if self.is_leader:
                try:
                    with make_client() as client:
                        fetch = fetch_market(client, resilience=resilience)
                    store_fetch(self.engine, fetch)
                except Exception:  # logged; the cache keeps its last values
                    log.exception("market data fetch failed")
            if self._stop.wait(interval):
                break

    def _maintenance_job(self, kind: str, at: int) -> Callable[[], object]:
        engine, interval = self.engine, self.options.cycle.interval_s
        if kind == "5m":
            return lambda: rollup(engine, source="telemetry_raw", target="telemetry_5m",
                                  bucket_s=BUCKET_5M, start=at, sample_s=interval)
        if kind == "1h":
            return lambda: rollup(engine, source="telemetry_5m", target="telemetry_1h",
                                  bucket_s=BUCKET_1H, start=at, sample_s=BUCKET_5M)
        policy = self.options.retention
        return lambda: prune(engine, now=at, policy=policy)

    def _reap_writes(self) -> None:
        """Surface finished writes' errors; a fenced-out write means we lost the lead."""
        still: list[concurrent.futures.Future[Any]] = []
        for future in self._pending:
            if not future.done():
                still.append(future)
                continue
            exc = future.exception()
            if isinstance(exc, LeaseLost):
                log.warning("%s", exc)
                if self._lease is not None:
                    self._lease.term = None
            elif exc is not None:
                log.error("collector write failed: %s", exc)
        self._pending = still
