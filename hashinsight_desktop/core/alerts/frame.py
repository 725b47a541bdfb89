"""One poll cycle of the fleet as column arrays: what the alert rules evaluate.

Column arrays (one element per miner) keep a 6,000-miner cycle to a handful of numpy
operations per rule.  Unknown numbers are NaN, unknown text is "" (or None for pools).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

import numpy as np

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.core.miners.reading import MinerReading

NO_RACK = -1


@dataclasses.dataclass(frozen=True)
class CycleFrame:
    miner_id: np.ndarray  # int64, unique
    status: np.ndarray  # str: ok, degraded, offline, error, curtailed
    hashrate: np.ndarray  # TH/s, NaN unknown
    nominal: np.ndarray  # TH/s, NaN unknown
    temp_max: np.ndarray  # deg C, NaN unknown
    fan_min: np.ndarray  # slowest fan rpm, NaN when the miner reports no fans
    cooling: np.ndarray  # str: air, hydro, immersion, "" unknown
    boards_present: np.ndarray  # float: boards that hash, NaN unknown
    boards_expected: np.ndarray  # float: NaN unknown
    pool_url: np.ndarray  # object: str or None
    pool_user: np.ndarray  # object: str or None
    expected_pool_url: np.ndarray  # object: None means "no expectation"
    expected_pool_user: np.ndarray  # object: None means "no expectation"
    model: np.ndarray  # str, the catalog name when known, "" unknown
    rack: np.ndarray  # int64 rack id, NO_RACK unknown

    def __post_init__(self) -> None:
        n = len(self.miner_id)
        for field in dataclasses.fields(self):
            column = getattr(self, field.name)
            if len(column) != n:
                raise ValueError(f"column {field.name} has {len(column)} values, expected {n}")
        if len(np.unique(self.miner_id)) != n:
            raise ValueError("miner_id values in one cycle must be unique")

    def __len__(self) -> int:
        return len(self.miner_id)


def _num(value: float | int | None) -> float:
    return float(value) if value is not None else math.nan


def _boards_present(reading: MinerReading) -> float:
    """A board counts when it hashes or has live chips; a listed-but-dead board does not."""
    if not reading.hashboards:
        return math.nan
    present = 0
    for board in reading.hashboards:
        if board.chips is not None:
            present += board.chips > 0
        elif board.hashrate_ths is not None:
            present += board.hashrate_ths > 0
        else:
            present += 1
    return float(present)


def frame_from_readings(
    miner_ids: Sequence[int],
    readings: Sequence[MinerReading],
    *,
    racks: Mapping[int, int] | None = None,
    expected_pools: Mapping[int, tuple[str | None, str | None]] | None = None,
) -> CycleFrame:
    """Build a frame from one cycle's readings (``miner_ids[i]`` polled as ``readings[i]``).

    ``racks`` maps miner id to rack id (peer groups); ``expected_pools`` maps miner id to
    the (url, user) it should mine on.  Nominal rate, cooling and board count fall back
    to the catalog when the firmware does not say.
    """
    if len(miner_ids) != len(readings):
        raise ValueError(f"{len(miner_ids)} miner ids for {len(readings)} readings")
    racks = racks or {}
    expected_pools = expected_pools or {}
    cols: dict[str, list] = {f.name: [] for f in dataclasses.fields(CycleFrame)}
    for miner_id, r in zip(miner_ids, readings, strict=True):
        catalog = lookup_model(r.model)
        nominal = r.nominal_ths if r.nominal_ths else (catalog.hashrate_ths if catalog else None)
        fans = [f for f in (r.fans_rpm or []) if f is not None]
        expected_url, expected_user = expected_pools.get(miner_id, (None, None))
        cols["miner_id"].append(miner_id)
        cols["status"].append(r.status)
        cols["hashrate"].append(_num(r.hashrate_ths))
        cols["nominal"].append(_num(nominal))
        cols["temp_max"].append(_num(r.temp_max_c))
        cols["fan_min"].append(float(min(fans)) if fans else math.nan)
        cols["cooling"].append(catalog.cooling if catalog else "")
        cols["boards_present"].append(_boards_present(r))
        cols["boards_expected"].append(float(catalog.hashboards) if catalog else math.nan)
        cols["pool_url"].append(r.pool_url)
        cols["pool_user"].append(r.pool_user)
        cols["expected_pool_url"].append(expected_url)
        cols["expected_pool_user"].append(expected_user)
        cols["model"].append(catalog.model if catalog else (r.model or ""))
        cols["rack"].append(racks.get(miner_id, NO_RACK))
    return CycleFrame(
        miner_id=np.asarray(cols["miner_id"], dtype=np.int64),
        status=np.asarray(cols["status"], dtype=str),
        hashrate=np.asarray(cols["hashrate"], dtype=float),
        nominal=np.asarray(cols["nominal"], dtype=float),
        temp_max=np.asarray(cols["temp_max"], dtype=float),
        fan_min=np.asarray(cols["fan_min"], dtype=float),
        cooling=np.asarray(cols["cooling"], dtype=str),
        boards_present=np.asarray(cols["boards_present"], dtype=float),
        boards_expected=np.asarray(cols["boards_expected"], dtype=float),
        pool_url=np.asarray(cols["pool_url"], dtype=object),
        pool_user=np.asarray(cols["pool_user"], dtype=object),
        expected_pool_url=np.asarray(cols["expected_pool_url"], dtype=object),
        expected_pool_user=np.asarray(cols["expected_pool_user"], dtype=object),
        model=np.asarray(cols["model"], dtype=str),
        rack=np.asarray(cols["rack"], dtype=np.int64),
    )
