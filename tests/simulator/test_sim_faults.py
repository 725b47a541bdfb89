"""Faults: seeded, exact counts, and each kind misbehaves on the wire as promised."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from hashinsight_desktop.simulator import FaultProfile, SimulatedFleet, assign_faults, build_fleet
from hashinsight_desktop.simulator.faults import NET_FAULTS

PROFILE = FaultProfile(offline=0.05, refusing=0.05, hanging=0.05, slow=0.05, garbage=0.05,
                       flapping=0.05, dead_board=0.05, overheating=0.05, fan_failure=0.05,
                       slow_delay_s=0.4, flap_period_s=60.0)


@pytest.fixture(scope="module")
def faulty_fleet() -> Iterator[SimulatedFleet]:
    specs = build_fleet(200, seed=21, bind="127.212.0.0/16")
    fleet = SimulatedFleet(specs, PROFILE, seed=21, realtime=False).start()
    try:
        yield fleet
    finally:
        fleet.stop()


def test_counts_are_exact_and_network_faults_exclusive() -> None:
    specs = build_fleet(200, seed=21)
    assignment = assign_faults(specs, PROFILE, seed=21)
    seen: set[int] = set()
    for kind in NET_FAULTS:
        chosen = assignment.indices(kind)
        assert len(chosen) == 10
        assert not chosen & seen
        seen |= chosen
    for kind in ("dead_board", "overheating", "fan_failure"):
        assert len(assignment.indices(kind)) == 10
    air = {i for i, s in enumerate(specs) if s.catalog_model.cooling == "air"}
    assert assignment.indices("fan_failure") <= air


def test_which_miners_fail_is_a_function_of_the_seed() -> None:
    specs = build_fleet(200, seed=21)
    a = assign_faults(specs, PROFILE, seed=21)
    b = assign_faults(specs, PROFILE, seed=21)
    c = assign_faults(specs, PROFILE, seed=22)
    assert all(a.indices(k) == b.indices(k) for k in NET_FAULTS)
    assert any(a.indices(k) != c.indices(k) for k in NET_FAULTS)


def test_rates_are_validated() -> None:
    with pytest.raises(ValueError, match="offline"):
        FaultProfile(offline=1.5)
    with pytest.raises(ValueError, match="100 %"):
        FaultProfile(offline=0.6, hanging=0.6)


def _by_id(fleet: SimulatedFleet, kind: str) -> list:
    ids = fleet.faulty(kind)
    return [s for s in fleet.specs if s.miner_id in ids]


def test_offline_miners_refuse_connections(faulty_fleet: SimulatedFleet) -> None:
    for spec in _by_id(faulty_fleet, "offline"):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((spec.ip, spec.port), timeout=2).close()


def test_refusing_miners_reset_the_connection(faulty_fleet: SimulatedFleet, rpc) -> None:
    for spec in _by_id(faulty_fleet, "refusing"):
        try:
            body = rpc(spec, "summary", timeout=2)
        except (ConnectionResetError, BrokenPipeError):
            continue
        assert body == b""


def test_hanging_miners_accept_and_never_answer(faulty_fleet: SimulatedFleet, rpc) -> None:
    spec = _by_id(faulty_fleet, "hanging")[0]
    with pytest.raises(TimeoutError):
        rpc(spec, "summary", timeout=0.5)


def test_slow_miners_answer_late_but_correctly(faulty_fleet: SimulatedFleet, rpc) -> None:
    spec = _by_id(faulty_fleet, "slow")[0]
    t0 = time.monotonic()
    body = rpc(spec, "summary", timeout=5)
    assert time.monotonic() - t0 >= 0.35
    json.loads(body.rstrip(b"\x00"))


def test_garbage_miners_send_broken_json(faulty_fleet: SimulatedFleet, rpc) -> None:
    for spec in _by_id(faulty_fleet, "garbage")[:3]:
        for command in ("summary", "pools", "summary"):
            body = rpc(spec, command)
            with pytest.raises(ValueError):
                json.loads(body.rstrip(b"\x00").decode("utf-8", "replace"))


def test_healthy_miner_answers(faulty_fleet: SimulatedFleet, rpc_json) -> None:
    broken = set().union(*(faulty_fleet.faulty(k) for k in NET_FAULTS))
    spec = next(s for s in faulty_fleet.specs if s.miner_id not in broken)
    assert "STATUS" in rpc_json(spec, "summary")


def test_flapping_miners_toggle_with_simulated_time(faulty_fleet: SimulatedFleet, rpc) -> None:
    spec = _by_id(faulty_fleet, "flapping")[0]

    def answers() -> bool:
        try:
            return rpc(spec, "version", timeout=2).endswith(b"\x00")
        except (ConnectionResetError, BrokenPipeError):
            return False

    first = answers()
    faulty_fleet.advance(60.0)
    second = answers()
    faulty_fleet.advance(60.0)
    assert second != first
    assert answers() == first


def test_dead_board_reports_no_chips(faulty_fleet: SimulatedFleet, rpc_json) -> None:
    spec = _by_id(faulty_fleet, "dead_board")[0]
    state = faulty_fleet.miner_state(spec.miner_id)
    model = spec.catalog_model
    assert state.hashrate_ths < model.hashrate_ths * (model.hashboards - 0.7) / model.hashboards
    if spec.family in ("antminer_stock", "luxos"):
        block = rpc_json(spec, "stats")["STATS"][1]
        assert block["chain_acn1"] == 0 and block["chain_acs1"] == ""
    elif spec.family == "whatsminer_v2":
        assert rpc_json(spec, "devs")["DEVS"][0]["Effective Chips"] == 0
    else:
        mm = rpc_json(spec, "estats")["STATS"][0]["MM ID0"]
        assert "MGHS[0.00 " in mm


def test_overheating_and_fan_failure_show_in_readings(faulty_fleet: SimulatedFleet) -> None:
    hot = faulty_fleet.faulty("overheating")
    fan_dead = faulty_fleet.faulty("fan_failure")
    normal: dict[str, list[float]] = {}
    for spec in faulty_fleet.specs:
        if spec.miner_id not in hot | fan_dead:
            temp = faulty_fleet.miner_state(spec.miner_id).chip_temp_max_c
            normal.setdefault(spec.catalog_model.cooling, []).append(temp)
    for spec in _by_id(faulty_fleet, "overheating"):
        state = faulty_fleet.miner_state(spec.miner_id)
        assert state.chip_temp_max_c > max(normal[spec.catalog_model.cooling]) + 10
    for spec in _by_id(faulty_fleet, "fan_failure"):
        state = faulty_fleet.miner_state(spec.miner_id)
        assert state.fan_rpm[0] == 0 and min(state.fan_rpm[1:]) > 1000
    hydro = [s for s in faulty_fleet.specs if s.catalog_model.cooling != "air"]
    assert all(faulty_fleet.miner_state(s.miner_id).fan_rpm == () for s in hydro)
