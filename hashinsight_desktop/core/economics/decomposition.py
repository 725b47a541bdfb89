""""Why did profit change": an exact, order-free split of a change in daily profit.

Between market state A and state B the fleet's daily profit moves by
``profit(B) - profit(A)``.  Swapping one factor at a time gives parts that depend on
the order of the swaps; the Shapley value averages every order, so each factor's
effect is symmetric and the effects add up to the total exactly (up to rounding).
With five factors that is 2**5 = 32 profit evaluations.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

from hashinsight_desktop.core.economics.inputs import Fleet, MarketState, OperatingTerms
from hashinsight_desktop.core.economics.profitability import ProfitInputs, compute_profitability

FACTORS = ("price", "difficulty", "fees", "subsidy", "power_cost")


@dataclasses.dataclass(frozen=True)
class ProfitChange:
    profit_a_usd_per_day: float
    profit_b_usd_per_day: float
    effects_usd_per_day: dict[str, float]  # keys: FACTORS

    @property
    def total_usd_per_day(self) -> float:
        return self.profit_b_usd_per_day - self.profit_a_usd_per_day


def _mixed_profit(
    fleet: Fleet,
    terms_a: OperatingTerms,
    terms_b: OperatingTerms,
    a: MarketState,
    b: MarketState,
    from_b: frozenset[str],
) -> float:
    """Daily fleet profit with the factors in ``from_b`` taken from B, the rest from A."""

    def pick(factor: str, value_a: object, value_b: object) -> object:
        return value_b if factor in from_b else value_a

    fees_source = b if "fees" in from_b else a
    market = MarketState(
        btc_price_usd=pick("price", a.btc_price_usd, b.btc_price_usd),  # type: ignore[arg-type]
        difficulty=pick("difficulty", a.difficulty, b.difficulty),  # type: ignore[arg-type]
        block_height=pick("subsidy", a.block_height, b.block_height),  # type: ignore[arg-type]
        fees_btc_per_block=fees_source.fees_btc_per_block,
        fees_pct_of_reward=fees_source.fees_pct_of_reward,
    )
    terms = terms_b if "power_cost" in from_b else terms_a
    return compute_profitability(ProfitInputs(fleet, terms, market)).totals().profit_usd_per_day


def explain_profit_change(
    fleet: Fleet,
    market_a: MarketState,
    market_b: MarketState,
    terms_a: OperatingTerms,
    terms_b: OperatingTerms | None = None,
) -> ProfitChange:
    """Split the change in daily profit from A to B into price, difficulty, fees,
    subsidy (halving) and power-cost effects.

    ``power_cost`` covers every term that changed (electricity, hosting, pool fee,
    uptime): pass ``terms_b`` when they differ.  Fees given as a share of the reward
    interact with the subsidy; Shapley splits that interaction evenly.
    """
    terms_b = terms_a if terms_b is None else terms_b
    n = len(FACTORS)
    value = {
        frozenset(subset): _mixed_profit(fleet, terms_a, terms_b, market_a, market_b,
                                         frozenset(subset))
        for k in range(n + 1)
        for subset in itertools.combinations(FACTORS, k)
    }
    effects: dict[str, float] = {}
    for factor in FACTORS:
        others = [f for f in FACTORS if f != factor]
        parts = []
        for k in range(n):
            weight = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
            for subset in itertools.combinations(others, k):
                s = frozenset(subset)
                parts.append(weight * (value[s | {factor}] - value[s]))
        effects[factor] = math.fsum(parts)
    return ProfitChange(value[frozenset()], value[frozenset(FACTORS)], effects)
