"""Greedy reproduces the old rule; the optimal strategy falls back to it when the solver fails."""

from __future__ import annotations

import numpy as np
import pytest
from curtail_testkit import check_result, decisions_of, naive_greedy_off, random_fleet

from hashinsight_desktop.core.curtailment import (
    CurtailmentRequest,
    Fleet,
    GroupLimit,
    plan_curtailment,
    planner,
)
from hashinsight_desktop.core.curtailment.solver_outcome import SolverError, SolverOutcome
from hashinsight_desktop.core.curtailment.synthetic import container_limits, synthetic_fleet


def _simple_fleet() -> Fleet:
    # J/TH: m0 32.5, m1 34.2, m2 29.5, m3 17.5, m4 21.4
    return Fleet.build(["m0", "m1", "m2", "m3", "m4"], [100, 95, 110, 200, 140],
                       [3250, 3250, 3250, 3500, 3000])


def test_greedy_is_worst_efficiency_first() -> None:
    result = plan_curtailment(_simple_fleet(),
                              CurtailmentRequest("shed_kw", 6.0, strategy="greedy"))
    assert [a.miner_id for a in result.actions] == ["m0", "m1"]  # 34.2 then 32.5 J/TH
    assert result.solver == "greedy"
    assert result.status == "feasible"
    assert result.hashrate_lost_ths == pytest.approx(195.0)
    # Without side limits greedy also knows the LP bound: 100+95 is shed 6.5 kW, the
    # LP needs only 6.0 of it, so the bound is 95 + 100 * 2.75 / 3.25.
    assert result.lp_bound_ths == pytest.approx(95 + 100 * 2.75 / 3.25)


def test_optimal_beats_greedy_when_greedy_overshoots() -> None:
    fleet = _simple_fleet()
    greedy = plan_curtailment(fleet, CurtailmentRequest("shed_kw", 3.1, strategy="greedy"))
    optimal = plan_curtailment(fleet, CurtailmentRequest("shed_kw", 3.1))
    assert [a.miner_id for a in greedy.actions] == ["m1"]  # the worst J/TH: 95 TH/s
    assert optimal.hashrate_lost_ths <= greedy.hashrate_lost_ths
    assert optimal.greedy_hashrate_lost_ths == pytest.approx(greedy.hashrate_lost_ths)


@pytest.mark.parametrize("seed", range(12))
def test_greedy_matches_the_plain_rule_with_limits(seed: int) -> None:
    rng = np.random.default_rng(seed)
    fleet = random_fleet(rng, 40, modes=False, groups=True)
    request = CurtailmentRequest(
        "shed_kw", float(rng.uniform(10, 60)), strategy="greedy",
        group_limits=(GroupLimit("container", "c1", max_shed_kw=20.0),
                      GroupLimit("breaker", "b2", max_off=3)),
        client_min_running_share={"x": 0.7},
    )
    result = plan_curtailment(fleet, request)
    expected = naive_greedy_off(fleet, request)
    if result.status == "infeasible":  # greedy fell short: no plan, and the rule agrees
        assert not result.actions
        assert sum(fleet.power_w[i] for i in expected) / 1000 < request.target_kw
        assert any("greedy could not meet" in m for m in result.messages)
    else:
        assert sorted(decisions_of(fleet, result)) == expected
        check_result(fleet, request, result)


def test_vectorised_greedy_matches_the_plain_rule_on_a_big_fleet() -> None:
    fleet = synthetic_fleet(600, seed=9, container_size=60)
    request = CurtailmentRequest("shed_kw", 450.0, strategy="greedy",
                                 group_limits=container_limits(fleet, max_off_share=0.3,
                                                               max_shed_share=0.4),
                                 client_min_running_share={"client3": 0.8})
    result = plan_curtailment(fleet, request)
    assert result.status == "feasible"
    assert sorted(decisions_of(fleet, result)) == naive_greedy_off(fleet, request)


def test_greedy_with_modes_uses_the_cheapest_steps_first() -> None:
    fleet = _simple_fleet().with_modes()
    result = plan_curtailment(fleet, CurtailmentRequest("shed_kw", 0.4, strategy="greedy"))
    # 85 % power loses 12 % of the hashrate: 0.15 kW per 0.12 TH/s share beats off.
    assert [a.action for a in result.actions] == ["mode:p85"]
    assert result.actions[0].miner_id == "m1"


def _raise(*_args, **_kwargs) -> SolverOutcome:
    raise SolverError("simulated crash")


def _time_out(*_args, **_kwargs) -> SolverOutcome:
    return SolverOutcome("highs", "no_solution", np.zeros(0, dtype=np.int64), None, None,
                         "Time limit reached")


@pytest.mark.parametrize(("solver", "reason"), [(_raise, "simulated crash"),
                                                (_time_out, "time limit")])
def test_solver_failure_falls_back_to_greedy(monkeypatch: pytest.MonkeyPatch, solver,
                                             reason: str) -> None:
    monkeypatch.setitem(planner.SOLVERS, "highs", solver)
    fleet = _simple_fleet()
    request = CurtailmentRequest("shed_kw", 6.0)
    result = plan_curtailment(fleet, request)
    assert result.status == "fallback"
    assert result.solver == "greedy"
    assert [a.miner_id for a in result.actions] == ["m0", "m1"]
    assert any(reason in m for m in result.messages)
    check_result(fleet, request, result)


def test_a_real_time_limit_still_returns_a_flagged_plan() -> None:
    fleet = synthetic_fleet(4000, seed=2, modes=True)
    request = CurtailmentRequest("shed_kw", 3000.0, group_limits=container_limits(fleet),
                                 time_limit_s=1e-6, mip_rel_gap=0.0)
    result = plan_curtailment(fleet, request)
    assert result.status in ("fallback", "feasible")
    assert any("time limit" in m for m in result.messages)
    check_result(fleet, request, result)


@pytest.mark.parametrize("seed", range(4))
def test_vectorised_mode_chains_match_the_per_miner_hull(monkeypatch: pytest.MonkeyPatch,
                                                         seed: int) -> None:
    from hashinsight_desktop.core.curtailment import greedy

    rng = np.random.default_rng(seed)
    fleet = random_fleet(rng, 60, modes=True, groups=True)
    request = CurtailmentRequest("shed_kw", 40.0, strategy="greedy",
                                 group_limits=(GroupLimit("container", "c1", max_shed_kw=25.0),))
    fast = plan_curtailment(fleet, request)

    def no_template(problem, multi, first, miners):
        return [], np.zeros(miners.size, dtype=bool)

    monkeypatch.setattr(greedy, "_template_steps", no_template)
    slow = plan_curtailment(fleet, request)
    assert fast.to_dict()["actions"] == slow.to_dict()["actions"]
    assert fast.status == slow.status
