"""Plan a curtailment: validate, run greedy, solve the MILP, fall back, explain.

    result = plan_curtailment(fleet, CurtailmentRequest("shed_kw", 5000, site="site5"))

Greedy always runs (it is the comparison figure and the MILP's first incumbent).  The
optimal strategy then solves the MILP; if the solver fails, or stops at the time
limit without a plan, the greedy plan is returned with ``status = "fallback"``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from hashinsight_desktop.core.curtailment.fleet import Fleet
from hashinsight_desktop.core.curtailment.greedy import GreedyOutcome, solve_greedy
from hashinsight_desktop.core.curtailment.milp_highs import solve_with_highs
from hashinsight_desktop.core.curtailment.milp_pulp import solve_with_cbc
from hashinsight_desktop.core.curtailment.problem import (
    OFF,
    Problem,
    build_problem,
    violations,
)
from hashinsight_desktop.core.curtailment.request import CurtailmentRequest
from hashinsight_desktop.core.curtailment.result import (
    ActionTable,
    Excluded,
    PlanResult,
    PlanStatus,
)
from hashinsight_desktop.core.curtailment.solver_outcome import SolverError, SolverOutcome

SolverFunc = Callable[..., SolverOutcome]

#: Solver back ends by name.  A dict so tests can swap in a failing one.
SOLVERS: dict[str, SolverFunc] = {"highs": solve_with_highs, "cbc": solve_with_cbc}

_TOL_KW = 1e-6


def _excluded(problem: Problem) -> tuple[Excluded, ...]:
    fleet, site = problem.fleet, problem.request.site
    in_scope = np.ones(fleet.size, dtype=bool) if site is None else fleet.site == site
    rows = np.flatnonzero(in_scope & (~fleet.online | ~fleet.running))
    return tuple(
        Excluded(str(fleet.miner_ids[i]), str(fleet.ips[i]),
                 "offline" if not fleet.online[i] else "already off")
        for i in rows
    )


def _actions(problem: Problem, chosen: np.ndarray) -> ActionTable:
    if not chosen.size:
        return ActionTable.empty()
    fleet = problem.fleet
    ordered = chosen[np.argsort(problem.opt_miner[chosen], kind="stable")]
    miners = problem.opt_miner[ordered]
    names = np.full(ordered.size, "off", dtype=object)
    modes = problem.opt_mode[ordered]
    for k in np.flatnonzero(modes != OFF):
        names[k] = problem.action_name(int(ordered[k]))
    return ActionTable(
        miner_id=fleet.miner_ids[miners], ip=fleet.ips[miners], action=names,
        power_saved_w=np.round(problem.saving_kw[ordered] * 1000.0, 3),
        hashrate_lost_ths=np.round(problem.loss_ths[ordered], 6),
        site=fleet.site[miners],
    )


def _scope_text(problem: Problem) -> str:
    return f"site {problem.request.site}" if problem.request.site else "the farm"


def _precheck(problem: Problem) -> list[str]:
    """Reasons the goal cannot be met whatever the strategy (empty: worth solving)."""
    request, required = problem.request, problem.required_kw
    if required <= _TOL_KW:
        return []
    fleet = problem.fleet
    in_scope = np.ones(fleet.size, dtype=bool) if request.site is None else fleet.site == request.site
    offline = int((in_scope & ~fleet.online).sum())
    pinned = int((in_scope & fleet.online & fleet.running & fleet.pinned).sum())
    if request.goal == "cap_kw" and request.target_kw < problem.pinned_load_kw - _TOL_KW:
        return [f"cap {request.target_kw:,.1f} kW is below the pinned load of "
                f"{problem.pinned_load_kw:,.1f} kW in {_scope_text(problem)} "
                f"({pinned} pinned miners); raise the cap or unpin miners"]
    if not problem.option_count:
        return [f"no eligible miners in {_scope_text(problem)}: {in_scope.sum()} in scope, "
                f"{offline} offline, {pinned} pinned"]
    most = problem.max_saving_kw
    if required > most + _TOL_KW:
        return [f"the goal needs {required:,.1f} kW shed but at most {most:,.1f} kW can be shed "
                f"in {_scope_text(problem)} ({problem.eligible.size} eligible miners; "
                f"{pinned} pinned and {offline} offline excluded)"]
    return []


def _gap_pct(value: float, bound: float | None) -> float | None:
    if bound is None or not np.isfinite(bound):
        return None
    if abs(value) < 1e-12:
        return 0.0 if abs(bound) < 1e-9 else None
    return max(0.0, (value - bound) / abs(value) * 100.0)


def _run_solver(problem: Problem, greedy: GreedyOutcome,
                messages: list[str]) -> tuple[SolverOutcome | None, str]:
    """The solver's outcome, or None with the reason to fall back."""
    request = problem.request
    name = request.solver
    try:
        outcome = SOLVERS[name](problem, time_limit_s=request.time_limit_s,
                                mip_rel_gap=request.mip_rel_gap,
                                start=greedy.chosen if greedy.met else None)
    except (SolverError, MemoryError, RuntimeError, ValueError) as exc:
        return None, f"{name} failed ({exc})"
    if outcome.status == "no_solution":
        return None, f"{name} stopped at the {request.time_limit_s:g} s time limit without a plan"
    if outcome.status in ("optimal", "feasible"):
        broken = violations(problem, outcome.chosen)
        if broken:
            return None, f"{name}'s plan failed the feasibility check: {broken[0]}"
        if outcome.status == "feasible":
            messages.append(f"{name} stopped at the {request.time_limit_s:g} s time limit; "
                            "the plan is feasible, its gap is reported")
    return outcome, ""


