"""The optimal strategy against brute force, and its guarantees on larger fleets."""

from __future__ import annotations

import numpy as np
import pytest
from curtail_testkit import brute_force, check_result, decisions_of, objective_of, random_fleet

from hashinsight_desktop.core.curtailment import (
    CurtailmentRequest,
    Economics,
    GroupLimit,
    plan_curtailment,
)
from hashinsight_desktop.core.curtailment.synthetic import container_limits, synthetic_fleet


def _random_request(rng: np.random.Generator, fleet, *, solver: str = "highs",
                    objective: str = "hashrate") -> CurtailmentRequest:
    site = "a" if rng.random() < 0.3 else None
    limits = []
    if fleet.groups:
        limits.append(GroupLimit("container", "c1", max_shed_kw=float(rng.uniform(3, 10))))
        limits.append(GroupLimit("breaker", "b2", max_off=int(rng.integers(0, 3))))
        limits.append(GroupLimit("breaker", "b1", min_kept_kw=float(rng.uniform(0, 6))))
    share = {"x": float(rng.uniform(0.3, 0.9))} if rng.random() < 0.6 else {}
    economics = Economics(float(rng.uniform(0.001, 0.004)), float(rng.uniform(0.02, 0.08)),
                          {"y": 0.03}) if objective == "revenue" else None
    if rng.random() < 0.5:
        goal, target = "shed_kw", float(rng.uniform(1, 14))
    else:
        goal, target = "cap_kw", float(rng.uniform(5, 20))
    return CurtailmentRequest(goal, round(target, 2), site=site, objective=objective,
                              solver=solver, mip_rel_gap=1e-9, time_limit_s=20,
                              group_limits=tuple(limits), client_min_running_share=share,
                              economics=economics)


@pytest.mark.parametrize("seed", range(40))
def test_optimal_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    fleet = random_fleet(rng, int(rng.integers(3, 8)), modes=seed % 2 == 0, groups=seed % 3 != 0)
    request = _random_request(rng, fleet, objective="revenue" if seed % 5 == 4 else "hashrate")
    best = brute_force(fleet, request)
    result = plan_curtailment(fleet, request)
    if best is None:
        assert result.status == "infeasible", result.messages
        assert not result.actions
        return
    assert result.status == "optimal", result.messages
    check_result(fleet, request, result)
    value = objective_of(fleet, request, decisions_of(fleet, result))
    assert value == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("seed", range(100, 108))
def test_cbc_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    fleet = random_fleet(rng, 6, modes=True, groups=True)
    request = _random_request(rng, fleet, solver="cbc")
    best = brute_force(fleet, request)
    result = plan_curtailment(fleet, request)
    if best is None:
        assert result.status == "infeasible"
        return
    assert result.solver == "cbc"
    assert result.status == "optimal"
    check_result(fleet, request, result)
    assert objective_of(fleet, request, decisions_of(fleet, result)) == pytest.approx(best,
                                                                                       abs=1e-6)


@pytest.mark.parametrize("modes", [False, True])
def test_large_fleet_is_feasible_and_within_gap(modes: bool) -> None:
    fleet = synthetic_fleet(6000, seed=3, modes=modes)
    request = CurtailmentRequest(
        "shed_kw", 5000.0, group_limits=container_limits(fleet),
        client_min_running_share={"client1": 0.85, "client2": 0.8}, mip_rel_gap=1e-4,
    )
    result = plan_curtailment(fleet, request)
    assert result.status == "optimal", result.messages
    assert result.lp_bound_ths is not None and result.gap_pct is not None
    assert result.hashrate_lost_ths >= result.lp_bound_ths - 1e-6
    assert result.gap_pct <= 0.01 + 1e-9
    gap = (result.hashrate_lost_ths - result.lp_bound_ths) / result.hashrate_lost_ths * 100
    assert gap == pytest.approx(result.gap_pct, abs=1e-9)
    check_result(fleet, request, result)
    assert result.greedy_hashrate_lost_ths is not None
    assert result.hashrate_lost_ths <= result.greedy_hashrate_lost_ths + 1e-6
    if modes:
        assert any(a.action.startswith("mode:") for a in result.actions)


def test_cap_goal_on_a_site_keeps_the_site_under_the_cap() -> None:
    fleet = synthetic_fleet(3000, seed=5, sites=3)
    site_load = fleet.power_w[(fleet.site == "site1") & fleet.online].sum() / 1000
    cap = round(site_load * 0.75, 1)
    request = CurtailmentRequest("cap_kw", cap, site="site1")
    result = plan_curtailment(fleet, request)
    assert result.status == "optimal"
    check_result(fleet, request, result)
    assert result.load_before_kw == pytest.approx(site_load)
    assert cap - 5 < result.load_after_kw <= cap + 1e-6
    assert {a.site for a in result.actions} == {"site1"}


@pytest.mark.parametrize("seed", range(3))
def test_highs_and_cbc_agree_on_medium_fleets(seed: int) -> None:
    """Exact optimum (gap 0) on 120 miners with modes and limits: both solvers agree."""
    rng = np.random.default_rng(500 + seed)
    fleet = random_fleet(rng, 120, modes=True, groups=True)
    base = dict(goal="shed_kw", target_kw=float(rng.uniform(60, 160)), mip_rel_gap=0.0,
                time_limit_s=30.0,
                group_limits=(GroupLimit("container", "c1", max_shed_kw=70.0),
                              GroupLimit("breaker", "b2", max_off=12)),
                client_min_running_share={"x": 0.6})
    highs = plan_curtailment(fleet, CurtailmentRequest(**base, solver="highs"))
    cbc = plan_curtailment(fleet, CurtailmentRequest(**base, solver="cbc"))
    assert highs.status == cbc.status == "optimal", (highs.messages, cbc.messages)
    check_result(fleet, CurtailmentRequest(**base), highs)
    assert highs.hashrate_lost_ths == pytest.approx(cbc.hashrate_lost_ths, abs=1e-6)
    assert highs.gap_pct == pytest.approx(0.0, abs=1e-7)
