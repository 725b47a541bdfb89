import numpy as np
import pytest
from econ_helpers import MARKET, inputs

from hashinsight_desktop.core.economics.inputs import MarketState, ProfitInputs
from hashinsight_desktop.core.economics.profitability import compute_profitability
from hashinsight_desktop.core.economics.sensitivity import sensitivity_grid


def _profit_at(base: ProfitInputs, price: float, difficulty: float) -> float:
    market = MarketState(price, difficulty, MARKET.block_height, MARKET.fees_btc_per_block)
    return compute_profitability(ProfitInputs(base.fleet, base.terms, market)).totals(
    ).profit_usd_per_day


def test_grid_matches_direct_calculation_and_contour_is_zero_profit():
    base = inputs([200.0, 110.0], [3500.0, 3250.0], quantity=[4, 6], pool_fee=2.0,
                  hardware_cost_usd=3000.0)
    prices = np.array([50e3, 90e3, 150e3])
    diffs = np.array([1.2e14, 1.48e14, 2e14])
    grid = sensitivity_grid(base, prices, diffs)
    assert grid.values.shape == (3, 3)
    for i, d in enumerate(diffs):
        for j, p in enumerate(prices):
            assert grid.values[i, j] == pytest.approx(_profit_at(base, p, d))
        assert _profit_at(base, grid.breakeven_price_usd[i], d) == pytest.approx(0.0, abs=1e-9)
    # Higher difficulty needs a higher price to break even, in proportion.
    assert grid.breakeven_price_usd[2] / grid.breakeven_price_usd[0] == pytest.approx(2e14 / 1.2e14)


def test_payback_grid_is_nan_where_unprofitable():
    base = inputs(hardware_cost_usd=3000.0)
    grid = sensitivity_grid(base, [10e3, 200e3], [1.48e14], metric="payback")
    assert np.isnan(grid.values[0, 0])
    assert grid.values[0, 1] == pytest.approx(3000.0 / _profit_at(base, 200e3, 1.48e14))
