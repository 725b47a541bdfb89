"""Independent checks for curtailment tests: recomputed from the raw inputs, sharing no
code with the planner, so a planner bug cannot hide behind its own bookkeeping."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np

from hashinsight_desktop.core.curtailment import (
    CurtailmentRequest,
    Fleet,
    GroupLimit,
    PlanResult,
)

TOL = 1e-6


@dataclasses.dataclass
class Choice:
    power_fraction: float  # 0 for off
    hashrate_fraction: float


def choices_of(fleet: Fleet, i: int) -> dict[str, Choice]:
    options = {"off": Choice(0.0, 0.0)}
    s = int(fleet.mode_set_index[i])
    if s >= 0:
        for mode in fleet.mode_sets[s]:
            options[f"mode:{mode.name}"] = Choice(mode.power_fraction, mode.hashrate_fraction)
    return options


def eligible_rows(fleet: Fleet, request: CurtailmentRequest) -> list[int]:
    return [i for i in range(fleet.size)
            if fleet.online[i] and fleet.running[i] and not fleet.pinned[i]
            and fleet.power_w[i] > 0 and (request.site is None or fleet.site[i] == request.site)]


def required_kw(fleet: Fleet, request: CurtailmentRequest) -> float:
    if request.goal == "shed_kw":
        return request.target_kw
    load = sum(fleet.power_w[i] for i in range(fleet.size)
               if fleet.online[i] and fleet.running[i]
               and (request.site is None or fleet.site[i] == request.site)) / 1000
    return load - request.target_kw


def _group_bound(fleet: Fleet, limit: GroupLimit) -> float | None:
    members = [i for i in range(fleet.size) if fleet.groups[limit.dimension][i] == limit.group]
    bound = limit.max_shed_kw
    if limit.min_kept_kw is not None:
        load = sum(fleet.power_w[i] for i in members if fleet.online[i] and fleet.running[i]) / 1000
        keep = max(0.0, load - limit.min_kept_kw)
        bound = keep if bound is None else min(bound, keep)
    return bound


def plan_problems(fleet: Fleet, request: CurtailmentRequest,
                  decisions: dict[int, Choice]) -> list[str]:
    """Every way a set of decisions (fleet row -> choice) breaks the request."""
    found = []
    allowed = set(eligible_rows(fleet, request))
    for i in decisions:
        if i not in allowed:
            found.append(f"{fleet.miner_ids[i]} may not change state")
    saved = {i: fleet.power_w[i] * (1 - c.power_fraction) / 1000 for i, c in decisions.items()}
    lost = {i: fleet.hashrate_ths[i] * (1 - c.hashrate_fraction) for i, c in decisions.items()}
    need = required_kw(fleet, request)
    if need > TOL and sum(saved.values()) < need - TOL:
        found.append(f"sheds {sum(saved.values())} < {need}")
    for limit in request.group_limits:
        in_group = [i for i in decisions if fleet.groups[limit.dimension][i] == limit.group]
        bound = _group_bound(fleet, limit)
        if bound is not None and sum(saved[i] for i in in_group) > bound + TOL:
            found.append(f"group {limit.group} sheds too much")
        if limit.max_off is not None:
            off = sum(1 for i in in_group if decisions[i].power_fraction == 0)
            if off > limit.max_off:
                found.append(f"group {limit.group}: {off} off > {limit.max_off}")
    for client, share in request.client_min_running_share.items():
        total = sum(fleet.hashrate_ths[i] for i in range(fleet.size)
                    if fleet.client[i] == client and fleet.online[i] and fleet.running[i])
        client_lost = sum(lost[i] for i in decisions if fleet.client[i] == client)
        if client_lost > (1 - share) * total + TOL:
            found.append(f"client {client} loses {client_lost} of {total}")
    return found


def decisions_of(fleet: Fleet, result: PlanResult) -> dict[int, Choice]:
    row_of = {str(m): i for i, m in enumerate(fleet.miner_ids)}
    decisions: dict[int, Choice] = {}
    for action in result.actions:
        i = row_of[action.miner_id]
        assert i not in decisions, f"two actions for {action.miner_id}"
        assert action.ip == fleet.ips[i]
        decisions[i] = choices_of(fleet, i)[action.action]
    return decisions


def check_result(fleet: Fleet, request: CurtailmentRequest, result: PlanResult) -> None:
    """Feasibility and the reported totals, recomputed from scratch."""
    decisions = decisions_of(fleet, result)
    problems = plan_problems(fleet, request, decisions)
    assert not problems, problems[:5]
    shed = sum(fleet.power_w[i] * (1 - c.power_fraction) for i, c in decisions.items()) / 1000
    lost = sum(fleet.hashrate_ths[i] * (1 - c.hashrate_fraction) for i, c in decisions.items())
    assert abs(result.shed_kw - shed) < 1e-6 * max(1, shed)
    assert abs(result.hashrate_lost_ths - lost) < 1e-6 * max(1, lost)


def objective_of(fleet: Fleet, request: CurtailmentRequest, decisions: dict[int, Choice]) -> float:
    total = 0.0
    for i, c in decisions.items():
        lost = fleet.hashrate_ths[i] * (1 - c.hashrate_fraction)
        if request.objective == "hashrate":
            total += lost
        else:
            econ = request.economics
            assert econ is not None
            rate = econ.client_power_usd_per_kwh.get(str(fleet.client[i]), econ.power_usd_per_kwh)
            total += (econ.revenue_usd_per_th_h * lost
                      - rate * fleet.power_w[i] * (1 - c.power_fraction) / 1000)
    return total


def brute_force(fleet: Fleet, request: CurtailmentRequest) -> float | None:
    """The exact optimum by enumerating every combination (None: infeasible)."""
    rows = eligible_rows(fleet, request)
    per_miner = [[None, *choices_of(fleet, i).values()] for i in rows]
    best: float | None = None
    for combo in itertools.product(*per_miner):
        decisions = {i: c for i, c in zip(rows, combo, strict=True) if c is not None}
        if plan_problems(fleet, request, decisions):
            continue
        value = objective_of(fleet, request, decisions)
        if best is None or value < best:
            best = value
    return best


def naive_greedy_off(fleet: Fleet, request: CurtailmentRequest) -> list[int]:
    """The old platform's rule, written plainly: worst J/TH first, skip what breaks a limit."""
    rows = sorted(eligible_rows(fleet, request),
                  key=lambda i: (-(fleet.power_w[i] / fleet.hashrate_ths[i]), i))
    need = required_kw(fleet, request)
    taken: dict[int, Choice] = {}
    shed = 0.0
    for i in rows:
        if shed >= need - 1e-9:
            break
        trial = {**taken, i: Choice(0.0, 0.0)}
        broken = [p for p in plan_problems(fleet, request, trial) if not p.startswith("sheds")]
        if broken:
            continue
        taken = trial
        shed += fleet.power_w[i] / 1000
    return sorted(taken)


def random_fleet(rng: np.random.Generator, n: int, *, modes: bool, groups: bool) -> Fleet:
    from hashinsight_desktop.core.curtailment import PowerMode

    mode_sets = [
        (PowerMode("p85", 0.85, 0.88), PowerMode("p70", 0.70, 0.75)),
        (PowerMode("eco", float(rng.uniform(0.5, 0.9)), float(rng.uniform(0.5, 0.95))),),
    ]
    return Fleet.build(
        [f"m{i}" for i in range(n)],
        rng.uniform(50, 200, n).round(1),
        rng.uniform(2000, 4000, n).round(0),
        ips=[f"10.0.0.{i + 1}" for i in range(n)],
        site=rng.choice(["a", "b"], n, p=[0.8, 0.2]),
        client=rng.choice(["x", "y", "z"], n),
        pinned=rng.random(n) < 0.1,
        online=rng.random(n) > 0.08,
        running=rng.random(n) > 0.05,
        groups={"container": rng.choice(["c1", "c2"], n),
                "breaker": rng.choice(["b1", "b2", "b3"], n)} if groups else None,
        mode_sets=mode_sets if modes else (),
        mode_set_index=rng.integers(-1, 2, n) if modes else None,
    )
