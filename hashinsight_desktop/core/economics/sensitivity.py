"""Price x difficulty sensitivity of the fleet's daily profit or payback, and the
break-even contour.

At fixed fleet and terms, revenue is ``price * B * D0 / D`` (B = BTC per day at the
base difficulty D0) and costs do not move, so the whole grid is one outer product and
the break-even contour is exact: ``price*(D) = cost * D / (B * D0)``.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hashinsight_desktop.core.economics import validation as check
from hashinsight_desktop.core.economics.inputs import MAX_BTC_PRICE_USD, MAX_DIFFICULTY
from hashinsight_desktop.core.economics.profitability import ProfitInputs, compute_profitability

Array = NDArray[np.float64]
Metric = Literal["profit", "payback"]


@dataclasses.dataclass(frozen=True, eq=False)
class SensitivityGrid:
    prices_usd: Array  # columns
    difficulties: Array  # rows
    metric: Metric
    values: Array  # shape (len(difficulties), len(prices)); payback NaN where never
    breakeven_price_usd: Array  # one per difficulty: the profit = 0 contour


def sensitivity_grid(
    inputs: ProfitInputs,
    prices_usd: ArrayLike,
    difficulties: ArrayLike,
    metric: Metric = "profit",
) -> SensitivityGrid:
    prices = check.array("btc_price_usd", np.atleast_1d(prices_usd), low=0.0,
                         low_inclusive=False, high=MAX_BTC_PRICE_USD)
    diffs = check.array("difficulty", np.atleast_1d(difficulties), low=1.0, high=MAX_DIFFICULTY)
    if metric not in ("profit", "payback"):
        raise ValueError(f"metric must be 'profit' or 'payback', got {metric!r}")
    totals = compute_profitability(inputs).totals()
    btc_at_base = totals.btc_per_day
    cost = totals.cost_usd_per_day
    btc = btc_at_base * inputs.market.difficulty / diffs  # BTC per day at each difficulty
    profit = np.outer(btc, prices) - cost
    with np.errstate(divide="ignore", invalid="ignore"):
        breakeven = np.where(btc > 0, cost / btc, np.inf)
        if metric == "payback":
            values = np.where(profit > 0, totals.hardware_cost_usd / profit, np.nan)
        else:
            values = profit
    return SensitivityGrid(prices, diffs, metric, values, breakeven)
