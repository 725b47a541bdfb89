"""Historical replay: what a miner or fleet would have earned day by day.

Each day pays the expected (FPPS-like) share at that day's difficulty, price and
average per-block reward (fees + subsidy over the day's blocks), so a day that
straddles a halving is averaged by block count.  Luck (more or fewer than 144 blocks)
is deliberately left out: it is the pool's risk, not the miner's, under FPPS.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.formulas import btc_per_th_day
from hashinsight_desktop.core.economics.inputs import (
    DAYS_PER_MONTH,
    HOURS_PER_DAY,
    Fleet,
    OperatingTerms,
)
from hashinsight_desktop.core.economics.market_history import DailyMarket

Array = NDArray[np.float64]


@dataclasses.dataclass(frozen=True, eq=False)
class Replay:
    dates: NDArray[np.datetime64]
    btc: Array  # fleet BTC earned each day
    revenue_usd: Array
    cost_usd: Array
    profit_usd: Array

    @property
    def total_btc(self) -> float:
        return float(self.btc.sum())

    @property
    def total_revenue_usd(self) -> float:
        return float(self.revenue_usd.sum())

    @property
    def total_profit_usd(self) -> float:
        return float(self.profit_usd.sum())


def replay(history: DailyMarket, fleet: Fleet, terms: OperatingTerms) -> Replay:
    if len(history) == 0:
        raise InputError("history", "the replay period holds no days")
    reward = (history.fees_btc + history.subsidy_btc) / history.blocks
    th_total = fleet.weighted_sum(fleet.hashrate_ths)
    btc = btc_per_th_day(reward, history.difficulty) * (th_total * terms.kept_share)
    revenue = btc * history.price_usd
    kwh = fleet.weighted_sum(fleet.power_w) / 1000.0 * HOURS_PER_DAY * terms.uptime_pct / 100.0
    daily_cost = (
        kwh * (terms.average_electricity_usd_per_kwh + terms.hosting_usd_per_kwh)
        + fleet.weighted_sum(fleet.hosting_usd_per_month) / DAYS_PER_MONTH
    )
    cost = np.full(len(history), daily_cost)
    return Replay(history.dates, np.asarray(btc), revenue, cost, revenue - cost)
