import itertools
import math

import pytest
from econ_helpers import inputs

from hashinsight_desktop.core.economics.decomposition import FACTORS, explain_profit_change
from hashinsight_desktop.core.economics.inputs import MarketState, OperatingTerms

FLEET = inputs([200.0, 110.0, 335.0], [3500.0, 3250.0, 5360.0], quantity=[40, 25, 10],
               hosting_usd_per_month=15.0).fleet
BEFORE_HALVING = MarketState(64_000.0, 8.6e13, 839_000, fees_btc_per_block=0.25)
AFTER_HALVING = MarketState(91_000.0, 1.48e14, 925_000, fees_btc_per_block=0.02)


def _check_sums(change):
    parts = math.fsum(change.effects_usd_per_day.values())
    assert set(change.effects_usd_per_day) == set(FACTORS)
    assert abs(parts - change.total_usd_per_day) <= 1e-9 * abs(change.total_usd_per_day)


def test_parts_sum_to_the_total_across_a_halving():
    change = explain_profit_change(FLEET, BEFORE_HALVING, AFTER_HALVING,
                                   OperatingTerms(0.05, pool_fee_pct=2.0),
                                   OperatingTerms(0.065, pool_fee_pct=2.0))
    _check_sums(change)
    effects = change.effects_usd_per_day
    assert effects["price"] > 0 and effects["difficulty"] < 0
    assert effects["subsidy"] < 0 and effects["fees"] < 0 and effects["power_cost"] < 0
    # The power effect has no interaction with the others: it is exactly the cost change.
    kwh = (40 * 3.5 + 25 * 3.25 + 10 * 5.36) * 24
    assert effects["power_cost"] == pytest.approx(-kwh * 0.015)


@pytest.mark.parametrize(("field", "factor"), [
    ("btc_price_usd", "price"), ("difficulty", "difficulty"),
    ("fees_btc_per_block", "fees"), ("block_height", "subsidy"),
])
def test_a_single_change_is_attributed_to_its_factor(field, factor):
    values = {"btc_price_usd": 64_000.0, "difficulty": 8.6e13, "block_height": 839_000,
              "fees_btc_per_block": 0.25}
    changed = {**values, field: {"btc_price_usd": 70_000.0, "difficulty": 9e13,
                                 "fees_btc_per_block": 0.1, "block_height": 841_000}[field]}
    change = explain_profit_change(FLEET, MarketState(**values), MarketState(**changed),
                                   OperatingTerms(0.05))
    assert change.total_usd_per_day != 0
    for name, effect in change.effects_usd_per_day.items():
        expected = change.total_usd_per_day if name == factor else 0.0
        assert effect == pytest.approx(expected, abs=1e-9)


def test_symmetric_reversing_the_dates_negates_every_effect():
    terms = OperatingTerms(0.05)
    forward = explain_profit_change(FLEET, BEFORE_HALVING, AFTER_HALVING, terms)
    backward = explain_profit_change(FLEET, AFTER_HALVING, BEFORE_HALVING, terms)
    for name in FACTORS:
        assert backward.effects_usd_per_day[name] == pytest.approx(
            -forward.effects_usd_per_day[name])


@pytest.mark.parametrize("seed", range(5))
def test_sums_hold_for_many_states(seed):
    import numpy as np
    rng = np.random.default_rng(seed)

    def state():
        return MarketState(float(rng.uniform(5e3, 2e5)), float(rng.uniform(1e13, 3e14)),
                           int(rng.integers(600_000, 1_300_000)),
                           fees_pct_of_reward=float(rng.uniform(0, 40)))

    change = explain_profit_change(FLEET, state(), state(),
                                   OperatingTerms(float(rng.uniform(0, 0.2))),
                                   OperatingTerms(float(rng.uniform(0, 0.2))))
    _check_sums(change)


def test_order_dependence_is_what_shapley_removes():
    """Sequential substitution gives the price a different part in different orders; the
    Shapley effect is their weighted average, so it lies between the extremes."""
    from hashinsight_desktop.core.economics.decomposition import _mixed_profit

    terms = OperatingTerms(0.05)

    def price_part(swapped_before: frozenset[str]) -> float:
        args = (FLEET, terms, terms, BEFORE_HALVING, AFTER_HALVING)
        return _mixed_profit(*args, swapped_before | {"price"}) - _mixed_profit(
            *args, swapped_before)

    others = [f for f in FACTORS if f != "price"]
    parts = [price_part(frozenset(order[:k]))
             for order in itertools.permutations(others) for k in range(len(others) + 1)]
    assert max(parts) - min(parts) > 1.0  # order matters by more than a dollar a day
    shapley = explain_profit_change(FLEET, BEFORE_HALVING, AFTER_HALVING, terms)
    assert min(parts) < shapley.effects_usd_per_day["price"] < max(parts)
