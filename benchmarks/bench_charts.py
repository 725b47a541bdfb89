"""Chart figures: 30 days at 5-minute resolution for 50 series (8,640 points each).

A shown 1600x900 ``ChartStack`` with the fleet charts (five plots, six aggregate
curves) and 50 overlaid miners, offscreen.  "Set" replaces every series and paints
once; "pan/zoom" moves the linked X range and paints one frame (the event loop runs once and
delivers the viewport's one paint event), so the figures include pyqtgraph's downsampling, clipping and drawing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import cache

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

from benchmarks.harness import case
from hashinsight_desktop.ui.telemetry.chart_specs import Overlay
from hashinsight_desktop.ui.telemetry.chart_stack import ChartStack
from hashinsight_desktop.ui.telemetry.panel import fleet_chart_specs

POINTS = 30 * 24 * 12  # 8,640
SERIES = 50
STEP = 300
T0 = 1_790_000_000 - 1_790_000_000 % 3600


@dataclass
class Charts:
    stack: ChartStack
    ts: np.ndarray
    fleet: dict[str, np.ndarray]
    overlays: list[Overlay]
    runs: int = 0


def _app() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


def _data(seed: int) -> tuple[np.ndarray, dict[str, np.ndarray], list[Overlay]]:
    rng = np.random.default_rng(seed)
    ts = T0 + STEP * np.arange(POINTS, dtype=np.int64)
    wave = 1 + 0.03 * np.sin(np.arange(POINTS) / 288 * 2 * np.pi)
    fleet = {
        "hashrate_ths": 600_000 * wave + rng.normal(0, 2000, POINTS),
        "power_kw": 18_000 * wave + rng.normal(0, 50, POINTS),
        "efficiency_j_th": 30 + rng.normal(0, 0.2, POINTS),
        "online": 5900 + rng.integers(0, 100, POINTS).astype(float),
        "temp_avg_c": 65 + rng.normal(0, 1, POINTS),
        "temp_max_c": 80 + rng.normal(0, 2, POINTS),
    }
    overlays = []
    for i in range(SERIES):
        y = 100 + rng.normal(0, 3, POINTS)
        y[rng.integers(0, POINTS, 20)] = np.nan  # missed polls leave gaps
        overlays.append(Overlay(f"M-{i:03d}", ts, y))
    return ts, fleet, overlays


@cache
def _charts() -> Charts:
    app = _app()
    stack = ChartStack(fleet_chart_specs())
    stack.resize(1600, 900)
    stack.show()
    ts, fleet, overlays = _data(0)
    stack.set_series(ts, fleet, STEP, (float(ts[0]), float(ts[-1])))
    stack.set_overlays(overlays)
    app.processEvents()
    stack.repaint()
    return Charts(stack, ts, fleet, overlays)


def _paint(charts: Charts) -> None:
    """Deliver the pending events: the scene's change notices and exactly one paint.

    (A ``repaint()`` after this would paint a second frame, and one before it would
    leave the scene's queued update to paint again: both double the figure.)
    """
    QApplication.processEvents()


def _set_all(charts: Charts, fleet: dict[str, np.ndarray], overlays: list[Overlay]) -> None:
    charts.stack.set_series(charts.ts, fleet, STEP, (float(charts.ts[0]), float(charts.ts[-1])))
    charts.stack.set_overlays(overlays)
    _paint(charts)


@case("charts: set 50 x 8,640-point series + 6 aggregate curves, paint", unit="ms",
      target="<= 40", repeat=7, setup=_charts)
def set_series(charts: Charts) -> float:
    charts.runs += 1
    # fresh arrays each run (a new answer from the database), built outside the timing
    fleet = {k: v + charts.runs * 1e-6 for k, v in charts.fleet.items()}
    overlays = [Overlay(o.label, o.ts, o.values + charts.runs * 1e-6) for o in charts.overlays]
    t0 = time.perf_counter()
    _set_all(charts, fleet, overlays)
    return (time.perf_counter() - t0) * 1e3


@case("charts: one pan/zoom frame over 50 x 8,640 points", unit="ms", target="<= 16",
      repeat=15, setup=_charts)
def pan_zoom_frame(charts: Charts) -> float:
    charts.runs += 1
    span = (7 if charts.runs % 2 else 30) * 86400  # alternate zoomed-in and whole month
    start = float(charts.ts[0]) + (charts.runs * 3600) % (30 * 86400 - span + 1)
    t0 = time.perf_counter()
    charts.stack.set_x_range(start, start + span)
    _paint(charts)
    return (time.perf_counter() - t0) * 1e3
