"""Energy integration from per-day sums: measured, missing, curtailed, running power."""

import numpy as np
import pytest

from hashinsight_desktop.core.billing.energy import DailySums, integrate, missing_by_day

SAMPLE_S = 60
PER_DAY = 1440


def _day(miner, day, samples=PER_DAY, curtailed=0, estimated=0, kw=3.0):
    energy_wh = kw * 1000 * (samples - curtailed) / 60  # curtailed samples draw nothing
    clean = curtailed == 0
    return (miner, day, samples, curtailed, estimated, energy_wh,
            samples if clean else 0, energy_wh if clean else 0)


def test_full_days_bill_measured_energy_only() -> None:
    sums = DailySums.from_rows([_day(0, d) for d in range(3)])
    e = integrate(sums, np.array([0]), np.array([3]), sample_s=SAMPLE_S)
    assert e.measured_kwh[0] == pytest.approx(3 * 24 * 3.0)
    assert e.missing_hours[0] == 0 and e.billed_kwh[0] == pytest.approx(216.0)
    assert e.running_kw[0] == pytest.approx(3.0)


def test_missing_hours_are_billed_at_the_known_average() -> None:
    # day 1 absent entirely, day 2 with 6 hours missing; miner draws 2 kW
    rows = [_day(0, 0, kw=2.0), _day(0, 2, samples=PER_DAY - 360, kw=2.0)]
    e = integrate(DailySums.from_rows(rows), np.array([0]), np.array([3]), sample_s=SAMPLE_S)
    assert e.missing_hours[0] == pytest.approx(30.0)
    assert e.billed_kwh[0] == pytest.approx(72 * 2.0)
    gaps = missing_by_day(DailySums.from_rows(rows), np.array([0]), np.array([3]),
                          np.array([0]), sample_s=SAMPLE_S)
    assert gaps == {0: [(1, 24.0), (2, 6.0)]}


def test_curtailed_hours_and_window_limits() -> None:
    rows = [_day(0, 0), _day(0, 1, curtailed=120), _day(0, 5), _day(1, 0, estimated=60)]
    e = integrate(DailySums.from_rows(rows), np.array([0, 0]), np.array([2, 1]),
                  sample_s=SAMPLE_S)
    assert e.curtailed_hours[0] == pytest.approx(2.0)  # day 5 is outside the window
    assert e.curtailed_kwh[0] == pytest.approx(6.0)
    assert e.estimated_power_hours[1] == pytest.approx(1.0)
    assert e.measured_kwh[0] == pytest.approx(72.0 + 66.0)


def test_fully_curtailed_miner_and_empty_window() -> None:
    rows = [_day(0, 0, curtailed=720)]  # every bucket had a curtailed sample
    e = integrate(DailySums.from_rows(rows), np.array([0, 0]), np.array([1, 0]),
                  sample_s=SAMPLE_S)
    assert e.running_kw[0] == pytest.approx(3.0)  # from the un-curtailed samples
    assert e.expected_hours[1] == 0 and e.billed_kwh[1] == 0


def test_no_rows_at_all() -> None:
    e = integrate(DailySums.from_rows([]), np.array([0]), np.array([31]), sample_s=SAMPLE_S)
    assert e.missing_hours[0] == pytest.approx(744.0) and e.billed_kwh[0] == 0
