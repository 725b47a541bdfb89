"""Colour buckets per metric: values to buckets with numpy, NaN to the hatched bucket."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.ui.rackmap.color_scales import STATUS_COLORS, interpolate, scale_for
from hashinsight_desktop.ui.rackmap.metrics import RackMetric


def _hue(color: str) -> int:
    return QColor(color).hsvHue()


def _color_of(metric: RackMetric, value: float) -> str | None:
    scale = scale_for(metric)
    bucket = int(scale.buckets(np.array([value]))[0])
    return None if bucket == scale.nan_bucket else scale.colors[bucket]


def test_temperature_runs_blue_green_yellow_red() -> None:
    hues = [_hue(_color_of(RackMetric.TEMPERATURE, t)) for t in (41, 60, 76, 94)]
    blue, green, yellow, red = hues
    assert 200 <= blue <= 240
    assert 90 <= green <= 150
    assert 45 <= yellow <= 65
    assert red <= 15 or red >= 345
    # beyond the ends the end colours are used, never an error
    assert _color_of(RackMetric.TEMPERATURE, -10) == _color_of(RackMetric.TEMPERATURE, 41)
    assert _color_of(RackMetric.TEMPERATURE, 130) == _color_of(RackMetric.TEMPERATURE, 94)


def test_temperature_buckets_change_at_their_edges() -> None:
    scale = scale_for(RackMetric.TEMPERATURE)
    buckets = scale.buckets(np.array([79.9, 80.0, 84.9, 85.0]))
    assert buckets[0] != buckets[1] and buckets[1] == buckets[2] and buckets[2] != buckets[3]


def test_pct_of_nominal_is_red_under_80_and_green_around_100() -> None:
    assert _color_of(RackMetric.PCT_NOMINAL, 79.0) == "#e5534b"
    assert _color_of(RackMetric.PCT_NOMINAL, 0.0) == "#e5534b"
    for pct in (96.0, 100.0, 104.0):
        assert _color_of(RackMetric.PCT_NOMINAL, pct) == "#2ea043"
    assert _color_of(RackMetric.PCT_NOMINAL, 85.0) not in ("#e5534b", "#2ea043")


def test_status_codes_map_to_their_colours_and_bad_codes_to_no_reading() -> None:
    scale = scale_for(RackMetric.STATUS)
    codes = np.array([int(s) for s in MinerStatus] + [99, -1], dtype=np.int8)
    buckets = scale.buckets(codes)
    for status, bucket in zip(MinerStatus, buckets[:-2].tolist(), strict=True):
        assert scale.colors[bucket] == STATUS_COLORS[status]
    assert buckets[-2:].tolist() == [scale.nan_bucket, scale.nan_bucket]
    assert _hue(STATUS_COLORS[MinerStatus.OK]) in range(90, 150)
    assert _hue(STATUS_COLORS[MinerStatus.OFFLINE]) in (*range(0, 15), *range(345, 360))


@pytest.mark.parametrize("metric", [m for m in RackMetric if m is not RackMetric.STATUS])
def test_nan_goes_to_the_no_reading_bucket(metric: RackMetric) -> None:
    scale = scale_for(metric, np.array([1000.0, np.nan]))
    buckets = scale.buckets(np.array([np.nan, 50.0, np.nan]))
    assert buckets.tolist()[0] == buckets.tolist()[2] == scale.nan_bucket
    assert buckets[1] < scale.nan_bucket


def test_power_scale_top_follows_the_fleet_not_one_outlier() -> None:
    values = np.r_[np.full(500, 3200.0), 9000.0, np.nan]
    scale = scale_for(RackMetric.POWER, values)
    assert scale.high == 3500.0
    assert scale.buckets(np.array([9000.0]))[0] == len(scale.colors) - 1
    assert scale.buckets(np.array([100.0]))[0] == 0
    assert scale_for(RackMetric.POWER, np.array([np.nan])).high == 4000.0


def test_colours_stay_mid_lightness_for_both_themes() -> None:
    """Every map colour must stand out from the dark (#1a1d2e) and light (#f4f5f9) backgrounds."""
    colors = [c for m in RackMetric for c in scale_for(m, np.array([3000.0])).colors]
    for color in colors:
        lightness = QColor(color).lightness()
        assert 70 <= lightness <= 200, color


def test_interpolate_hits_stops_and_blends_between() -> None:
    stops = ((0.0, "#000000"), (10.0, "#ff0000"))
    assert interpolate(stops, -5) == "#000000"
    assert interpolate(stops, 5) == "#800000"
    assert interpolate(stops, 50) == "#ff0000"
