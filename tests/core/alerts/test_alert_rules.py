"""Each rule fires only after its duration, only for the right miners, and clears."""

from __future__ import annotations

import numpy as np
import pytest
from alerts_frames import make_frame

from hashinsight_desktop.core.alerts.events import AlertCleared, AlertRaised, AlertRule
from hashinsight_desktop.core.alerts.frame import CycleFrame, frame_from_readings
from hashinsight_desktop.core.alerts.hold import HoldState
from hashinsight_desktop.core.alerts.rules import evaluate_cycle
from hashinsight_desktop.core.miners.reading import Hashboard, MinerReading

DEFAULT_RULES = {
    "temp_high": AlertRule("temp_high", 80.0, 0, "critical"),
    "hashrate_low": AlertRule("hashrate_low", 80.0, 600, "warning"),
    "offline": AlertRule("offline", None, 300, "critical"),
    "fan_failure": AlertRule("fan_failure", 500.0, 120, "critical"),
    "hashboard_missing": AlertRule("hashboard_missing", None, 300, "critical"),
    "wrong_pool": AlertRule("wrong_pool", None, 300, "warning"),
    "peer_outlier": AlertRule("peer_outlier", 3.5, 1800, "watch"),
}


def raised(events, kind: str) -> set[int]:
    return {e.miner_id for e in events if isinstance(e, AlertRaised) and e.kind == kind}


def cleared(events, kind: str) -> set[int]:
    return {e.miner_id for e in events if isinstance(e, AlertCleared) and e.kind == kind}


def run_cycles(frame: CycleFrame, rule: AlertRule, times: list[float]) -> list[list]:
    state = HoldState()
    return [evaluate_cycle(frame, [rule], state, now=t) for t in times]


# kind, column overrides that break miners 2 and 4 of 5, then a healthy value
CASES = [
    ("temp_high", {"temp_max": [70, 85, 79.9, 90, 80]}),
    ("hashrate_low", {"hashrate": [110, 80, 100, 10, 88]}),
    ("offline", {"status": ["ok", "offline", "curtailed", "error", "degraded"]}),
    ("fan_failure", {"fan_min": [4000, 0, 600, 120, 500]}),
    ("hashboard_missing", {"boards_present": [3, 2, 3, 0, 3]}),
    ("wrong_pool", {"expected_pool_url": ["pool.example:3333"] * 5,
                    "expected_pool_user": ["farm"] * 5,
                    "pool_user": ["farm.w1", "thief.w1", "farm_w2", "farm.w4", "farm"],
                    "pool_url": ["stratum+tcp://POOL.example:3333/", "pool.example:3333",
                                 "pool.example:3333", "stratum+tcp://evil:3333",
                                 "pool.example:3333"]}),
]


