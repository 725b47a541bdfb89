"""What the operator asks for: the goal, the scope, the objective and the limits."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

Goal = Literal["shed_kw", "cap_kw"]
Objective = Literal["hashrate", "revenue"]
Strategy = Literal["optimal", "greedy"]
SolverName = Literal["highs", "cbc"]

GOALS = ("shed_kw", "cap_kw")
OBJECTIVES = ("hashrate", "revenue")
STRATEGIES = ("optimal", "greedy")
SOLVERS = ("highs", "cbc")


def _check_non_negative(name: str, value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


@dataclasses.dataclass(frozen=True, slots=True)
class GroupLimit:
    """A limit on one group (a container, breaker or transformer) of one dimension.

    ``max_shed_kw``: at most this much may be shed in the group (a breaker that must not
    swing too far); ``min_kept_kw``: at least this much must keep running (cooling
    needs heat, a transformer has a minimum load); ``max_off``: at most this many
    miners switched off (modes do not count).
    """

    dimension: str
    group: str
    max_shed_kw: float | None = None
    min_kept_kw: float | None = None
    max_off: int | None = None

    def __post_init__(self) -> None:
        _check_non_negative(f"group limit {self.dimension}={self.group}: max_shed_kw",
                            self.max_shed_kw)
        _check_non_negative(f"group limit {self.dimension}={self.group}: min_kept_kw",
                            self.min_kept_kw)
        if self.max_off is not None and self.max_off < 0:
            raise ValueError(f"group limit {self.dimension}={self.group}: max_off must be >= 0")
        if self.max_shed_kw is None and self.min_kept_kw is None and self.max_off is None:
            raise ValueError(f"group limit {self.dimension}={self.group}: give at least one limit")


@dataclasses.dataclass(frozen=True)
class Economics:
    """Prices for the revenue objective.

    ``revenue_usd_per_th_h``: mining revenue per TH/s per hour (hashprice / 24).
    ``power_usd_per_kwh``: the power price a kW saved is worth; ``client_power_usd_per_kwh``
    overrides it per hosting client (their contract rate).
    """

    revenue_usd_per_th_h: float
    power_usd_per_kwh: float = 0.0
    client_power_usd_per_kwh: Mapping[str, float] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_non_negative("revenue_usd_per_th_h", self.revenue_usd_per_th_h)
        _check_non_negative("power_usd_per_kwh", self.power_usd_per_kwh)
        for client, rate in self.client_power_usd_per_kwh.items():
            _check_non_negative(f"power rate of client {client!r}", rate)
        object.__setattr__(self, "client_power_usd_per_kwh",
                           MappingProxyType(dict(self.client_power_usd_per_kwh)))


@dataclasses.dataclass(frozen=True)
class CurtailmentRequest:
    """``shed_kw``: shed at least ``target_kw``; ``cap_kw``: keep the load <= ``target_kw``.

    ``site`` limits the scope (None: the whole farm).  ``client_min_running_share``
    maps a client to the share of its online hashrate (farm-wide) that must keep
    running.  ``mip_rel_gap`` is the relative gap at which the solver may stop.
    """

    goal: Goal
    target_kw: float
    site: str | None = None
    objective: Objective = "hashrate"
    strategy: Strategy = "optimal"
    solver: SolverName = "highs"
    time_limit_s: float = 10.0
    mip_rel_gap: float = 1e-4
    group_limits: tuple[GroupLimit, ...] = ()
    client_min_running_share: Mapping[str, float] = dataclasses.field(default_factory=dict)
    economics: Economics | None = None

    def __post_init__(self) -> None:
        if self.goal not in GOALS:
            raise ValueError(f"goal {self.goal!r} must be one of {', '.join(GOALS)}")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective {self.objective!r} must be one of {', '.join(OBJECTIVES)}")
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy {self.strategy!r} must be one of {', '.join(STRATEGIES)}")
        if self.solver not in SOLVERS:
            raise ValueError(f"solver {self.solver!r} must be one of {', '.join(SOLVERS)}")
        _check_non_negative("target_kw", self.target_kw)
        if self.goal == "shed_kw" and self.target_kw <= 0:
            raise ValueError("target_kw for shed_kw must be > 0")
        if not (math.isfinite(self.time_limit_s) and self.time_limit_s > 0):
            raise ValueError(f"time_limit_s must be > 0, got {self.time_limit_s!r}")
        if not 0 <= self.mip_rel_gap < 1:
            raise ValueError(f"mip_rel_gap must be in [0, 1), got {self.mip_rel_gap!r}")
        for client, share in self.client_min_running_share.items():
            if not 0 <= share <= 1:
                raise ValueError(f"running share of client {client!r} must be in [0, 1], "
                                 f"got {share!r}")
        object.__setattr__(self, "client_min_running_share",
                           MappingProxyType(dict(self.client_min_running_share)))
        if self.objective == "revenue" and self.economics is None:
            raise ValueError("the revenue objective needs economics (revenue and power rates)")
