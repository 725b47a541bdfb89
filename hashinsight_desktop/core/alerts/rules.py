"""Evaluate the alert rules over one poll cycle, with per-rule durations.

    state = HoldState()                       # lives as long as the collector
    events = evaluate_cycle(frame, rules, state, now=time.time())

A condition must hold for the rule's ``duration_s`` before the alert fires; while it
fires, each cycle emits :class:`AlertRaised` again (``new`` only the first time) so the
store can refresh it; when the condition stops holding an :class:`AlertCleared` follows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from hashinsight_desktop.core.alerts.anomaly import decline_trend
from hashinsight_desktop.core.alerts.conditions import CONDITIONS
from hashinsight_desktop.core.alerts.events import AlertCleared, AlertEvent, AlertRaised, AlertRule
from hashinsight_desktop.core.alerts.frame import CycleFrame
from hashinsight_desktop.core.alerts.hold import HoldOutcome, HoldState

DECLINE_KIND = "hashrate_decline"
DECLINE_P_VALUE = 0.05  # one-sided: accept a decline when chance alone gives < 5 %


def _fmt(value: float, unit: str = "") -> str:
    return "?" if value is None or math.isnan(value) else f"{value:.1f}{unit}"


def _message(kind: str, frame: CycleFrame, i: int, rule: AlertRule, value: float) -> str:
    t = rule.threshold
    if kind == "temp_high":
        return f"Temperature {_fmt(value, ' °C')} over {_fmt(t or 80.0, ' °C')}"
    if kind == "hashrate_low":
        return (f"Hashrate {_fmt(frame.hashrate[i], ' TH/s')} is {_fmt(value, ' %')} of nominal "
                f"{_fmt(frame.nominal[i], ' TH/s')} (under {_fmt(t or 80.0, ' %')})")
    if kind == "offline":
        return f"Miner {frame.status[i]}: no valid answer for {rule.duration_s} s or more"
    if kind == "fan_failure":
        return f"Slowest fan at {value:.0f} rpm (under {_fmt(t or 500.0, ' rpm')})"
    if kind == "hashboard_missing":
        return (f"{value:.0f} of {frame.boards_expected[i]:.0f} hashboards working")
    if kind == "wrong_pool":
        return (f"Mining on {frame.pool_url[i]} as {frame.pool_user[i]}, expected "
                f"{frame.expected_pool_url[i] or 'any pool'} as "
                f"{frame.expected_pool_user[i] or 'any user'}")
    if kind == "peer_outlier":
        what = "hotter" if value > 0 else "slower"
        return f"{what.capitalize()} than rack peers of model {frame.model[i]} (robust z {value:+.1f})"
    return kind


def _events(kind: str, rule: AlertRule, ids: np.ndarray, outcome: HoldOutcome,
            value: np.ndarray, message) -> list[AlertEvent]:
    events: list[AlertEvent] = []
    for i in np.flatnonzero(outcome.fire):
        v = float(value[i])
        events.append(AlertRaised(
            miner_id=int(ids[i]), kind=kind, severity=rule.severity, message=message(i, v),
            value=None if math.isnan(v) else v, new=bool(outcome.new[i])))
    events.extend(AlertCleared(miner_id=int(ids[i]), kind=kind)
                  for i in np.flatnonzero(outcome.clear))
    return events


def evaluate_cycle(frame: CycleFrame, rules: Iterable[AlertRule], state: HoldState,
                   now: float) -> list[AlertEvent]:
    """Events for one cycle; disabled rules and the day-scale decline rule are skipped."""
    events: list[AlertEvent] = []
    for rule in rules:
        if not rule.enabled or rule.kind not in CONDITIONS:
            continue
        cond = CONDITIONS[rule.kind](frame, rule)
        outcome = state.update(rule.kind, frame.miner_id, cond.holds, cond.known, now,
                               rule.duration_s)
        events.extend(_events(
            rule.kind, rule, frame.miner_id, outcome, cond.value,
            lambda i, v, r=rule: _message(r.kind, frame, i, r, v)))
    return events


def evaluate_decline(miner_ids: Sequence[int] | np.ndarray, daily_ths: np.ndarray,
                     rule: AlertRule, state: HoldState, now: float) -> list[AlertEvent]:
    """Slow-decline events from daily mean hashrates (miners x days, oldest first, NaN gaps).

    Run once a day over the rule's ``window_days``.  ``threshold`` is the decline in
    %/week that counts; ``duration_s`` is the least span of data, in days of data, to
    judge (3 days by default), so a new miner is not judged on one day.
    """
    ids = np.asarray(miner_ids, dtype=np.int64)
    daily = np.atleast_2d(np.asarray(daily_ths, dtype=float))
    if daily.shape[0] != len(ids):
        raise ValueError(f"daily_ths has {daily.shape[0]} rows for {len(ids)} miners")
    if not rule.enabled:
        return []
    limit = 5.0 if rule.threshold is None else rule.threshold
    min_days = max(3, math.ceil(rule.duration_s / 86400))
    trend = decline_trend(daily)
    known = trend.days >= min_days
    with np.errstate(invalid="ignore"):
        holds = known & (trend.pct_per_week <= -limit) & (trend.p_value < DECLINE_P_VALUE)
    outcome = state.update(DECLINE_KIND, ids, holds, known, now, 0)

    def message(i: int, v: float) -> str:
        return (f"Hashrate declining {abs(v):.1f} %/week over {int(trend.days[i])} days "
                f"(p = {trend.p_value[i]:.3f})")

    return _events(DECLINE_KIND, rule, ids, outcome, trend.pct_per_week, message)
