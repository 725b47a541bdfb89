"""Helpers shared by the alert tests: build cycle frames column by column."""

from __future__ import annotations

import numpy as np

from hashinsight_desktop.core.alerts.frame import NO_RACK, CycleFrame


def make_frame(n: int, **columns) -> CycleFrame:
    """A healthy air-cooled S19 Pro fleet of ``n`` miners, with given columns overridden."""
    base = {
        "miner_id": np.arange(1, n + 1, dtype=np.int64),
        "status": np.full(n, "ok"),
        "hashrate": np.full(n, 110.0),
        "nominal": np.full(n, 110.0),
        "temp_max": np.full(n, 70.0),
        "fan_min": np.full(n, 4000.0),
        "cooling": np.full(n, "air"),
        "boards_present": np.full(n, 3.0),
        "boards_expected": np.full(n, 3.0),
        "pool_url": np.full(n, "stratum+tcp://pool.example:3333", dtype=object),
        "pool_user": np.full(n, "farm.w1", dtype=object),
        "expected_pool_url": np.full(n, None, dtype=object),
        "expected_pool_user": np.full(n, None, dtype=object),
        "model": np.full(n, "S19 Pro"),
        "rack": np.full(n, NO_RACK, dtype=np.int64),
    }
    for name, value in columns.items():
        kind = base[name].dtype.kind
        base[name] = np.asarray(value, dtype=str if kind == "U" else base[name].dtype)
    return CycleFrame(**base)
