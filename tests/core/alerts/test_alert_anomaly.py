"""Peer outliers within model and rack, and slow decline by Theil-Sen + Mann-Kendall."""

from __future__ import annotations

import numpy as np
import pytest
from alerts_frames import make_frame

from hashinsight_desktop.core.alerts.anomaly import decline_trend, peer_group_keys, robust_z
from hashinsight_desktop.core.alerts.events import AlertCleared, AlertRaised, AlertRule
from hashinsight_desktop.core.alerts.hold import HoldState
from hashinsight_desktop.core.alerts.rules import evaluate_cycle, evaluate_decline

PEER = AlertRule("peer_outlier", 3.5, 0, "watch")
DECLINE = AlertRule("hashrate_decline", 5.0, 3 * 86400, "watch", params={"window_days": 7})


def rack_frame(temps, hashrates=None, model="S19 Pro", rack=1, ids=None):
    n = len(temps)
    return make_frame(
        n, temp_max=temps, hashrate=hashrates if hashrates is not None else [110.0] * n,
        model=[model] * n, rack=[rack] * n,
        miner_id=ids if ids is not None else np.arange(1, n + 1))


def peer_ids(frame) -> set[int]:
    return {e.miner_id for e in evaluate_cycle(frame, [PEER], HoldState(), now=0)
            if isinstance(e, AlertRaised)}


def test_uniform_rack_raises_nothing() -> None:
    rng = np.random.default_rng(7)
    temps = 72 + rng.normal(0, 0.8, 20)
    hashrates = 110 + rng.normal(0, 1.0, 20)
    assert peer_ids(rack_frame(temps, hashrates)) == set()
    # identical readings (MAD = 0) are uniform too
    assert peer_ids(rack_frame([70.0] * 10)) == set()


def test_one_hot_miner_is_flagged_with_watch_severity() -> None:
    rng = np.random.default_rng(11)
    temps = 72 + rng.normal(0, 0.8, 20)
    temps[6] = 79.0  # 7 deg C over its peers yet under the fixed 80 deg C rule
    events = evaluate_cycle(rack_frame(temps), [PEER], HoldState(), now=0)
    assert [(e.miner_id, e.severity) for e in events] == [(7, "watch")]
    assert events[0].value > 3.5 and "Hotter" in events[0].message


def test_one_slow_miner_is_flagged() -> None:
    hashrates = [110.0, 111.0, 109.5, 110.5, 90.0, 110.2, 109.8]
    events = evaluate_cycle(rack_frame([70.0] * 7, hashrates), [PEER], HoldState(), now=0)
    assert [e.miner_id for e in events] == [5] and events[0].value < -3.5


def test_small_difference_on_a_tight_rack_is_not_an_outlier() -> None:
    """z is huge when peers are identical, but 1 deg C is not worth an alert."""
    assert peer_ids(rack_frame([70.0] * 9 + [71.0])) == set()


def test_too_few_peers_or_other_racks_do_not_count() -> None:
    assert peer_ids(rack_frame([70.0, 70.0, 70.0, 90.0])) == set()  # 4 < min_peers 5
    # the hot miner's peers are another model: it is alone in its group
    mixed = make_frame(8, temp_max=[70.0] * 7 + [90.0], rack=[1] * 8,
                       model=["S19 Pro"] * 7 + ["M30S++"])
    assert peer_ids(mixed) == set()


def test_offline_miners_take_no_part() -> None:
    frame = make_frame(6, temp_max=[70, 70, 70, 70, 70, np.nan], rack=[1] * 6,
                       status=["ok"] * 5 + ["offline"])
    assert peer_ids(frame) == set()


def test_peer_alert_waits_for_its_duration() -> None:
    rule = AlertRule("peer_outlier", 3.5, 1800, "watch")
    frame = rack_frame([70.0] * 9 + [85.0])
    state = HoldState()
    assert evaluate_cycle(frame, [rule], state, now=0) == []
    assert evaluate_cycle(frame, [rule], state, now=1799) == []
    assert [e.miner_id for e in evaluate_cycle(frame, [rule], state, now=1800)] == [10]


def test_robust_z_ignores_the_outlier_in_its_reference() -> None:
    values = np.array([10.0, 11.0, 9.0, 10.0, 10.5, 9.5, 100.0])
    z, med = robust_z(values, np.zeros(7, int), min_peers=5)
    assert med[0] == 10.0
    assert z[-1] > 50 and np.all(np.abs(z[:-1]) < 2)


def test_group_keys_isolate_unracked_miners() -> None:
    keys = peer_group_keys(np.array(["a", "a", "a", ""]), np.array([1, -1, -1, 1]))
    assert len(set(keys)) == 4


# --- decline -----------------------------------------------------------------------------

def series(start: float, pct_per_week: float, days: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    return start * (1 + pct_per_week / 100 * t / 7) + rng.normal(0, noise, days)


def test_decline_trend_recovers_a_synthetic_slope() -> None:
    daily = np.vstack([series(110, -10, 7, 0.3, 1), series(110, 0, 7, 0.3, 2)])
    trend = decline_trend(daily)
    assert trend.pct_per_week[0] == pytest.approx(-10, abs=1.5)
    assert abs(trend.pct_per_week[1]) < 2
    assert trend.p_value[0] < 0.01 and trend.p_value[1] > 0.05


def test_one_bad_day_does_not_fake_a_decline() -> None:
    flat = np.full(7, 110.0) + np.array([0.2, -0.1, 0.1, -0.2, 0.0, 0.1, -0.1])
    flat[5] = 40.0  # a day mostly offline
    trend = decline_trend(flat[None, :])
    assert abs(trend.pct_per_week[0]) < 2


def test_decline_events_only_for_significant_decline_over_threshold() -> None:
    daily = np.vstack([
        series(110, -10, 7, 0.3, 3),  # 1: clear decline
        series(110, -2, 7, 0.3, 4),  # 2: under the 5 %/week threshold
        series(110, 0, 7, 3.0, 5),  # 3: noisy but flat
        np.r_[np.full(5, np.nan), 110.0, 100.0],  # 4: two days only: not judged
    ])
    state = HoldState()
    events = evaluate_decline([1, 2, 3, 4], daily, DECLINE, state, now=0)
    assert [(e.miner_id, e.severity) for e in events] == [(1, "watch")]
    assert "declining" in events[0].message and events[0].value < -5
    # next day it recovered: the alert clears
    events = evaluate_decline([1, 2, 3, 4], np.vstack([series(110, 0, 7, 0.1, 6)] * 4),
                              DECLINE, state, now=86400)
    assert [e for e in events if isinstance(e, AlertCleared)] == [AlertCleared(1, "hashrate_decline")]


def test_decline_handles_gaps_and_rejects_mismatched_rows() -> None:
    daily = series(110, -12, 7, 0.2, 8)
    daily[[1, 4]] = np.nan
    events = evaluate_decline([1], daily[None, :], DECLINE, HoldState(), now=0)
    assert [e.miner_id for e in events] == [1]
    with pytest.raises(ValueError, match="rows"):
        evaluate_decline([1, 2], daily[None, :], DECLINE, HoldState(), now=0)
