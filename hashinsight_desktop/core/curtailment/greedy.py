"""The greedy baseline: worst efficiency first, by marginal J/TH when miners have modes.

On/off only and the hashrate objective this is exactly the old platform's rule: sort
miners by J/TH, worst first, switch them off until the target is met.  With power
modes each miner offers a chain of steps (100 % -> 85 % -> 70 % -> off) and greedy
takes the step with the least objective lost per kW saved anywhere in the fleet.  The
chain is the lower convex hull of the miner's options, so steps along it get worse
and the global order respects each miner's order.  A step that would break a group
limit or a client share is skipped and the miner stays where it is.

Without side rows the same order also gives the LP relaxation bound (the classic
fractional multiple-choice knapsack): take steps until the target, the last one in
part.  That bound is returned so greedy alone can report its gap.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np

from hashinsight_desktop.core.curtailment.problem import Problem

_TOL = 1e-9


@dataclasses.dataclass(frozen=True, eq=False)
class GreedyOutcome:
    chosen: np.ndarray  # option indices, at most one per miner
    met: bool  # the target was reached
    lp_bound: float | None  # LP relaxation bound on the objective (only without side rows)


@dataclasses.dataclass(frozen=True, eq=False)
class _Steps:
    miner: np.ndarray  # fleet row
    from_opt: np.ndarray  # option the miner leaves (-1: its current state)
    to_opt: np.ndarray
    d_saving: np.ndarray
    d_cost: np.ndarray


def _lower_hull(points: list[tuple[int, float, float]]) -> list[tuple[int, float, float]]:
    """Lower convex hull from the origin of (key, saving, cost) points, by saving."""
    hull: list[tuple[int, float, float]] = [(-1, 0.0, 0.0)]
    for key, s, c in sorted(points, key=lambda p: (p[1], p[2])):
        if s <= hull[-1][1] + _TOL:
            continue  # same saving as a cheaper option already seen
        while len(hull) >= 2:
            (_, s0, c0), (_, s1, c1) = hull[-2], hull[-1]
            if (s1 - s0) * (c - c0) - (c1 - c0) * (s - s0) > 0:
                break
            hull.pop()
        hull.append((key, s, c))
    return hull


def _template_steps(problem: Problem, multi: np.ndarray, first: np.ndarray,
                    miners: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Chains of miners whose hull follows from their mode set alone (vectorised).

    With the hashrate objective an option saves ``P * (1 - pf)`` and loses
    ``H * (1 - hf)``: scaling both axes by positive factors keeps a hull's vertices,
    so every miner of a mode set walks the same chain of modes.  Options of a miner
    are laid out off, mode 0, mode 1, ... (see ``problem._options``).
    Returns the step columns and a mask of the miners handled.
    """
    fleet = problem.fleet
    set_of = fleet.mode_set_index[miners]
    handled = np.zeros(miners.size, dtype=bool)
    if problem.request.objective != "hashrate":
        return [], handled
    counts = np.diff(np.r_[first, multi.size])
    cols: list[list[np.ndarray]] = [[], [], [], [], []]
    for s, mode_set in enumerate(fleet.mode_sets):
        members = np.flatnonzero((set_of == s) & (fleet.hashrate_ths[miners] > 0)
                                 & (counts == len(mode_set) + 1))
        if not members.size:
            continue
        handled[members] = True
        template = [(0, 1.0, 1.0)] + [(k + 1, 1.0 - m.power_fraction, 1.0 - m.hashrate_fraction)
                                      for k, m in enumerate(mode_set)]
        hull = _lower_hull(template)
        base = multi[first[members]]
        for (t0, _, _), (t1, _, _) in itertools.pairwise(hull):
            to_opt = base + t1
            from_opt = base + t0 if t0 >= 0 else np.full(base.size, -1)
            prev_s = problem.saving_kw[from_opt] if t0 >= 0 else 0.0
            prev_c = problem.cost[from_opt] if t0 >= 0 else 0.0
            cols[0].append(miners[members])
            cols[1].append(from_opt)
            cols[2].append(to_opt)
            cols[3].append(problem.saving_kw[to_opt] - prev_s)
            cols[4].append(problem.cost[to_opt] - prev_c)
    return [np.concatenate(c) if c else np.zeros(0) for c in cols], handled


