"""Pure helpers behind the charts: peak downsampling, CSV alignment, crosshair lookup."""

from __future__ import annotations

import numpy as np

from hashinsight_desktop.ui.telemetry.csv_export import merge_columns
from hashinsight_desktop.ui.telemetry.overlay_bundle import visible_peaks
from hashinsight_desktop.ui.telemetry.readout import nearest_index


def test_visible_peaks_keeps_spikes_and_gaps() -> None:
    ts = np.arange(10_000, dtype=np.float64)
    y = np.ones(10_000)
    y[5_000] = 50.0  # one spike
    y[7_000:7_100] = np.nan  # a whole-bin gap (bins are 10 samples wide)
    x, v = visible_peaks(ts, y, 0, 9_999, bins=1_000)
    assert len(x) == len(v) == 2_000
    assert np.nanmax(v) == 50.0
    assert np.isnan(v).sum() >= 2 * 9  # the gap survives as NaN bins: the line breaks
    assert x[0] == 0 and np.all(np.diff(x) >= 0)


def test_visible_peaks_clips_to_the_range_with_one_point_margin() -> None:
    ts = np.arange(100, dtype=np.float64)
    x, v = visible_peaks(ts, ts * 2, 10.5, 20.5, bins=1_000)
    assert x[0] == 10 and x[-1] == 21  # one point beyond each edge, so lines reach it
    assert np.array_equal(v, x * 2)


def test_merge_columns_aligns_different_resolutions() -> None:
    minute = np.arange(0, 600, 60)
    five = np.array([0, 300])
    ts, (a, b) = merge_columns([("a", minute, minute / 60.0), ("b", five, np.array([7.0, 8.0]))])
    assert ts.tolist() == minute.tolist()
    assert a.tolist() == list(range(10))
    assert b[0] == 7.0 and b[5] == 8.0 and np.isnan(b[1])


def test_nearest_index_respects_the_gap() -> None:
    ts = np.array([0, 60, 120])
    assert nearest_index(ts, 70, max_gap=60) == 1
    assert nearest_index(ts, 500, max_gap=60) is None
    assert nearest_index(np.array([], dtype=np.int64), 5, max_gap=60) is None
