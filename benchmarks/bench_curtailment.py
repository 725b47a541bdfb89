"""Curtailment planner figures: proven-optimal plans on realistic fleets, and greedy speed.

Fleets come from ``core.curtailment.synthetic``: mixed catalog models with hashrate and
power noise, ~1 % pinned, ~1 % offline, containers of 300 miners each limited to 60 %
of its miners off and 70 % of its load shed, eight hosting clients of which two keep
85 % / 80 % of their hashrate running.  The goal sheds 25 % of the farm's load.
Each timed run is the whole ``plan_curtailment`` call (model build, greedy, LP,
MILP, result) and raises if the plan is not proven within the stated gap.
"""

from __future__ import annotations

import time

from benchmarks.harness import case
from hashinsight_desktop.core.curtailment import CurtailmentRequest, Fleet, plan_curtailment
from hashinsight_desktop.core.curtailment.synthetic import container_limits, synthetic_fleet


def _inputs(n: int, *, modes: bool = False, strategy: str = "optimal",
            gap_pct: float = 0.01) -> tuple[Fleet, CurtailmentRequest, float]:
    fleet = synthetic_fleet(n, seed=42, modes=modes)
    load_kw = float(fleet.power_w[fleet.online].sum()) / 1000
    request = CurtailmentRequest(
        "shed_kw", round(load_kw * 0.25), strategy=strategy,  # type: ignore[arg-type]
        mip_rel_gap=gap_pct / 100, time_limit_s=30.0,
        group_limits=container_limits(fleet),
        client_min_running_share={"client1": 0.85, "client2": 0.80},
    )
    return fleet, request, gap_pct


def _timed_optimal(ctx: tuple[Fleet, CurtailmentRequest, float]) -> float:
    fleet, request, gap_pct = ctx
    t0 = time.perf_counter()
    result = plan_curtailment(fleet, request)
    elapsed = (time.perf_counter() - t0) * 1e3
    if result.status != "optimal" or result.gap_pct is None or result.gap_pct > gap_pct:
        raise AssertionError(f"not proven within {gap_pct} %: status {result.status}, "
                             f"gap {result.gap_pct}, messages {result.messages}")
    return elapsed


@case("optimal, 6,000 miners on/off, group limits + pinned, gap <= 0.01 %", unit="ms",
      target="<= 1000", repeat=7, setup=lambda: _inputs(6000))
def optimal_6k_on_off(ctx: tuple[Fleet, CurtailmentRequest, float]) -> float:
    return _timed_optimal(ctx)


@case("optimal, 6,000 miners, power modes 100/85/70 % + off, gap <= 0.1 %", unit="ms",
      target="<= 5000", repeat=5, setup=lambda: _inputs(6000, modes=True, gap_pct=0.1))
def optimal_6k_modes(ctx: tuple[Fleet, CurtailmentRequest, float]) -> float:
    return _timed_optimal(ctx)


@case("optimal, 100,000 miners on/off, group limits, gap <= 0.01 %", unit="ms",
      target="<= 10000", repeat=3, setup=lambda: _inputs(100_000))
def optimal_100k_on_off(ctx: tuple[Fleet, CurtailmentRequest, float]) -> float:
    return _timed_optimal(ctx)


@case("greedy (worst J/TH first), 100,000 miners on/off, group limits", unit="ms",
      target="<= 100", repeat=7, setup=lambda: _inputs(100_000, strategy="greedy"))
def greedy_100k(ctx: tuple[Fleet, CurtailmentRequest, float]) -> float:
    fleet, request, _ = ctx
    t0 = time.perf_counter()
    result = plan_curtailment(fleet, request)
    elapsed = (time.perf_counter() - t0) * 1e3
    if result.status != "feasible":
        raise AssertionError(f"greedy did not meet the goal: {result.messages}")
    return elapsed