def _hull_steps(problem: Problem) -> _Steps:
    """Steps along each miner's lower convex hull of (saving, cost) from (0, 0)."""
    opt_miner = problem.opt_miner
    counts = np.bincount(opt_miner, minlength=problem.fleet.size)
    single = counts[opt_miner] == 1
    # On/off miners (and miners with one useful option) have one step: their option.
    idx = np.flatnonzero(single)
    miner, from_opt, to_opt = [opt_miner[idx]], [np.full(idx.size, -1)], [idx]
    d_s, d_c = [problem.saving_kw[idx]], [problem.cost[idx]]
    multi = np.flatnonzero(~single)
    if multi.size:
        first = np.flatnonzero(np.r_[True, opt_miner[multi][1:] != opt_miner[multi][:-1]])
        miners = opt_miner[multi[first]]
        columns, handled = _template_steps(problem, multi, first, miners)
        if columns:
            for store, col in zip((miner, from_opt, to_opt, d_s, d_c), columns, strict=True):
                store.append(col)
        m_list, f_list, t_list, s_list, c_list = [], [], [], [], []
        bounds = np.r_[first, multi.size]
        saving, cost = problem.saving_kw, problem.cost
        for k in np.flatnonzero(~handled):
            options = multi[bounds[k]:bounds[k + 1]].tolist()
            hull = _lower_hull([(o, float(saving[o]), float(cost[o])) for o in options])
            for (o0, s0, c0), (o1, s1, c1) in itertools.pairwise(hull):
                m_list.append(int(miners[k]))
                f_list.append(o0)
                t_list.append(o1)
                s_list.append(s1 - s0)
                c_list.append(c1 - c0)
        miner.append(np.asarray(m_list, dtype=np.int64))
        from_opt.append(np.asarray(f_list, dtype=np.int64))
        to_opt.append(np.asarray(t_list, dtype=np.int64))
        d_s.append(np.asarray(s_list, dtype=np.float64))
        d_c.append(np.asarray(c_list, dtype=np.float64))
    steps = _Steps(np.concatenate(miner).astype(np.int64),
                   np.concatenate(from_opt).astype(np.int64),
                   np.concatenate(to_opt).astype(np.int64), np.concatenate(d_s),
                   np.concatenate(d_c))
    # Least cost per kW first.  Slopes rise strictly along a chain (a strict hull), so
    # this order keeps each miner's steps in chain order.  The sort is stable and
    # on/off steps come in fleet order, so their ties go by fleet order.
    order = np.argsort(steps.d_cost / steps.d_saving, kind="stable")
    return _Steps(steps.miner[order], steps.from_opt[order], steps.to_opt[order],
                  steps.d_saving[order], steps.d_cost[order])


def _lp_bound(steps: _Steps, required: float) -> float:
    """Fractional knapsack over the ordered steps: the LP optimum without side rows."""
    slope = steps.d_cost / steps.d_saving
    negative = slope < 0
    bound = float(steps.d_cost[negative].sum())  # the LP takes every profitable step
    shed = float(steps.d_saving[negative].sum())
    if shed >= required:
        return bound
    rest_s, rest_c = steps.d_saving[~negative], steps.d_cost[~negative]
    cum = np.cumsum(rest_s)
    k = int(np.searchsorted(cum, required - shed))
    if k >= rest_s.size:
        return float("nan")  # the LP is infeasible too
    before_s = float(cum[k - 1]) if k else 0.0
    before_c = float(rest_c[:k].sum())
    return bound + before_c + rest_c[k] * (required - shed - before_s) / rest_s[k]


def _take_prefix(steps: _Steps, required: float) -> tuple[np.ndarray, bool]:
    cum = np.cumsum(steps.d_saving)
    k = int(np.searchsorted(cum, required - _TOL))
    met = k < cum.size
    taken = slice(0, k + 1 if met else cum.size)
    # The last step of each miner's chain taken is where it ends up.
    final: dict[int, int] = dict(zip(steps.miner[taken].tolist(), steps.to_opt[taken].tolist(),
                                     strict=True))
    return np.asarray(sorted(final.values()), dtype=np.int64), met


def _take_with_rows(problem: Problem, steps: _Steps, required: float) -> tuple[np.ndarray, bool]:
    side = problem.side
    # Rows each option touches, as flat Python lists: this loop runs up to 100,000 times
    # and list indexing is several times cheaper than numpy scalar access.
    order = np.argsort(side.opt, kind="stable")
    start_of = np.searchsorted(side.opt[order], np.arange(problem.option_count + 1)).tolist()
    rows_of = side.row[order].tolist()
    coef_of = side.coef[order].tolist()
    slack = side.upper.astype(np.float64).tolist()
    current: dict[int, int] = {}
    blocked: set[int] = set()
    shed = 0.0
    target = required - _TOL
    for m, f, t, ds in zip(steps.miner.tolist(), steps.from_opt.tolist(), steps.to_opt.tolist(),
                           steps.d_saving.tolist(), strict=True):
        if f < 0:  # first step of a miner: only the new option's rows change
            if m in blocked:
                continue
            a, b = start_of[t], start_of[t + 1]
            if any(coef_of[j] > slack[rows_of[j]] + _TOL for j in range(a, b)):
                blocked.add(m)
                continue
            for j in range(a, b):
                slack[rows_of[j]] -= coef_of[j]
        else:  # a later step: the rows of the option left are released
            if m in blocked or current.get(m, -1) != f:
                continue
            delta: dict[int, float] = {}
            for j in range(start_of[t], start_of[t + 1]):
                delta[rows_of[j]] = delta.get(rows_of[j], 0.0) + coef_of[j]
            for j in range(start_of[f], start_of[f + 1]):
                delta[rows_of[j]] = delta.get(rows_of[j], 0.0) - coef_of[j]
            if any(d > slack[r] + _TOL for r, d in delta.items()):
                blocked.add(m)
                continue
            for r, d in delta.items():
                slack[r] -= d
        current[m] = t
        shed += ds
        if shed >= target:
            return np.asarray(sorted(current.values()), dtype=np.int64), True
    return np.asarray(sorted(current.values()), dtype=np.int64), required <= _TOL


