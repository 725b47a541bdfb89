"""Dynamics: vectorised, follows load, ambient and cooling; advanced by time."""

from __future__ import annotations

import time

import numpy as np
import pytest

from hashinsight_desktop.simulator import FaultProfile, SimulatedFleet, assign_faults, build_fleet
from hashinsight_desktop.simulator.dynamics import FleetDynamics


def _dynamics(n: int = 400, seed: int = 3) -> FleetDynamics:
    specs = build_fleet(n, seed=seed)
    return FleetDynamics(specs, assign_faults(specs, FaultProfile(), seed), seed=seed,
                         start_time=1_750_000_000.0)


def test_hashrate_and_power_stay_near_nominal_over_a_day() -> None:
    dyn = _dynamics()
    for _ in range(24):
        dyn.advance(3600.0)
        ratio_h = dyn.hashrate_ths / dyn.nominal_ths
        ratio_p = dyn.power_w / dyn.nominal_w
        assert ratio_h.min() > 0.9 and ratio_h.max() < 1.1
        assert ratio_p.min() > 0.9 and ratio_p.max() < 1.1
    assert dyn.hashrate_ths.std() > 0  # noise, not constants


def test_ambient_follows_a_daily_cycle_and_chips_follow_it() -> None:
    dyn = _dynamics()
    air = dyn.cooling == 0
    ambients, chips = [], []
    for _ in range(24):
        dyn.advance(3600.0)
        ambients.append(dyn.ambient_c()[air].mean())
        chips.append(dyn.chip_temp[air][:, 1].mean())
    assert max(ambients) - min(ambients) > 10
    assert np.corrcoef(ambients, chips)[0, 1] > 0.9


def test_cooling_and_fans() -> None:
    dyn = _dynamics()
    liquid = dyn.cooling != 0
    assert liquid.any() and (dyn.fan_rpm[liquid] == 0).all()
    air = np.flatnonzero(~liquid)
    assert (dyn.fan_rpm[air, 0] > 1000).all()
    hot_before = dyn.fan_rpm[air[0], 0]
    dyn.set_curtailed(int(air[0]), True)
    dyn.advance(600.0)
    assert dyn.fan_rpm[air[0], 0] < hot_before
    assert dyn.chip_temp[air[0]].max() < 45


def test_power_target_scales_power_more_than_hashrate() -> None:
    dyn = _dynamics()
    before_h, before_p = dyn.hashrate_ths[5], dyn.power_w[5]
    dyn.set_power_target(5, 0.6)
    assert dyn.power_w[5] / before_p == pytest.approx(0.6, rel=0.01)
    assert 0.6 < dyn.hashrate_ths[5] / before_h < 0.7


def test_shares_and_uptime_grow_and_restart_resets_them() -> None:
    dyn = _dynamics()
    accepted, elapsed = dyn.accepted.copy(), dyn.elapsed_s.copy()
    dyn.advance(900.0)
    assert (dyn.accepted >= accepted).all() and dyn.accepted.sum() > accepted.sum()
    assert np.allclose(dyn.elapsed_s, elapsed + 900.0)
    dyn.restart(0)
    assert dyn.accepted[0] == 0 and dyn.elapsed_s[0] <= 1
    assert dyn.hashrate_ths[0] < 0.05 * dyn.nominal_ths[0]  # ramps up again


def test_one_step_of_100k_miners_is_cheap() -> None:
    specs = build_fleet(100_000, seed=1, bind="127.64.0.0/10")
    dyn = FleetDynamics(specs, assign_faults(specs, FaultProfile(), 1))
    t0 = time.perf_counter()
    dyn.advance(1.0)
    assert time.perf_counter() - t0 < 1.0  # ~50 ms here; generous for a shared CI box


def test_realtime_fleet_moves_with_the_wall_clock(rpc_json) -> None:
    specs = build_fleet(3, seed=9, bind="127.218.1.0/24")
    with SimulatedFleet(specs, seed=9, realtime=True) as fleet:
        first = rpc_json(specs[0], "summary")["SUMMARY"][0]["Elapsed"]
        deadline = time.monotonic() + 10
        while rpc_json(specs[0], "summary")["SUMMARY"][0]["Elapsed"] == first:
            assert time.monotonic() < deadline, "simulated time did not follow the clock"
            time.sleep(0.1)
        assert fleet.total_power_w() > 0
