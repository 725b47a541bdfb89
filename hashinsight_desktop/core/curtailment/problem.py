"""Turn a fleet and a request into a multiple-choice knapsack in arrays.

Each eligible miner has one or more *options* (off, or a reduced power mode); staying
as it is, is the implicit option 0.  An option saves ``saving_kw``, loses ``loss_ths``
and costs ``cost`` in the objective's unit.  Choose at most one option per miner,
with total saving >= ``required_kw`` and every side row ``sum coef * x <= upper``.
Greedy, the HiGHS matrix, the PuLP model and the feasibility check all read this.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from hashinsight_desktop.core.curtailment.fleet import Fleet
from hashinsight_desktop.core.curtailment.request import CurtailmentRequest

OFF = -1  # opt_mode value of the "off" option


@dataclasses.dataclass(frozen=True, eq=False)
class SideRows:
    """Constraints ``sum_o coef[o] * x[o] <= upper[row]`` stored as coordinates."""

    row: np.ndarray  # int64, one entry per (row, option) coefficient
    opt: np.ndarray  # int64
    coef: np.ndarray  # float64
    upper: np.ndarray  # float64, one per row
    labels: tuple[str, ...]  # one per row, for messages ("group container=C7 max shed")

    @property
    def count(self) -> int:
        return int(self.upper.shape[0])


@dataclasses.dataclass(frozen=True, eq=False)
class Problem:
    fleet: Fleet
    request: CurtailmentRequest
    eligible: np.ndarray  # fleet rows that may change state
    opt_miner: np.ndarray  # option -> fleet row
    opt_mode: np.ndarray  # option -> OFF or index in the miner's mode set
    saving_kw: np.ndarray
    loss_ths: np.ndarray
    cost: np.ndarray
    required_kw: float  # shed needed to meet the goal (<= 0: nothing to do)
    scope_load_kw: float
    pinned_load_kw: float
    side: SideRows
    notes: tuple[str, ...]  # remarks about the inputs (unknown group, etc.)

    @property
    def option_count(self) -> int:
        return int(self.opt_miner.shape[0])

    @property
    def max_saving_kw(self) -> float:
        """The most that can be shed ignoring side rows: each miner's best option."""
        if not self.option_count:
            return 0.0
        best = np.zeros(self.fleet.size)
        np.maximum.at(best, self.opt_miner, self.saving_kw)
        return float(best.sum())

    def action_name(self, option: int) -> str:
        mode = int(self.opt_mode[option])
        if mode == OFF:
            return "off"
        miner = int(self.opt_miner[option])
        return "mode:" + self.fleet.mode_sets[int(self.fleet.mode_set_index[miner])][mode].name

    def revenue_cost(self, options: np.ndarray) -> np.ndarray | None:
        """Revenue lost net of power cost saved (USD/h) per option, if economics are given."""
        econ = self.request.economics
        if econ is None:
            return None
        clients = self.fleet.client[self.opt_miner[options]]
        rate = np.array([econ.client_power_usd_per_kwh.get(c, econ.power_usd_per_kwh)
                         for c in clients], dtype=np.float64)
        return econ.revenue_usd_per_th_h * self.loss_ths[options] - rate * self.saving_kw[options]


def _options(fleet: Fleet, eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                          np.ndarray]:
    """Options of the eligible miners: off for all, then each mode that saves power."""
    miners = [eligible]
    modes = [np.full(eligible.shape[0], OFF, dtype=np.int64)]
    power_frac = [np.zeros(eligible.shape[0])]
    hash_frac = [np.zeros(eligible.shape[0])]
    set_of = fleet.mode_set_index[eligible]
    for s, mode_set in enumerate(fleet.mode_sets):
        members = eligible[set_of == s]
        for k, mode in enumerate(mode_set):
            miners.append(members)
            modes.append(np.full(members.shape[0], k, dtype=np.int64))
            power_frac.append(np.full(members.shape[0], mode.power_fraction))
            hash_frac.append(np.full(members.shape[0], mode.hashrate_fraction))
    opt_miner = np.concatenate(miners)
    order = np.argsort(opt_miner, kind="stable")  # options of one miner side by side
    opt_miner = opt_miner[order]
    opt_mode = np.concatenate(modes)[order]
    saving = fleet.power_w[opt_miner] * (1.0 - np.concatenate(power_frac)[order]) / 1000.0
    loss = fleet.hashrate_ths[opt_miner] * (1.0 - np.concatenate(hash_frac)[order])
    return opt_miner, opt_mode, saving, loss


