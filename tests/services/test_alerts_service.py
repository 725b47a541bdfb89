"""Alerts in the database: dedupe while active, clear, reopen, acknowledge, list, rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.alerts.events import AlertCleared, AlertRaised
from hashinsight_desktop.core.alerts.frame import NO_RACK, CycleFrame
from hashinsight_desktop.core.alerts.hold import HoldState
from hashinsight_desktop.core.alerts.rules import evaluate_cycle
from hashinsight_desktop.services import alerts as svc
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.accounts import users
from hashinsight_desktop.store.schema.alerts import alert_rules, alerts
from hashinsight_desktop.store.schema.fleet import miners

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    target = resolve(db_url)
    admin.upgrade(target)
    eng = create_db_engine(target)
    with eng.begin() as conn:
        conn.execute(insert(miners), [{"id": i, "ip": f"10.0.0.{i}", "port": 4028}
                                      for i in range(1, 6)])
        conn.execute(insert(users), [{"id": 1, "username": "op", "role": "operator",
                                      "password_hash": "x"}])
    yield eng
    eng.dispose()


def hot(miner_id: int, value: float = 90.0) -> AlertRaised:
    return AlertRaised(miner_id, "temp_high", "critical", f"Temperature {value} °C", value)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_raise_dedupes_while_active_then_clears_and_reopens(engine: Engine) -> None:
    rules = svc.load_rules(engine)
    assert svc.apply_events(engine, [hot(1), hot(2)], rules=rules, now=at(0)) == \
        svc.ApplyResult(opened=2)
    result = svc.apply_events(engine, [hot(1, 92.0)], rules=rules, now=at(1))
    assert result == svc.ApplyResult(refreshed=1)
    active = {a.miner_id: a for a in svc.list_active(engine)}
    assert set(active) == {1, 2}
    one = active[1]
    assert one.value == 92.0 and one.started_at == at(0) and one.last_seen_at == at(1)
    with engine.connect() as conn:
        rule_id = conn.scalar(select(alert_rules.c.id).where(alert_rules.c.kind == "temp_high"))
        assert conn.scalar(select(alerts.c.rule_id).where(alerts.c.id == one.id)) == rule_id

    assert svc.apply_events(engine, [AlertCleared(1, "temp_high"), AlertCleared(3, "offline")],
                            now=at(2)) == svc.ApplyResult(cleared=1)
    assert [a.miner_id for a in svc.list_active(engine)] == [2]
    svc.apply_events(engine, [hot(1, 95.0)], now=at(3))  # a new episode: a new row
    history = svc.miner_history(engine, 1)
    assert [(h.active, h.value) for h in history] == [(True, 95.0), (False, 92.0)]
    assert history[1].cleared_at == at(2)


def test_acknowledge_keeps_the_first_ack_and_names_bad_ids(engine: Engine) -> None:
    svc.apply_events(engine, [hot(1), hot(2)], now=at(0))
    ids = [a.id for a in svc.list_active(engine)]
    assert svc.acknowledge(engine, ids[:1], user_id=1, now=at(5)) == 1
    assert svc.acknowledge(engine, ids, user_id=1, now=at(6)) == 1  # only the other one
    acked = {a.id: a for a in svc.list_active(engine, acknowledged=True)}
    assert acked[ids[0]].acknowledged_at == at(5) and acked[ids[0]].acknowledged_by == 1
    assert svc.list_active(engine, acknowledged=False) == []
    with pytest.raises(svc.AlertError, match="no alert with id 999"):
        svc.acknowledge(engine, [ids[0], 999], user_id=1)
    with pytest.raises(svc.AlertError, match="no user with id 42"):
        svc.acknowledge(engine, ids, user_id=42)


def test_list_active_filters_and_orders_by_severity(engine: Engine) -> None:
    svc.apply_events(engine, [
        hot(1),
        AlertRaised(2, "peer_outlier", "watch", "Hotter than rack peers", 4.2),
        AlertRaised(3, "hashrate_low", "warning", "Hashrate low", 50.0),
    ], now=at(0))
    svc.apply_events(engine, [AlertRaised(4, "peer_outlier", "watch", "Slower", -5.0)],
                     now=at(1))
    assert [a.miner_id for a in svc.list_active(engine)] == [1, 3, 4, 2]
    assert [a.miner_id for a in svc.list_active(engine, kinds=["peer_outlier"])] == [4, 2]
    assert [a.miner_id for a in svc.list_active(engine, severities=["critical", "warning"])] \
        == [1, 3]
    assert [a.miner_id for a in svc.list_active(engine, miner_ids=[2, 3])] == [3, 2]
    assert len(svc.list_active(engine, limit=2)) == 2
    with pytest.raises(svc.AlertError, match="unknown alert kind 'hot'"):
        svc.list_active(engine, kinds=["hot"])
    with pytest.raises(svc.AlertError, match="unknown severity 'loud'"):
        svc.list_active(engine, severities=["loud"])


def test_rules_load_and_edit(engine: Engine) -> None:
    rules = svc.load_rules(engine)
    assert rules["temp_high"].threshold == 80.0 and rules["hashrate_low"].duration_s == 600
    assert rules["hashrate_decline"].params == {"window_days": 7}
    changed = svc.update_rule(engine, "temp_high", threshold=85, duration_s=60)
    assert (changed.threshold, changed.duration_s, changed.severity) == (85.0, 60, "critical")
    assert svc.load_rules(engine)["temp_high"].threshold == 85.0
    assert svc.update_rule(engine, "offline", enabled=False).enabled is False
    with pytest.raises(svc.AlertError, match="no alert rule 'temp'"):
        svc.update_rule(engine, "temp", threshold=1)
    with pytest.raises(svc.AlertError, match="threshold of rule temp_high"):
        svc.update_rule(engine, "temp_high", threshold="hot")
    with pytest.raises(svc.AlertError, match="duration_s of rule temp_high"):
        svc.update_rule(engine, "temp_high", duration_s=-5)
    with pytest.raises(svc.AlertError, match="severity 'loud'"):
        svc.update_rule(engine, "temp_high", severity="loud")
    assert svc.load_rules(engine)["temp_high"].duration_s == 60  # failed edits changed nothing


def _frame(temps: list[float]) -> CycleFrame:
    n = len(temps)
    return CycleFrame(
        miner_id=np.arange(1, n + 1), status=np.full(n, "ok"), hashrate=np.full(n, 110.0),
        nominal=np.full(n, 110.0), temp_max=np.asarray(temps, float),
        fan_min=np.full(n, 4000.0), cooling=np.full(n, "air"),
        boards_present=np.full(n, 3.0), boards_expected=np.full(n, 3.0),
        pool_url=np.full(n, None, object), pool_user=np.full(n, None, object),
        expected_pool_url=np.full(n, None, object), expected_pool_user=np.full(n, None, object),
        model=np.full(n, "S19 Pro"), rack=np.full(n, NO_RACK))


def test_engine_to_database_round_trip_survives_a_restart(engine: Engine) -> None:
    """Cycles go through the real rules into the table; after a restart the state is
    rebuilt from the database so the old alert still clears."""
    rules = svc.load_rules(engine)
    state = HoldState()
    for minute in range(3):
        events = evaluate_cycle(_frame([70, 90, 70]), rules.values(), state,
                                now=at(minute).timestamp())
        svc.apply_events(engine, events, rules=rules, now=at(minute))
    assert [(a.miner_id, a.kind) for a in svc.list_active(engine)] == [(2, "temp_high")]
    assert len(svc.miner_history(engine, 2)) == 1  # three cycles, one row

    restarted = HoldState()
    assert svc.restore_state(engine, restarted) == 1
    events = evaluate_cycle(_frame([70, 70, 70]), rules.values(), restarted,
                            now=at(10).timestamp())
    assert svc.apply_events(engine, events, rules=rules, now=at(10)).cleared == 1
    assert svc.list_active(engine) == []


def test_naive_timestamps_are_refused(engine: Engine) -> None:
    with pytest.raises(svc.AlertError, match="timezone-aware"):
        svc.apply_events(engine, [hot(1)], now=dt.datetime(2026, 1, 1))
