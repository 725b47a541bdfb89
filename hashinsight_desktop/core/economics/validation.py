"""Checks shared by the input dataclasses: every failure names its field.

The bounds reject values no real farm has (a typo, a unit mix-up such as W for kW
or $/MWh for $/kWh), not merely unusual ones.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hashinsight_desktop.core.economics.errors import InputError


def scalar(
    field: str,
    value: float,
    *,
    low: float = 0.0,
    high: float = math.inf,
    low_inclusive: bool = True,
) -> float:
    """``value`` as a float in [low, high] (or (low, high] when not ``low_inclusive``)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(field, f"must be a number, got {value!r}") from None
    if math.isnan(number):
        raise InputError(field, "must be a number, got NaN")
    if number < low or (number == low and not low_inclusive):
        relation = ">=" if low_inclusive else ">"
        raise InputError(field, f"must be {relation} {low:g}, got {number:g}")
    if number > high:
        raise InputError(field, f"must be <= {high:g}, got {number:g} (absurd value)")
    return number


def array(
    field: str,
    values: ArrayLike,
    *,
    low: float = 0.0,
    high: float = math.inf,
    low_inclusive: bool = True,
    size: int | None = None,
) -> NDArray[np.float64]:
    """A float64 array with every value in range: 1-D of ``size`` values, or 0-d when a
    scalar was given (it broadcasts; no 100,000-value copy of one number).

    Only reductions are used (no boolean temporaries): a NaN or an infinity shows up
    in the minimum or the maximum, which keeps validation of 100,000 miners cheap.
    """
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(field, "must be numbers") from None
    if arr.ndim > 1 or (arr.ndim == 0 and size is None):
        raise InputError(field, f"must be a 1-D array, got shape {arr.shape}")
    if arr.ndim == 1 and size is not None and arr.shape[0] != size:
        raise InputError(field, f"must have {size} values (one per miner), got {arr.shape[0]}")
    if arr.size == 0:
        return arr
    lowest, highest = float(arr.min()), float(arr.max())
    if not (math.isfinite(lowest) and math.isfinite(highest)):
        bad = int(np.flatnonzero(~np.isfinite(arr.reshape(-1)))[0])
        raise InputError(field, f"value #{bad} is not a finite number")
    if lowest < low or (lowest == low and not low_inclusive):
        bad = int(np.argmin(arr)) if arr.ndim else 0
        relation = ">=" if low_inclusive else ">"
        raise InputError(field, f"value #{bad} must be {relation} {low:g}, got {lowest:g}")
    if highest > high:
        bad = int(np.argmax(arr)) if arr.ndim else 0
        raise InputError(field, f"value #{bad} must be <= {high:g}, got {highest:g} (absurd value)")
    return arr


def weighted_sum(weights: NDArray[np.float64], values: NDArray[np.float64], size: int) -> float:
    """Sum of ``weights * values`` where either may be a broadcasting 0-d array."""
    if weights.ndim and values.ndim:
        return float(weights @ values)
    if values.ndim:
        return float(weights) * float(values.sum())
    if weights.ndim:
        return float(values) * float(weights.sum())
    return float(weights) * float(values) * size


def set_field(obj: object, name: str, value: object) -> None:
    """Normalise a field of a frozen dataclass inside its ``__post_init__``."""
    object.__setattr__(obj, name, value)
