"""The few network formulas everything else builds on (arrays or scalars)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

SECONDS_PER_DAY = 86_400
HASHES_PER_TH = 1e12
TWO_POW_32 = float(2**32)  # expected hashes per block = difficulty x 2**32


def btc_per_th_day(reward_btc: ArrayLike, difficulty: ArrayLike) -> NDArray[np.float64] | float:
    """Expected BTC a 1 TH/s miner earns per day: H*86400*reward / (difficulty*2**32)."""
    return (
        HASHES_PER_TH * SECONDS_PER_DAY * np.asarray(reward_btc, dtype=np.float64)
        / (np.asarray(difficulty, dtype=np.float64) * TWO_POW_32)
    )


def hashprice_usd_per_th_day(
    reward_btc: ArrayLike, difficulty: ArrayLike, btc_price_usd: ArrayLike
) -> NDArray[np.float64] | float:
    """Gross hashprice: USD a 1 TH/s miner earns per day before pool fee and downtime."""
    return btc_per_th_day(reward_btc, difficulty) * np.asarray(btc_price_usd, dtype=np.float64)


def network_hashrate_ths(difficulty: ArrayLike) -> NDArray[np.float64] | float:
    """Hashrate implied by difficulty at one block per 600 s, in TH/s."""
    return np.asarray(difficulty, dtype=np.float64) * TWO_POW_32 / 600.0 / HASHES_PER_TH


def strike_price_usd_per_mwh(
    hashprice: ArrayLike, efficiency_j_per_th: ArrayLike
) -> NDArray[np.float64] | float:
    """Power price above which a miner of this efficiency loses money."""
    return (
        np.asarray(hashprice, dtype=np.float64) * 1e6
        / (np.asarray(efficiency_j_per_th, dtype=np.float64) * 24.0)
    )
