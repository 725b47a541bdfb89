"""Batch totals by any key array (model, site, client): np.unique + np.bincount."""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.profitability import ProfitResult

Array = NDArray[np.float64]


@dataclasses.dataclass(frozen=True, eq=False)
class GroupTotals:
    keys: NDArray[np.generic]  # sorted unique keys
    miners: Array
    hashrate_ths: Array
    power_w: Array
    btc_per_day: Array
    revenue_usd_per_day: Array
    cost_usd_per_day: Array
    profit_usd_per_day: Array
    hardware_cost_usd: Array

    @property
    def efficiency_j_per_th(self) -> Array:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.power_w / self.hashrate_ths

    @property
    def payback_days(self) -> Array:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.profit_usd_per_day > 0,
                            self.hardware_cost_usd / self.profit_usd_per_day, np.nan)

    def rows(self) -> list[dict[str, object]]:
        """One plain dict per group (for tables and JSON)."""
        names = [f.name for f in dataclasses.fields(self) if f.name != "keys"]
        columns = {name: getattr(self, name) for name in names}
        columns["efficiency_j_per_th"] = self.efficiency_j_per_th
        columns["payback_days"] = self.payback_days
        return [
            {"key": key.item() if hasattr(key, "item") else key,
             **{name: float(col[i]) for name, col in columns.items()}}
            for i, key in enumerate(self.keys)
        ]


def sum_by(keys: ArrayLike, values: ArrayLike) -> tuple[NDArray[np.generic], Array]:
    """Sorted unique keys and the sum of ``values`` for each."""
    key_arr = np.asarray(keys)
    val_arr = np.asarray(values, dtype=np.float64)
    if key_arr.shape != val_arr.shape:
        raise InputError("keys", f"need one key per value: {key_arr.shape} vs {val_arr.shape}")
    unique, inverse = np.unique(key_arr, return_inverse=True)
    return unique, np.bincount(inverse.reshape(-1), weights=val_arr, minlength=unique.size)


def totals_by(result: ProfitResult, keys: ArrayLike) -> GroupTotals:
    """Fleet totals per group; ``keys`` has one entry per fleet row."""
    fleet = result.inputs.fleet
    key_arr = np.asarray(keys)
    if key_arr.shape != (fleet.size,):
        raise InputError("keys", f"need one key per fleet row ({fleet.size}), got {key_arr.shape}")
    unique, inverse = np.unique(key_arr, return_inverse=True)
    quantity = np.broadcast_to(fleet.quantity, (fleet.size,))

    def total(per_miner: ArrayLike) -> Array:
        weights = quantity * np.broadcast_to(per_miner, (fleet.size,))
        return np.bincount(inverse, weights=weights, minlength=unique.size)

    return GroupTotals(
        keys=unique,
        miners=total(1.0),
        hashrate_ths=total(fleet.hashrate_ths),
        power_w=total(fleet.power_w),
        btc_per_day=total(result.btc_per_day),
        revenue_usd_per_day=total(result.revenue_usd_per_day),
        cost_usd_per_day=total(result.cost_usd_per_day),
        profit_usd_per_day=total(result.profit_usd_per_day),
        hardware_cost_usd=total(fleet.hardware_cost_usd),
    )
