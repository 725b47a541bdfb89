"""Multi-month projection: difficulty growth per epoch, halvings, a price path, retirement.

Model (one step per day):
- blocks come at 144 a day (difficulty adjustment keeps them near 10 minutes), so the
  height on day t is ``h0 + 144 t`` and halvings fall where their heights land;
- difficulty grows by ``difficulty_growth_pct_per_epoch`` at every 2016-block boundary;
- fees stay at their BTC per block, or at their share of the reward if given that way;
- a miner is retired for good on the first day its revenue no longer pays its running
  power cost (electricity + per-kWh hosting); its monthly hosting stops with it.
Months are 30.4375-day buckets of whole days.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
from numpy.typing import NDArray

from hashinsight_desktop.core.economics import validation as check
from hashinsight_desktop.core.economics.formulas import btc_per_th_day
from hashinsight_desktop.core.economics.inputs import (
    DAYS_PER_MONTH,
    HOURS_PER_DAY,
    ProfitInputs,
)
from hashinsight_desktop.core.economics.price_path import PricePath
from hashinsight_desktop.core.economics.subsidy import (
    BLOCKS_PER_DAY,
    BLOCKS_PER_EPOCH,
    mean_subsidy_over_blocks,
)

Array = NDArray[np.float64]
MAX_MONTHS = 240


@dataclasses.dataclass(frozen=True, eq=False)
class Projection:
    # Daily series (length n_days).
    difficulty: Array
    btc_price_usd: Array
    subsidy_btc: Array
    hashprice_usd_per_th_day: Array  # gross
    revenue_usd: Array
    cost_usd: Array
    profit_usd: Array
    active_miners: Array
    # Monthly series (length months).
    monthly_revenue_usd: Array
    monthly_cost_usd: Array
    monthly_profit_usd: Array
    monthly_cumulative_profit_usd: Array
    # Per fleet row: the day index it is retired on, NaN if it runs to the end.
    retirement_day: Array
    hardware_cost_usd: float
    payback_day: int | None  # first day cumulative profit covers the hardware
    start_date: dt.date | None

    @property
    def n_days(self) -> int:
        return int(self.revenue_usd.shape[0])

    @property
    def payback_date(self) -> dt.date | None:
        if self.payback_day is None or self.start_date is None:
            return None
        return self.start_date + dt.timedelta(days=self.payback_day)

    @property
    def total_profit_usd(self) -> float:
        return float(self.profit_usd.sum())


def project(
    inputs: ProfitInputs,
    months: int,
    *,
    difficulty_growth_pct_per_epoch: float = 0.0,
    price_path: PricePath | None = None,
    start_date: dt.date | None = None,
    retire_unprofitable: bool = True,
) -> Projection:
    """Project the fleet's daily and monthly profit over ``months`` months."""
    months_checked = int(check.scalar("months", months, low=1, high=MAX_MONTHS))
    growth = check.scalar("difficulty_growth_pct_per_epoch", difficulty_growth_pct_per_epoch,
                          low=-50.0, high=100.0)
    fleet, terms, market = inputs.fleet, inputs.terms, inputs.market
    n_days = round(months_checked * DAYS_PER_MONTH)
    days = np.arange(n_days)

    first_heights = market.block_height + BLOCKS_PER_DAY * days
    subsidy = mean_subsidy_over_blocks(first_heights, BLOCKS_PER_DAY)
    mid_heights = first_heights + BLOCKS_PER_DAY // 2
    epochs_passed = mid_heights // BLOCKS_PER_EPOCH - market.block_height // BLOCKS_PER_EPOCH
    difficulty = market.difficulty * (1.0 + growth / 100.0) ** epochs_passed
    if market.fees_pct_of_reward is not None:
        share = market.fees_pct_of_reward / 100.0
        fees = subsidy * share / (1.0 - share)
    else:
        fees = np.full(n_days, market.fees_btc)
    path = price_path or PricePath.flat(market.btc_price_usd)
    price = path.daily(n_days)
    hashprice = btc_per_th_day(subsidy + fees, difficulty) * price
    net_per_th = hashprice * terms.kept_share  # what 1 TH/s of nameplate actually earns

    kwh = fleet.power_w * (HOURS_PER_DAY * terms.uptime_pct / 100.0 / 1000.0)
    running_cost = kwh * (terms.average_electricity_usd_per_kwh + terms.hosting_usd_per_kwh)
    fixed_cost = np.broadcast_to(fleet.hosting_usd_per_month / DAYS_PER_MONTH, fleet.power_w.shape)
    quantity = np.broadcast_to(fleet.quantity, fleet.power_w.shape)

    if retire_unprofitable:
        retire = _retirement_days(net_per_th, running_cost / fleet.hashrate_ths)
    else:
        retire = np.full(fleet.size, n_days)

    def active(per_row: Array) -> Array:
        """Daily fleet total of a per-miner figure over the miners not yet retired."""
        leaving = np.bincount(retire, weights=per_row * quantity, minlength=n_days + 1)
        return float((per_row * quantity).sum()) - np.cumsum(leaving)[:n_days]

    revenue = net_per_th * active(fleet.hashrate_ths)
    cost = active(running_cost) + active(fixed_cost)
    profit = revenue - cost
    hardware = fleet.weighted_sum(fleet.hardware_cost_usd)

    month_of_day = np.minimum((days / DAYS_PER_MONTH).astype(np.int64), months_checked - 1)

    def monthly(daily: Array) -> Array:
        return np.bincount(month_of_day, weights=daily, minlength=months_checked)

    cumulative = np.cumsum(profit)
    paid = np.flatnonzero(cumulative >= hardware)
    return Projection(
        difficulty=difficulty,
        btc_price_usd=price,
        subsidy_btc=subsidy,
        hashprice_usd_per_th_day=hashprice,
        revenue_usd=revenue,
        cost_usd=cost,
        profit_usd=profit,
        active_miners=active(np.ones(fleet.size)),
        monthly_revenue_usd=monthly(revenue),
        monthly_cost_usd=monthly(cost),
        monthly_profit_usd=monthly(profit),
        monthly_cumulative_profit_usd=np.cumsum(monthly(profit)),
        retirement_day=np.where(retire < n_days, retire, np.nan).astype(np.float64),
        hardware_cost_usd=hardware,
        payback_day=int(paid[0]) if paid.size else None,
        start_date=start_date,
    )


def project_band(
    inputs: ProfitInputs,
    months: int,
    paths: dict[str, PricePath],
    **kwargs: object,
) -> dict[str, Projection]:
    """One projection per named price path (``band_paths(low, mid, high)``)."""
    return {name: project(inputs, months, price_path=path, **kwargs)  # type: ignore[arg-type]
            for name, path in paths.items()}


def _retirement_days(net_per_th: Array, threshold_per_th: Array) -> NDArray[np.int64]:
    """First day each row's revenue per TH falls below its running cost per TH.

    Retirement is permanent, so what matters is the running minimum of revenue: it
    never rises, and a binary search finds each row's day in O(log n_days).
    """
    running_min = np.minimum.accumulate(net_per_th)
    # -running_min is non-decreasing; the first day with -running_min > -threshold.
    return np.searchsorted(-running_min, -threshold_per_th, side="right").astype(np.int64)