def _take_first_steps_with_rows(problem: Problem, steps: _Steps,
                                required: float, window: int = 4096) -> tuple[np.ndarray, bool]:
    """Same decisions as the sequential loop, in numpy windows (on/off fleets).

    Every step is a miner's first (and only) step and every side coefficient is >= 0,
    so row loads only grow.  In each round: steps that no longer fit the rows' slack
    are rejected outright (they could only fit less later); of the rest, the prefix up
    to the first step that would overflow a row (all earlier ones taken) is accepted
    and that step rejected.  Rounds are few: about one per row that fills up.
    """
    side = problem.side
    order = np.argsort(side.opt, kind="stable")
    start_of = np.searchsorted(side.opt[order], np.arange(problem.option_count + 1))
    row_sorted, coef_sorted = side.row[order], side.coef[order]
    slack = side.upper.astype(np.float64).copy()
    options, saving = steps.to_opt, steps.d_saving
    accepted: list[np.ndarray] = []
    shed = 0.0
    cursor = 0
    while cursor < options.size and shed < required - _TOL:
        w_opts = options[cursor:cursor + window]
        lengths = start_of[w_opts + 1] - start_of[w_opts]
        owner = np.repeat(np.arange(w_opts.size), lengths)
        pos = (np.repeat(start_of[w_opts], lengths) + np.arange(lengths.sum())
               - np.repeat(np.cumsum(lengths) - lengths, lengths))
        rows, coefs = row_sorted[pos], coef_sorted[pos]
        dead = np.zeros(w_opts.size, dtype=bool)
        dead[owner[coefs > slack[rows] + _TOL]] = True
        alive_entry = ~dead[owner]
        rows, coefs, e_owner = rows[alive_entry], coefs[alive_entry], owner[alive_entry]
        by_row = np.argsort(rows, kind="stable")  # keeps step order inside each row
        r_sorted, c_sorted = rows[by_row], coefs[by_row]
        cum = np.cumsum(c_sorted)
        first = np.r_[True, r_sorted[1:] != r_sorted[:-1]]
        base = np.maximum.accumulate(np.where(first, np.arange(cum.size), 0))
        in_row = cum - cum[base] + c_sorted[base]
        over = in_row > slack[r_sorted] + _TOL
        stop = int(e_owner[by_row][over].min()) if over.any() else w_opts.size
        # Steps before ``stop`` that are alive are accepted, unless the target comes first.
        alive_before = np.flatnonzero(~dead[:stop])
        cum_shed = shed + np.cumsum(saving[cursor + alive_before])
        reached = int(np.searchsorted(cum_shed, required - _TOL))
        if reached < alive_before.size:
            alive_before = alive_before[:reached + 1]
            stop = int(alive_before[-1]) + 1 if alive_before.size else stop
        taken = w_opts[alive_before]
        accepted.append(taken)
        shed += float(saving[cursor + alive_before].sum())
        t_len = start_of[taken + 1] - start_of[taken]
        t_pos = (np.repeat(start_of[taken], t_len) + np.arange(t_len.sum())
                 - np.repeat(np.cumsum(t_len) - t_len, t_len))
        np.subtract.at(slack, row_sorted[t_pos], coef_sorted[t_pos])
        # ``stop`` itself overflowed a row with everything before it taken: rejected.
        cursor += stop + 1 if stop < w_opts.size and shed < required - _TOL else stop
    chosen = np.sort(np.concatenate(accepted)) if accepted else np.zeros(0, dtype=np.int64)
    return chosen.astype(np.int64), shed >= required - _TOL


def solve_greedy(problem: Problem) -> GreedyOutcome:
    """Greedy plan for ``problem`` (see module docstring)."""
    required = problem.required_kw
    if required <= 0 or not problem.option_count:
        return GreedyOutcome(np.zeros(0, dtype=np.int64), required <= 0,
                             0.0 if required <= 0 else None)
    steps = _hull_steps(problem)
    if problem.side.count:
        if np.all(steps.from_opt < 0):
            chosen, met = _take_first_steps_with_rows(problem, steps, required)
        else:
            chosen, met = _take_with_rows(problem, steps, required)
        return GreedyOutcome(chosen, met, None)
    chosen, met = _take_prefix(steps, required)
    return GreedyOutcome(chosen, met, _lp_bound(steps, required))
