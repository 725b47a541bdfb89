"""The metrics a rack map can colour by, and the table column behind each."""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from hashinsight_desktop.core.fleet.arrays import FleetArrays


class RackMetric(StrEnum):
    """Stable ids (may be saved in settings); display names live in the widget."""

    TEMPERATURE = "temp_max"
    PCT_NOMINAL = "pct_nominal"
    STATUS = "status"
    POWER = "power"


_COLUMN = {
    RackMetric.TEMPERATURE: "temp_max_c",
    RackMetric.PCT_NOMINAL: "pct_of_nominal",
    RackMetric.STATUS: "status",
    RackMetric.POWER: "power_w",
}


def metric_values(arrays: FleetArrays, metric: RackMetric, rows: np.ndarray) -> np.ndarray:
    """The metric's values for table ``rows`` (float NaN = no reading; status codes as-is)."""
    return getattr(arrays, _COLUMN[metric])[rows]
