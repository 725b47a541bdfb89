import datetime as dt

import numpy as np
import pytest
from econ_helpers import inputs

from hashinsight_desktop.core.economics.inputs import MarketState
from hashinsight_desktop.core.economics.price_path import PricePath, band_paths
from hashinsight_desktop.core.economics.profitability import compute_profitability
from hashinsight_desktop.core.economics.projection import project, project_band

FAR_FROM_HALVING = MarketState(90_000.0, 1.48e14, 925_000, fees_btc_per_block=0.02)
NEAR_HALVING = MarketState(90_000.0, 1.48e14, 1_050_000 - 144 * 45, fees_btc_per_block=0.02)


def test_flat_world_repeats_todays_profit():
    base = inputs(market=FAR_FROM_HALVING, hardware_cost_usd=300.0)
    p = project(base, 12, start_date=dt.date(2026, 1, 1))
    today = compute_profitability(base).totals()
    assert p.n_days == 365
    assert np.allclose(p.profit_usd, today.profit_usd_per_day)
    assert p.monthly_profit_usd.sum() == pytest.approx(p.profit_usd.sum())
    assert p.monthly_cumulative_profit_usd[-1] == pytest.approx(p.total_profit_usd)
    expected_day = int(np.ceil(300.0 / today.profit_usd_per_day)) - 1
    assert p.payback_day == expected_day
    assert p.payback_date == dt.date(2026, 1, 1) + dt.timedelta(days=expected_day)


def test_halving_halves_the_subsidy_on_its_day():
    p = project(inputs(market=NEAR_HALVING), 3, retire_unprofitable=False)
    assert p.subsidy_btc[44] == 3.125 and p.subsidy_btc[45] == 1.5625
    before, after = p.revenue_usd[44], p.revenue_usd[45]
    assert after / before == pytest.approx((1.5625 + 0.02) / (3.125 + 0.02))


def test_difficulty_grows_once_per_2016_block_epoch():
    height = 2016 * 500  # an epoch starts today
    market = MarketState(90_000.0, 1e14, height, fees_btc_per_block=0.0)
    p = project(inputs(market=market), 2, difficulty_growth_pct_per_epoch=3.0,
                retire_unprofitable=False)
    assert p.difficulty[13] == 1e14  # day 13 mid-day is block 1,008,000 + 1944: same epoch
    assert p.difficulty[14] == pytest.approx(1.03e14)
    assert p.difficulty[28] == pytest.approx(1e14 * 1.03**2)


def test_price_growth_and_forecast_paths():
    assert PricePath.growth(100.0, 10.0).daily(62)[61] == pytest.approx(
        100 * 1.1 ** (61 / 30.4375))
    held = PricePath.from_daily([1.0, 2.0, 3.0]).daily(5)
    assert list(held) == [1.0, 2.0, 3.0, 3.0, 3.0]
    bands = project_band(inputs(), 1, band_paths([80e3] * 31, [90e3] * 31, [100e3] * 31))
    assert bands["low"].total_profit_usd < bands["mid"].total_profit_usd < \
        bands["high"].total_profit_usd


def test_inefficient_miners_retire_at_the_halving():
    # At $0.04/kWh a 30 J/TH miner pays its power before the halving, not after.
    fleet = inputs([200.0, 100.0], [3500.0, 3000.0], quantity=[2, 3], price_kwh=0.04,
                   market=NEAR_HALVING)
    before = compute_profitability(fleet)
    assert (before.profit_usd_per_day > 0).all()
    p = project(fleet, 4)
    assert np.isnan(p.retirement_day[0])
    assert p.retirement_day[1] == 45
    assert p.active_miners[44] == 5 and p.active_miners[45] == 2
    # After retirement only the efficient miners' power is paid.
    assert p.cost_usd[45] == pytest.approx(2 * before.power_cost_usd_per_day[0])


def test_never_paying_back_gives_none():
    p = project(inputs(price_kwh=0.09, hardware_cost_usd=1e6), 6)
    assert p.payback_day is None and p.payback_date is None