def _factorize(labels: np.ndarray) -> tuple[dict[str, int], np.ndarray]:
    """Label -> code and the code of each miner; a dict is ~3x faster than np.unique here."""
    index: dict[str, int] = {}
    code_of = index.setdefault
    codes = np.array([code_of(v, len(index)) for v in labels.tolist()], dtype=np.int64)
    return index, codes


def _side_rows(fleet: Fleet, request: CurtailmentRequest, opt_miner: np.ndarray,
               opt_mode: np.ndarray, saving: np.ndarray, loss: np.ndarray,
               drawing: np.ndarray, notes: list[str]) -> SideRows:
    rows: list[np.ndarray] = []
    opts: list[np.ndarray] = []
    coefs: list[np.ndarray] = []
    upper: list[float] = []
    labels: list[str] = []

    def add(label: str, members: np.ndarray, coef: np.ndarray, ub: float) -> None:
        # A row that cannot bind (all its options together stay under it) is dropped:
        # fewer rows for the solver, fewer checks for greedy.
        positive = coef[members].clip(min=0).sum() if members.size else 0.0
        if positive <= ub + 1e-9:
            return
        rows.append(np.full(members.shape[0], len(upper), dtype=np.int64))
        opts.append(members)
        coefs.append(coef[members])
        upper.append(ub)
        labels.append(label)

    is_off = opt_mode == OFF
    ones = np.ones_like(saving)
    # Per dimension: group codes, options sorted by group, and each group's load, so
    # that hundreds of container limits cost one sort rather than a scan each.
    indexed: dict[str, tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]] = {}
    for limit in request.group_limits:
        if limit.dimension not in fleet.groups:
            known = ", ".join(sorted(fleet.groups)) or "none"
            raise ValueError(f"group limit dimension {limit.dimension!r} is not in the fleet "
                             f"(known dimensions: {known})")
        if limit.dimension not in indexed:
            group_labels, code = _factorize(fleet.groups[limit.dimension])
            opt_code = code[opt_miner]
            by_group = np.argsort(opt_code, kind="stable")
            bounds = np.searchsorted(opt_code[by_group], np.arange(len(group_labels) + 1))
            load = np.bincount(code, weights=fleet.power_w * drawing, minlength=len(group_labels))
            indexed[limit.dimension] = (group_labels, by_group, bounds, load / 1000.0)
        codes, by_group, bounds, group_load = indexed[limit.dimension]
        name = f"{limit.dimension}={limit.group}"
        g = codes.get(limit.group)
        if g is None:
            notes.append(f"group {name} has no miners; limit ignored")
            continue
        members = np.sort(by_group[bounds[g]:bounds[g + 1]])
        shed_cap = limit.max_shed_kw
        if limit.min_kept_kw is not None:
            keep_cap = float(group_load[g]) - limit.min_kept_kw
            if keep_cap < 0:
                notes.append(f"group {name} draws {group_load[g]:.1f} kW, already under its "
                             f"minimum of {limit.min_kept_kw:.1f} kW: nothing shed there")
                keep_cap = 0.0
            shed_cap = keep_cap if shed_cap is None else min(shed_cap, keep_cap)
        if shed_cap is not None:
            add(f"group {name} shed <= {shed_cap:.3f} kW", members, saving, shed_cap)
        if limit.max_off is not None:
            add(f"group {name} off <= {limit.max_off}", members[is_off[members]], ones,
                float(limit.max_off))
    for client, share in request.client_min_running_share.items():
        of_client = fleet.client == client
        if not of_client.any():
            notes.append(f"client {client!r} has no miners; its running share is ignored")
            continue
        client_ths = float(fleet.hashrate_ths[of_client & drawing].sum())
        members = np.flatnonzero(of_client[opt_miner])
        add(f"client {client} keeps >= {share:.1%} of {client_ths:.1f} TH/s", members, loss,
            (1.0 - share) * client_ths)
    if not upper:
        empty_i = np.zeros(0, dtype=np.int64)
        return SideRows(empty_i, empty_i, np.zeros(0), np.zeros(0), ())
    return SideRows(np.concatenate(rows), np.concatenate(opts), np.concatenate(coefs),
                    np.asarray(upper, dtype=np.float64), tuple(labels))


