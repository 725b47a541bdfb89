"""Follows the database: new collection cycles, fleet changes and outages, off the GUI thread.

All queries run on one worker thread (a single-thread executor, like Anki's task
manager); results come back as plain dataclasses through queued signals.  A database
that disappears is reported once and retried; the window stays usable.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import time

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.services import fleet_state
from hashinsight_desktop.store.schema.alerts import alerts
from hashinsight_desktop.store.schema.fleet import miners
from hashinsight_desktop.store.schema.market import market_snapshots
from hashinsight_desktop.store.schema.system import collector_leases


@dataclasses.dataclass(frozen=True)
class FeedStatus:
    database_ok: bool
    message: str
    miners: int = 0
    active_alerts: int = 0
    last_cycle_ts: int | None = None
    last_cycle_ms: int | None = None
    last_cycle_lag_ms: int | None = None
    market_age_s: float | None = None
    leader: str | None = None
    last_cycle_age_s: float | None = None


class LiveFeed(QObject):
    records_ready = Signal(object)  # list[MinerRecord]
    cycle_ready = Signal(object)  # fleet_state.LiveCycle
    status_changed = Signal(object)  # FeedStatus
    _wake = Signal()  # from the PostgreSQL listener thread

    def __init__(self, engine: Engine, *, interval_ms: int = 2000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="hashinsight-db")
        self._pending: concurrent.futures.Future | None = None
        self._last_ts: int | None = None
        self._miner_count: int | None = None
        self._listener = None
        if engine.dialect.name == "postgresql":
            # Followers wake on the collector's NOTIFY; the timer is only a safety net.
            from hashinsight_desktop.services.notifications import CycleListener

            self._listener = CycleListener(engine.url, lambda _ts: self._wake.emit())
            interval_ms = max(interval_ms, 15_000)
        self._wake.connect(self.poll)
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self._timer.start()
        if self._listener is not None:
            self._listener.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._listener is not None:
            self._listener.stop()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def poll(self) -> None:
        """Ask the worker for news unless it is still busy with the previous question."""
        if self._pending is not None and not self._pending.done():
            return
        self._pending = self._executor.submit(self._check)

    def reload_records(self) -> None:
        self._miner_count = None
        self.poll()

    # --- worker thread ----------------------------------------------------------------
    def _check(self) -> None:
        try:
            status = self._read_status()
            if status.miners != self._miner_count:
                self._miner_count = status.miners
                self.records_ready.emit(fleet_state.load_miner_records(self._engine))
                self._last_ts = None  # the new rows need the latest values too
            if status.last_cycle_ts is not None and status.last_cycle_ts != self._last_ts:
                cycle = fleet_state.load_cycle(self._engine, status.last_cycle_ts)
                if cycle is not None:
                    self._last_ts = status.last_cycle_ts
                    self.cycle_ready.emit(cycle)
            self.status_changed.emit(status)
        except Exception as exc:  # an outage: report it, keep the window, retry next tick
            text = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
            self.status_changed.emit(FeedStatus(False, f"database unavailable: {text}"))

    def _read_status(self) -> FeedStatus:
        from hashinsight_desktop.store.schema.telemetry import collector_cycles

        with self._engine.connect() as conn:
            count = conn.scalar(select(func.count()).select_from(miners)) or 0
            active = conn.scalar(select(func.count()).select_from(alerts)
                                 .where(alerts.c.active.is_(True))) or 0
            last = conn.execute(select(collector_cycles.c.ts, collector_cycles.c.duration_ms,
                                       collector_cycles.c.lag_ms,
                                       collector_cycles.c.finished_at_ms)
                                .order_by(collector_cycles.c.ts.desc()).limit(1)).first()
            market_ts = conn.scalar(select(func.max(market_snapshots.c.ts)))
            lease = conn.execute(select(collector_leases.c.holder,
                                        collector_leases.c.expires_at_ms)).first()
        now = time.time()
        leader = None
        if lease is not None and lease.expires_at_ms > now * 1000:
            leader = lease.holder
        return FeedStatus(
            True, "connected", miners=count, active_alerts=active,
            last_cycle_ts=last.ts if last else None,
            last_cycle_ms=last.duration_ms if last else None,
            last_cycle_lag_ms=last.lag_ms if last else None,
            market_age_s=(now - market_ts) if market_ts else None,
            leader=leader,
            last_cycle_age_s=(now - last.finished_at_ms / 1000)
            if last and last.finished_at_ms else None,
        )
