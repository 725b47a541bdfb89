"""What a chart stack draws: which series go on which chart, with titles and units."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class CurveSpec:
    key: str  # key in the Series.values dict
    label: str  # translated, for the legend, readout and CSV header
    scale: float = 1.0  # e.g. 1e-3 to draw W as kW


@dataclasses.dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str  # translated, with the unit: "Hashrate (TH/s)"
    unit: str
    curves: tuple[CurveSpec, ...]
    decimals: int = 1
    overlay_target: bool = False  # overlaid miners are drawn on this chart


@dataclasses.dataclass(frozen=True)
class Overlay:
    """One extra series drawn over a chart (one miner's hashrate)."""

    label: str
    ts: object  # np.ndarray of Unix seconds
    values: object  # np.ndarray, same length
