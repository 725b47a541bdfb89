"""Columns computed from other columns (vectorised, NaN when undefined)."""

from __future__ import annotations

import numpy as np


def pct_of_nominal(hashrate_ths: np.ndarray, nominal_ths: np.ndarray) -> np.ndarray:
    """Hashrate as a percentage of the nameplate; NaN without a positive nameplate."""
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = hashrate_ths / nominal_ths * 100.0
    return np.where(nominal_ths > 0, pct, np.nan)


def j_per_th(power_w: np.ndarray, hashrate_ths: np.ndarray) -> np.ndarray:
    """Efficiency in J/TH (= W per TH/s); NaN when the miner is not hashing."""
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = power_w / hashrate_ths
    return np.where(hashrate_ths > 0, eff, np.nan)