def plan_curtailment(fleet: Fleet, request: CurtailmentRequest) -> PlanResult:
    """The best plan for ``request`` over ``fleet`` (raises ValueError on invalid input)."""
    t0 = time.perf_counter()
    problem = build_problem(fleet, request)
    messages = list(problem.notes)
    problems = _precheck(problem)
    greedy = solve_greedy(problem) if not problems else None
    chosen = np.zeros(0, dtype=np.int64)
    bound: float | None = None
    solver = "none"
    status: PlanStatus
    if problem.required_kw <= _TOL_KW:
        # Nothing is asked; with the revenue objective some actions might still pay, but
        # a met cap is not a request to act, so no bound is claimed there.
        status, bound = "optimal", 0.0 if request.objective == "hashrate" else None
        messages.append(f"the load of {_scope_text(problem)} is {problem.scope_load_kw:,.1f} kW, "
                        f"already within the cap of {request.target_kw:,.1f} kW: nothing to shed")
    elif problems:
        status = "infeasible"
        messages.extend(problems)
    elif request.strategy == "greedy":
        assert greedy is not None
        solver, chosen, bound = "greedy", greedy.chosen, greedy.lp_bound
        status = "feasible" if greedy.met else "infeasible"
        if not greedy.met:
            messages.append("greedy could not meet the goal within the group limits and client "
                            "shares; the optimal strategy may")
            chosen = np.zeros(0, dtype=np.int64)
    else:
        assert greedy is not None
        outcome, reason = _run_solver(problem, greedy, messages)
        if outcome is None:
            solver, chosen, bound = "greedy", greedy.chosen, greedy.lp_bound
            status = "fallback"
            messages.append(f"{reason}; the greedy plan is returned instead")
            if not greedy.met:
                messages.append("the greedy plan does not meet the goal")
        elif outcome.status == "infeasible":
            solver, status = outcome.solver, "infeasible"
            messages.append(
                f"no plan sheds {problem.required_kw:,.1f} kW within the group limits and client "
                f"shares (without them at most {problem.max_saving_kw:,.1f} kW could be shed)")
        else:
            solver, chosen, bound = outcome.solver, outcome.chosen, outcome.bound
            status = outcome.status
            if outcome.detail:
                messages.append(f"{outcome.solver}: {outcome.detail}")
    return _result(problem, request, status, solver, chosen, bound, greedy, messages, t0)


def _result(problem: Problem, request: CurtailmentRequest, status: PlanStatus, solver: str,
            chosen: np.ndarray, bound: float | None, greedy: GreedyOutcome | None,
            messages: list[str], t0: float) -> PlanResult:
    shed = float(problem.saving_kw[chosen].sum())
    lost = float(problem.loss_ths[chosen].sum())
    revenue = problem.revenue_cost(chosen)
    revenue_lost = float(revenue.sum()) if revenue is not None else None
    value = lost if request.objective == "hashrate" else (revenue_lost or 0.0)
    if status == "infeasible":
        bound = None
    if revenue is not None and request.objective == "revenue" and (revenue < 0).any():
        gain = int((revenue < 0).sum())
        messages.append(f"{gain} action(s) gain money on their own at these rates (power costs "
                        "more than the mining revenue), so the plan may shed beyond the goal")
    greedy_lost = greedy_shed = None
    if greedy is not None:
        greedy_lost = float(problem.loss_ths[greedy.chosen].sum())
        greedy_shed = float(problem.saving_kw[greedy.chosen].sum())
    return PlanResult(
        strategy=request.strategy,
        solver=solver,
        status=status,
        objective=request.objective,
        goal=request.goal,
        site=request.site,
        target_kw=request.target_kw,
        required_shed_kw=max(0.0, problem.required_kw),
        shed_kw=shed,
        load_before_kw=problem.scope_load_kw,
        load_after_kw=problem.scope_load_kw - shed,
        hashrate_lost_ths=lost,
        revenue_lost_usd_per_h=revenue_lost,
        lp_bound_ths=bound if request.objective == "hashrate" else None,
        lp_bound_usd_per_h=bound if request.objective == "revenue" else None,
        gap_pct=_gap_pct(value, bound) if status != "infeasible" else None,
        greedy_hashrate_lost_ths=greedy_lost,
        greedy_shed_kw=greedy_shed,
        solve_ms=(time.perf_counter() - t0) * 1000.0,
        actions=_actions(problem, chosen),
        excluded=_excluded(problem),
        messages=tuple(messages),
    )
