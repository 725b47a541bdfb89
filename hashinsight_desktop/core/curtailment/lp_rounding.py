"""A primal heuristic: round the LP optimum down, then top it up cheaply.

The LP relaxation of a curtailment knapsack has only a handful of fractional
variables (about one per binding row), so keeping the options the LP takes whole
and covering the few kW still missing gives a plan within a miner or two of the
optimum, far closer than greedy when group limits or modes interfere.  A close
incumbent is what lets reduced-cost fixing shrink the MILP to a small core.
"""

from __future__ import annotations

import numpy as np

from hashinsight_desktop.core.curtailment.problem import Problem

_TOL = 1e-9
_MAX_FILL = 64  # top-up steps; the deficit after rounding is a few miners at most


def _row_load(problem: Problem, chosen_mask: np.ndarray) -> np.ndarray:
    side = problem.side
    load = np.zeros(side.count)
    np.add.at(load, side.row, side.coef * chosen_mask[side.opt])
    return load


def _fits(problem: Problem, slack: np.ndarray) -> np.ndarray:
    """Options that could be added without breaking any side row."""
    side = problem.side
    over = np.zeros(problem.option_count, dtype=bool)
    if side.count:
        bad = side.coef > slack[side.row] + _TOL
        over[side.opt[bad]] = True
    return ~over


def round_lp(problem: Problem, x_lp: np.ndarray, reduced: np.ndarray) -> np.ndarray | None:
    """A feasible plan near the LP optimum ``x_lp``, or None when the top-up fails."""
    required = problem.required_kw
    chosen = x_lp > 1.0 - 1e-6
    busy = np.zeros(problem.fleet.size, dtype=bool)
    busy[problem.opt_miner[chosen]] = True
    slack = problem.side.upper - _row_load(problem, chosen.astype(np.float64))
    shed = float(problem.saving_kw[chosen].sum())
    # Top up by least reduced cost per kW: the LP's own notion of the next best option.
    score = reduced / problem.saving_kw
    for _ in range(_MAX_FILL):
        deficit = required - shed
        if deficit <= _TOL:
            break
        open_ = ~busy[problem.opt_miner] & ~chosen & _fits(problem, slack)
        candidates = np.flatnonzero(open_)
        if not candidates.size:
            return None
        covering = candidates[problem.saving_kw[candidates] >= deficit - _TOL]
        if covering.size:
            # One option closes the gap: the cheapest such option by true cost.
            pick = int(covering[np.argmin(problem.cost[covering])])
        else:
            pick = int(candidates[np.argmin(score[candidates])])
        chosen[pick] = True
        busy[problem.opt_miner[pick]] = True
        shed += float(problem.saving_kw[pick])
        if problem.side.count:
            in_row = problem.side.opt == pick
            np.subtract.at(slack, problem.side.row[in_row], problem.side.coef[in_row])
    else:
        if required - shed > _TOL:
            return None
    # Drop costly options the overshoot no longer needs.
    surplus = shed - required
    for o in np.flatnonzero(chosen)[np.argsort(-problem.cost[chosen])]:
        if problem.cost[o] <= 0:
            break
        if problem.saving_kw[o] <= surplus - _TOL:
            chosen[o] = False
            surplus -= float(problem.saving_kw[o])
    return np.flatnonzero(chosen).astype(np.int64)


def _dense_rows(problem: Problem, options: np.ndarray) -> np.ndarray:
    """Side-row coefficients of ``options`` as a dense (len(options), rows) matrix."""
    side = problem.side
    dense = np.zeros((options.size, side.count))
    if side.count and options.size:
        where = np.full(problem.option_count, -1, dtype=np.int64)
        where[options] = np.arange(options.size)
        hit = where[side.opt] >= 0
        np.add.at(dense, (where[side.opt[hit]], side.row[hit]), side.coef[hit])
    return dense


def improve_by_swaps(problem: Problem, chosen: np.ndarray, reduced: np.ndarray, *,
                     width: int = 256, rounds: int = 200) -> np.ndarray:
    """Local search on a feasible plan: drop, add or swap one option at a time.

    Candidates are the ``width`` chosen options with the largest reduced cost and the
    ``width`` free options with the smallest: the LP says improvements live there.  A
    swap trades a miner for one with almost the same power but less loss, which is
    what closes the last fraction of a miner between the LP bound and a plan.
    """
    required = problem.required_kw
    mask = np.zeros(problem.option_count, dtype=bool)
    mask[chosen] = True
    cost, saving = problem.cost, problem.saving_kw
    slack = problem.side.upper - _row_load(problem, mask.astype(np.float64))
    for _ in range(rounds):
        surplus = float(saving[mask].sum()) - required
        busy = np.zeros(problem.fleet.size, dtype=bool)
        busy[problem.opt_miner[mask]] = True
        inside = np.flatnonzero(mask)
        outside = np.flatnonzero(~mask & ~busy[problem.opt_miner])
        if inside.size > width:
            inside = inside[np.argpartition(-reduced[inside], width)[:width]]
        if outside.size > width:
            outside = outside[np.argpartition(reduced[outside], width)[:width]]
        a_in, a_out = _dense_rows(problem, inside), _dense_rows(problem, outside)
        moves: list[tuple[float, int, int]] = []  # (delta cost, option out, option in)
        for k in np.flatnonzero((saving[inside] <= surplus + _TOL) & (cost[inside] > 0)):
            moves.append((-float(cost[inside[k]]), int(k), -1))
        for k in np.flatnonzero(cost[outside] < 0):
            if np.all(a_out[k] <= slack + _TOL):
                moves.append((float(cost[outside[k]]), -1, int(k)))
        delta = cost[outside][None, :] - cost[inside][:, None]
        ok = (delta < -1e-9) & (surplus + saving[outside][None, :] - saving[inside][:, None]
                                >= -_TOL)
        pairs = np.argwhere(ok)
        if pairs.size:
            best = np.argsort(delta[ok], kind="stable")[:64]
            for i, j in pairs[best]:
                if np.all(a_out[j] - a_in[i] <= slack + _TOL):
                    moves.append((float(delta[i, j]), int(i), int(j)))
                    break
        if not moves:
            break
        _, i, j = min(moves)
        if i >= 0:
            mask[inside[i]] = False
            slack += a_in[i]
        if j >= 0:
            mask[outside[j]] = True
            slack -= a_out[j]
    return np.flatnonzero(mask).astype(np.int64)
