"""Energy per miner over a billing window, from per-day sums of telemetry rollups.

A rollup row (5-minute or hourly bucket) carries how many samples the collector
stored, how many found the miner curtailed or with an estimated power figure, and
``energy_wh``: the sampled power integrated over the samples present (a missing
sample adds nothing).  The database sums those per miner and UTC day (a month of
hourly rows for 6,000 miners is 4.3 M rows; per-day sums are 186,000), and billing
windows are whole days (contract dates), so per-day sums lose nothing.  Per miner:

* measured kWh = sum of ``energy_wh`` in the window;
* missing hours = expected samples not stored (absent buckets or short buckets);
* running kW = the average draw over un-curtailed buckets ("the known hours"),
  used to bill missing hours and to value curtailed hours for a credit;
* curtailed and estimated-power hours from their sample counts.
"""

from __future__ import annotations

import dataclasses

import numpy as np

SECONDS_PER_DAY = 86_400
SECONDS_PER_HOUR = 3_600.0


@dataclasses.dataclass(frozen=True)
class DailySums:
    """One row per (miner position, day index from the month start).

    ``samples`` are clipped per bucket to the expected count; ``clean_*`` cover only
    buckets with samples and no curtailed sample.
    """

    miner: np.ndarray
    day: np.ndarray
    samples: np.ndarray
    curtailed_samples: np.ndarray
    estimated_samples: np.ndarray
    energy_wh: np.ndarray
    clean_samples: np.ndarray
    clean_energy_wh: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> DailySums:
        """Rows in field order; None (a day with no power figure) counts as 0."""
        data = np.array([tuple(0 if v is None else v for v in r) for r in rows],
                        dtype=np.float64).reshape(-1, 8)
        ints = data[:, :2].astype(np.int64)
        return cls(ints[:, 0], ints[:, 1], *(data[:, i] for i in range(2, 8)))


@dataclasses.dataclass(frozen=True)
class MinerEnergy:
    """Per-miner figures for one window, arrays indexed by miner position."""

    expected_hours: np.ndarray
    measured_kwh: np.ndarray
    missing_hours: np.ndarray
    curtailed_hours: np.ndarray
    estimated_power_hours: np.ndarray
    running_kw: np.ndarray

    @property
    def estimated_missing_kwh(self) -> np.ndarray:
        """Energy billed for the missing hours, at the miner's average running draw."""
        return self.missing_hours * self.running_kw

    @property
    def billed_kwh(self) -> np.ndarray:
        return self.measured_kwh + self.estimated_missing_kwh

    @property
    def curtailed_kwh(self) -> np.ndarray:
        """What the miner would have drawn while curtailed (the basis of a credit)."""
        return self.curtailed_hours * self.running_kw


def _in_window(sums: DailySums, day_from: np.ndarray, day_to: np.ndarray) -> np.ndarray:
    return (sums.day >= day_from[sums.miner]) & (sums.day < day_to[sums.miner])


def integrate(sums: DailySums, day_from: np.ndarray, day_to: np.ndarray, *,
              sample_s: int) -> MinerEnergy:
    """Figures for each miner over its days ``[day_from, day_to)``."""
    n = len(day_from)
    sample_h = sample_s / SECONDS_PER_HOUR
    keep = _in_window(sums, day_from, day_to)
    miner = sums.miner[keep]

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(miner, weights=values[keep], minlength=n)[:n]

    present = total(sums.samples)
    curtailed = total(sums.curtailed_samples)
    measured_kwh = total(sums.energy_wh) / 1000.0
    clean_h = total(sums.clean_samples) * sample_h
    clean_kwh = total(sums.clean_energy_wh) / 1000.0
    # A miner curtailed in every bucket: its draw over its un-curtailed samples.
    fallback_h = np.maximum(present - curtailed, 0) * sample_h
    with np.errstate(divide="ignore", invalid="ignore"):
        running_kw = np.where(clean_h > 0, clean_kwh / clean_h,
                              np.where(fallback_h > 0, measured_kwh / fallback_h, 0.0))
    expected_samples = np.maximum(day_to - day_from, 0) * (SECONDS_PER_DAY // sample_s)
    return MinerEnergy(
        expected_hours=expected_samples * sample_h,
        measured_kwh=measured_kwh,
        missing_hours=np.maximum(expected_samples - present, 0) * sample_h,
        curtailed_hours=curtailed * sample_h,
        estimated_power_hours=total(sums.estimated_samples) * sample_h,
        running_kw=running_kw,
    )


def missing_by_day(sums: DailySums, day_from: np.ndarray, day_to: np.ndarray,
                   miners: np.ndarray, *, sample_s: int) -> dict[int, list[tuple[int, float]]]:
    """For each miner position in ``miners``: ``(day index, missing hours)`` for every
    day of its window with samples missing."""
    if miners.size == 0:
        return {}
    n_days = int(max(day_to[miners].max(), 1))
    row_of = np.full(len(day_from), -1, dtype=np.int64)
    row_of[miners] = np.arange(miners.size)
    keep = _in_window(sums, day_from, day_to) & (row_of[sums.miner] >= 0)
    present = np.zeros((miners.size, n_days))
    np.add.at(present, (row_of[sums.miner[keep]], sums.day[keep]), sums.samples[keep])
    per_day = SECONDS_PER_DAY // sample_s
    out: dict[int, list[tuple[int, float]]] = {}
    for row, m in enumerate(miners.tolist()):
        days = np.arange(day_from[m], day_to[m])
        short = per_day - present[row, days]
        out[m] = [(int(d), float(s) * sample_s / SECONDS_PER_HOUR)
                  for d, s in zip(days, short, strict=True) if s > 0]
    return out
