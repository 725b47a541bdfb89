"""Alert evaluation after each cycle: rules and peer anomalies on the readings, events
stored on the writer thread after the cycle's own write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hashinsight_desktop.collector.convert import FleetMiner
from hashinsight_desktop.core.alerts.frame import frame_from_readings
from hashinsight_desktop.core.alerts.hold import HoldState
from hashinsight_desktop.core.alerts.rules import evaluate_cycle
from hashinsight_desktop.core.miners.reading import STATUS_OFFLINE, MinerReading
from hashinsight_desktop.services import alerts as alert_service
from hashinsight_desktop.store.schema.fleet import miners


class CycleAlerts:
    """One per collector: keeps each rule's hold timers between cycles."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state = HoldState()
        self.rules = alert_service.load_rules(engine)
        alert_service.restore_state(engine, self.state)
        self._racks: dict[int, int] = {}

    def reload(self) -> None:
        """Rules may have been edited; racks may have changed."""
        self.rules = alert_service.load_rules(self.engine)
        with self.engine.connect() as conn:
            self._racks = {m: r for m, r in conn.execute(select(miners.c.id, miners.c.rack_id))
                           if r is not None}

    def job(self, fleet: list[FleetMiner], readings: dict[int, MinerReading],
            ts: int) -> Callable[[], object]:
        """Evaluate now (collector thread), return the database write for the writer."""
        ids = [m.miner_id for m in fleet]
        rows = [readings.get(m.miner_id) or MinerReading(ip=m.ip, port=m.port,
                                                         status=STATUS_OFFLINE,
                                                         error="backoff: not polled")
                for m in fleet]
        frame = frame_from_readings(ids, rows, racks=self._racks)
        events = evaluate_cycle(frame, self.rules.values(), self.state, now=float(ts))
        engine, rules = self.engine, self.rules
        when = dt.datetime.fromtimestamp(ts, dt.UTC)
        return lambda: alert_service.apply_events(engine, events, rules=rules, now=when)
