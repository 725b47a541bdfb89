import math

import numpy as np
import pytest
from econ_helpers import MARKET, inputs

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.core.economics.inputs import (
    Fleet,
    MarketState,
    OperatingTerms,
    ProfitInputs,
)
from hashinsight_desktop.core.economics.profitability import compute_profitability


def test_single_miner_by_hand():
    # S21: 200 TH/s, 3500 W; reward 3.125 + 0.02 BTC; difficulty 1.48e14; $90,000; $0.06.
    result = compute_profitability(inputs())
    btc = 200e12 * 86400 * 3.145 / (1.48e14 * 2**32)
    assert result.btc_per_day[0] == pytest.approx(btc, rel=1e-12)
    assert result.revenue_usd_per_day[0] == pytest.approx(btc * 90_000, rel=1e-12)
    assert result.power_cost_usd_per_day[0] == pytest.approx(3.5 * 24 * 0.06)
    profit = btc * 90_000 - 3.5 * 24 * 0.06
    assert result.profit_usd_per_day[0] == pytest.approx(profit)
    assert result.profit_usd_per_month[0] == pytest.approx(profit * 30.4375)
    assert result.profit_usd_per_year[0] == pytest.approx(profit * 365.25)
    assert result.hashprice_usd_per_th_day == pytest.approx(btc / 200 * 90_000)
    assert result.efficiency_j_per_th[0] == pytest.approx(17.5)
    assert result.breakeven_power_usd_per_kwh[0] == pytest.approx(btc * 90_000 / (3.5 * 24))
    assert result.hash_cost_usd_per_th_day[0] == pytest.approx(3.5 * 24 * 0.06 / 200)
    # Sanity against the published order of magnitude for late 2025 (~$0.04/TH/day).
    assert 0.03 < result.hashprice_usd_per_th_day < 0.05


def test_breakevens_give_zero_profit():
    base = inputs(pool_fee=2.0, uptime=95.0, hardware_cost_usd=3000.0,
                  hosting_usd_per_month=20.0)
    result = compute_profitability(base)
    be_power = float(result.breakeven_power_usd_per_kwh[0])
    at_power = compute_profitability(
        ProfitInputs(base.fleet, OperatingTerms(be_power, 2.0, 0.0, 95.0), base.market))
    assert at_power.profit_usd_per_day[0] == pytest.approx(0.0, abs=1e-9)
    be_price = float(result.breakeven_btc_price_usd[0])
    market = MarketState(be_price, MARKET.difficulty, MARKET.block_height, 0.02)
    at_price = compute_profitability(ProfitInputs(base.fleet, base.terms, market))
    assert at_price.profit_usd_per_day[0] == pytest.approx(0.0, abs=1e-9)


def test_payback_and_never():
    good = compute_profitability(inputs(hardware_cost_usd=3000.0))
    assert good.payback_days[0] == pytest.approx(3000.0 / good.profit_usd_per_day[0])
    bad = compute_profitability(inputs(price_kwh=0.5, hardware_cost_usd=3000.0))
    assert bad.profit_usd_per_day[0] < 0
    assert math.isnan(bad.payback_days[0])
    assert math.isnan(bad.totals().payback_days)


def test_pool_fee_uptime_and_hosting():
    plain = compute_profitability(inputs())
    r = compute_profitability(inputs(pool_fee=2.0, uptime=90.0, hosting_usd_per_month=30.4375))
    assert r.revenue_usd_per_day[0] == pytest.approx(plain.revenue_usd_per_day[0] * 0.98 * 0.9)
    assert r.power_cost_usd_per_day[0] == pytest.approx(plain.power_cost_usd_per_day[0] * 0.9)
    assert r.hosting_cost_usd_per_day[0] == pytest.approx(1.0)  # $30.4375 a month = $1 a day
    per_kwh = ProfitInputs(plain.inputs.fleet, OperatingTerms(0.06, hosting_usd_per_kwh=0.01),
                           MARKET)
    assert compute_profitability(per_kwh).hosting_cost_usd_per_day[0] == pytest.approx(0.84)


def test_time_of_use_tariff_costs_its_average():
    tariff = [0.04] * 16 + [0.12] * 8  # cheap nights, dear afternoons
    tou = ProfitInputs(inputs().fleet, OperatingTerms(tuple(tariff)), MARKET)
    flat = inputs(price_kwh=(16 * 0.04 + 8 * 0.12) / 24)
    assert compute_profitability(tou).power_cost_usd_per_day[0] == pytest.approx(
        compute_profitability(flat).power_cost_usd_per_day[0])


def test_fees_as_share_of_reward():
    # 20 % of the reward in fees: fees = subsidy * 0.2 / 0.8.
    share = MarketState(90_000.0, 1.48e14, 925_000, fees_pct_of_reward=20.0)
    assert share.fees_btc == pytest.approx(3.125 * 0.25)
    assert share.reward_btc == pytest.approx(3.125 / 0.8)


def test_vectorised_equals_one_by_one_and_totals_weight_quantity():
    rng = np.random.default_rng(7)
    hashrate = rng.uniform(90, 600, 50)
    power = hashrate * rng.uniform(12, 35, 50)
    qty = rng.integers(1, 20, 50).astype(float)
    hardware = rng.uniform(1000, 9000, 50)
    fleet_result = compute_profitability(inputs(hashrate, power, quantity=qty,
                                                hardware_cost_usd=hardware))
    for i in (0, 17, 49):
        single = compute_profitability(inputs([hashrate[i]], [power[i]],
                                              hardware_cost_usd=hardware[i]))
        assert fleet_result.profit_usd_per_day[i] == pytest.approx(single.profit_usd_per_day[0])
        assert fleet_result.payback_days[i] == pytest.approx(single.payback_days[0],
                                                             nan_ok=True)
    totals = fleet_result.totals()
    assert totals.miners == qty.sum()
    assert totals.profit_usd_per_day == pytest.approx((fleet_result.profit_usd_per_day * qty).sum())
    assert totals.efficiency_j_per_th == pytest.approx((power * qty).sum() / (hashrate * qty).sum())
    assert totals.hardware_cost_usd == pytest.approx((hardware * qty).sum())


def test_catalog_models_and_quantity():
    s21, s19 = lookup_model("Antminer S21"), lookup_model("S19 Pro")
    fleet = Fleet.from_models([s21, s19], quantities=[10, 5])
    result = compute_profitability(ProfitInputs(fleet, OperatingTerms(0.05), MARKET))
    assert list(result.efficiency_j_per_th) == pytest.approx([17.5, 3250 / 110])
    assert result.totals().hashrate_ths == 10 * 200 + 5 * 110
