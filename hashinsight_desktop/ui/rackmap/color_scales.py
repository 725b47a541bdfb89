"""Colour buckets per metric: numpy maps values to a small bucket index.

The map paints one batched fill per bucket, so a scale is a short list of
colours plus the value edges between them (``np.digitize``).  Colours are
mid-lightness and saturated so they read on the dark (#1a1d2e) and the light
theme alike.  The last bucket index, ``NAN_BUCKET`` of a scale, is "no
reading": the map draws it hatched.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.ui.rackmap.metrics import RackMetric

#: Temperature scale ends (°C); 80 °C is the old platform's alert threshold.
TEMP_MIN_C, TEMP_MAX_C, TEMP_STEP_C = 40.0, 95.0, 5.0
#: % of nominal edges: red under 80, amber/yellow below 95, green 95-105.
PCT_EDGES = (80.0, 90.0, 95.0, 105.0, 115.0)
PCT_COLORS = ("#e5534b", "#f0883e", "#d4b106", "#2ea043", "#26a69a", "#4493f8")
POWER_BUCKETS = 8
POWER_ROUND_W = 500.0

STATUS_COLORS: dict[MinerStatus, str] = {
    MinerStatus.OK: "#2ea043",
    MinerStatus.CURTAILED: "#6c8ebf",
    MinerStatus.DEGRADED: "#d29922",
    MinerStatus.ERROR: "#e5534b",
    MinerStatus.OFFLINE: "#b62324",
    MinerStatus.UNKNOWN: "#8b949e",
}
#: Legend order of the statuses: healthy to worst, unknown last.
STATUS_ORDER = (
    MinerStatus.OK,
    MinerStatus.CURTAILED,
    MinerStatus.DEGRADED,
    MinerStatus.ERROR,
    MinerStatus.OFFLINE,
    MinerStatus.UNKNOWN,
)

_TEMP_STOPS = ((40.0, "#3b7ddd"), (60.0, "#2ea043"), (75.0, "#d4c000"), (85.0, "#f0883e"),
               (95.0, "#e5302a"))
_POWER_STOPS = ((0.0, "#5a6fb5"), (0.4, "#26a69a"), (0.75, "#d4c000"), (1.0, "#f7931a"))


@dataclasses.dataclass(frozen=True, slots=True)
class ColorScale:
    """``colors[i]`` paints values in ``[edges[i-1], edges[i])``; first and last are open.

    Categorical scales (status) have no edges: the value itself, through
    ``categories``, picks the bucket.
    """

    colors: tuple[str, ...]
    edges: tuple[float, ...] = ()
    categories: tuple[int, ...] = ()
    #: Value range the legend draws (continuous scales); ticks are the labelled values.
    low: float = math.nan
    high: float = math.nan
    ticks: tuple[float, ...] = ()

    @property
    def nan_bucket(self) -> int:
        return len(self.colors)

    @property
    def categorical(self) -> bool:
        return bool(self.categories)

    def buckets(self, values: np.ndarray) -> np.ndarray:
        """Bucket index per value (int64); NaN and unknown categories -> ``nan_bucket``."""
        if self.categorical:
            lookup = np.full(max(self.categories) + 2, self.nan_bucket, dtype=np.int64)
            lookup[list(self.categories)] = np.arange(len(self.categories))
            codes = np.asarray(values, dtype=np.int64)
            inside = (codes >= 0) & (codes < len(lookup) - 1)
            return np.where(inside, lookup[np.where(inside, codes, -1)], self.nan_bucket)
        values = np.asarray(values, dtype=np.float64)
        out = np.digitize(values, self.edges).astype(np.int64)
        out[np.isnan(values)] = self.nan_bucket
        return out

    def bucket_range(self, bucket: int) -> tuple[float, float]:
        """Value range a continuous bucket covers (open ends use low/high)."""
        lower = self.edges[bucket - 1] if bucket > 0 else self.low
        upper = self.edges[bucket] if bucket < len(self.edges) else self.high
        return lower, upper


def scale_for(metric: RackMetric, values: np.ndarray | None = None) -> ColorScale:
    """The scale of ``metric``; power adapts its top to the values shown (p99)."""
    if metric is RackMetric.STATUS:
        return ColorScale(
            colors=tuple(STATUS_COLORS[s] for s in STATUS_ORDER),
            categories=tuple(int(s) for s in STATUS_ORDER),
        )
    if metric is RackMetric.TEMPERATURE:
        edges = tuple(np.arange(TEMP_MIN_C + TEMP_STEP_C, TEMP_MAX_C, TEMP_STEP_C).tolist())
        return _continuous(edges, _TEMP_STOPS, TEMP_MIN_C, TEMP_MAX_C, (40.0, 60.0, 80.0, 95.0))
    if metric is RackMetric.PCT_NOMINAL:
        return ColorScale(colors=PCT_COLORS, edges=PCT_EDGES, low=70.0, high=125.0,
                          ticks=PCT_EDGES)
    top = _power_top(values)
    step = top / POWER_BUCKETS
    edges = tuple(step * i for i in range(1, POWER_BUCKETS))
    stops = tuple((top * f, c) for f, c in _POWER_STOPS)
    return _continuous(edges, stops, 0.0, top, (0.0, top / 2, top))


def _power_top(values: np.ndarray | None) -> float:
    """Top of the power scale: the 99th percentile rounded up, so one outlier
    does not squash every other miner into the bottom bucket."""
    if values is None:
        return 4000.0
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if len(finite) == 0:
        return 4000.0
    p99 = float(np.percentile(finite, 99))
    return max(POWER_ROUND_W, math.ceil(p99 / POWER_ROUND_W) * POWER_ROUND_W)


def _continuous(
    edges: tuple[float, ...],
    stops: tuple[tuple[float, str], ...],
    low: float,
    high: float,
    ticks: tuple[float, ...],
) -> ColorScale:
    bounds = (low, *edges, high)
    mids = [(a + b) / 2 for a, b in itertools.pairwise(bounds)]
    return ColorScale(
        colors=tuple(interpolate(stops, m) for m in mids),
        edges=edges,
        low=low,
        high=high,
        ticks=ticks,
    )


def interpolate(stops: tuple[tuple[float, str], ...], value: float) -> str:
    """Linear RGB blend between the two colour stops around ``value`` ("#rrggbb")."""
    if value <= stops[0][0]:
        return stops[0][1]
    for (v0, c0), (v1, c1) in itertools.pairwise(stops):
        if value <= v1:
            t = (value - v0) / (v1 - v0)
            rgb0, rgb1 = _rgb(c0), _rgb(c1)
            mixed = (round(a + (b - a) * t) for a, b in zip(rgb0, rgb1, strict=True))
            return "#" + "".join(f"{c:02x}" for c in mixed)
    return stops[-1][1]


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
