"""Technical indicators over a price series (numpy; NaN where not yet defined).

Conventions follow the usual references (TA-Lib, Wilder 1978): an EMA is seeded with
the simple average of its first ``n`` values; RSI uses Wilder's smoothing
(alpha = 1/n) seeded with plain averages of the first ``n`` gains and losses;
Bollinger bands use the population standard deviation, as Bollinger defines them.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.signal import lfilter

from hashinsight_desktop.core.economics.errors import InputError

Array = NDArray[np.float64]


def _series(values: ArrayLike, field: str = "values") -> Array:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise InputError(field, f"must be a 1-D series, got shape {arr.shape}")
    return arr


def _window(n: int, field: str = "window") -> int:
    if int(n) != n or n < 1:
        raise InputError(field, f"must be a whole number >= 1, got {n!r}")
    return int(n)


def sma(values: ArrayLike, n: int) -> Array:
    x, n = _series(values), _window(n)
    out = np.full(x.shape, np.nan)
    if x.size >= n:
        csum = np.cumsum(np.concatenate(([0.0], x)))
        out[n - 1:] = (csum[n:] - csum[:-n]) / n
    return out


def _smooth(x: Array, n: int, alpha: float) -> Array:
    """y[t] = alpha*x[t] + (1-alpha)*y[t-1], seeded at t = n-1 with mean(x[:n])."""
    out = np.full(x.shape, np.nan)
    if x.size < n:
        return out
    seed = x[:n].mean()
    out[n - 1] = seed
    if x.size > n:
        out[n:], _ = lfilter([alpha], [1.0, alpha - 1.0], x[n:], zi=[(1.0 - alpha) * seed])
    return out


def ema(values: ArrayLike, n: int) -> Array:
    n = _window(n)
    return _smooth(_series(values), n, 2.0 / (n + 1.0))


def rsi(values: ArrayLike, n: int = 14) -> Array:
    """Wilder's RSI: first value at index n (it needs n price changes)."""
    x, n = _series(values), _window(n)
    out = np.full(x.shape, np.nan)
    if x.size <= n:
        return out
    change = np.diff(x)
    gain = _smooth(np.clip(change, 0.0, None), n, 1.0 / n)
    loss = _smooth(np.clip(-change, 0.0, None), n, 1.0 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        # All gains and no losses is RSI 100 by definition (not a division by zero).
        value = np.where(loss == 0.0, np.where(gain == 0.0, 50.0, 100.0),
                         100.0 - 100.0 / (1.0 + gain / loss))
    out[1:] = np.where(np.isnan(gain), np.nan, value)
    return out


@dataclasses.dataclass(frozen=True, eq=False)
class Macd:
    line: Array
    signal: Array
    histogram: Array


def macd(values: ArrayLike, fast: int = 12, slow: int = 26, signal: int = 9) -> Macd:
    x = _series(values)
    fast, slow, signal = _window(fast, "fast"), _window(slow, "slow"), _window(signal, "signal")
    if fast >= slow:
        raise InputError("fast", f"must be shorter than slow ({slow}), got {fast}")
    line = ema(x, fast) - ema(x, slow)
    sig = np.full(x.shape, np.nan)
    start = slow - 1  # first defined MACD value
    if x.size > start:
        sig[start:] = ema(line[start:], signal)
    return Macd(line, sig, line - sig)


@dataclasses.dataclass(frozen=True, eq=False)
class Bollinger:
    middle: Array
    upper: Array
    lower: Array


def bollinger(values: ArrayLike, n: int = 20, k: float = 2.0) -> Bollinger:
    x, n = _series(values), _window(n)
    middle = sma(x, n)
    std = np.full(x.shape, np.nan)
    if x.size >= n:
        windows = np.lib.stride_tricks.sliding_window_view(x, n)
        std[n - 1:] = windows.std(axis=1)
    return Bollinger(middle, middle + k * std, middle - k * std)
