"""The same MILP through PuLP and its bundled CBC: the independent second solver.

Kept for small and medium problems and as a cross-check of the HiGHS path.  Rows are
built with one ``LpAffineExpression`` each from the arrays (not miner by miner).
PuLP does not expose CBC's dual bound; CBC stops only once its gap is within
``gapRel``, so ``objective * (1 - gapRel)`` is a valid (conservative) lower bound.
"""

from __future__ import annotations

import itertools

import numpy as np
import pulp

from hashinsight_desktop.core.curtailment.problem import Problem
from hashinsight_desktop.core.curtailment.solver_outcome import SolverError, SolverOutcome


def solve_with_cbc(problem: Problem, *, time_limit_s: float, mip_rel_gap: float,
                   start: np.ndarray | None = None) -> SolverOutcome:
    n = problem.option_count
    model = pulp.LpProblem("curtailment", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{o}", cat=pulp.LpBinary) for o in range(n)]
    model += pulp.LpAffineExpression(zip(x, problem.cost.tolist(), strict=True))
    model += (pulp.LpAffineExpression(zip(x, problem.saving_kw.tolist(), strict=True))
              >= problem.required_kw, "shed")
    side = problem.side
    order = np.argsort(side.row, kind="stable")
    bounds = np.searchsorted(side.row[order], np.arange(side.count + 1))
    for r in range(side.count):
        sl = order[bounds[r]:bounds[r + 1]]
        model += (pulp.LpAffineExpression(
            (x[o], c) for o, c in zip(side.opt[sl].tolist(), side.coef[sl].tolist(), strict=True)
        ) <= float(side.upper[r]), f"side{r}")
    by_miner = np.argsort(problem.opt_miner, kind="stable")
    miners = problem.opt_miner[by_miner]
    cuts = np.flatnonzero(np.r_[True, miners[1:] != miners[:-1], True])
    for a, b in itertools.pairwise(cuts):
        if b - a > 1:
            model += pulp.lpSum(x[o] for o in by_miner[a:b].tolist()) <= 1, f"choice{miners[a]}"
    warm = start is not None and start.size > 0
    if warm:
        chosen_start = set(start.tolist())
        for o, var in enumerate(x):
            var.setInitialValue(1 if o in chosen_start else 0)
    cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=max(1, round(time_limit_s)),
                            gapRel=mip_rel_gap, warmStart=warm)
    try:
        model.solve(cbc)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"CBC failed: {exc}") from exc
    status = pulp.LpStatus[model.status]
    if status == "Infeasible":
        return SolverOutcome("cbc", "infeasible", np.zeros(0, dtype=np.int64), None, None, status)
    values = np.array([v.varValue if v.varValue is not None else 0.0 for v in x])
    if model.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        if status == "Not Solved":
            return SolverOutcome("cbc", "no_solution", np.zeros(0, dtype=np.int64), None, None,
                                 status)
        raise SolverError(f"CBC ended without a solution: {status}")
    chosen = np.flatnonzero(values > 0.5).astype(np.int64)
    objective = float(problem.cost[chosen].sum())
    if model.sol_status == pulp.LpSolutionOptimal:
        return SolverOutcome("cbc", "optimal", chosen, objective,
                             objective - mip_rel_gap * abs(objective), status)
    return SolverOutcome("cbc", "feasible", chosen, objective, None, status)
