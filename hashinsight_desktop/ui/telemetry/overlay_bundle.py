"""Many miners' series drawn as a few paths: one curve item per colour, not per miner.

pyqtgraph spends ~2 ms of Python per curve item per frame (clip, downsample, path,
bounds), so 50 separate items cost ~100 ms a frame.  Here each colour group is one
``PlotCurveItem`` whose data is its miners' visible, peak-downsampled points joined
with NaN breaks, rebuilt with numpy whenever the visible time range changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from hashinsight_desktop.ui.telemetry.chart_specs import Overlay

GROUPS = 8  # distinct colours; with more miners, colours repeat
# One min/max bin per 2 px: overlays are context behind the aggregate, and the raster
# cost of drawing is proportional to the segments' pixel length (halved here).
PIXELS_PER_BIN = 2


def visible_peaks(ts: np.ndarray, y: np.ndarray, x0: float, x1: float, bins: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The points of (ts, y) inside [x0, x1] (plus one each side), min/max per bin."""
    i0 = max(int(np.searchsorted(ts, x0)) - 1, 0)
    i1 = min(int(np.searchsorted(ts, x1, side="right")) + 1, len(ts))
    x, v = ts[i0:i1], y[i0:i1]
    step = len(x) // max(bins, 1)
    if step < 2:
        return x, v
    n = (len(x) // step) * step
    block = v[:n].reshape(-1, step)
    # fmin/fmax skip NaN without a warning; an all-NaN bin stays NaN (a gap)
    low, high = np.fmin.reduce(block, axis=1), np.fmax.reduce(block, axis=1)
    xs = np.repeat(x[:n:step], 2)
    ys = np.empty(2 * len(low))
    ys[0::2], ys[1::2] = low, high
    return np.concatenate([xs, x[n:]]), np.concatenate([ys, v[n:]])


class OverlayBundle:
    """Draws overlays in ``box`` (a ViewBox whose X follows the chart)."""

    def __init__(self, box: pg.ViewBox) -> None:
        self._box = box
        self._series: list[tuple[np.ndarray, np.ndarray]] = []
        self.items: list[pg.PlotCurveItem] = []
        for _ in range(GROUPS):
            item = pg.PlotCurveItem(connect="finite")
            box.addItem(item)
            self.items.append(item)
        box.sigXRangeChanged.connect(self.refresh)
        box.sigResized.connect(self.refresh)

    def __len__(self) -> int:
        return len(self._series)

    def set_colours(self, colours: Sequence[QColor], width: float) -> None:
        for item, colour in zip(self.items, colours, strict=False):
            item.setPen(pg.mkPen(colour, width=width))

    def set_overlays(self, overlays: Sequence[Overlay]) -> None:
        self._series = [(np.asarray(o.ts, dtype=np.float64), np.asarray(o.values, dtype=np.float64))
                        for o in overlays]
        self.refresh()

    def refresh(self, *_args: object) -> None:
        (x0, x1), _ = self._box.viewRange()
        bins = max(int(self._box.width()) // PIXELS_PER_BIN, 100)
        parts: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in self.items]
        for index, (ts, y) in enumerate(self._series):
            x, v = visible_peaks(ts, y, x0, x1, bins)
            if len(x):
                parts[index % GROUPS].append((np.append(x, x[-1]), np.append(v, np.nan)))
        for item, group in zip(self.items, parts, strict=True):
            if group:
                item.setData(np.concatenate([g[0] for g in group]),
                             np.concatenate([g[1] for g in group]))
            else:
                item.setData([], [])