def build_problem(fleet: Fleet, request: CurtailmentRequest) -> Problem:
    """The knapsack for ``request`` over ``fleet`` (raises ValueError on inconsistent input)."""
    in_scope = (np.ones(fleet.size, dtype=bool) if request.site is None
                else fleet.site == request.site)
    drawing = fleet.online & fleet.running  # offline miners are assumed to draw nothing
    scoped = in_scope & drawing
    eligible = np.flatnonzero(scoped & ~fleet.pinned & (fleet.power_w > 0))
    scope_load_kw = float(fleet.power_w[scoped].sum()) / 1000.0
    pinned_load_kw = float(fleet.power_w[scoped & fleet.pinned].sum()) / 1000.0
    if request.goal == "shed_kw":
        required = request.target_kw
    else:
        required = scope_load_kw - request.target_kw
    opt_miner, opt_mode, saving, loss = _options(fleet, eligible)
    keep = saving > 0  # a mode that saves nothing is never worth choosing
    opt_miner, opt_mode, saving, loss = opt_miner[keep], opt_mode[keep], saving[keep], loss[keep]
    notes: list[str] = []
    side = _side_rows(fleet, request, opt_miner, opt_mode, saving, loss, drawing, notes)
    problem = Problem(
        fleet=fleet, request=request, eligible=eligible, opt_miner=opt_miner,
        opt_mode=opt_mode, saving_kw=saving, loss_ths=loss, cost=loss,
        required_kw=float(required), scope_load_kw=scope_load_kw,
        pinned_load_kw=pinned_load_kw, side=side, notes=tuple(notes),
    )
    if request.objective == "revenue":
        revenue = problem.revenue_cost(np.arange(problem.option_count))
        problem = dataclasses.replace(problem, cost=revenue)
    return problem


def choice_totals(problem: Problem, chosen: np.ndarray) -> tuple[float, float, float]:
    """Saving (kW), hashrate lost (TH/s) and objective of the chosen options."""
    return (float(problem.saving_kw[chosen].sum()), float(problem.loss_ths[chosen].sum()),
            float(problem.cost[chosen].sum()))


def violations(problem: Problem, chosen: np.ndarray, tol: float = 1e-6) -> list[str]:
    """Every constraint the chosen options break (empty: the plan is feasible)."""
    found: list[str] = []
    miners = problem.opt_miner[chosen]
    if np.unique(miners).size != miners.size:
        found.append("a miner has more than one action")
    saving = float(problem.saving_kw[chosen].sum())
    if saving < problem.required_kw - tol:
        found.append(f"sheds {saving:.3f} kW, short of the {problem.required_kw:.3f} kW needed")
    if problem.side.count:
        x = np.zeros(problem.option_count)
        x[chosen] = 1.0
        lhs = np.zeros(problem.side.count)
        np.add.at(lhs, problem.side.row, problem.side.coef * x[problem.side.opt])
        for r in np.flatnonzero(lhs > problem.side.upper + tol * np.maximum(1, problem.side.upper)):
            found.append(f"{problem.side.labels[r]}: reaches {lhs[r]:.3f}")
    return found
