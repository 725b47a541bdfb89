import math

import numpy as np
import pytest
from econ_helpers import MARKET

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.inputs import Fleet, MarketState, OperatingTerms


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"difficulty": 0.0}, "difficulty"),
    ({"difficulty": math.nan}, "difficulty"),
    ({"btc_price_usd": -1.0}, "btc_price_usd"),
    ({"btc_price_usd": 0.0}, "btc_price_usd"),
    ({"btc_price_usd": 1e12}, "btc_price_usd"),
    ({"block_height": -5}, "block_height"),
    ({"block_height": 1.5}, "block_height"),
    ({"fees_btc_per_block": -0.1}, "fees_btc_per_block"),
    ({"fees_btc_per_block": 0.1, "fees_pct_of_reward": 5.0}, "fees_btc_per_block"),
    ({"fees_btc_per_block": None, "fees_pct_of_reward": 100.0}, "fees_pct_of_reward"),
])
def test_market_rejects(kwargs, field):
    values = {"btc_price_usd": 90_000.0, "difficulty": 1.48e14, "block_height": 925_000,
              "fees_btc_per_block": 0.02, **kwargs}
    with pytest.raises(InputError) as info:
        MarketState(**values)
    assert info.value.field == field
    assert field in str(info.value)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"pool_fee_pct": 101.0}, "pool_fee_pct"),
    ({"pool_fee_pct": -1.0}, "pool_fee_pct"),
    ({"uptime_pct": 0.0}, "uptime_pct"),
    ({"uptime_pct": 120.0}, "uptime_pct"),
    ({"electricity_usd_per_kwh": -0.01}, "electricity_usd_per_kwh"),
    ({"electricity_usd_per_kwh": 60.0}, "electricity_usd_per_kwh"),  # $/MWh typed as $/kWh
    ({"electricity_usd_per_kwh": (0.05,) * 23}, "electricity_usd_per_kwh"),
    ({"electricity_usd_per_kwh": math.nan}, "electricity_usd_per_kwh"),
    ({"hosting_usd_per_kwh": -1.0}, "hosting_usd_per_kwh"),
])
def test_terms_reject(kwargs, field):
    with pytest.raises(InputError) as info:
        OperatingTerms(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"hashrate_ths": [100.0, 0.0]}, "hashrate_ths"),
    ({"hashrate_ths": [100.0, math.nan]}, "hashrate_ths"),
    ({"hashrate_ths": [100.0, math.inf]}, "hashrate_ths"),
    ({"hashrate_ths": []}, "hashrate_ths"),
    ({"power_w": [3000.0, -1.0]}, "power_w"),
    ({"power_w": [3000.0]}, "power_w"),  # one value for two miners
    ({"power_w": [3000.0, 200_000.0]}, "power_w"),  # 2,000 J/TH: absurd efficiency
    ({"quantity": [1.0, -2.0]}, "quantity"),
    ({"hardware_cost_usd": -5.0}, "hardware_cost_usd"),
    ({"hosting_usd_per_month": [0.0, math.nan]}, "hosting_usd_per_month"),
])
def test_fleet_rejects(kwargs, field):
    values = {"hashrate_ths": [100.0, 100.0], "power_w": [3000.0, 3000.0], **kwargs}
    with pytest.raises(InputError) as info:
        Fleet(**values)
    assert info.value.field == field


def test_input_error_is_a_value_error_naming_the_miner():
    with pytest.raises(ValueError, match=r"power_w: miner #1 works out at 2000 J/TH"):
        Fleet(np.array([100.0, 100.0]), np.array([3000.0, 200_000.0]))


def test_valid_inputs_are_kept_and_frozen():
    fleet = Fleet([100.0], [3000.0], hardware_cost_usd=2500.0)
    assert fleet.hardware_cost_usd.ndim == 0  # a scalar stays a broadcasting scalar
    with pytest.raises(AttributeError):
        MARKET.difficulty = 1.0  # type: ignore[misc]