@pytest.mark.parametrize(("kind", "columns"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_after_duration_for_the_right_miners(kind: str, columns: dict) -> None:
    rule = DEFAULT_RULES[kind]
    frame = make_frame(5, **columns)
    d = rule.duration_s
    times = [1000.0, 1000.0 + d - 1, 1000.0 + d, 1000.0 + d + 60]
    cycles = run_cycles(frame, rule, times)
    if d > 0:
        assert cycles[0] == [] and cycles[1] == []  # not yet held long enough
        fired_at = 2
    else:
        fired_at = 0
    assert raised(cycles[fired_at], kind) == {2, 4}
    assert all(e.new for e in cycles[fired_at])
    # while it holds it is raised again each cycle (the store refreshes), not as new
    assert raised(cycles[3], kind) == {2, 4}
    assert not any(e.new for e in cycles[3])


def test_condition_interrupted_restarts_the_timer_and_clears() -> None:
    rule = DEFAULT_RULES["hashrate_low"]
    state = HoldState()
    low = make_frame(2, hashrate=[50, 110])
    ok = make_frame(2)
    assert evaluate_cycle(low, [rule], state, now=0) == []
    assert evaluate_cycle(ok, [rule], state, now=300) == []  # healthy: timer reset
    assert evaluate_cycle(low, [rule], state, now=360) == []
    assert evaluate_cycle(low, [rule], state, now=900) == []  # 540 s since restart
    assert raised(evaluate_cycle(low, [rule], state, now=960), "hashrate_low") == {1}
    events = evaluate_cycle(ok, [rule], state, now=1020)
    assert cleared(events, "hashrate_low") == {1} and raised(events, "hashrate_low") == set()
    assert evaluate_cycle(ok, [rule], state, now=1080) == []  # cleared once only


def test_unknown_values_neither_clear_nor_restart() -> None:
    """An offline miner reports no temperature: its temperature alert stays as it was."""
    rule = DEFAULT_RULES["temp_high"]
    state = HoldState()
    assert raised(evaluate_cycle(make_frame(1, temp_max=[90]), [rule], state, now=0),
                  "temp_high") == {1}
    gone = make_frame(1, temp_max=[np.nan], status=["offline"])
    assert evaluate_cycle(gone, [rule], state, now=60) == []
    assert cleared(evaluate_cycle(make_frame(1), [rule], state, now=120), "temp_high") == {1}


def test_curtailed_miner_is_not_slow() -> None:
    rule = AlertRule("hashrate_low", 80.0, 0, "warning")
    state = HoldState()
    assert raised(evaluate_cycle(make_frame(1, hashrate=[10]), [rule], state, now=0),
                  "hashrate_low") == {1}
    curtailed = make_frame(1, hashrate=[0], status=["curtailed"])
    assert cleared(evaluate_cycle(curtailed, [rule], state, now=60), "hashrate_low") == {1}


def test_liquid_cooled_fans_at_zero_are_not_a_failure() -> None:
    rule = AlertRule("fan_failure", 500.0, 0, "critical")
    frame = make_frame(4, fan_min=[0, 0, 0, 0], cooling=["hydro", "immersion", "air", ""],
                       model=["S19 XP Hyd", "S19 Pro", "S19 Pro", "Mystery"])
    events = evaluate_cycle(frame, [rule], HoldState(), now=0)
    assert raised(events, "fan_failure") == {3}  # air only; unknown model at 0 rpm is ambiguous


def test_hydro_reading_through_the_catalog_raises_no_fan_failure() -> None:
    """Real path: a Hydro model polled with its fans at 0 rpm, cooling from the catalog."""
    readings = [
        MinerReading(ip="10.0.0.1", port=4028, model="Antminer S21 Hyd", status="ok",
                     hashrate_ths=335.0, temp_max_c=60.0, fans_rpm=[0, 0]),
        MinerReading(ip="10.0.0.2", port=4028, model="Antminer S19 Pro", status="ok",
                     hashrate_ths=110.0, temp_max_c=70.0, fans_rpm=[5000, 0, 4900, 5100]),
    ]
    frame = frame_from_readings([1, 2], readings)
    assert list(frame.cooling) == ["hydro", "air"]
    events = evaluate_cycle(frame, [AlertRule("fan_failure", 500.0, 0, "critical")],
                            HoldState(), now=0)
    assert raised(events, "fan_failure") == {2}


def test_frame_from_readings_counts_dead_boards_and_uses_catalog_nominal() -> None:
    boards = [Hashboard(0, 36.0, 70, 114, 114), Hashboard(1, 0.0, None, 0, 114),
              Hashboard(2, 36.0, 71, 114, 114)]
    reading = MinerReading(ip="10.0.0.3", port=4028, model="Antminer S19 Pro", status="ok",
                           hashrate_ths=72.0, hashboards=boards, pool_url="p", pool_user="u")
    frame = frame_from_readings([7], [reading], racks={7: 3},
                                expected_pools={7: ("p", "other")})
    assert frame.boards_present[0] == 2 and frame.boards_expected[0] == 3
    assert frame.nominal[0] == pytest.approx(110.0) and frame.rack[0] == 3
    rules = [AlertRule("hashboard_missing", None, 0, "critical"),
             AlertRule("hashrate_low", 80.0, 0, "warning"),
             AlertRule("wrong_pool", None, 0, "warning")]
    events = evaluate_cycle(frame, rules, HoldState(), now=0)
    assert {e.kind for e in events} == {"hashboard_missing", "hashrate_low", "wrong_pool"}
    board_event = next(e for e in events if e.kind == "hashboard_missing")
    assert board_event.message == "2 of 3 hashboards working" and board_event.value == 2


def test_disabled_rule_is_skipped() -> None:
    rule = AlertRule("temp_high", 80.0, 0, "critical", enabled=False)
    assert evaluate_cycle(make_frame(1, temp_max=[99]), [rule], HoldState(), now=0) == []


def test_state_restored_from_database_lets_an_old_alert_clear() -> None:
    state = HoldState()
    state.restore_active("offline", np.array([5]), np.array([0.0]))
    events = evaluate_cycle(make_frame(5), [DEFAULT_RULES["offline"]], state, now=10)
    assert cleared(events, "offline") == {5}


def test_miners_joining_between_cycles_keep_others_state() -> None:
    rule = AlertRule("offline", None, 120, "critical")
    state = HoldState()
    first = make_frame(2, status=["offline", "ok"])
    evaluate_cycle(first, [rule], state, now=0)
    second = make_frame(3, miner_id=[9, 1, 2], status=["offline", "offline", "ok"])
    assert evaluate_cycle(second, [rule], state, now=60) == []
    third = make_frame(3, miner_id=[9, 1, 2], status=["offline", "offline", "ok"])
    assert raised(evaluate_cycle(third, [rule], state, now=120), "offline") == {1}
    assert raised(evaluate_cycle(third, [rule], state, now=180), "offline") == {1, 9}


@pytest.mark.parametrize(("kwargs", "word"), [
    ({"kind": "temperature"}, "unknown alert kind"),
    ({"kind": "temp_high", "severity": "loud"}, "severity 'loud'"),
    ({"kind": "temp_high", "duration_s": -1}, "duration_s"),
    ({"kind": "temp_high", "threshold": float("nan")}, "threshold"),
])
def test_bad_rule_is_named(kwargs: dict, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        AlertRule(**kwargs)


def test_frame_rejects_duplicate_miners() -> None:
    with pytest.raises(ValueError, match="unique"):
        make_frame(2, miner_id=[1, 1])


def test_empty_cycle_gives_no_events() -> None:
    from hashinsight_desktop.core.alerts.events import KINDS

    frame = frame_from_readings([], [])
    assert evaluate_cycle(frame, [AlertRule(k) for k in KINDS], HoldState(), now=0) == []
