"""Anomalies no fixed threshold catches: outliers among rack peers, slow hashrate decline.

Peers: a miner is compared with miners of the same model in the same rack by a robust
z-score (median and MAD, so the outlier itself does not drag the reference).  A minimum
peer count and a minimum absolute difference keep a uniform rack, or a rack whose MAD
is tiny, from raising noise.

Decline: Theil-Sen slope of daily mean hashrate (the median of pairwise slopes: one bad
day cannot fake or hide a trend) with a one-sided Mann-Kendall test for significance.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.special import ndtr

MAD_TO_SIGMA = 1.4826  # MAD of a normal sample times this estimates its standard deviation


@dataclasses.dataclass(frozen=True)
class PeerLimits:
    z: float = 3.5
    min_peers: int = 5  # miners in the group, the candidate included
    min_temp_diff_c: float = 5.0
    min_hashrate_diff_pct: float = 10.0


def _group_medians(values: np.ndarray, codes: np.ndarray, n_groups: int,
                   counts: np.ndarray) -> np.ndarray:
    """Median of ``values`` per group code, for all groups at once (one lexsort)."""
    order = np.lexsort((values, codes))
    sorted_vals = values[order]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    safe = np.maximum(counts, 1)
    lo = sorted_vals[np.minimum(starts + (safe - 1) // 2, len(values) - 1)]
    hi = sorted_vals[np.minimum(starts + safe // 2, len(values) - 1)]
    return np.where(counts > 0, (lo + hi) / 2.0, np.nan)


def robust_z(values: np.ndarray, groups: np.ndarray, min_peers: int) -> tuple[np.ndarray, np.ndarray]:
    """Robust z-score of each value within its group, and the group median.

    NaN values take no part and get NaN; groups smaller than ``min_peers`` get NaN.
    A zero MAD (all peers identical) gives +/-inf for any different value and 0 for
    equal ones: the minimum absolute difference decides then.  Vectorised: two sorts,
    no loop over groups (a 6,000-miner farm has ~150 racks).
    """
    z = np.full(len(values), np.nan)
    median = np.full(len(values), np.nan)
    valid = ~np.isnan(values)
    if not valid.any():
        return z, median
    _, codes = np.unique(groups[valid], return_inverse=True)
    codes = codes.ravel()
    vals = values[valid]
    counts = np.bincount(codes)
    med = _group_medians(vals, codes, len(counts), counts)[codes]
    diff = vals - med
    mad = _group_medians(np.abs(diff), codes, len(counts), counts)[codes]
    scale = MAD_TO_SIGMA * mad
    with np.errstate(invalid="ignore", divide="ignore"):
        zv = np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0),
                      np.where(diff == 0, 0.0, np.copysign(np.inf, diff)))
    enough = counts[codes] >= min_peers
    idx = np.flatnonzero(valid)
    z[idx[enough]] = zv[enough]
    median[idx[enough]] = med[enough]
    return z, median


def peer_group_keys(model: np.ndarray, rack: np.ndarray) -> np.ndarray:
    """One integer key per (model, rack); miners with no rack or no model are alone."""
    _, model_code = np.unique(model.astype(str), return_inverse=True)
    rack = rack.astype(np.int64)
    keys = model_code.ravel().astype(np.int64) * (int(rack.max(initial=0)) + 2) + rack + 1
    lonely = (rack < 0) | (model == "")
    keys[lonely] = -1 - np.flatnonzero(lonely)  # negative: never shared
    return keys


@dataclasses.dataclass(frozen=True)
class PeerOutliers:
    hot: np.ndarray  # bool
    slow: np.ndarray  # bool
    temp_z: np.ndarray
    hashrate_z: np.ndarray
    known: np.ndarray  # bool: enough peers and a value to judge


def peer_outliers(temp: np.ndarray, hashrate: np.ndarray, groups: np.ndarray,
                  limits: PeerLimits) -> PeerOutliers:
    """Flag miners hotter or slower than their peers (pass only hashing miners' values)."""
    temp_z, temp_med = robust_z(temp, groups, limits.min_peers)
    hash_z, hash_med = robust_z(hashrate, groups, limits.min_peers)
    with np.errstate(invalid="ignore", divide="ignore"):
        hot = (temp_z > limits.z) & (temp - temp_med >= limits.min_temp_diff_c)
        shortfall_pct = (hash_med - hashrate) / hash_med * 100.0
        slow = (hash_z < -limits.z) & (shortfall_pct >= limits.min_hashrate_diff_pct)
    known = ~np.isnan(temp_z) | ~np.isnan(hash_z)
    return PeerOutliers(hot=hot, slow=slow, temp_z=temp_z, hashrate_z=hash_z, known=known)


@dataclasses.dataclass(frozen=True)
class DeclineTrend:
    pct_per_week: np.ndarray  # Theil-Sen slope relative to the median level; NaN unknown
    p_value: np.ndarray  # one-sided Mann-Kendall p-value for "decreasing"; NaN unknown
    days: np.ndarray  # int: days with data


def decline_trend(daily: np.ndarray) -> DeclineTrend:
    """Trend of each row of ``daily`` (miners x days, mean TH/s per day, NaN = no data).

    Vectorised over miners: all pairwise day differences at once (a 7-day window is 21
    pairs), so 6,000 miners cost a few small array operations.
    """
    daily = np.atleast_2d(np.asarray(daily, dtype=float))
    n_miners, n_days = daily.shape
    i, j = np.triu_indices(n_days, k=1)
    diffs = daily[:, j] - daily[:, i]  # NaN where either day is missing
    slopes = diffs / (j - i)
    valid_pairs = ~np.isnan(slopes)
    days = np.sum(~np.isnan(daily), axis=1)
    enough = days >= 3
    slope = np.full(n_miners, np.nan)
    level = np.full(n_miners, np.nan)
    if enough.any():
        slope[enough] = np.nanmedian(slopes[enough], axis=1)
        level[enough] = np.nanmedian(daily[enough], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_per_week = np.where(level > 0, slope * 7.0 / level * 100.0, np.nan)
    # Mann-Kendall S and its variance (no tie correction: hashrates are rarely tied).
    s = np.sum(np.sign(np.where(valid_pairs, diffs, 0.0)), axis=1)
    var = days * (days - 1) * (2 * days + 5) / 18.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(s < 0, (s + 1) / np.sqrt(var), np.where(s > 0, (s - 1) / np.sqrt(var), 0.0))
    p_value = np.where(enough, ndtr(z), np.nan)  # small when strongly decreasing
    return DeclineTrend(pct_per_week=pct_per_week, p_value=p_value, days=days)
