"""Validated inputs of a profitability calculation: the fleet, its terms, the market.

Three frozen dataclasses because they change at different rates: a fleet (what is
installed) is fixed for a quote, operating terms (power price, pool, hosting) come from
contracts, and the market state moves every few minutes.  :class:`ProfitInputs`
bundles one of each.  Every constructor validates and raises :class:`InputError`
naming the field.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hashinsight_desktop.core.catalog import AsicModel
from hashinsight_desktop.core.economics import validation as check
from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.subsidy import block_subsidy_btc

# Bounds that no real input reaches (see validation.py for why they exist).
MAX_HASHRATE_THS = 100_000.0  # per miner row: 100 PH/s
MAX_POWER_W = 1_000_000.0  # per miner row: 1 MW
MIN_EFFICIENCY_J_TH = 1.0
MAX_EFFICIENCY_J_TH = 1_000.0
MAX_USD_PER_KWH = 10.0  # a $/MWh figure typed as $/kWh lands above this
MAX_BTC_PRICE_USD = 100_000_000.0
MAX_DIFFICULTY = 1e20
MAX_BLOCK_HEIGHT = 10_000_000
MAX_FEES_BTC_PER_BLOCK = 1_000.0
MAX_HARDWARE_USD = 10_000_000.0
MAX_HOSTING_USD_PER_MONTH = 1_000_000.0
DAYS_PER_MONTH = 30.4375  # 365.25 / 12
DAYS_PER_YEAR = 365.25
HOURS_PER_DAY = 24


@dataclasses.dataclass(frozen=True, eq=False)
class Fleet:
    """Miners as rows: each row is ``quantity`` identical miners.

    Per-row arrays let one calculation cover a single quote line or 100,000 miners.
    ``hardware_cost_usd`` and ``hosting_usd_per_month`` are per miner (not per row).
    """

    hashrate_ths: NDArray[np.float64]
    power_w: NDArray[np.float64]
    quantity: NDArray[np.float64] | float | None = None  # None: one miner per row
    hardware_cost_usd: NDArray[np.float64] | float = 0.0
    hosting_usd_per_month: NDArray[np.float64] | float = 0.0

    def __post_init__(self) -> None:
        hashrate = check.array(
            "hashrate_ths", np.atleast_1d(self.hashrate_ths), low=0.0, low_inclusive=False,
            high=MAX_HASHRATE_THS,
        )
        n = hashrate.shape[0]
        if n == 0:
            raise InputError("hashrate_ths", "needs at least one miner")
        power = check.array(
            "power_w", np.atleast_1d(self.power_w), low=0.0, low_inclusive=False,
            high=MAX_POWER_W, size=n,
        )
        if power.ndim == 0:
            raise InputError("power_w", f"must have {n} values (one per miner)")
        efficiency = power / hashrate
        worst, best = float(efficiency.max()), float(efficiency.min())
        if worst > MAX_EFFICIENCY_J_TH or best < MIN_EFFICIENCY_J_TH:
            bad = int(np.argmax(efficiency) if worst > MAX_EFFICIENCY_J_TH
                      else np.argmin(efficiency))
            raise InputError(
                "power_w",
                f"miner #{bad} works out at {efficiency[bad]:.4g} J/TH; expected "
                f"{MIN_EFFICIENCY_J_TH:g}..{MAX_EFFICIENCY_J_TH:g} (check W vs kW, TH/s vs GH/s)",
            )
        quantity = 1.0 if self.quantity is None else self.quantity
        check.set_field(self, "hashrate_ths", hashrate)
        check.set_field(self, "power_w", power)
        # quantity, hardware cost and hosting stay 0-d when given as one number.
        check.set_field(self, "quantity", check.array("quantity", quantity, size=n))
        check.set_field(self, "hardware_cost_usd", check.array(
            "hardware_cost_usd", self.hardware_cost_usd, high=MAX_HARDWARE_USD, size=n
        ))
        check.set_field(self, "hosting_usd_per_month", check.array(
            "hosting_usd_per_month", self.hosting_usd_per_month,
            high=MAX_HOSTING_USD_PER_MONTH, size=n,
        ))

    def weighted_sum(self, values: NDArray[np.float64]) -> float:
        """Fleet total of a per-miner figure (rows weighted by quantity)."""
        return check.weighted_sum(self.quantity, np.asarray(values), self.size)

    @property
    def miner_count(self) -> float:
        return check.weighted_sum(self.quantity, np.asarray(1.0), self.size)

    @classmethod
    def from_models(
        cls,
        models: Sequence[AsicModel],
        quantities: ArrayLike | None = None,
        hardware_cost_usd: ArrayLike | float = 0.0,
        hosting_usd_per_month: ArrayLike | float = 0.0,
    ) -> Fleet:
        """One row per catalog model (nameplate hashrate and power)."""
        return cls(
            hashrate_ths=np.array([m.hashrate_ths for m in models], dtype=np.float64),
            power_w=np.array([m.power_w for m in models], dtype=np.float64),
            quantity=None if quantities is None else np.asarray(quantities, dtype=np.float64),
            hardware_cost_usd=hardware_cost_usd,
            hosting_usd_per_month=hosting_usd_per_month,
        )

    @property
    def size(self) -> int:
        return int(self.hashrate_ths.shape[0])

    @property
    def efficiency_j_per_th(self) -> NDArray[np.float64]:
        return self.power_w / self.hashrate_ths


@dataclasses.dataclass(frozen=True)
class OperatingTerms:
    """What running the miners costs and how much of their output is kept.

    ``electricity_usd_per_kwh`` is a flat price or a 24-value time-of-use tariff
    (hour 0 = midnight to 1 am).  Miners run around the clock at ``uptime_pct``, so a
    tariff costs its 24-hour average.
    """

    electricity_usd_per_kwh: float | tuple[float, ...] = 0.0
    pool_fee_pct: float = 0.0
    hosting_usd_per_kwh: float = 0.0
    uptime_pct: float = 100.0

    def __post_init__(self) -> None:
        price = self.electricity_usd_per_kwh
        if isinstance(price, int | float | np.floating | np.integer):
            check.set_field(self, "electricity_usd_per_kwh",
                            check.scalar("electricity_usd_per_kwh", price, high=MAX_USD_PER_KWH))
        else:
            hourly = check.array("electricity_usd_per_kwh", price, high=MAX_USD_PER_KWH)
            if hourly.shape[0] != HOURS_PER_DAY:
                raise InputError(
                    "electricity_usd_per_kwh",
                    f"a time-of-use tariff needs 24 hourly prices, got {hourly.shape[0]}",
                )
            check.set_field(self, "electricity_usd_per_kwh", tuple(float(p) for p in hourly))
        check.set_field(self, "pool_fee_pct", check.scalar("pool_fee_pct", self.pool_fee_pct,
                                                            high=100.0))
        check.set_field(self, "hosting_usd_per_kwh", check.scalar(
            "hosting_usd_per_kwh", self.hosting_usd_per_kwh, high=MAX_USD_PER_KWH))
        check.set_field(self, "uptime_pct", check.scalar(
            "uptime_pct", self.uptime_pct, low=0.0, low_inclusive=False, high=100.0))

    @property
    def average_electricity_usd_per_kwh(self) -> float:
        price = self.electricity_usd_per_kwh
        return price if isinstance(price, float) else math.fsum(price) / HOURS_PER_DAY

    @property
    def kept_share(self) -> float:
        """Share of the expected output that reaches the wallet: uptime x (1 - pool fee)."""
        return (self.uptime_pct / 100.0) * (1.0 - self.pool_fee_pct / 100.0)


@dataclasses.dataclass(frozen=True)
class MarketState:
    """Network and price at one moment.

    Transaction fees are given either in BTC per block or as a percentage of the
    whole block reward (subsidy + fees), never both; neither means no fees.
    """

    btc_price_usd: float
    difficulty: float
    block_height: int
    fees_btc_per_block: float | None = None
    fees_pct_of_reward: float | None = None

    def __post_init__(self) -> None:
        check.set_field(self, "btc_price_usd", check.scalar(
            "btc_price_usd", self.btc_price_usd, low=0.0, low_inclusive=False,
            high=MAX_BTC_PRICE_USD))
        check.set_field(self, "difficulty", check.scalar(
            "difficulty", self.difficulty, low=1.0, high=MAX_DIFFICULTY))
        height = check.scalar("block_height", self.block_height, high=MAX_BLOCK_HEIGHT)
        if height != int(height):
            raise InputError("block_height", f"must be a whole number, got {height:g}")
        check.set_field(self, "block_height", int(height))
        if self.fees_btc_per_block is not None and self.fees_pct_of_reward is not None:
            raise InputError("fees_btc_per_block",
                             "give fees in BTC per block or as a share of the reward, not both")
        if self.fees_btc_per_block is not None:
            check.set_field(self, "fees_btc_per_block", check.scalar(
                "fees_btc_per_block", self.fees_btc_per_block, high=MAX_FEES_BTC_PER_BLOCK))
        if self.fees_pct_of_reward is not None:
            pct = check.scalar("fees_pct_of_reward", self.fees_pct_of_reward, high=100.0)
            if pct >= 100.0:
                raise InputError("fees_pct_of_reward", "must be below 100 % of the reward")
            check.set_field(self, "fees_pct_of_reward", pct)

    @property
    def subsidy_btc(self) -> float:
        return block_subsidy_btc(self.block_height)

    @property
    def fees_btc(self) -> float:
        """Fees per block in BTC, whichever way they were given."""
        if self.fees_btc_per_block is not None:
            return self.fees_btc_per_block
        if self.fees_pct_of_reward is not None:
            share = self.fees_pct_of_reward / 100.0
            return self.subsidy_btc * share / (1.0 - share)
        return 0.0

    @property
    def reward_btc(self) -> float:
        return self.subsidy_btc + self.fees_btc


@dataclasses.dataclass(frozen=True, eq=False)
class ProfitInputs:
    fleet: Fleet
    terms: OperatingTerms
    market: MarketState
