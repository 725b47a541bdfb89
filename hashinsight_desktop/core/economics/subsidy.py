"""Block subsidy schedule: 50 BTC halved every 210,000 blocks, in whole satoshis."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

HALVING_INTERVAL = 210_000
INITIAL_SUBSIDY_SAT = 50 * 100_000_000
SAT_PER_BTC = 100_000_000
BLOCKS_PER_DAY = 144  # one block every 10 minutes on average: what difficulty targets
BLOCKS_PER_EPOCH = 2016  # difficulty adjusts every 2016 blocks (~14 days)


def block_subsidy_btc(height: int) -> float:
    """Subsidy of the block at ``height`` (3.125 BTC for 840,000..1,049,999)."""
    if height < 0:
        raise ValueError(f"block height must be >= 0, got {height}")
    halvings = height // HALVING_INTERVAL
    # Bitcoin Core shifts the satoshi amount right; past 64 halvings it is defined as 0.
    return (INITIAL_SUBSIDY_SAT >> halvings) / SAT_PER_BTC if halvings < 64 else 0.0


def block_subsidy_btc_array(heights: ArrayLike) -> NDArray[np.float64]:
    """Vectorised :func:`block_subsidy_btc`."""
    h = np.asarray(heights, dtype=np.int64)
    halvings = np.minimum(h // HALVING_INTERVAL, 63)
    sat = np.right_shift(np.int64(INITIAL_SUBSIDY_SAT), halvings)
    sat = np.where(h // HALVING_INTERVAL >= 64, 0, sat)
    return sat.astype(np.float64) / SAT_PER_BTC


def next_halving_height(height: int) -> int:
    return (height // HALVING_INTERVAL + 1) * HALVING_INTERVAL


def mean_subsidy_over_blocks(first_heights: ArrayLike, blocks: int) -> NDArray[np.float64]:
    """Mean subsidy of ``blocks`` consecutive blocks starting at each of ``first_heights``.

    A day that straddles a halving averages the two subsidies by block count instead
    of jumping at the day boundary.
    """
    a = np.asarray(first_heights, dtype=np.int64)
    boundary = (a // HALVING_INTERVAL + 1) * HALVING_INTERVAL
    before = np.minimum(boundary - a, blocks)
    return (
        block_subsidy_btc_array(a) * before + block_subsidy_btc_array(boundary) * (blocks - before)
    ) / blocks
