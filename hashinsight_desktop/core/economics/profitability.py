"""Vectorised profitability: per-miner arrays and fleet totals from :class:`ProfitInputs`.

Every per-row figure is for ONE miner of that row; totals weight rows by quantity.
Revenue and power both scale with uptime; the monthly hosting fee does not (it is
due whether the miner runs or not).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from hashinsight_desktop.core.economics.formulas import btc_per_th_day
from hashinsight_desktop.core.economics.inputs import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    HOURS_PER_DAY,
    ProfitInputs,
)

Array = NDArray[np.float64]


@dataclasses.dataclass(frozen=True, eq=False)
class FleetTotals:
    miners: float
    hashrate_ths: float
    power_w: float
    btc_per_day: float
    revenue_usd_per_day: float
    power_cost_usd_per_day: float
    hosting_cost_usd_per_day: float
    cost_usd_per_day: float
    profit_usd_per_day: float
    hardware_cost_usd: float
    breakeven_power_usd_per_kwh: float
    breakeven_btc_price_usd: float
    payback_days: float  # NaN when profit <= 0

    @property
    def profit_usd_per_month(self) -> float:
        return self.profit_usd_per_day * DAYS_PER_MONTH

    @property
    def profit_usd_per_year(self) -> float:
        return self.profit_usd_per_day * DAYS_PER_YEAR

    @property
    def efficiency_j_per_th(self) -> float:
        return self.power_w / self.hashrate_ths if self.hashrate_ths else float("nan")


@dataclasses.dataclass(frozen=True, eq=False)
class ProfitResult:
    """Per-miner arrays (one value per fleet row, for one miner of that row)."""

    inputs: ProfitInputs
    hashprice_usd_per_th_day: float  # gross: before pool fee and downtime
    btc_per_day: Array
    revenue_usd_per_day: Array
    power_cost_usd_per_day: Array  # electricity only
    hosting_cost_usd_per_day: Array
    profit_usd_per_day: Array
    hash_cost_usd_per_th_day: Array  # all running costs per TH/s of nameplate hashrate
    breakeven_power_usd_per_kwh: Array
    breakeven_btc_price_usd: Array
    payback_days: Array  # NaN when never
    # The block the arrays above are rows of (see compute_profitability); lets totals
    # sum several rows in one reduction.
    block: Array | None = dataclasses.field(default=None, repr=False)

    def _row_sums(self) -> dict[str, float]:
        """Quantity-weighted totals of btc, revenue, power and hosting per day."""
        fleet = self.inputs.fleet
        names = ("btc", "revenue", "kwh", "power", "hosting")
        if self.block is not None and fleet.quantity.ndim == 0:
            sums = np.add.reduce(self.block[: len(names)], axis=1) * float(fleet.quantity)
            return dict(zip(names, (float(v) for v in sums), strict=True))
        arrays = (self.btc_per_day, self.revenue_usd_per_day, None,
                  self.power_cost_usd_per_day, self.hosting_cost_usd_per_day)
        return {name: fleet.weighted_sum(a) for name, a in zip(names, arrays, strict=True)
                if a is not None}

    @property
    def cost_usd_per_day(self) -> Array:
        return self.power_cost_usd_per_day + self.hosting_cost_usd_per_day

    @property
    def profit_usd_per_month(self) -> Array:
        return self.profit_usd_per_day * DAYS_PER_MONTH

    @property
    def profit_usd_per_year(self) -> Array:
        return self.profit_usd_per_day * DAYS_PER_YEAR

    @property
    def efficiency_j_per_th(self) -> Array:
        return self.inputs.fleet.efficiency_j_per_th

    def totals(self) -> FleetTotals:
        fleet, terms = self.inputs.fleet, self.inputs.terms
        sums = self._row_sums()
        revenue, power_cost, hosting = sums["revenue"], sums["power"], sums["hosting"]
        btc = sums["btc"]
        hardware = fleet.weighted_sum(fleet.hardware_cost_usd)
        power_w = fleet.weighted_sum(fleet.power_w)
        kwh_per_day = power_w / 1000.0 * HOURS_PER_DAY * (terms.uptime_pct / 100.0)
        fixed = fleet.weighted_sum(fleet.hosting_usd_per_month) / DAYS_PER_MONTH
        profit = revenue - power_cost - hosting
        return FleetTotals(
            miners=fleet.miner_count,
            hashrate_ths=fleet.weighted_sum(fleet.hashrate_ths),
            power_w=power_w,
            btc_per_day=btc,
            revenue_usd_per_day=revenue,
            power_cost_usd_per_day=power_cost,
            hosting_cost_usd_per_day=hosting,
            cost_usd_per_day=power_cost + hosting,
            profit_usd_per_day=profit,
            hardware_cost_usd=hardware,
            breakeven_power_usd_per_kwh=_safe_div(revenue - fixed, kwh_per_day)
            - terms.hosting_usd_per_kwh,
            breakeven_btc_price_usd=_safe_div(power_cost + hosting, btc),
            payback_days=hardware / profit if profit > 0 else float("nan"),
        )


def _safe_div(a: float, b: float) -> float:
    return a / b if b else float("nan")


# Rows of the one block compute_profitability allocates (the first five in the order
# ProfitResult._row_sums expects).
_ROWS = ("btc", "revenue", "kwh", "power", "hosting", "profit", "hash_cost",
         "breakeven_power", "breakeven_price", "payback")


def compute_profitability(inputs: ProfitInputs) -> ProfitResult:
    """Daily economics of every fleet row at one market state (all numpy, no loops).

    Results live in rows of ONE preallocated block written with ``out=``: first-touch
    page faults on many separate temporaries, not arithmetic, dominate at 100,000
    miners.
    """
    fleet, terms, market = inputs.fleet, inputs.terms, inputs.market
    hashprice_btc = float(btc_per_th_day(market.reward_btc, market.difficulty))
    uptime = terms.uptime_pct / 100.0

    block = np.empty((len(_ROWS), fleet.size))
    btc, revenue, kwh, power_cost, hosting, profit, hash_cost, be_power, be_price, payback = block
    np.multiply(fleet.hashrate_ths, hashprice_btc * terms.kept_share, out=btc)
    np.multiply(btc, market.btc_price_usd, out=revenue)
    np.multiply(fleet.power_w, HOURS_PER_DAY * uptime / 1000.0, out=kwh)
    np.multiply(kwh, terms.average_electricity_usd_per_kwh, out=power_cost)
    fixed_hosting = fleet.hosting_usd_per_month / DAYS_PER_MONTH
    np.multiply(kwh, terms.hosting_usd_per_kwh, out=hosting)
    np.add(hosting, fixed_hosting, out=hosting)
    np.subtract(revenue, power_cost, out=profit)
    np.subtract(profit, hosting, out=profit)
    # hash_cost doubles as scratch for the running cost before its final division.
    np.add(power_cost, hosting, out=hash_cost)

    with np.errstate(divide="ignore", invalid="ignore"):
        # Break-even price: no BTC earned (100 % pool fee) gives +inf: no price pays.
        np.divide(hash_cost, btc, out=be_price)
        np.subtract(revenue, fixed_hosting, out=be_power)
        np.divide(be_power, kwh, out=be_power)
        np.subtract(be_power, terms.hosting_usd_per_kwh, out=be_power)
        # Payback: NaN (never) unless profitable.  putmask after a plain divide is
        # several times faster than a masked divide (``where=``).
        np.divide(fleet.hardware_cost_usd, profit, out=payback)
        np.putmask(payback, profit <= 0, np.nan)
    np.divide(hash_cost, fleet.hashrate_ths, out=hash_cost)

    return ProfitResult(
        inputs=inputs,
        hashprice_usd_per_th_day=hashprice_btc * market.btc_price_usd,
        btc_per_day=btc,
        revenue_usd_per_day=revenue,
        power_cost_usd_per_day=power_cost,
        hosting_cost_usd_per_day=hosting,
        profit_usd_per_day=profit,
        hash_cost_usd_per_th_day=hash_cost,
        breakeven_power_usd_per_kwh=be_power,
        breakeven_btc_price_usd=be_price,
        payback_days=payback,
        block=block,
    )
